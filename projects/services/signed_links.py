"""Signed, expiring links a customer opens without an account (the satisfaction survey, the confirmation
of a meeting's minutes): the token names the object; a refusal says why, in the object's language when
the token is genuine."""

import datetime as dt
from collections.abc import Callable

from django.core import signing
from django.utils import translation

from projects.domain import DomainError


class SignedLinkError(DomainError):
    """The link is not one we made, is too old, or was used already; `language` is the one of the object
    the link names (empty when it names none), for the refusal page."""

    def __init__(self, message: str, language: str = ""):
        super().__init__(message)
        self.language = language


def object_from_link(token: str, *, salt: str, valid_days: int, find: Callable, error: type[SignedLinkError],
                     expired, invalid):
    """The object `find(data)` that a genuine token names; `expired` and `invalid` are lazy messages, the
    expired one rendered in the object's language (an expired token is still genuine: it names it)."""
    try:
        data = signing.loads(token, salt=salt, max_age=dt.timedelta(days=valid_days))
    except signing.SignatureExpired:
        named = find(signing.loads(token, salt=salt))
        language = named.language if named else ""
        with translation.override(language or None):
            raise error(str(expired), language) from None
    except signing.BadSignature:
        raise error(str(invalid)) from None
    named = find(data)
    if named is None:
        raise error(str(invalid))
    return named
