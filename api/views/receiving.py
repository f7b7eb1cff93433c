"""What a finance system posts back on an order: goods receipts and supplier invoices, through the
receipt and invoice forms and services of the order's page (the three-way match as they compute it)."""

from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List
from api.framework.etags import etag_of
from api.framework.idempotency import idempotent
from api.serializers.procurement import (
    GoodsReceiptSerializer,
    GoodsReceiptWriteSerializer,
    PurchaseOrderSerializer,
    ReceiptAnswerSerializer,
    SupplierInvoiceSerializer,
    SupplierInvoiceWriteSerializer,
    numbered,
)
from api.views.procurement import NUMBER, purchase_orders_for_api
from api.views.registers import IDEMPOTENCY_KEY
from procurement.forms import InvoiceForm, ReceiptForm
from procurement.models import GoodsReceipt, PurchaseOrder, SupplierInvoice
from procurement.selectors.purchase_orders import purchase_order_actions_for_user
from procurement.services import receiving
from procurement.services.purchase_orders import LineError
from projects import permissions


def form_errors(form) -> dict:
    return {"non_field_errors" if name == "__all__" else name: [str(m) for m in messages]
            for name, messages in form.errors.items()}


class OrderPart(ApiViewSet):
    """Something of one purchase order: 404 for an order the caller may not see, as the order's page."""

    @cached_property
    def po(self) -> PurchaseOrder:
        return permissions.get_purchase_order_for_user(self.request.user, purchase_orders_for_api(self.request.user),
                                                       self.kwargs["number"])

    @cached_property
    def lines(self):
        return numbered(self.po.lines.all())

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "positions": {line.pk: line.position for line in self.lines}}

    def order_data(self, po_id: int) -> tuple[dict, str]:
        po = purchase_orders_for_api(self.request.user).get(pk=po_id)
        actions = purchase_order_actions_for_user(self.request.user, po)
        return PurchaseOrderSerializer(po, context={"actions": actions}).data, etag_of(po)


@extend_schema_view(
    list=extend_schema(summary="List an order's goods receipts", parameters=[NUMBER]),
    create=extend_schema(summary="Register a goods receipt", parameters=[NUMBER, IDEMPOTENCY_KEY],
                         request=GoodsReceiptWriteSerializer, responses={201: ReceiptAnswerSerializer}),
)
class GoodsReceiptViewSet(List, OrderPart):
    queryset = GoodsReceipt.objects.none()  # for the schema only
    serializer_class = GoodsReceiptSerializer

    def get_queryset(self):
        return GoodsReceipt.objects.filter(line__purchase_order=self.po).select_related(
            "line__purchase_order", "received_by")

    @idempotent
    def create(self, request, *args, **kwargs):
        po = self.po
        permissions.require(permissions.can_handle_purchase_order(request.user, po))
        values = self.validated(GoodsReceiptWriteSerializer(data=request.data))
        by_position = {line.position: line for line in self.lines}
        data = {"received_on": values["received_on"]}
        for index, entry in enumerate(values["lines"]):
            line = by_position.get(entry["line"])
            if line is None or f"line_{line.pk}" in data:
                raise ValidationError({"lines": {index: {"line": [
                    _("Not a line of this order, or named twice: give each line's position once.")]}}})
            data[f"line_{line.pk}"] = entry["quantity"]
        form = ReceiptForm(data, lines=self.lines)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        before = set(self.get_queryset().values_list("pk", flat=True))
        try:
            po = receiving.goods_receipt_register(po_id=po.pk, by=request.user,
                                                  received_on=form.cleaned_data["received_on"],
                                                  quantities=form.quantities())
        except LineError as error:
            position = next(line.position for line in self.lines if line.pk == error.line_id)
            index = next(i for i, entry in enumerate(values["lines"]) if entry["line"] == position)
            raise ValidationError({"lines": {index: {"quantity": [str(error)]}}}) from error
        receipts = self.get_queryset().exclude(pk__in=before)
        order, etag = self.order_data(po.pk)
        body = {"receipts": GoodsReceiptSerializer(receipts, many=True, context=self.get_serializer_context()).data,
                "purchase_order": order}
        return Response(body, status=status.HTTP_201_CREATED, headers={"ETag": etag, "Location": request.path})


@extend_schema_view(
    list=extend_schema(summary="List an order's supplier invoices", parameters=[NUMBER]),
    create=extend_schema(summary="Register a supplier invoice (three-way matched)",
                         parameters=[NUMBER, IDEMPOTENCY_KEY], request=SupplierInvoiceWriteSerializer,
                         responses={201: SupplierInvoiceSerializer}),
)
class SupplierInvoiceViewSet(List, OrderPart):
    queryset = SupplierInvoice.objects.none()  # for the schema only
    serializer_class = SupplierInvoiceSerializer

    def get_queryset(self):
        return self.po.invoices.select_related("purchase_order", "registered_by", "decided_by")

    @idempotent
    def create(self, request, *args, **kwargs):
        po = self.po
        permissions.require(permissions.can_handle_purchase_order(request.user, po))
        values = self.validated(SupplierInvoiceWriteSerializer(data=request.data))
        form = InvoiceForm(values)
        if not form.is_valid():
            raise ValidationError(form_errors(form))
        invoice = receiving.invoice_register(po_id=po.pk, by=request.user, **form.cleaned_data)
        invoice = self.get_queryset().get(pk=invoice.pk)
        return Response(SupplierInvoiceSerializer(invoice).data, status=status.HTTP_201_CREATED,
                        headers={"Location": request.path})
