"""Webhook subscriptions (a URL, a secret, the events and projects it wants) and the deliveries of each
event to each subscription, with every attempt."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from outbox.models import Event
from projects.events import EventType
from projects.models import Project


class WebhookSubscription(models.Model):
    url = models.URLField(_("address"), max_length=500, help_text=_("Where the events are posted (http or https)."))
    description = models.CharField(_("description"), max_length=200, blank=True,
                                   help_text=_("Which system receives them, for the people who look later."))
    secret = models.CharField(_("signing secret"), max_length=100)
    event_types = models.JSONField(_("events"), default=list)
    projects = models.ManyToManyField(Project, blank=True, related_name="+", verbose_name=_("projects"),
                                      help_text=_("None: every project."))
    active = models.BooleanField(_("active"), default=True)
    deactivated_reason = models.CharField(_("why it stopped"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # The secret signs; it is never copied into the history.
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["-active", "url", "pk"]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("webhooks:edit", args=[self.pk])

    def event_type_labels(self) -> list[str]:
        return [str(EventType(t).label) for t in self.event_types if t in EventType.values]


class WebhookDelivery(models.Model):
    """One event for one subscription. Its webhook-id is the same on every attempt, so a receiver can
    drop a repeat; a pending delivery whose next attempt is due is attempted by the next worker free."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries",
                                     verbose_name=_("subscription"))
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+", verbose_name=_("event"))
    webhook_id = models.CharField(_("webhook id"), max_length=60, unique=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    last_error = models.CharField(_("error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    # Retries stop a day after this: the creation, or the last "send again".
    retries_from = models.DateTimeField(_("retries from"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["subscription", "event"], name="webhook_delivery_once")]
        indexes = [models.Index(fields=["next_attempt_at"], condition=models.Q(status="pending"),
                                name="webhook_delivery_due")]

    def __str__(self):
        return self.webhook_id


class WebhookAttempt(models.Model):
    """One POST of a delivery: when, the answer's code (none when there was no answer) and how long it took."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log",
                                 verbose_name=_("delivery"))
    started_at = models.DateTimeField(_("started"))
    response_code = models.PositiveIntegerField(_("response code"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"))
    error = models.CharField(_("error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.delivery} {self.started_at:%Y-%m-%d %H:%M:%S} {self.response_code or '-'}"
