from celery import shared_task

from projects.services.invitations import invitation_send
from projects.services.minutes_publish import minutes_render, minutes_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_invitation(invitation_id: int) -> bool:
    return invitation_send(invitation_id=invitation_id)


# A render is bounded (the minutes' texts are, and WeasyPrint's time grows with them): a runaway one
# is stopped rather than holding a reports worker.
@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=4, soft_time_limit=120, time_limit=180)
def render_meeting_minutes(meeting_id: int) -> int:
    return minutes_render(meeting_id=meeting_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_minutes(delivery_id: int) -> bool:
    return minutes_send(delivery_id=delivery_id)
