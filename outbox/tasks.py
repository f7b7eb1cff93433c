from celery import shared_task

from .services import email_send, outbox_purge, relay_due


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_email(email_id: int) -> bool:
    return email_send(email_id=email_id)


@shared_task
def relay_outbox() -> int:
    """Beat's safety net behind the relay process (see pmo/celery.py): whatever is still queued."""
    handed, _answered = relay_due()
    outbox_purge()
    return handed
