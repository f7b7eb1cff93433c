from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.crypto import constant_time_compare

from .models import User


class UserLanguageMiddleware:
    """Serve a signed-in user in the language they chose, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def scim_bearer_token(get_response):
    """/scim/v2/ is for the directory's provisioning client: its bearer token (SCIM_BEARER_TOKEN) signs in
    the `scim` service account for that request only (history then names it); anything else is refused."""

    def middleware(request):
        if request.path.startswith("/scim/v2"):
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            expected = settings.SCIM_BEARER_TOKEN
            if not (expected and scheme.lower() == "bearer" and constant_time_compare(token.strip(), expected)):
                response = HttpResponse(status=401)
                response["WWW-Authenticate"] = 'Bearer realm="scim"'
                return response
            request.user = _scim_service_account()
        return get_response(request)

    return middleware


def _scim_service_account():
    user, created = User.objects.get_or_create(username="scim", defaults={"first_name": "SCIM provisioning"})
    if created:
        user.set_unusable_password()
        user.save()
    return user


def directory_user_without_role(get_response):
    """A directory user whose directory values map to no role sees one page that says so, and nothing else."""
    allowed = ("/accounts/logout/", "/accounts/language/", "/static/", "/favicon.ico", "/accounts/oidc/")

    def middleware(request):
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "from_directory", False)
                and not user.roles and not request.path.startswith(allowed)):
            return render(request, "accounts/no_role.html", status=403)
        return get_response(request)

    return middleware
