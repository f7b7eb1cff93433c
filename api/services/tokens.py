"""Making, using and revoking API tokens. The secret exists only in the answer to token_create."""

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from api.models import ApiToken
from api.models.tokens import TOKEN_PREFIX, token_digest
from projects.domain import refuse_unless

# last_used_at is written at most this often per token: a busy integration would otherwise turn every
# read into a write on the same row.
TOUCH_EVERY = dt.timedelta(minutes=1)


@transaction.atomic
def token_create(*, user: User, name: str, scope: str, expires_on: dt.date, by: User) -> tuple[ApiToken, str]:
    """A new token for `user` (by themselves, or by an administrator for a service account); returns
    it with its secret, which is never stored and cannot be shown again."""
    refuse_unless(by.pk == user.pk or by.is_superuser, _("You may only make tokens for yourself."))
    refuse_unless(user.is_active, _("This user is deactivated."))
    today = timezone.localdate()
    refuse_unless(today < expires_on <= today + dt.timedelta(days=settings.API_TOKEN_MAX_DAYS),
                  _("The expiry date must be after today and at most %(days)s days ahead.")
                  % {"days": settings.API_TOKEN_MAX_DAYS})
    refuse_unless(scope in ApiToken.Scope.values, _("Unknown scope."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = timezone.make_aware(dt.datetime.combine(expires_on, dt.time.min))
    token = ApiToken.objects.create(user=user, name=name, scope=scope, expires_at=expires_at,
                                    prefix=secret[:len(TOKEN_PREFIX) + 8], digest=token_digest(secret))
    return token, secret


def token_revoke(*, token: ApiToken, by: User) -> None:
    """The token stops working at once; the row stays, so its owner sees when it was revoked."""
    refuse_unless(by.pk == token.user_id or by.is_superuser, _("You may only revoke your own tokens."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def token_touch(token: ApiToken) -> None:
    """Record the use, at most once a minute (an UPDATE that matches nothing when another request did it)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).exclude(last_used_at__gt=now - TOUCH_EVERY).update(last_used_at=now)
        token.last_used_at = now
