from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessageQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(dispatched_at__isnull=True)

    def due(self):
        return self.pending().filter(next_attempt_at__lte=timezone.now())


class OutboxMessage(models.Model):
    """One piece of background work: a Celery task by name with JSON arguments, written in the
    transaction of the change that needs it and marked once the broker has taken it."""

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    dispatched_at = models.DateTimeField(_("handed to the broker"), null=True, blank=True)

    objects = OutboxMessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("queued task")
        verbose_name_plural = _("queued tasks")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(dispatched_at__isnull=True),
                                name="outbox_pending_due")]

    def __str__(self):
        return f"{self.task_name}{tuple(self.args)}"


class OutgoingEmail(models.Model):
    """An e-mail to send once, for work that has no object of its own to mark as e-mailed (a survey
    link to a customer contact, the hand-over pack to SMO). Attachments are files in the default
    storage: [{"name": shown name, "path": storage name, "type": MIME type}]."""

    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    to = models.JSONField(_("to"), default=list)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class Event(models.Model):
    """Something that happened to a business object, for other systems (webhooks): written in the
    transaction of the change, so a rolled-back change leaves none. The project is a plain id, not a
    foreign key: the outbox sits below the app that defines projects."""

    event_type = models.CharField(_("event type"), max_length=100)
    project_id = models.BigIntegerField(_("project"), null=True, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["event_type", "created_at"], name="outbox_event_type_created")]

    def __str__(self):
        return f"{self.event_type} {self.created_at:%Y-%m-%d %H:%M:%S}"
