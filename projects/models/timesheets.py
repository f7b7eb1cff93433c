"""Internal labour: cost rates (finance's, per person or per skill), timesheets per person, project and
ISO week, and the months finance has locked.

Design (issue 18, item 2): a person's week is one Timesheet per project they booked hours on, each with
a line per activity and an hour column per day. The approval unit is that project's Timesheet, so "the PM
of the project approves" needs nothing more: each PM (or the person's engineering manager) decides the
rows of their own project, and a week with hours on two projects has two independent decisions.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, choice_label, end_not_before_start
from .plan import Activity
from .projects import Project
from .resources import Resource

CENT = Decimal("0.01")
HOURS_PER_DAY_MAX = Decimal("24")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_LABELS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
hour_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(HOURS_PER_DAY_MAX)]


def labour_cost(hours_and_rates) -> Decimal:
    """Hours x the hourly rate in force on each day, summed exactly, then rounded half up to the cent once
    per timesheet line (7.5 h x 61.25 = 459.375 -> 459.38): the amount finance books."""
    total = sum((Decimal(h) * Decimal(r) for h, r in hours_and_rates), Decimal("0"))
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class CostRate(models.Model):
    """An hourly cost rate in EUR from a date (until a date, or open-ended): for one person (a resource),
    or for everyone listing a skill, which serves as their role. A person's own rate comes first."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="cost_rates", verbose_name=_("person"))
    skill = models.CharField(_("role (skill)"), max_length=100, blank=True,
                             help_text=_("For everyone listing this skill, when no person is chosen."))
    hourly_rate = models.DecimalField(_("hourly rate (EUR)"), max_digits=8, decimal_places=2,
                                      validators=[MinValueValidator(CENT), MaxValueValidator(Decimal("10000"))])
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True,
                                   help_text=_("Leave empty while the rate is in force."))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost rate")
        verbose_name_plural = _("cost rates")
        ordering = ["resource__name", "skill", "-valid_from"]
        constraints = [
            end_not_before_start("valid_from", "valid_until", "cost_rate_until_not_before_from"),
            models.CheckConstraint(condition=(Q(resource__isnull=True) & ~Q(skill=""))
                                   | (Q(resource__isnull=False) & Q(skill="")), name="cost_rate_person_or_skill"),
        ]

    def __str__(self):
        return f"{self.subject}: {self.hourly_rate} EUR/h"

    @property
    def subject(self) -> str:
        return str(self.resource) if self.resource_id else self.skill

    def covers(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class MonthLock(models.Model):
    """A month finance has closed: no hours of a week touching it are entered, submitted or decided."""

    month = models.DateField(_("month"), unique=True, help_text=_("The first day of the month."))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("locked by"))
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("locked month")
        verbose_name_plural = _("locked months")
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="month_lock_first_day")]

    def __str__(self):
        return f"{self.month:%m/%Y}"


class Timesheet(models.Model):
    """One person's hours on one project in one ISO week (the lines hold the activities)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    EDITABLE = (Status.DRAFT, Status.RETURNED)

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="timesheets",
                                 verbose_name=_("person"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="timesheets",
                                verbose_name=_("project"))
    week_start = models.DateField(_("week of"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    return_reason = models.TextField(_("why returned"), max_length=NOTE_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        ordering = ["-week_start", "project"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "project", "week_start"], name="unique_timesheet_week"),
            models.CheckConstraint(condition=Q(week_start__iso_week_day=1), name="timesheet_week_starts_monday"),
        ]
        indexes = [models.Index(fields=["status", "project"], name="timesheet_status_project")]

    def __str__(self):
        return f"{self.resource} · {self.project.code} · {self.week_label}"

    @property
    def week_label(self) -> str:
        year, week, _day = self.week_start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def days(self) -> list[dt.date]:
        return [self.week_start + dt.timedelta(days=i) for i in range(7)]

    @property
    def total_hours(self) -> Decimal:
        """From the prefetched lines when the list read them (no query per row)."""
        return sum((line.total for line in self.lines.all()), Decimal("0"))

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)


class TimesheetLine(models.Model):
    """Hours on one activity, per day of the week; `cost` is stored when the timesheet is approved, so a
    later rate change never rewrites it (nor, once the month is locked, anything else)."""

    timesheet = models.ForeignKey(Timesheet, on_delete=models.CASCADE, related_name="lines",
                                  verbose_name=_("timesheet"))
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="timesheet_lines",
                                 verbose_name=_("activity"))
    mon = models.DecimalField(_("Monday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    tue = models.DecimalField(_("Tuesday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    wed = models.DecimalField(_("Wednesday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    thu = models.DecimalField(_("Thursday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    fri = models.DecimalField(_("Friday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    sat = models.DecimalField(_("Saturday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    sun = models.DecimalField(_("Sunday"), max_digits=4, decimal_places=2, default=0, validators=hour_validators)
    cost = models.DecimalField(_("cost (EUR)"), max_digits=12, decimal_places=2, null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timesheet line")
        verbose_name_plural = _("timesheet lines")
        ordering = ["activity__planned_start", "activity_id"]
        constraints = [
            models.UniqueConstraint(fields=["timesheet", "activity"], name="unique_timesheet_line"),
            *(models.CheckConstraint(condition=Q(**{f"{d}__gte": 0, f"{d}__lte": HOURS_PER_DAY_MAX}),
                                     name=f"timesheet_line_{d}_hours") for d in DAYS),
        ]

    def __str__(self):
        return f"{self.activity}: {self.total} h"

    @property
    def hours(self) -> list[Decimal]:
        return [getattr(self, d) for d in DAYS]

    @property
    def total(self) -> Decimal:
        return sum(self.hours, Decimal("0"))
