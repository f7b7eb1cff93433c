from celery import shared_task
from django.core import management

from .services import notification_send_email


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(notification_id: int) -> bool:
    return notification_send_email(notification_id=notification_id)


@shared_task
def clear_expired_sessions() -> None:
    management.call_command("clearsessions")
