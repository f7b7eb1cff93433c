from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import amount_validators


class LevelThreshold(models.Model):
    """Reference data: the highest budget of each project level (none for the top level)."""

    level = models.PositiveSmallIntegerField(_("level"), unique=True)
    upper_limit = models.DecimalField(
        _("budget up to (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
        validators=amount_validators, help_text=_("Empty for the highest level."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level threshold")
        verbose_name_plural = _("level thresholds")
        ordering = ["level"]

    def __str__(self):
        return f"{self.level}: {self.upper_limit if self.upper_limit is not None else '∞'}"


class ProjectType(models.Model):
    """A kind of project, with its intake template: which fields and attachments an intake needs."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    required_fields = models.JSONField(_("required intake fields"), default=list, blank=True)
    required_attachments = models.JSONField(_("required attachment kinds"), default=list, blank=True)
    phases = models.JSONField(_("phases"), default=list, blank=True,
                              help_text=_("The phases a new project of this type starts with, in order."))
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project type")
        verbose_name_plural = _("project types")
        ordering = ["name"]

    def __str__(self):
        return self.name
