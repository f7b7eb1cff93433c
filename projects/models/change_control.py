from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import MAX_AMOUNT, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, scale_validators
from .budget import BudgetLine, CostCategory
from .projects import Project
from .registers import ProjectIssue

ROUTE_REASONS = {
    "level": _("the new budget moves the project from Level %(old)s to Level %(new)s"),
    "cost": _("the cost increase exceeds the cost tolerance (EUR %(tolerance)s)"),
    "time": _("the delay exceeds the time tolerance (%(days)s working days)"),
    "own": _("the project manager asked it and no deputy can decide"),
}


def route_reason_text(reasons: list[dict]) -> str:
    texts = []
    for reason in reasons:
        params = {key: number_format(Decimal(value), 2, force_grouping=True) if key == "tolerance" else value
                  for key, value in reason["params"].items()}
        texts.append(str(ROUTE_REASONS[reason["code"]]) % params)
    return "; ".join(texts)


class ChangeRequest(models.Model):
    """A request to change scope, cost or time (PRINCE2 issue fields plus the impact). Approved, it
    produces the next baseline."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DEFERRED = "deferred", _("Deferred")

    class Route(models.TextChoices):
        PROJECT_MANAGER = "pm", _("Project manager")
        PMO_LEAD = "pmo_lead", _("PMO lead")

    # A draft, or a deferred request, is edited and submitted (again).
    EDITABLE = (Status.DRAFT, Status.DEFERRED)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (cause and impact)"), max_length=TEXT_MAX_LENGTH)
    priority = models.CharField(_("priority"), max_length=10, choices=ProjectIssue.Priority.choices,
                                default=ProjectIssue.Priority.MEDIUM)
    severity = models.PositiveSmallIntegerField(_("severity"), validators=scale_validators, default=3,
                                                help_text=_("1 (minor) to 5 (critical)."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_changes",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("decision needed by"), null=True, blank=True)
    time_impact_days = models.SmallIntegerField(
        _("time impact (working days)"), default=0, validators=[MinValueValidator(-250), MaxValueValidator(250)],
        help_text=_("How many working days the end date and the chosen milestones move; negative moves them earlier."))
    price_impact = models.DecimalField(
        _("price impact (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"),
        validators=[MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)],
        help_text=_("What the customer pays more (or, negative, less) for this change; approved, it moves the "
                    "contract value."))
    milestones = models.ManyToManyField("Milestone", blank=True, related_name="change_requests",
                                        verbose_name=_("milestones that move"))
    scope_impact = models.TextField(_("impact on scope"), max_length=TEXT_MAX_LENGTH, blank=True)
    quality_impact = models.TextField(_("impact on quality"), max_length=TEXT_MAX_LENGTH, blank=True)
    risk_impact = models.TextField(_("impact on risk"), max_length=TEXT_MAX_LENGTH, blank=True)
    options = models.TextField(_("options"), max_length=TEXT_MAX_LENGTH, blank=True)
    recommendation = models.TextField(_("recommendation"), max_length=TEXT_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    route = models.CharField(_("decided by"), max_length=10, choices=Route.choices, blank=True)
    route_reasons = models.JSONField(_("why"), default=list, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), max_length=NOTE_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[milestones])

    class Meta:
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_change_number")]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    @property
    def identifier(self) -> str:
        return f"CR-{self.number:03d}"

    @property
    def editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def route_reason(self) -> str:
        """Why the PMO lead decides, in the reader's language (stored as codes, not as text)."""
        return route_reason_text(self.route_reasons)


class ChangeCost(models.Model):
    """The cost impact of a change on one budget line (an existing one, or a new one when
    budget_line is empty). Negative amounts lower the line."""

    change_request = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="costs",
                                       verbose_name=_("change request"))
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("budget line"))
    category = models.CharField(_("cost category"), max_length=20, choices=CostCategory.choices, blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    delta = models.DecimalField(_("change (EUR)"), max_digits=14, decimal_places=2,
                                validators=[MinValueValidator(-MAX_AMOUNT), MaxValueValidator(MAX_AMOUNT)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cost impact")
        verbose_name_plural = _("cost impacts")
        ordering = ["change_request", "pk"]

    def __str__(self):
        return str(self.budget_line or self.description)


class ProjectException(models.Model):
    """A forecast beyond tolerance (PRINCE2 exception). Raised and cleared by the exception check;
    the PM completes the report."""

    class Kind(models.TextChoices):
        COST = "cost", _("Cost")
        TIME = "time", _("Time")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="exceptions",
                                verbose_name=_("project"))
    kind = models.CharField(_("tolerance"), max_length=10, choices=Kind.choices)
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    summary = models.CharField(_("what was found"), max_length=300)
    cause = models.TextField(_("cause"), max_length=TEXT_MAX_LENGTH, blank=True)
    consequences = models.TextField(_("consequences"), max_length=TEXT_MAX_LENGTH, blank=True)
    options = models.TextField(_("options"), max_length=TEXT_MAX_LENGTH, blank=True)
    recommendation = models.TextField(_("recommendation"), max_length=TEXT_MAX_LENGTH, blank=True)
    cleared_at = models.DateTimeField(_("cleared"), null=True, blank=True)
    cleared_reason = models.CharField(_("why cleared"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")
        ordering = ["project", "-raised_at"]
        constraints = [models.UniqueConstraint(fields=["project", "kind"], condition=Q(cleared_at__isnull=True),
                                               name="one_open_exception_per_kind")]

    def __str__(self):
        return f"{self.project.code} {self.get_kind_display()}"
