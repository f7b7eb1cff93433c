import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .vat import validate_vat

PROJECT_CODE_PATTERN = r"PRJ-\d{4}-\d{4}"
# Amounts above this are typing errors, not deals.
MAX_AMOUNT = Decimal("100000000.00")
amount_validators = [MinValueValidator(Decimal("0.00")), MaxValueValidator(MAX_AMOUNT)]


def end_not_before_start(start: str, end: str, name: str) -> models.CheckConstraint:
    """Dates in the wrong order are refused by the database too, not only by forms."""
    return models.CheckConstraint(
        condition=Q(**{f"{end}__isnull": True}) | Q(**{f"{start}__isnull": True}) | Q(**{f"{end}__gte": F(start)}),
        name=name,
    )


def random_upload_name(instance, filename):
    """Uploads live under MEDIA_ROOT, which no URL serves: only permission-checked views stream them."""
    return f"{instance.UPLOAD_FOLDER}/{uuid.uuid4().hex}"


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


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=20, unique=True, validators=[validate_vat],
                                  help_text=_("Belgian (BE0403170701) or another EU format."))
    address = models.TextField(_("address"), blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("created by"))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("customers:detail", args=[self.pk])


class CustomerContact(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="contacts",
                                 verbose_name=_("customer"))
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer contact")
        verbose_name_plural = _("customer contacts")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Project(models.Model):
    class Status(models.TextChoices):
        INITIATION = "initiation", _("Initiation")
        PLANNING = "planning", _("Planning")
        EXECUTION = "execution", _("Execution")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")
        ON_HOLD = "on_hold", _("On hold")
        CANCELLED = "cancelled", _("Cancelled")

    class Level(models.IntegerChoices):
        LEVEL_1 = 1, _("Level 1")
        LEVEL_2 = 2, _("Level 2")
        LEVEL_3 = 3, _("Level 3")

    code = models.CharField(
        _("code"), max_length=13, unique=True,
        validators=[RegexValidator(f"^{PROJECT_CODE_PATTERN}$", _("A project code looks like PRJ-2026-0042."))],
    )
    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="projects", verbose_name=_("customer"))
    project_type = models.ForeignKey(ProjectType, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="projects", verbose_name=_("project type"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INITIATION)
    status_before_hold = models.CharField(max_length=20, choices=Status.choices, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.LEVEL_1)
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="managed_projects", verbose_name=_("project manager"),
    )
    deputy_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="deputised_projects", verbose_name=_("deputy project manager"),
    )
    support_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="supported_projects", verbose_name=_("support officer"),
    )
    sales_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="sold_projects", verbose_name=_("sales owner"),
        help_text=_("The salesperson who handed the deal over."),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Tolerances (PRINCE2): beyond them a change goes to the PMO lead and a forecast is an exception.
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    cost_tolerance_percent = models.DecimalField(
        _("cost tolerance (%)"), max_digits=5, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))])
    time_tolerance_days = models.PositiveSmallIntegerField(
        _("time tolerance (working days)"), default=15, validators=[MaxValueValidator(250)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-code"]
        constraints = [end_not_before_start("start_date", "end_date", "project_end_not_before_start")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.code])

    @property
    def cost_tolerance_shown(self) -> Decimal:
        """10, 12.5, 2.25: the percentage without trailing zeros (templates localise the mark)."""
        value = self.cost_tolerance_percent
        return value.to_integral() if value == value.to_integral() else value.normalize()

    @cached_property
    def current_baseline(self):
        return self.baselines.order_by("-version").first()


class SequenceCounter(models.Model):
    """The last number handed out per sequence (projects, purchase orders) and year; the row
    is locked while a number is allocated, so numbers have no gaps and no duplicates."""

    sequence = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sequence", "year"], name="unique_sequence_year")]


class Intake(models.Model):
    """Sales' hand-over of a won deal (PRODUCT.md, step 1)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned to sales")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    project_type = models.ForeignKey(ProjectType, on_delete=models.PROTECT, related_name="intakes",
                                     verbose_name=_("project type"))
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes",
                                 verbose_name=_("customer"))
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), blank=True)
    deliverables = models.TextField(_("deliverables"), blank=True)
    d365_opportunity = models.CharField(_("D365 opportunity"), max_length=40, blank=True)
    d365_quote = models.CharField(_("D365 quote"), max_length=40, blank=True)
    sold_price = models.DecimalField(_("sold price (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True,
                                     validators=amount_validators)
    estimated_cost = models.DecimalField(_("estimated cost (EUR)"), max_digits=14, decimal_places=2, null=True,
                                         blank=True, validators=amount_validators)
    target_start = models.DateField(_("target start"), null=True, blank=True)
    target_end = models.DateField(_("target end"), null=True, blank=True)
    sites = models.TextField(_("sites"), blank=True)
    safety_requirements = models.TextField(_("safety requirements"), blank=True)
    security_clearance = models.TextField(_("security clearance"), blank=True)
    access_requirements = models.TextField(_("site access"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="intakes",
                                   verbose_name=_("sales"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
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
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AttachmentKind(models.TextChoices):
    SIGNED_ORDER = "signed_order", _("Signed order")
    OFFER = "offer", _("Offer")
    BILL_OF_MATERIALS = "bill_of_materials", _("Bill of materials")
    OTHER = "other", _("Other")


class StoredFile(models.Model):
    """An uploaded file kept under a random name; the user's file name is only shown."""

    file = models.FileField(_("file"), upload_to=random_upload_name, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True


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
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intake message")
        verbose_name_plural = _("intake messages")
        ordering = ["created_at", "pk"]


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
    comment = models.TextField(_("comment"), blank=True)

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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baseline")
        verbose_name_plural = _("baselines")
        ordering = ["project", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "version"], name="unique_baseline_version")]


