from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from outbox.services import enqueue

from .models import Notification, User


def user_language_set(*, user: User, language: str) -> None:
    """The language of the user's pages and e-mails, kept for every device."""
    user.language = language
    user.save(update_fields=["language"])


def notification_create(*, recipient: User, subject: str, body: str = "", link: str = "", subject_key: str = "",
                        body_key: str = "", params: dict | None = None) -> Notification:
    """Record a notification for one user and e-mail it once the surrounding transaction commits.
    `subject` and `body` are the texts in the recipient's language now; with message ids and their
    parameters (accounts.messages), every page renders it in the reader's language of the moment."""
    notification = Notification.objects.create(recipient=recipient, subject=subject, body=body, link=link,
                                               subject_key=subject_key, body_key=body_key, params=params or {})
    enqueue("accounts.tasks.send_notification_email", notification.pk)
    return notification


def notification_send_email(*, notification_id: int) -> bool:
    """E-mail a notification at most once; returns whether a mail went out now."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.emailed_at is not None:
            return False
        recipient = notification.recipient
        if recipient.email and recipient.is_active:
            with translation.override(recipient.language):
                send_mail(notification.subject_text(), notification.body_text(), None, [recipient.email])
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
    return True


def notifications_mark_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
