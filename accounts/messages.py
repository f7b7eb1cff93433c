"""Messages kept as a message id with their parameters, so each reader reads them in the language
they use now rather than the one they used when the message was made (notifications)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.functional import Promise


def message_key(text) -> str:
    """The message id of a lazy message template; empty for a plain string (a user's words), which
    stays as typed."""
    if not isinstance(text, Promise):
        return ""
    with translation.override(None):  # no catalog: the message id itself
        return str(text)


def message_params(params: dict) -> dict:
    """Parameters as JSON: an amount keeps its value (formatted for each reader), a lazy label its
    text in every language; anything else its text."""
    encoded = {}
    for name, value in params.items():
        if isinstance(value, Decimal):
            encoded[name] = {"amount": str(value)}
        elif isinstance(value, Promise):
            encoded[name] = {"text": {code: _in(code, value) for code, _label in settings.LANGUAGES}}
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            encoded[name] = value
        else:
            encoded[name] = str(value)
    return encoded


def _in(language: str, value: Promise) -> str:
    with translation.override(language):
        return str(value)


def _decoded(value, language: str):
    if isinstance(value, dict) and "amount" in value:
        try:
            return number_format(Decimal(value["amount"]), 2, force_grouping=True)
        except (InvalidOperation, TypeError):
            return value["amount"]
    if isinstance(value, dict) and "text" in value:
        texts = value["text"]
        return texts.get(language) or texts.get(settings.LANGUAGE_CODE) or next(iter(texts.values()), "")
    return value


def message_render(key: str, params: dict, fallback: str) -> str:
    """The message in the active language, or `fallback` (the text stored when it was made) when
    there is no message id or the parameters no longer fit it."""
    if not key:
        return fallback
    language = translation.get_language() or settings.LANGUAGE_CODE
    values = {name: _decoded(value, language) for name, value in (params or {}).items()}
    try:
        return translation.gettext(key) % values
    except (KeyError, ValueError, TypeError):
        return fallback
