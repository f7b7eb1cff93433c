"""The language of an answer: the caller's Accept-Language first (a machine has no profile to pick one),
else the signed-in person's chosen language, else English.

Django's LocaleMiddleware already reads Accept-Language, but after it the language cookie and the
user's profile (accounts.middleware) win, and a token's user is known only inside the view."""

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

SUPPORTED = {code for code, _name in settings.LANGUAGES}


def accepted_language(request) -> str | None:
    """The first language of the header the application speaks (nl-BE is nl), or None."""
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            continue
        base = code.split("-")[0].lower()
        if base in SUPPORTED:
            return base
    return None


def activate_for(request, user=None) -> str:
    language = accepted_language(request) or (
        user.language if user is not None and user.is_authenticated and user.language else settings.LANGUAGE_CODE)
    translation.activate(language)
    request.LANGUAGE_CODE = language
    return language
