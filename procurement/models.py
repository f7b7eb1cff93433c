from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from projects.lib.vat import validate_vat
from projects.models import ADDRESS_MAX_LENGTH, MAX_AMOUNT, NOTE_MAX_LENGTH, BudgetLine, Project

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round to the cent, half up (never banker's rounding), as invoices do."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


class Supplier(models.Model):
    class Kind(models.TextChoices):
        SUPPLIER = "supplier", _("Supplier")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SUPPLIER)
    vat_number = models.CharField(_("VAT number"), max_length=20, unique=True, validators=[validate_vat])
    address = models.TextField(_("address"), max_length=ADDRESS_MAX_LENGTH, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), help_text=_("Purchase orders are sent here."))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nl")
    payment_terms_days = models.PositiveSmallIntegerField(_("payment terms (days)"), default=30,
                                                          validators=[MaxValueValidator(180)])
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class PurchaseOrder(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        SENT = "sent", _("Sent")
        PARTLY_RECEIVED = "partly_received", _("Partly received")
        RECEIVED = "received", _("Received")
        INVOICED = "invoiced", _("Invoiced")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # Statuses whose amount is committed against the budget.
    COMMITTED = (Status.APPROVED, Status.SENT, Status.PARTLY_RECEIVED, Status.RECEIVED, Status.INVOICED,
                 Status.CLOSED)
    # Done with, for the closing gate: received and invoiced, or cancelled.
    FINISHED = (Status.INVOICED, Status.CLOSED, Status.CANCELLED)

    # A number is the prefix, the year and the year's sequence number: PO-2026-00042.
    NUMBER_PREFIX = "PO-"
    number = models.CharField(_("number"), max_length=13, unique=True)
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="purchase_orders",
                                verbose_name=_("project"))
    budget_line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="purchase_orders", verbose_name=_("budget line"))
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="purchase_orders",
                                 verbose_name=_("supplier"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    delivery_date = models.DateField(_("delivery date"))
    delivery_site = models.CharField(_("delivery site"), max_length=200)
    notes = models.TextField(_("notes"), max_length=NOTE_MAX_LENGTH, blank=True)
    net_total = models.DecimalField(_("net total (EUR)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    overspend = models.DecimalField(_("overspend approved (EUR)"), max_digits=14, decimal_places=2, null=True,
                                    blank=True, help_text=_("Set when the PMO lead's written agreement covered "
                                                            "spending beyond the approved budget."))
    decision_comment = models.TextField(_("decision comment"), max_length=NOTE_MAX_LENGTH, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancellation"), max_length=NOTE_MAX_LENGTH, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase order")
        verbose_name_plural = _("purchase orders")
        ordering = ["-number"]
        # (status, submitted_at): the orders waiting for a decision, oldest first, on every home page.
        indexes = [models.Index(fields=["project", "status"]), models.Index(fields=["status", "submitted_at"])]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("procurement:po_detail", args=[self.number])

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class PurchaseOrderLine(models.Model):
    class VatRate(models.IntegerChoices):
        STANDARD = 21, "21 %"
        REDUCED = 12, "12 %"
        LOW = 6, "6 %"
        ZERO = 0, "0 %"

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines",
                                       verbose_name=_("purchase order"))
    description = models.CharField(_("description"), max_length=300)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2,
                                   validators=[MinValueValidator(CENT), MaxValueValidator(Decimal("1000000"))])
    unit = models.CharField(_("unit"), max_length=20, default="pc")
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=12, decimal_places=2,
                                     validators=[MinValueValidator(CENT), MaxValueValidator(MAX_AMOUNT)])
    vat_rate = models.PositiveSmallIntegerField(_("VAT rate"), choices=VatRate.choices, default=VatRate.STANDARD)
    received_quantity = models.DecimalField(_("received"), max_digits=12, decimal_places=2, default=Decimal("0"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("purchase order line")
        verbose_name_plural = _("purchase order lines")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(received_quantity__lte=models.F("quantity")),
                                   name="po_line_not_received_beyond_ordered"),
        ]

    @property
    def net(self) -> Decimal:
        return cents(self.quantity * self.unit_price)

    @property
    def vat(self) -> Decimal:
        return cents(self.net * self.vat_rate / 100)

    @property
    def received_value(self) -> Decimal:
        return cents(self.received_quantity * self.unit_price)

    @property
    def open_quantity(self) -> Decimal:
        return self.quantity - self.received_quantity

    def __str__(self):
        return f"{self.description} ({self.quantity} {self.unit})"

