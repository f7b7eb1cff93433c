"""Queue background work in the database, in the caller's transaction, and relay it to the broker.

`enqueue` writes the row and, once the transaction commits, tries to hand it over at once; if the
broker does not answer, the failure is logged and recorded on the row and the request goes on. The
relay (`relay_due`, run in a loop by `manage.py relay_outbox`, and once a minute by beat as a
safety net) hands over every row not yet taken, until the broker takes it. A row may be handed
over twice (the relay died between the broker's yes and its own commit): tasks are idempotent.

In eager mode (no broker: development on SQLite, the tests) handing over is running the task,
right after the commit, as `.delay()` in a commit hook did before.
"""

import datetime as dt
import logging
import time

from django.core.files.storage import default_storage
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import Event, OutboxMessage, OutgoingEmail

logger = logging.getLogger(__name__)

# A broker that refused a connection is not asked again by the commit hooks of this process for a
# few seconds: requests during an outage do not each wait for a refusal; the relay carries on.
BROKER_PAUSE_SECONDS = 5.0
# One reconnection on a stale pooled connection (Redis restarted), then give up: the relay retries.
RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A row that fails by itself (a task that no longer exists) waits longer and longer, at most this.
MAX_BACKOFF_SECONDS = 300
KEEP_DISPATCHED_DAYS = 7

_broker_down_until = 0.0


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    """Queue `task_name` (a Celery task's dotted name) with JSON arguments, in the current
    transaction: a rolled-back change queues nothing, a committed one loses nothing."""
    import_string(task_name)  # a typo fails here, in the change's own request, not later in the relay
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: relay_after_commit(message.pk))
    return message


# The task that hands a recorded event to whoever listens (the webhooks app, above every other): named,
# not imported, as every queued task is.
EVENT_FAN_OUT_TASK = "webhooks.tasks.fan_out_event"


def record_event(event_type: str, payload: dict, project_id: int | None = None) -> Event:
    """Record that `event_type` happened, with a JSON `payload`, in the current transaction, and queue
    its fan-out to the subscribers: a rolled-back change records nothing, a committed one is never lost
    (the relay hands the fan-out over once the broker is back)."""
    event = Event.objects.create(event_type=event_type, payload=payload, project_id=project_id)
    enqueue(EVENT_FAN_OUT_TASK, event.pk)
    return event


def relay_after_commit(message_id: int) -> None:
    """The immediate try after commit. Never raises: the row stays for the relay."""
    if time.monotonic() < _broker_down_until:
        return
    try:
        relay_one(message_id)
    except Exception:  # eager mode: the task itself failed; it records its own failure
        logger.exception("background task %s failed", message_id)


def _backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def _failed(message: OutboxMessage, error: Exception, delay: dt.timedelta) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    message.next_attempt_at = timezone.now() + delay
    message.save(update_fields=["attempts", "last_error", "next_attempt_at"])


def relay_one(message_id: int) -> bool | None:
    """Hand one row to the broker unless another relay holds or handed it. Returns True when it
    was handed over, False when the broker is unreachable, None when there was nothing to do."""
    global _broker_down_until
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update(skip_locked=True).pending().filter(pk=message_id).first()
        if message is None:
            return None
        try:
            task = import_string(message.task_name)
        except ImportError as error:  # renamed in a release since it was queued: an administrator looks
            _failed(message, error, _backoff(message.attempts + 1))
            logger.error("outbox %s: unknown task %s", message.pk, message.task_name)
            return None
        eager = task.app.conf.task_always_eager
        if not eager:
            try:
                task.apply_async(args=message.args, kwargs=message.kwargs, retry_policy=RETRY_POLICY)
            except Exception as error:  # kombu.OperationalError and kin: the broker did not take it
                _failed(message, error, dt.timedelta(0))  # due again at once: the relay loop paces itself
                _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
                logger.warning("broker unreachable, %s stays queued: %s", message, error)
                return False
        message.dispatched_at = timezone.now()
        message.save(update_fields=["dispatched_at"])
    _broker_down_until = 0.0
    if eager:  # outside the relay's transaction, as a worker would run it
        task.apply(args=message.args, kwargs=message.kwargs, throw=True)
    return True


def relay_due(limit: int = 500) -> tuple[int, bool]:
    """Hand over the rows due, oldest first, stopping at the first the broker does not take.
    Returns (how many were handed over, whether the broker answered)."""
    handed = 0
    for message_id in OutboxMessage.objects.due().order_by("pk").values_list("pk", flat=True)[:limit]:
        outcome = relay_one(message_id)
        if outcome is False:
            return handed, False
        handed += outcome is True
    return handed, True


def outbox_purge(days: int = KEEP_DISPATCHED_DAYS) -> int:
    """Forget rows handed over more than `days` ago (the tasks' own rows keep what was done)."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    return OutboxMessage.objects.filter(dispatched_at__lt=cutoff).delete()[0]


def email_enqueue(*, subject: str, body: str, to: list[str], attachments: list[dict] | None = None) -> OutgoingEmail:
    """An e-mail sent once by a worker after the current transaction commits."""
    email = OutgoingEmail.objects.create(subject=subject, body=body, to=to, attachments=attachments or [])
    enqueue("outbox.tasks.send_email", email.pk)
    return email


@transaction.atomic
def email_send(*, email_id: int) -> bool:
    """Send a queued e-mail at most once; returns whether it went out now."""
    email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
    if email is None or email.sent_at is not None:
        return False
    message = EmailMessage(subject=email.subject, body=email.body, to=email.to)
    for attachment in email.attachments:
        with default_storage.open(attachment["path"], "rb") as handle:
            message.attach(attachment["name"], handle.read(), attachment["type"])
    message.send()
    email.sent_at = timezone.now()
    email.save(update_fields=["sent_at"])
    return True
