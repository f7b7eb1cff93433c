from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, scale_validators
from .projects import Project


class SatisfactionSurvey(models.Model):
    """The customer's satisfaction at closing: answered through a signed, expiring, single-use link
    e-mailed to a contact, or recorded by the PM from a call."""

    class Channel(models.TextChoices):
        LINK = "link", _("Survey link")
        CALL = "call", _("Recorded from a call")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("project"))
    channel = models.CharField(_("channel"), max_length=5, choices=Channel.choices)
    sent_to = models.EmailField(_("sent to"), blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    quality = models.PositiveSmallIntegerField(_("quality of the result"), null=True, blank=True,
                                               validators=scale_validators)
    communication = models.PositiveSmallIntegerField(_("communication"), null=True, blank=True,
                                                     validators=scale_validators)
    timeliness = models.PositiveSmallIntegerField(_("keeping to the dates"), null=True, blank=True,
                                                  validators=scale_validators)
    site_conduct = models.PositiveSmallIntegerField(_("conduct on site"), null=True, blank=True,
                                                    validators=scale_validators)
    recommend = models.PositiveSmallIntegerField(_("likelihood to recommend us (0-10)"), null=True, blank=True,
                                                 validators=[MaxValueValidator(10)])
    comments = models.TextField(_("comments"), max_length=NOTE_MAX_LENGTH, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        ordering = ["project", "-sent_at", "-pk"]

    def __str__(self):
        return f"{self.project.code} {self.get_channel_display()}"

    @property
    def answered(self) -> bool:
        return self.answered_at is not None

    @property
    def average(self):
        scores = [s for s in (self.quality, self.communication, self.timeliness, self.site_conduct) if s]
        return round(sum(scores) / len(scores), 1) if scores else None
