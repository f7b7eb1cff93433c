"""The revenue side of a project: the contract value (on Project) split into billing milestones."""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, amount_validators, choice_label
from .plan import Activity, Milestone
from .projects import Project
from .quality import ChecklistRun

CENT = Decimal("0.01")
HUNDRED = Decimal("100")


def amount_of_percent(contract_value: Decimal, percent: Decimal) -> Decimal:
    """A percentage of the contract value in euro: rounded half up to the cent (12.5 % of 1,000.05 is
    125.01), the rounding finance applies on an invoice line."""
    return (contract_value * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of_amount(contract_value: Decimal, amount: Decimal) -> Decimal | None:
    """The share an amount is of the contract value, half up to two decimals (shown, never stored)."""
    if not contract_value:
        return None
    return (amount * HUNDRED / contract_value).quantize(CENT, rounding=ROUND_HALF_UP)


class BillingMilestone(models.Model):
    """A part of the contract value invoiced to the customer once its acceptance evidence is there."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        READY = "ready", _("Ready to invoice")
        INVOICED = "invoiced", _("Invoiced")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    # Counted against the contract value: everything but a cancelled milestone.
    ALLOCATED = (Status.PLANNED, Status.READY, Status.INVOICED, Status.PAID)
    # Not invoiced yet: a percent milestone follows the contract value while in these.
    OPEN = (Status.PLANNED, Status.READY)
    BILLED = (Status.INVOICED, Status.PAID)

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="billing_milestones",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)
    # The amount is always stored; when a percent is given it is computed from it (amount_of_percent).
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2, validators=amount_validators)
    percent = models.DecimalField(_("percent of the contract value"), max_digits=5, decimal_places=2, null=True,
                                  blank=True, validators=[MinValueValidator(Decimal("0.01")),
                                                          MaxValueValidator(HUNDRED)])
    planned_date = models.DateField(_("planned invoice date"))
    plan_milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="billing_milestones", verbose_name=_("plan milestone"))
    activities = models.ManyToManyField(Activity, blank=True, related_name="billing_milestones",
                                        verbose_name=_("activities it depends on"))
    acceptance_evidence = models.TextField(_("acceptance evidence needed"), max_length=TEXT_MAX_LENGTH, blank=True)
    checklist_run = models.ForeignKey(ChecklistRun, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="billing_milestones", verbose_name=_("checklist to sign off"))
    order_reference = models.CharField(_("customer's order reference"), max_length=60, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    ready_at = models.DateTimeField(_("ready since"), null=True, blank=True)
    ready_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("made ready by"))
    ready_reason = models.TextField(_("why ready"), max_length=NOTE_MAX_LENGTH, blank=True)
    invoice_number = models.CharField(_("invoice number"), max_length=40, blank=True)
    invoice_date = models.DateField(_("invoice date"), null=True, blank=True)
    invoiced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("invoice recorded by"))
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("payment recorded by"))
    cancelled_reason = models.TextField(_("why cancelled"), max_length=NOTE_MAX_LENGTH, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("cancelled by"))
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords(m2m_fields=[activities])

    class Meta:
        verbose_name = _("billing milestone")
        verbose_name_plural = _("billing milestones")
        ordering = ["project", "planned_date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_billing_milestone_number"),
            models.UniqueConstraint(fields=["invoice_number"], condition=~Q(invoice_number=""),
                                    name="unique_billing_invoice_number"),
        ]

    def __str__(self):
        return f"{self.identifier} {self.name}"

    @property
    def identifier(self) -> str:
        return f"BM-{self.number:03d}"

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)
