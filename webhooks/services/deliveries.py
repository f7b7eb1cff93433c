"""Deliveries: one per event and subscription, attempted until the receiver answers 2xx, retried with
exponential back-off for a day (WEBHOOK_RETRY_*), every attempt recorded.

An attempt is claimed in a transaction of its own before the POST (attempts + 1, the next attempt
moved past the POST's time limit) and its outcome is recorded in another after it: a worker killed
during the POST leaves the delivery pending, due again once that lease ends, and the beat sweeper
(`deliveries_due`) queues it again. So a receiver may get a delivery twice, always with the same
webhook-id; the claim's count bounds how often a delivery that kills its worker is tried.
"""

import datetime as dt
import json
import logging
import time

import urllib3
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from outbox.models import Event
from outbox.services import enqueue
from projects.domain import refuse_unless
from projects.permissions import can_manage_webhooks
from webhooks.addresses import AddressRefused, check_destination
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.services.subscriptions import subscription_end
from webhooks.signing import signed_headers, webhook_id_new

logger = logging.getLogger(__name__)
D = WebhookDelivery.Status
DELIVER_TASK = "webhooks.tasks.deliver_webhook"
# What the POST may take beyond its time limit before its claim lapses (connecting, the worker's pace).
LEASE_MARGIN_SECONDS = 5
USER_AGENT = "PMO-Webhooks/1"
# One pool per process (each worker process makes its own connections on first use).
HTTP = urllib3.PoolManager(num_pools=50, retries=False)


def event_body(event: Event) -> str:
    """The JSON posted: the same bytes on every attempt (the signature covers them)."""
    return json.dumps({"type": event.event_type, "timestamp": event.created_at.isoformat(), "data": event.payload},
                      cls=DjangoJSONEncoder, separators=(",", ":"), sort_keys=True)


def wants(subscription: WebhookSubscription, event: Event, project_ids: set[int]) -> bool:
    if event.event_type not in subscription.event_types:
        return False
    return not project_ids or event.project_id in project_ids


@transaction.atomic
def event_fan_out(*, event_id: int) -> int:
    """One delivery per active subscription that wants the event, each queued in this transaction.
    Run twice (the relay handed the task over twice), it creates nothing twice. Returns how many."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    created = 0
    for subscription in WebhookSubscription.objects.filter(active=True).prefetch_related("projects"):
        if not wants(subscription, event, {p.pk for p in subscription.projects.all()}):
            continue
        delivery, new = WebhookDelivery.objects.get_or_create(
            subscription=subscription, event=event, defaults={"webhook_id": webhook_id_new()})
        if new:
            enqueue(DELIVER_TASK, delivery.pk)
            created += 1
    return created


def retry_delay(attempts: int) -> float:
    """After the n-th failed attempt: base x 2^(n-1) seconds, at most WEBHOOK_RETRY_MAX_SECONDS."""
    return min(settings.WEBHOOK_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.WEBHOOK_RETRY_MAX_SECONDS)


def _claim(delivery_id: int) -> WebhookDelivery | None:
    """The delivery, if it is pending and due and no one else holds it; claimed for one attempt."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("subscription", "event")
                    .filter(pk=delivery_id, status=D.PENDING, next_attempt_at__lte=now).first())
        if delivery is None:
            return None
        if not delivery.subscription.active:
            delivery.status, delivery.last_error = D.FAILED, _("The subscription has ended.")
            delivery.save(update_fields=["status", "last_error"])
            return None
        delivery.attempts += 1
        delivery.next_attempt_at = now + dt.timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + LEASE_MARGIN_SECONDS)
        delivery.save(update_fields=["attempts", "next_attempt_at"])
    return delivery


def _post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the event, signed, once; the receiver's answer code (None without one) and the error, if any."""
    body = event_body(delivery.event)
    headers = signed_headers(delivery.subscription.secret, delivery.webhook_id, int(time.time()), body)
    headers["user-agent"] = USER_AGENT
    try:
        check_destination(delivery.subscription.url)
        # No redirect is followed (a receiver cannot send the POST elsewhere); the answer's body is not read.
        response = HTTP.request("POST", delivery.subscription.url, body=body.encode(), headers=headers,
                                timeout=urllib3.Timeout(total=settings.WEBHOOK_TIMEOUT_SECONDS), redirect=False,
                                preload_content=False)
        code = response.status
        response.release_conn()
    except AddressRefused as error:
        return None, str(error)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        return None, f"{type(error).__name__}: {error}"[:500]
    return code, "" if 200 <= code < 300 else f"HTTP {code}"


def delivery_attempt(*, delivery_id: int) -> float | None:
    """Attempt a due delivery once. Returns the seconds until its next attempt when it stays pending,
    None when it is delivered, failed for good, or not this caller's to attempt."""
    delivery = _claim(delivery_id)
    if delivery is None:
        return None
    started, clock = timezone.now(), time.monotonic()
    code, error = _post(delivery)
    duration = int((time.monotonic() - clock) * 1000)
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
        WebhookAttempt.objects.create(delivery=delivery, started_at=started, response_code=code,
                                      duration_ms=duration, error=error)
        delivery.last_response_code, delivery.last_duration_ms, delivery.last_error = code, duration, error
        delay = None
        if not error:
            delivery.status, delivery.delivered_at = D.DELIVERED, timezone.now()
        elif code == 410:  # Gone: the receiver says it wants no more (Standard Webhooks)
            delivery.status = D.FAILED
            subscription = WebhookSubscription.objects.select_for_update().get(pk=delivery.subscription_id)
            subscription_end(subscription, _("The receiver answered 410 Gone."))
        else:
            delay = retry_delay(delivery.attempts)
            next_at = timezone.now() + dt.timedelta(seconds=delay)
            if next_at > delivery.retries_from + dt.timedelta(seconds=settings.WEBHOOK_RETRY_WINDOW_SECONDS):
                delivery.status, delay = D.FAILED, None
            else:
                delivery.next_attempt_at = next_at
        delivery.save()
    if error:
        logger.warning("webhook %s to %s: %s", delivery.webhook_id, delivery.subscription.url, error)
    return delay


@transaction.atomic
def delivery_resend(*, delivery_id: int, by: User) -> WebhookDelivery:
    """Send a failed delivery again, with the same webhook-id, and a day of retries from now."""
    refuse_unless(can_manage_webhooks(by), _("Only a PMO lead or an administrator manages webhooks."))
    delivery = WebhookDelivery.objects.select_for_update().select_related("subscription").get(pk=delivery_id)
    refuse_unless(delivery.status == D.FAILED, _("Only a failed delivery can be sent again."))
    refuse_unless(delivery.subscription.active, _("The subscription has ended; it receives nothing."))
    now = timezone.now()
    delivery.status, delivery.next_attempt_at, delivery.retries_from = D.PENDING, now, now
    delivery.save()
    enqueue(DELIVER_TASK, delivery.pk)
    return delivery


def deliveries_due(*, older_than_seconds: float = 0, limit: int = 500) -> list[int]:
    """Pending deliveries due for `older_than_seconds` already: their task was lost (a worker killed,
    the broker restarted empty) or is late. A second task for one is harmless: the claim lets one POST."""
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    return list(WebhookDelivery.objects.filter(status=D.PENDING, next_attempt_at__lte=cutoff)
                .order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
