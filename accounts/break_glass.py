"""The break-glass sign-in for when LOCAL_LOGIN is off (or the provider is down): someone with shell access
runs `manage.py break_glass_link USERNAME`, which prints a link that signs that superuser in once, within
15 minutes. The link carries the user's last sign-in time, which signing in changes: it works only once."""

import logging

from django.core import signing

from .models import User

log = logging.getLogger("accounts.break_glass")
MAX_AGE_SECONDS = 15 * 60
_SALT = "accounts.break_glass"


def _state(user: User) -> str:
    return f"{user.pk}:{user.last_login.isoformat() if user.last_login else '-'}"


def break_glass_token(*, user: User) -> str:
    if not (user.is_superuser and user.is_active):
        raise ValueError(f"{user.username} is not an active superuser")
    log.warning("break-glass sign-in link made for %s", user.username)
    return signing.TimestampSigner(salt=_SALT).sign(_state(user))


def break_glass_user(token: str) -> User | None:
    """The superuser the token signs in, or None if it is expired, used, altered or the user changed."""
    try:
        state = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=state.split(":", 1)[0], is_superuser=True, is_active=True).first()
    return user if user is not None and _state(user) == state else None
