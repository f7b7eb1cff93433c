from celery import shared_task

from projects.services.invitations import invitation_send


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_meeting_invitation(invitation_id: int) -> bool:
    return invitation_send(invitation_id=invitation_id)