class DocumentCategory(models.TextChoices):
    CONTRACT = "contract", _("Contract and signed order")
    OFFER = "offer", _("Offer")
    BILL_OF_MATERIALS = "bill_of_materials", _("Bill of materials")
    DESIGN = "design", _("Design and engineering")
    ACCEPTANCE = "acceptance", _("Customer acceptance")
    AS_BUILT = "as_built", _("As-built documentation")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class ProjectDocument(StoredFile):
    UPLOAD_FOLDER = "documents"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("project"))
    category = models.CharField(_("category"), max_length=30, choices=DocumentCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["category", "title", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "category", "title", "version"],
                                               name="unique_document_version")]


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
                                       validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("20000"))])
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
        import datetime as dt

        return self.predecessor.planned_end + dt.timedelta(days=1 + self.lag_days)


class Milestone(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="milestones",
                                verbose_name=_("project"))
    phase = models.ForeignKey(Phase, on_delete=models.SET_NULL, null=True, blank=True, related_name="milestones",
                              verbose_name=_("phase"))
    name = models.CharField(_("name"), max_length=200)
    baseline_date = models.DateField(_("baseline date"))
    forecast_date = models.DateField(_("forecast date"))

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


def new_calendar_token() -> str:
    import secrets

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


class Assignment(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="assignments",
                                 verbose_name=_("activity"))
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("resource"))
    hours_per_week = models.DecimalField(_("hours per week"), max_digits=4, decimal_places=1,
                                         validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("60"))])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [models.UniqueConstraint(fields=["activity", "resource"], name="unique_assignment")]


# Probability 1-5 as the chance used for the expected value (PRINCE2 probability scale).
PROBABILITY_PERCENT = {1: 10, 2: 30, 3: 50, 4: 70, 5: 90}
scale_validators = [MinValueValidator(1), MaxValueValidator(5)]


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

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("threat or opportunity"), max_length=12, choices=Kind.choices, default=Kind.THREAT)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    cause = models.TextField(_("cause"))
    event = models.TextField(_("event"))
    effect = models.TextField(_("effect"))
    inherent_probability = models.PositiveSmallIntegerField(_("probability (inherent)"), validators=scale_validators)
    inherent_impact = models.PositiveSmallIntegerField(_("impact (inherent)"), validators=scale_validators)
    residual_probability = models.PositiveSmallIntegerField(_("probability (residual)"), validators=scale_validators)
    residual_impact = models.PositiveSmallIntegerField(_("impact (residual)"), validators=scale_validators)
    cost_impact = models.DecimalField(_("cost at stake (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"),
                                      validators=amount_validators)
    proximity = models.CharField(_("proximity"), max_length=12, choices=Proximity.choices, default=Proximity.QUARTER)
    response_category = models.CharField(_("response category"), max_length=12, choices=Response.choices)
    response = models.TextField(_("response"), blank=True)
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
        return "high" if self.score >= 15 else "medium" if self.score >= 8 else "low"


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
    description = models.TextField(_("description (cause and impact)"))
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


ROUTE_REASONS = {
    "level": _("the new budget moves the project from Level %(old)s to Level %(new)s"),
    "cost": _("the cost increase exceeds the cost tolerance (EUR %(tolerance)s)"),
    "time": _("the delay exceeds the time tolerance (%(days)s working days)"),
    "own": _("the project manager asked it and no deputy can decide"),
}


