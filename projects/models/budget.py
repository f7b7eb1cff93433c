from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import MAX_AMOUNT, NOTE_MAX_LENGTH, amount_validators
from .projects import Project


class CostCategory(models.TextChoices):
    MATERIAL = "material", _("Material")
    SUBCONTRACTING = "subcontracting", _("Subcontracting")
    INTERNAL_LABOUR = "internal_labour", _("Internal labour")
    TRAVEL = "travel", _("Travel")
    OTHER = "other", _("Other")


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines",
                                verbose_name=_("project"))
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices)
    description = models.CharField(_("description"), max_length=200)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)])
    estimate_to_complete = models.DecimalField(
        _("estimate to complete (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=amount_validators,
        help_text=_("What the PM still expects to spend on this line beyond the purchase orders."))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["category", "pk"]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"


class BudgetSnapshotMixin:
    """Budget lines frozen as JSON at submission; shown with labels and decimal amounts."""

    @property
    def display_lines(self) -> list[tuple[str, str, Decimal]]:
        labels = dict(CostCategory.choices)
        return [(labels.get(line["category"], line["category"]), line["description"], Decimal(line["amount"]))
                for line in self.lines]


class BudgetSubmission(BudgetSnapshotMixin, models.Model):
    """A PM's request to set the budget; above Level 1 it waits for a PMO lead's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_submissions",
                                verbose_name=_("project"))
    total = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    level = models.PositiveSmallIntegerField(_("level"), choices=Project.Level.choices)
    lines = models.JSONField(_("budget lines"), default=list)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), max_length=NOTE_MAX_LENGTH, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("budget submission")
        verbose_name_plural = _("budget submissions")
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(status="pending"),
                                    name="one_pending_budget_submission_per_project"),
        ]

    def __str__(self):
        return f"{self.project.code} {self.total}"


class BaselineQuerySet(models.QuerySet):
    def current(self):
        """The latest version per project, in one query for one project or many (a version is
        current when no later one exists; the unique (project, version) index answers it)."""
        later = Baseline.objects.filter(project=models.OuterRef("project"), version__gt=models.OuterRef("version"))
        return self.filter(~models.Exists(later))


class Baseline(BudgetSnapshotMixin, models.Model):
    """An approved budget and key dates; earlier versions stay readable."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="baselines",
                                verbose_name=_("project"))
    version = models.PositiveIntegerField(_("version"))
    budget = models.DecimalField(_("budget (EUR)"), max_digits=14, decimal_places=2)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    lines = models.JSONField(_("budget lines"), default=list)
    submission = models.OneToOneField(BudgetSubmission, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="baseline")
    change_request = models.OneToOneField("ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="baseline", verbose_name=_("change request"))
    milestones = models.JSONField(_("milestones"), default=list)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("approved by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BaselineQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="unique_baseline_version")]

    def __str__(self):
        return _("%(code)s baseline %(version)s") % {"code": self.project.code, "version": self.version}
