from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, amount_validators, scale_validators
from .projects import Project

# Probability 1-5 as the chance used for the expected value (PRINCE2 probability scale).
PROBABILITY_PERCENT = {1: 10, 2: 30, 3: 50, 4: 70, 5: 90}




class Risk(models.Model):
    class Kind(models.TextChoices):
        THREAT = "threat", _("Threat")
        OPPORTUNITY = "opportunity", _("Opportunity")

    class Category(models.TextChoices):
        COMMERCIAL = "commercial", _("Commercial")
        TECHNICAL = "technical", _("Technical")
        SCHEDULE = "schedule", _("Schedule")
        SUPPLIER = "supplier", _("Supplier")
        SAFETY = "safety", _("Safety")
        SECURITY = "security", _("Information security")
        OTHER = "other", _("Other")

    class Proximity(models.TextChoices):
        IMMINENT = "imminent", _("Imminent")
        MONTH = "month", _("Within a month")
        QUARTER = "quarter", _("Within a quarter")
        LATER = "later", _("Later")

    class Response(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        REDUCE = "reduce", _("Reduce")
        FALLBACK = "fallback", _("Fallback")
        TRANSFER = "transfer", _("Transfer")
        ACCEPT = "accept", _("Accept")
        SHARE = "share", _("Share")
        EXPLOIT = "exploit", _("Exploit")
        ENHANCE = "enhance", _("Enhance")
        REJECT = "reject", _("Reject")

    THREAT_RESPONSES = {"avoid", "reduce", "fallback", "transfer", "accept", "share"}
    OPPORTUNITY_RESPONSES = {"exploit", "enhance", "share", "reject"}

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    # Residual score bands (probability x impact, 1-25): high from 15, medium from 8, low below.
    HIGH_SCORE = 15
    MEDIUM_SCORE = 8
    # The residual score as a query expression, for filtering and ordering in the database.
    SCORE = models.F("residual_probability") * models.F("residual_impact")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("threat or opportunity"), max_length=12, choices=Kind.choices, default=Kind.THREAT)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    cause = models.TextField(_("cause"), max_length=TEXT_MAX_LENGTH)
    event = models.TextField(_("event"), max_length=TEXT_MAX_LENGTH)
    effect = models.TextField(_("effect"), max_length=TEXT_MAX_LENGTH)
    inherent_probability = models.PositiveSmallIntegerField(_("probability (inherent)"), validators=scale_validators)
    inherent_impact = models.PositiveSmallIntegerField(_("impact (inherent)"), validators=scale_validators)
    residual_probability = models.PositiveSmallIntegerField(_("probability (residual)"), validators=scale_validators)
    residual_impact = models.PositiveSmallIntegerField(_("impact (residual)"), validators=scale_validators)
    cost_impact = models.DecimalField(_("cost at stake (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"),
                                      validators=amount_validators)
    proximity = models.CharField(_("proximity"), max_length=12, choices=Proximity.choices, default=Proximity.QUARTER)
    response_category = models.CharField(_("response category"), max_length=12, choices=Response.choices)
    response = models.TextField(_("response"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks",
                              verbose_name=_("owner"))
    actionee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="actioned_risks", verbose_name=_("actionee"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    review_date = models.DateField(_("review date"))
    customer_visible = models.BooleanField(_("shown to the customer"), default=False,
                                           help_text=_("Listed in the external highlight report."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("author"))
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk")
        verbose_name_plural = _("risks")
        ordering = ["project", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_risk_number"),
            *[models.CheckConstraint(condition=Q(**{f"{name}__gte": 1, f"{name}__lte": 5}), name=f"risk_{name}_1_to_5")
              for name in ("inherent_probability", "inherent_impact", "residual_probability", "residual_impact")],
        ]

    def __str__(self):
        return f"{self.identifier} {self.event[:60]}"

    @property
    def identifier(self) -> str:
        return f"R-{self.number:03d}"

    @property
    def score(self) -> int:
        """Residual probability x impact: derived, never typed."""
        return self.residual_probability * self.residual_impact

    @property
    def inherent_score(self) -> int:
        return self.inherent_probability * self.inherent_impact

    @property
    def expected_value(self) -> Decimal:
        return (self.cost_impact * PROBABILITY_PERCENT[self.residual_probability] / 100).quantize(Decimal("0.01"))

    @property
    def severity(self) -> str:
        return self.band(self.score)

    @classmethod
    def band(cls, score: int) -> str:
        """The band of a residual score (probability x impact): the heat map's colour, the RAG's."""
        return "high" if score >= cls.HIGH_SCORE else "medium" if score >= cls.MEDIUM_SCORE else "low"


class ProjectIssue(models.Model):
    """An issue in the PRINCE2 sense: a request for change, an off-specification or a problem."""

    class Type(models.TextChoices):
        REQUEST_FOR_CHANGE = "request_for_change", _("Request for change")
        OFF_SPECIFICATION = "off_specification", _("Off-specification")
        PROBLEM = "problem", _("Problem or concern")

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        TRANSFERRED = "transferred", _("Transferred to SMO")
        ACCEPTED = "accepted", _("Accepted as is")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="issues", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (cause and impact)"), max_length=TEXT_MAX_LENGTH)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    severity = models.PositiveSmallIntegerField(_("severity"), validators=scale_validators, default=3,
                                                help_text=_("1 (minor) to 5 (critical)."))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_issues",
                              verbose_name=_("owner"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    closed_on = models.DateField(_("closure date"), null=True, blank=True)
    customer_visible = models.BooleanField(_("shown to the customer"), default=False,
                                           help_text=_("Listed in the external highlight report."))
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last update"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_issue_number")]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    @property
    def identifier(self) -> str:
        return f"I-{self.number:03d}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.OPEN, self.Status.IN_PROGRESS)


class Decision(models.Model):
    """The decision log: what was decided, by whom, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    decided_on = models.DateField(_("date"))
    title = models.CharField(_("decision"), max_length=200)
    rationale = models.TextField(_("why"), max_length=NOTE_MAX_LENGTH, blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200,
                                  help_text=_("Who took the decision: a person, the steering committee, the customer."))
    change_request = models.ForeignKey("projects.ChangeRequest", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="decisions", verbose_name=_("change request"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_decision_number")]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    @property
    def identifier(self) -> str:
        return f"D-{self.number:03d}"


class ActionItem(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("action item status", "Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), max_length=TEXT_MAX_LENGTH, blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_actions",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    completed_on = models.DateField(_("completed"), null=True, blank=True)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_action_number")]
        indexes = [models.Index(fields=["status", "due_date"], name="action_status_due")]

    def __str__(self):
        return f"{self.identifier} {self.title}"

    @property
    def identifier(self) -> str:
        return f"A-{self.number:03d}"


class Lesson(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    event = models.TextField(_("event"), max_length=TEXT_MAX_LENGTH)
    effect = models.TextField(_("effect"), max_length=TEXT_MAX_LENGTH)
    cause = models.TextField(_("cause"), max_length=TEXT_MAX_LENGTH)
    recommendation = models.TextField(_("recommendation"), max_length=TEXT_MAX_LENGTH)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("logged by"))
    logged_at = models.DateTimeField(_("logged"), auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_lesson_number")]

    def __str__(self):
        return f"{self.identifier} {self.event[:60]}"

    @property
    def identifier(self) -> str:
        return f"L-{self.number:03d}"
