import datetime as dt
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import end_not_before_start
from .projects import Project


class Phase(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("project"))
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["project", "position", "pk"]

    def __str__(self):
        return self.name


class Activity(models.Model):
    class Kind(models.TextChoices):
        ENGINEERING = "engineering", _("Engineering")
        INSTALLATION = "installation", _("Installation")
        COMMISSIONING = "commissioning", _("Commissioning")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="activities",
                                verbose_name=_("project"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="activities",
                              verbose_name=_("phase"))
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENGINEERING)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    effort_hours = models.DecimalField(_("effort (hours)"), max_digits=8, decimal_places=1, default=Decimal("0"),
                                       validators=[MinValueValidator(Decimal("0")),
                                                   MaxValueValidator(Decimal("20000"))])
    percent_complete = models.PositiveSmallIntegerField(_("progress (%)"), default=0,
                                                        validators=[MaxValueValidator(100)])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["project", "planned_start", "pk"]
        constraints = [end_not_before_start("planned_start", "planned_end", "activity_end_not_before_start")]

    def __str__(self):
        return self.name

    @property
    def duration_days(self) -> int:
        return (self.planned_end - self.planned_start).days + 1


class Dependency(models.Model):
    """Finish-to-start: the successor starts after the predecessor ends plus the lag (days)."""

    predecessor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="successor_links",
                                    verbose_name=_("predecessor"))
    successor = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="predecessor_links",
                                  verbose_name=_("successor"))
    lag_days = models.SmallIntegerField(_("lag (days)"), default=0,
                                        validators=[MinValueValidator(-30), MaxValueValidator(365)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dependency")
        verbose_name_plural = _("dependencies")
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="unique_dependency"),
            models.CheckConstraint(condition=~Q(predecessor=F("successor")), name="dependency_not_on_itself"),
        ]

    def earliest_successor_start(self):
        return self.predecessor.planned_end + dt.timedelta(days=1 + self.lag_days)

    def __str__(self):
        return f"{self.predecessor} → {self.successor}"

class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
                              verbose_name=_("phase"))
    name = models.CharField(_("name"), max_length=200)
    baseline_date = models.DateField(_("baseline date"))
    forecast_date = models.DateField(_("forecast date"))
    # Set when the PM records the milestone as reached; billing milestones waiting for it become ready.
    reached_on = models.DateField(_("reached on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "baseline_date", "pk"]

    def __str__(self):
        return self.name

    @property
    def slip_days(self) -> int:
        return (self.forecast_date - self.baseline_date).days
