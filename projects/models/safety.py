from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import TEXT_MAX_LENGTH
from .projects import Project


class SafetyIncident(models.Model):
    """An incident or near miss on a site. People are named by role and name only: no health data
    beyond what the safety follow-up needs."""

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("Incident")
        NEAR_MISS = "near_miss", _("Near miss")
        UNSAFE = "unsafe", _("Unsafe situation")

    class Severity(models.IntegerChoices):
        NONE = 0, _("No injury or damage")
        FIRST_AID = 1, _("First aid or minor damage")
        LOST_TIME = 2, _("Lost-time injury or serious damage")
        SERIOUS = 3, _("Serious injury")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="safety_incidents",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    occurred_on = models.DateField(_("date"))
    site = models.CharField(_("site"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity.choices, default=Severity.NONE)
    description = models.TextField(_("what happened"), max_length=TEXT_MAX_LENGTH)
    people_involved = models.TextField(_("people involved"), max_length=TEXT_MAX_LENGTH, blank=True,
                                       help_text=_("Names and roles only; no medical details."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety incident")
        verbose_name_plural = _("safety incidents")
        ordering = ["project", "-occurred_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_safety_incident_number")]

    def __str__(self):
        return f"{self.identifier} {self.get_kind_display()}"

    @property
    def identifier(self) -> str:
        return f"S-{self.number:03d}"


class SafetyAction(models.Model):
    incident = models.ForeignKey(SafetyIncident, on_delete=models.CASCADE, related_name="actions",
                                 verbose_name=_("safety incident"))
    description = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    done_on = models.DateField(_("done"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("safety action")
        verbose_name_plural = _("safety actions")
        ordering = ["incident", "due_date", "pk"]

    def __str__(self):
        return self.description
