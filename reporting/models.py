import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.models import NARRATIVE_MAX_LENGTH


def report_file_name(instance, filename):
    """One name per report, so a render repeated after a crash replaces the file instead of leaving
    a second one. Under MEDIA_ROOT, which no URL serves: the reports page streams it after a
    permission check."""
    return f"highlight-reports/{instance.pk}.pdf"


class HighlightReport(models.Model):
    """The weekly highlight report (PRINCE2) of one project, for one audience. The facts are a
    snapshot taken when the draft is made; the PM adds the narrative; once published it never
    changes, and a correction is the next version."""

    class Variant(models.TextChoices):
        INTERNAL = "internal", _("Internal")
        EXTERNAL = "external", _("External (customer)")

    class Unsent(models.TextChoices):
        NO_RECIPIENT = "no_recipient", _("Not sent: no recipient.")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHING = "publishing", _("Publishing")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Rendering failed")

    class Failure(models.TextChoices):
        TIMEOUT = "timeout", _("took longer than the time limit")
        ERROR = "error", _("an error")

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="highlight_reports",
                                verbose_name=_("project"))
    week = models.DateField(_("week"), help_text=_("The Monday of the ISO week reported on."))
    variant = models.CharField(_("audience"), max_length=10, choices=Variant.choices)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    facts = models.JSONField(_("facts"), default=dict)
    summary = models.TextField(_("status summary"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    this_period = models.TextField(_("work done this period"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    next_period = models.TextField(_("planned for next period"), max_length=NARRATIVE_MAX_LENGTH, blank=True)
    rag_overrides = models.JSONField(_("RAG overrides"), default=dict, blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_file_name, blank=True, max_length=200)
    rendered_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    render_error = models.TextField(_("render error"), blank=True)
    render_failure = models.CharField(_("why rendering failed"), max_length=10, choices=Failure.choices, blank=True)
    # When the render was last queued (publish, retry, the sweeper) and when a worker began it
    # since: a report publishing for longer than the render's time limit has lost its task, and
    # is queued again. Each render begun counts, so a render that kills
    # its worker every time ends as failed instead of being tried forever.
    render_queued_at = models.DateTimeField(_("rendering queued"), null=True, blank=True)
    render_started_at = models.DateTimeField(_("rendering started"), null=True, blank=True)
    render_attempts = models.PositiveSmallIntegerField(_("renders begun"), default=0)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("published by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    sent_to = models.JSONField(_("sent to"), default=list, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    unsent_reason = models.CharField(_("why not sent"), max_length=20, choices=Unsent.choices, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edit_version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(excluded_fields=["facts", "render_queued_at", "render_started_at", "render_attempts"])

    class Meta:
        verbose_name = _("highlight report")
        verbose_name_plural = _("highlight reports")
        ordering = ["project", "-week", "variant", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "week", "variant", "version"],
                                               name="one_highlight_report_per_week_variant_version")]
        indexes = [models.Index(fields=["week", "status"], name="report_week_status")]

    def __str__(self):
        return f"{self.project.code} {self.week:%G-W%V} {self.variant} v{self.version}"

    @property
    def deadline(self) -> dt.datetime:
        """Until when the PM edits the narrative; afterwards the support officer collates and publishes."""
        start = timezone.make_aware(dt.datetime.combine(self.week, dt.time()))
        return start + dt.timedelta(hours=settings.HIGHLIGHT_REPORT_DEADLINE_HOURS)

    @property
    def iso_week(self) -> str:
        return f"{self.week:%G-W%V}"

    @property
    def download_name(self) -> str:
        return f"{self.project.code}-{self.iso_week}-{self.variant}-v{self.version}.pdf"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def stuck(self) -> bool:
        """Publishing for longer than a render may take: its task was lost (or its worker died)."""
        since = self.render_started_at or self.render_queued_at or self.published_at
        return self.status == self.Status.PUBLISHING and since is not None and since < stuck_before()

    @property
    def render_minutes(self) -> int:
        return render_minutes()


def render_time_limits() -> tuple[int, int]:
    """(soft, hard) seconds: at the soft limit the render fails cleanly, at the hard one its worker
    process is killed."""
    soft = settings.HIGHLIGHT_REPORT_RENDER_SECONDS
    return soft, soft + 30


def render_minutes() -> int:
    return max(1, -(-settings.HIGHLIGHT_REPORT_RENDER_SECONDS // 60))


# A render begun this long ago without an end is lost: past the hard limit, with a margin.
STUCK_MARGIN = dt.timedelta(seconds=60)


def stuck_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=render_time_limits()[1]) - STUCK_MARGIN


# The status colours from best to worst: a summary stores a colour as its index here, so "at least
# amber" and "worst first" are comparisons in SQL.
RAG_LEVELS = ("green", "amber", "red")


class ProjectSummary(models.Model):
    """One project's portfolio row (figures, status colours, pending approvals), as portfolio_rows
    computes it, so the portfolio pages, sorts, filters and counts in SQL.

    Never read stale: database triggers on every table portfolio_rows reads (migration 0005) set
    `dirty` to a fresh sequence value in the writing transaction, whatever wrote (a service, a
    queryset update, bulk_create, the admin), and readers first recompute the dirty rows and those
    computed before today (the forecast moves with the date); a recompute clears `dirty` only where
    it still holds the value read, so a write racing it leaves the row dirty."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, primary_key=True,
                                   related_name="summary")
    dirty = models.BigIntegerField(null=True, db_default=None)
    computed_on = models.DateField(null=True, db_default=None)
    budget = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)
    ordered = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)
    actual = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)
    labour = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)  # of the actual
    estimate_to_complete = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)
    forecast = models.DecimalField(max_digits=16, decimal_places=2, db_default=0)
    baseline_end = models.DateField(null=True, db_default=None)
    forecast_end = models.DateField(null=True, db_default=None)
    late_days = models.IntegerField(null=True, db_default=None)
    rag_time = models.PositiveSmallIntegerField(db_default=0)
    rag_cost = models.PositiveSmallIntegerField(db_default=0)
    rag_scope = models.PositiveSmallIntegerField(db_default=0)
    rag_quality = models.PositiveSmallIntegerField(db_default=0)
    rag_risk = models.PositiveSmallIntegerField(db_default=0)
    worst = models.PositiveSmallIntegerField(db_default=0)
    exceptions = models.JSONField(db_default=[])
    pending = models.PositiveIntegerField(db_default=0)
    top_risk = models.PositiveIntegerField(db_default=0)
    satisfaction = models.FloatField(null=True, db_default=None)

    class Meta:
        verbose_name = _("project summary")
        verbose_name_plural = _("project summaries")
        indexes = [models.Index(fields=["dirty"], name="summary_dirty", condition=models.Q(dirty__isnull=False)),
                   models.Index(fields=["computed_on"], name="summary_computed_on")]

    def __str__(self):
        return str(self.project_id)
