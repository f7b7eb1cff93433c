import re
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import PROJECT_CODE_PATTERN, choice_label, end_not_before_start
from .customers import Customer
from .reference import ProjectType

# A code the address of any project is made from (project_url).
MODEL_CODE = "PRJ-0000-0000"
CODE = re.compile(PROJECT_CODE_PATTERN)


@lru_cache(maxsize=16)
def _project_url_pattern(urlconf: str, prefix: str) -> str:
    return reverse("projects:detail", urlconf=urlconf, args=[MODEL_CODE])


def project_url(code: str) -> str:
    """The project page's address. reverse() takes ~60 us and list pages ask it once per row: a code of
    the project pattern (nothing in it to quote) goes into the address of MODEL_CODE instead."""
    if not CODE.fullmatch(code):
        return reverse("projects:detail", args=[code])
    return _project_url_pattern(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()).replace(MODEL_CODE, code)


class Project(models.Model):
    class Status(models.TextChoices):
        INITIATION = "initiation", _("Initiation")
        PLANNING = "planning", _("Planning")
        EXECUTION = "execution", _("Execution")
        CLOSING = "closing", pgettext_lazy("project status", "Closing")
        CLOSED = "closed", _("Closed")
        ON_HOLD = "on_hold", _("On hold")
        CANCELLED = "cancelled", _("Cancelled")

    # Named status sets, so each rule says which projects it means (and says it once).
    # Running: started and not finished or on hold; these may be put on hold or cancelled.
    RUNNING = (Status.INITIATION, Status.PLANNING, Status.EXECUTION, Status.CLOSING)
    # Under way: past initiation and running. Reported weekly, checked against their tolerances,
    # shown in the portfolio.
    UNDER_WAY = (Status.PLANNING, Status.EXECUTION, Status.CLOSING)
    # Finished: nothing is planned, budgeted, ordered or registered on them any more.
    FINISHED = (Status.CLOSED, Status.CANCELLED)

    class Level(models.IntegerChoices):
        LEVEL_1 = 1, _("Level 1")
        LEVEL_2 = 2, _("Level 2")
        LEVEL_3 = 3, _("Level 3")

    code = models.CharField(
        _("code"), max_length=13, unique=True,
        validators=[RegexValidator(f"^{PROJECT_CODE_PATTERN}$", _("A project code looks like PRJ-2026-0042."))],
    )
    name = models.CharField(_("name"), max_length=200)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT, related_name="projects",
                                 verbose_name=_("customer"))
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
    # What the customer pays: the intake's sold price, moved by the price impact of approved change
    # requests (projects.services.billing); every change is in the history with its reason.
    contract_value = models.DecimalField(_("contract value (EUR)"), max_digits=14, decimal_places=2,
                                         default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-code"]
        constraints = [end_not_before_start("start_date", "end_date", "project_end_not_before_start")]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return project_url(self.code)

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    def get_level_display(self) -> str:
        return choice_label(self.Level, self.level)

    @property
    def cost_tolerance_shown(self) -> Decimal:
        """10, 12.5, 2.25: the percentage without trailing zeros (templates localise the mark)."""
        value = self.cost_tolerance_percent
        return value.to_integral() if value == value.to_integral() else value.normalize()

    @cached_property
    def current_baseline(self):
        return self.baselines.current().first()
