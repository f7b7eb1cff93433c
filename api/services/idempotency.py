"""Keys older than the time an answer is kept (api/framework/idempotency.KEPT) are forgotten: a claim
deletes an expired record it meets, and the nightly sweep deletes the ones nobody sends again, so the
table holds about a day of POSTs rather than every one ever made."""

from django.utils import timezone

from api.framework.idempotency import KEPT
from api.models import IdempotencyRecord


def idempotency_keys_forget_expired() -> int:
    """Delete the records past KEPT; return how many."""
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - KEPT).delete()
    return deleted
