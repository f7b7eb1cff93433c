from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, StoredFile, amount_validators, end_not_before_start
from .customers import Customer
from .projects import Project
from .reference import ProjectType


class Intake(models.Model):
    """Sales' hand-over of a won deal (PRODUCT.md, step 1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to sales")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    # Sales may edit and submit the intake in these.
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    project_type = models.ForeignKey(ProjectType, on_delete=models.PROTECT, related_name="intakes",
                                     verbose_name=_("project type"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes",
                                 verbose_name=_("customer"))
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), max_length=TEXT_MAX_LENGTH, blank=True)
    deliverables = models.TextField(_("deliverables"), max_length=TEXT_MAX_LENGTH, blank=True)
    d365_opportunity = models.CharField(_("D365 opportunity"), max_length=40, blank=True)
    d365_quote = models.CharField(_("D365 quote"), max_length=40, blank=True)
    sold_price = models.DecimalField(_("sold price (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     validators=amount_validators)
    estimated_cost = models.DecimalField(_("estimated cost (EUR)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True, validators=amount_validators)
    target_start = models.DateField(_("target start"), null=True, blank=True)
    target_end = models.DateField(_("target end"), null=True, blank=True)
    sites = models.TextField(_("sites"), max_length=TEXT_MAX_LENGTH, blank=True)
    safety_requirements = models.TextField(_("safety requirements"), max_length=TEXT_MAX_LENGTH, blank=True)
    security_clearance = models.TextField(_("security clearance"), max_length=TEXT_MAX_LENGTH, blank=True)
    access_requirements = models.TextField(_("site access"), max_length=TEXT_MAX_LENGTH, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes",
                                   verbose_name=_("sales"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), max_length=NOTE_MAX_LENGTH, blank=True)
    project = models.OneToOneField(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="intake",
                                   verbose_name=_("project"))
    # Raised on every save; an edit based on an older version is refused (stale edit).
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake")
        verbose_name_plural = _("intakes")
        ordering = ["-created_at"]
        constraints = [end_not_before_start("target_start", "target_end", "intake_end_not_before_start")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("intakes:detail", args=[self.pk])

    @property
    def margin(self):
        if self.sold_price is None or self.estimated_cost is None:
            return None
        return self.sold_price - self.estimated_cost

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE


class AttachmentKind(models.TextChoices):
    SIGNED_ORDER = "signed_order", _("Signed order")
    OFFER = "offer", _("Offer")
    BILL_OF_MATERIALS = "bill_of_materials", _("Bill of materials")
    OTHER = "other", _("Other")


class IntakeAttachment(StoredFile):
    UPLOAD_FOLDER = "intakes"

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="attachments",
                               verbose_name=_("intake"))
    kind = models.CharField(_("kind"), max_length=30, choices=AttachmentKind.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake attachment")
        verbose_name_plural = _("intake attachments")
        ordering = ["kind", "uploaded_at"]


class IntakeMessage(models.Model):
    """The question thread between the PMO and sales on one intake."""

    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="messages", verbose_name=_("intake"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    body = models.TextField(_("message"), max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake message")
        verbose_name_plural = _("intake messages")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return Truncator(self.body).chars(60)
