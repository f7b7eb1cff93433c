from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

PROJECT_CODE_PATTERN = r"PRJ-\d{4}-\d{4}"


class Customer(models.Model):
    name = models.CharField(_("name"), max_length=200)
    vat_number = models.CharField(_("VAT number"), max_length=20, unique=True)
    address = models.TextField(_("address"), blank=True)
    language = models.CharField(_("preferred language"), max_length=5, choices=settings.LANGUAGES, default="nl")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
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
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.INITIATION)
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

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_end_not_before_start",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def get_absolute_url(self):
        return reverse("projects:detail", args=[self.code])
