"""Who is calling: a bearer token (machines: one of our API tokens, or the identity provider's access token)
or the browser's session (with CSRF), and what they may do."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from accounts.oidc import ProviderTokenRefused
from api.framework.provider_tokens import provider_token_authenticate
from api.models import ApiToken
from api.models.tokens import TOKEN_PREFIX, token_digest
from api.services.tokens import token_touch


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`. One of our API tokens (it starts with `pmo_`) must be neither revoked
    nor expired and its user active: all three are read on every request, so a deactivated person's tokens
    stop at once. Any other value is tried as the provider's access token (api.framework.provider_tokens)."""

    keyword = b"bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The Authorization header must be \"Bearer <token>\"."))
        try:
            secret = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        if not secret.startswith(TOKEN_PREFIX):
            try:
                return provider_token_authenticate(secret)
            except ProviderTokenRefused:  # logged there, with the reason; the caller learns only that it failed
                raise exceptions.AuthenticationFailed(
                    _("This access token is not valid, has expired or is not for this API.")) from None
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
        if token is None or not token.active or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid, has expired or was revoked."))
        token_touch(token)
        return token.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionWithCsrfAuthentication(SessionAuthentication):
    """The browser's session (the explorer page, a script in a signed-in tab), CSRF checked on writes as
    DRF's own does. An inactive user has no session: Django's backend refuses them at sign-in and on
    each request."""

    def authenticate_header(self, request):
        # Without it DRF answers 403 to an anonymous caller; 401 tells them to authenticate.
        return 'Bearer realm="api"'


class ScopedAccess(permissions.BasePermission):
    """Signed in, and a read-only token only reads. What the person may see or change is the
    permission module's call, in each view (projects.permissions), exactly as for the pages."""

    message = _("This token may only read: make one with the write scope.")

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated()
        if request.method in permissions.SAFE_METHODS:
            return True
        # an API token or a provider's access token says whether it may write; the browser's session may
        return request.auth is None or request.auth.may_write
