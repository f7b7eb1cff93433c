"""Suppliers, purchase orders with their lines, goods receipts and supplier invoices: what the order's
page shows, by business number (PO-2026-00117), supplier VAT number and username, never database ids
(a budget line, which has no code of its own, by its id as the project's budget lists it)."""

from functools import cached_property

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import StrictWriteSerializer
from procurement.forms import PurchaseOrderForm
from procurement.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierInvoice
from procurement.workflows import PURCHASE_ORDER

USERNAME = {"read_only": True, "allow_null": True, "default": None}


class SupplierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = ["vat_number", "name", "kind", "address", "contact_name", "contact_email", "language",
                  "payment_terms_days", "active", "version"]
        read_only_fields = fields


class SupplierRefSerializer(serializers.Serializer):
    vat_number = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class BudgetLineRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    category = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)


class PurchaseOrderLineSerializer(serializers.ModelSerializer):
    """`line` is the line's position on the order (1, 2, ...): what a receipt names."""

    line = serializers.SerializerMethodField()
    net = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    vat = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    open_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)

    class Meta:
        model = PurchaseOrderLine
        fields = ["line", "description", "quantity", "unit", "unit_price", "vat_rate", "net", "vat",
                  "received_quantity", "open_quantity"]
        read_only_fields = fields

    def get_line(self, line) -> int:
        return line.position


class PurchaseOrderSerializer(serializers.ModelSerializer):
    """An order as its page shows it. `actions` (in a single order's answer, null in lists) are the
    transitions the caller may take now: the page's buttons."""

    project = serializers.CharField(source="project.code", read_only=True)
    supplier = SupplierRefSerializer(read_only=True)
    budget_line = BudgetLineRefSerializer(read_only=True, allow_null=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    submitted_by = serializers.CharField(source="submitted_by.username", **USERNAME)
    approved_by = serializers.CharField(source="approved_by.username", **USERNAME)
    lines = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = PurchaseOrder
        fields = ["number", "project", "supplier", "budget_line", "status", "delivery_date", "delivery_site", "notes",
                  "net_total", "lines", "created_by", "created_at", "submitted_by", "submitted_at", "approved_by",
                  "approved_at", "overspend", "decision_comment", "sent_at", "cancel_reason", "version", "actions"]
        read_only_fields = fields

    @cached_property
    def _line_serializer(self):
        # One for every row of a list: building a serializer's fields costs more than the line it shows.
        return PurchaseOrderLineSerializer()

    @extend_schema_field(PurchaseOrderLineSerializer(many=True))
    def get_lines(self, po):
        return [self._line_serializer.to_representation(line) for line in numbered(po.lines.all())]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=list(PURCHASE_ORDER.transitions)),
                                               allow_null=True))
    def get_actions(self, po):
        actions = self.context.get("actions")
        return None if actions is None else list(actions)


def numbered(lines):
    lines = list(lines)
    for position, line in enumerate(lines, start=1):
        line.position = position
    return lines


class GoodsReceiptSerializer(serializers.ModelSerializer):
    purchase_order = serializers.CharField(source="line.purchase_order.number", read_only=True)
    line = serializers.SerializerMethodField()
    description = serializers.CharField(source="line.description", read_only=True)
    received_by = serializers.CharField(source="received_by.username", read_only=True)

    class Meta:
        model = GoodsReceipt
        fields = ["purchase_order", "line", "description", "quantity", "received_on", "received_by", "created_at"]
        read_only_fields = fields

    def get_line(self, receipt) -> int:
        """The line's position on its order (context `positions`: line id -> position)."""
        return self.context["positions"][receipt.line_id]


class SupplierInvoiceSerializer(serializers.ModelSerializer):
    """`match` and `difference` are the three-way match as the service computed it (ordered, received,
    invoiced, within the tolerance): a mismatch waits for the project manager."""

    purchase_order = serializers.CharField(source="purchase_order.number", read_only=True)
    registered_by = serializers.CharField(source="registered_by.username", read_only=True)
    decided_by = serializers.CharField(source="decided_by.username", **USERNAME)

    class Meta:
        model = SupplierInvoice
        fields = ["purchase_order", "supplier_reference", "invoice_date", "net_amount", "match", "difference",
                  "registered_by", "registered_at", "decided_by"]
        read_only_fields = fields


class StrictInput(serializers.Serializer):
    """A body that refuses fields it does not know, as StrictWriteSerializer does."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - {name for name, field in self.fields.items() if not field.read_only})
            if unknown:
                raise serializers.ValidationError({name: [_("This field cannot be set here.")] for name in unknown})
        return super().to_internal_value(data)


class LineWriteSerializer(StrictInput):
    """One line of an order, as the order form's line takes it."""

    description = serializers.CharField(max_length=300)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)
    unit = serializers.CharField(max_length=20, required=False, default="pc")
    unit_price = serializers.DecimalField(max_digits=12, decimal_places=2)
    vat_rate = serializers.ChoiceField(choices=PurchaseOrderLine.VatRate.choices, required=False, default=21)


class PurchaseOrderWriteSerializer(StrictWriteSerializer):
    """The fields of the order form and its lines, no more: the number, status, totals, who approved and
    the version are the system's. `project` only when drafting (an order never moves project);
    `lines`, when sent, replace every line, as the form does."""

    project = serializers.CharField(write_only=True, help_text=_("The project's code, e.g. PRJ-2026-0042."))
    supplier = serializers.SlugRelatedField(slug_field="vat_number", queryset=Supplier.objects.all(),
                                            help_text=_("The supplier's VAT number."))
    budget_line = serializers.IntegerField(required=False, allow_null=True,
                                           help_text=_("The id of one of the project's budget lines."))
    lines = LineWriteSerializer(many=True)

    class Meta:
        model = PurchaseOrder
        fields = ["project", *PurchaseOrderForm.Meta.fields, "lines"]


class PurchaseOrderChangeSerializer(PurchaseOrderWriteSerializer):
    class Meta(PurchaseOrderWriteSerializer.Meta):
        fields = [*PurchaseOrderForm.Meta.fields, "lines"]

    project = None


class DecisionSerializer(StrictInput):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ReasonSerializer(StrictInput):
    reason = serializers.CharField(max_length=5000)


class ReceiptLineSerializer(StrictInput):
    line = serializers.IntegerField(min_value=1, help_text=_("The line's position on the order (1, 2, ...)."))
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2)


class GoodsReceiptWriteSerializer(StrictInput):
    received_on = serializers.DateField()
    lines = ReceiptLineSerializer(many=True, allow_empty=False)


class SupplierInvoiceWriteSerializer(StrictInput):
    supplier_reference = serializers.CharField(max_length=50)
    invoice_date = serializers.DateField()
    net_amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class ReceiptAnswerSerializer(serializers.Serializer):
    """A registered receipt: the receipts it made and the order as it is now (its status, what is open)."""

    receipts = GoodsReceiptSerializer(many=True, read_only=True)
    purchase_order = PurchaseOrderSerializer(read_only=True)
