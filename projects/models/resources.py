import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import end_not_before_start
from .plan import Activity


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class Resource(models.Model):
    """An engineer or technician who can be planned; not every resource has a login."""

    name = models.CharField(_("name"), max_length=200)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="resource", verbose_name=_("login"))
    team_manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="team", verbose_name=_("engineering manager"))
    skills = models.CharField(_("skills"), max_length=300, blank=True, help_text=_("Comma-separated."))
    home_site = models.CharField(_("home site"), max_length=100, blank=True)
    weekly_capacity_hours = models.DecimalField(
        _("weekly capacity (hours)"), max_digits=4, decimal_places=1, default=Decimal("38"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("60"))])
    active = models.BooleanField(_("active"), default=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)

    history = HistoricalRecords(excluded_fields=["calendar_token"])

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Absence(models.Model):
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="absences",
                                 verbose_name=_("resource"))
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=100, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start"]
        constraints = [end_not_before_start("start", "end", "absence_end_not_before_start")]

    def __str__(self):
        return f"{self.resource}: {self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

class Assignment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("activity"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("resource"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1,
                                         validators=[MinValueValidator(Decimal("0.5")),
                                                     MaxValueValidator(Decimal("60"))])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["activity", "resource"], name="unique_assignment")]

    def __str__(self):
        return _("%(resource)s on %(activity)s") % {"resource": self.resource, "activity": self.activity}
