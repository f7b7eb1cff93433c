"""Who is calling: a bearer token (machines) or the browser's session (with CSRF), and what they may do."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, SessionAuthentication, get_authorization_header

from api.models import ApiToken
from api.models.tokens import token_digest
from api.services.tokens import token_touch


class BearerTokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer <token>`. The token must be neither revoked nor expired and its user active:
    all three are read on every request, so a deactivated person's tokens stop at once."""

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
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return token is None or token.may_write