class GoodsReceipt(models.Model):
    line = models.ForeignKey(PurchaseOrderLine, on_delete=models.PROTECT, related_name="receipts",
                             verbose_name=_("line"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("registered by"))
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("goods receipt")
        verbose_name_plural = _("goods receipts")
        ordering = ["received_on", "pk"]

    def __str__(self):
        return f"{self.line}: {self.quantity} ({self.received_on:%d/%m/%Y})"

class SupplierInvoice(models.Model):
    class Match(models.TextChoices):
        MATCHED = "matched", _("Matched")
        MISMATCH = "mismatch", _("Mismatch: waits for the PM")
        ACCEPTED = "accepted", _("Accepted by the PM")
        DISPUTED = "disputed", _("Disputed")

    # Invoices whose amount counts as actual cost: matched within tolerance, or accepted by the PM.
    ACTUAL = (Match.MATCHED, Match.ACCEPTED)

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="invoices",
                                       verbose_name=_("purchase order"))
    supplier_reference = models.CharField(_("supplier's invoice number"), max_length=50)
    invoice_date = models.DateField(_("invoice date"))
    net_amount = models.DecimalField(_("net amount (EUR)"), max_digits=14, decimal_places=2,
                                     validators=[MinValueValidator(CENT), MaxValueValidator(MAX_AMOUNT)])
    match = models.CharField(_("three-way match"), max_length=20, choices=Match.choices)
    difference = models.DecimalField(_("difference with received value (EUR)"), max_digits=14, decimal_places=2)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("registered by"))
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("decided by"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("supplier invoice")
        verbose_name_plural = _("supplier invoices")
        ordering = ["invoice_date", "pk"]
        constraints = [models.UniqueConstraint(fields=["purchase_order", "supplier_reference"],
                                               name="unique_invoice_per_po")]
        # The few invoices waiting for a PM's decision, for the home page: without it, every invoice is read.
        indexes = [models.Index(fields=["invoice_date", "id"], condition=models.Q(match="mismatch"),
                                name="procurement_invoice_mismatch")]

    @property
    def counts_as_actual(self) -> bool:
        return self.match in self.ACTUAL

    def __str__(self):
        return f"{self.supplier_reference} ({self.purchase_order.number})"

class PurchaseOrderDocument(models.Model):
    """The PDF sent to the supplier; a new version for each sending, never changed."""

    purchase_order = models.ForeignKey(PurchaseOrder, on_delete=models.PROTECT, related_name="pdfs")
    file = models.FileField(upload_to="purchase-orders/")
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.purchase_order.number} PDF {self.created_at:%d/%m/%Y %H:%M}"


class ProjectCommitment(models.Model):
    """Per project, what its committed orders add up to (PurchaseOrder.COMMITTED, net) and its current
    baseline's budget: what an order waiting for approval is checked against. Kept exact by database
    triggers on orders and baselines (migration 0004) in the writing transaction, whatever wrote, so
    the approval lists read it with a join instead of a sum per order. Also its largest submitted
    order (migration 0005): when even that fits in the budget, no order of the project waits for the
    PMO lead, so the lead's list reads only the projects flagged `beyond_budget` (a partial index).
    And how many orders it has and their total (migration 0008), for the order list."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, primary_key=True, related_name="commitment")
    committed = models.DecimalField(max_digits=20, decimal_places=2, db_default=0)
    budget = models.DecimalField(max_digits=14, decimal_places=2, db_default=0)
    largest_waiting = models.DecimalField(max_digits=14, decimal_places=2, null=True)  # None: nothing submitted
    # Every order of the project, whatever its status, and their net total (migration 0008): the
    # unfiltered order list's count and total add these up instead of reading every order.
    orders = models.IntegerField(db_default=0)
    orders_net = models.DecimalField(max_digits=20, decimal_places=2, db_default=0)
    beyond_budget = models.GeneratedField(
        expression=ExpressionWrapper(Q(largest_waiting__gt=F("budget") - F("committed")),
                                     output_field=models.BooleanField()),
        output_field=models.BooleanField(), db_persist=True)

    class Meta:
        indexes = [models.Index(fields=["project"], condition=Q(beyond_budget=True), name="commitment_beyond_budget")]

    def __str__(self):
        return str(self.project_id)
