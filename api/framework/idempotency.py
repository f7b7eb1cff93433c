"""POST with an Idempotency-Key: a retry of the same request gets the first answer, and nothing is made
twice; the same key with another request is refused (422).

The key's record is inserted in the same transaction as the service's write: a second request with the
key waits on the unique index until the first commits (then replays its answer) or rolls back (then runs
itself). A request that fails leaves no record, so its retry runs again."""

import datetime as dt
import hashlib
import re
from functools import wraps

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.framework.problems import IdempotencyKeyReused
from api.models import IdempotencyRecord

HEADER = "Idempotency-Key"
# After this a key may be used again (the answer is no longer kept).
KEPT = dt.timedelta(hours=24)
# Printable ASCII, 1 to 255 characters, not starting with a space (the document says the same).
KEY_PATTERN = r"^[\x21-\x7e][\x20-\x7e]{0,254}$"


def _fingerprint(request) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def _claim(user, key: str, fingerprint: str) -> IdempotencyRecord | None:
    """The finished record of an earlier request with this key, or None once this request holds the key."""
    for _attempt in range(2):
        record = IdempotencyRecord.objects.select_for_update().filter(user=user, key=key).first()
        if record is not None and record.created_at < timezone.now() - KEPT:
            record.delete()
            record = None
        if record is not None:
            if record.fingerprint != fingerprint:
                raise IdempotencyKeyReused()
            return record
        try:
            with transaction.atomic():
                IdempotencyRecord.objects.create(user=user, key=key, fingerprint=fingerprint, status_code=0)
            return None
        except IntegrityError:
            continue  # another request with the key committed meanwhile: read its answer
    raise IdempotencyKeyReused()


def idempotent(handler):
    """Decorate a viewset's create (POST) handler."""

    @wraps(handler)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(HEADER)
        if key is None:
            return handler(self, request, *args, **kwargs)
        if not re.fullmatch(KEY_PATTERN, key):
            raise ValidationError({HEADER: [_("An Idempotency-Key has 1 to 255 printable characters.")]})
        with transaction.atomic():
            earlier = _claim(request.user, key, _fingerprint(request))
            if earlier is not None:
                headers = {"Idempotent-Replayed": "true"}
                headers.update({name: value for name, value in (("Location", earlier.location),
                                                                 ("ETag", earlier.etag)) if value})
                return Response(earlier.body, status=earlier.status_code, headers=headers)
            response = handler(self, request, *args, **kwargs)
            IdempotencyRecord.objects.filter(user=request.user, key=key).update(
                status_code=response.status_code, body=response.data, location=response.get("Location", ""),
                etag=response.get("ETag", ""))
        return response

    return wrapper
