import logging

from celery import shared_task
from django.conf import settings

from webhooks.services.deliveries import deliveries_due, delivery_attempt, event_fan_out

logger = logging.getLogger(__name__)
# A retry due within this is queued with a countdown at once (well within the broker's visibility
# timeout); a later one is left to the sweeper, which beat runs every WEBHOOK_SWEEP_SECONDS.
COUNTDOWN_HORIZON_SECONDS = 300


@shared_task
def fan_out_event(event_id: int) -> int:
    return event_fan_out(event_id=event_id)


@shared_task
def deliver_webhook(delivery_id: int) -> None:
    delay = delivery_attempt(delivery_id=delivery_id)
    if delay is not None and delay <= COUNTDOWN_HORIZON_SECONDS:
        try:
            deliver_webhook.apply_async((delivery_id,), countdown=delay)
        except Exception:  # the broker is away: the row is pending and due, the sweeper queues it
            logger.warning("webhook delivery %s: retry left to the sweeper", delivery_id, exc_info=True)


@shared_task
def sweep_due_deliveries() -> int:
    """Beat's tick: deliveries due for a whole tick already (their task lost or late) are queued again."""
    due = deliveries_due(older_than_seconds=settings.WEBHOOK_SWEEP_SECONDS)
    for delivery_id in due:
        deliver_webhook.delay(delivery_id)
    return len(due)