def route_reason_text(reasons: list[dict]) -> str:
    from django.utils.formats import number_format

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

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_requests",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description (cause and impact)"))
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
    milestones = models.ManyToManyField("Milestone", blank=True, related_name="change_requests",
                                        verbose_name=_("milestones that move"))
    scope_impact = models.TextField(_("impact on scope"), blank=True)
    quality_impact = models.TextField(_("impact on quality"), blank=True)
    risk_impact = models.TextField(_("impact on risk"), blank=True)
    options = models.TextField(_("options"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
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
    decision_comment = models.TextField(_("decision comment"), blank=True)
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
        return self.status in (self.Status.DRAFT, self.Status.DEFERRED)

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


class Decision(models.Model):
    """The decision log: what was decided, by whom, when and why."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    decided_on = models.DateField(_("date"))
    title = models.CharField(_("decision"), max_length=200)
    rationale = models.TextField(_("why"), blank=True)
    decided_by = models.CharField(_("decided by"), max_length=200,
                                  help_text=_("Who took the decision: a person, the steering committee, the customer."))
    change_request = models.ForeignKey(ChangeRequest, on_delete=models.PROTECT, null=True, blank=True,
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
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="actions", verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("action"), max_length=200)
    description = models.TextField(_("details"), blank=True)
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
    event = models.TextField(_("event"))
    effect = models.TextField(_("effect"))
    cause = models.TextField(_("cause"))
    recommendation = models.TextField(_("recommendation"))
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
    cause = models.TextField(_("cause"), blank=True)
    consequences = models.TextField(_("consequences"), blank=True)
    options = models.TextField(_("options"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True)
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



class ChecklistTemplate(models.Model):
    """A checklist per standard (ISO 9001, ISO 27001, site safety, ...). Runs copy its items, so an
    edit in the admin (which raises the version) never changes a run already made."""

    class Standard(models.TextChoices):
        ISO9001 = "iso9001", _("ISO 9001 quality review")
        ISO27001 = "iso27001", _("ISO 27001 information-security review")
        SAFETY = "safety", _("Site-safety inspection")
        LMRA = "lmra", _("Last-minute risk analysis")
        CLOSING = "closing", _("Closing checklist")
        HANDOVER = "handover", _("SMO hand-over checklist")

    name = models.CharField(_("name"), max_length=150, unique=True)
    standard = models.CharField(_("standard"), max_length=10, choices=Standard.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["standard", "name"]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("checklist template"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("check"), max_length=300)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position", "pk"]

    def __str__(self):
        return self.text


class ProjectTypeChecklist(models.Model):
    """Which checklists a project of this type gets, and at which phase."""

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="checklists",
                                     verbose_name=_("project type"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("checklist template"))
    phase = models.CharField(_("phase"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist of a project type")
        verbose_name_plural = _("checklists of project types")
        constraints = [models.UniqueConstraint(fields=["project_type", "template", "phase"],
                                               name="unique_checklist_per_type_and_phase")]

    def __str__(self):
        return f"{self.project_type}: {self.template.name} ({self.phase})"


class ChecklistRun(models.Model):
    """One use of a checklist on a project: filled by the project team, signed off by a reviewer
    (support officer or PMO lead) who did not fill it. The quality register lists the runs."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Waiting for sign-off")
        SIGNED = "signed", _("Signed off")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist_runs",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="runs",
                                 verbose_name=_("checklist template"))
    template_version = models.PositiveIntegerField(_("template version"))
    name = models.CharField(_("checklist"), max_length=150)
    standard = models.CharField(_("standard"), max_length=10, choices=ChecklistTemplate.Standard.choices)
    phase = models.CharField(_("phase"), max_length=100, blank=True)
    planned_date = models.DateField(_("planned"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("producer"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist run")
        verbose_name_plural = _("checklist runs")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_checklist_run_number")]

    def __str__(self):
        return f"{self.identifier} {self.name}"

    @property
    def identifier(self) -> str:
        return f"Q-{self.number:03d}"


class ChecklistAnswer(models.Model):
    class Answer(models.TextChoices):
        OK = "ok", _("OK")
        NOT_OK = "not_ok", _("Not OK")
        NOT_APPLICABLE = "na", _("Not applicable")

    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="answers",
                            verbose_name=_("checklist run"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("check"), max_length=300)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    answer = models.CharField(_("answer"), max_length=6, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    issue = models.ForeignKey(ProjectIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("issue"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="unique_answer_position")]

    def __str__(self):
        return self.text


class ChecklistEvidence(StoredFile):
    UPLOAD_FOLDER = "evidence"

    answer = models.ForeignKey(ChecklistAnswer, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("checklist answer"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["answer", "uploaded_at"]


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
    description = models.TextField(_("what happened"))
    people_involved = models.TextField(_("people involved"), blank=True,
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
    comments = models.TextField(_("comments"), blank=True)
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
