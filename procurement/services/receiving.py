"""Goods receipts and supplier invoices, matched three ways (order, receipt, invoice) within a tolerance."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import localize
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from procurement.models import GoodsReceipt, PurchaseOrder, SupplierInvoice, cents
from procurement.services.purchase_orders import LineError, S, lock_purchase_order, purchase_order_event
from procurement.workflows import PURCHASE_ORDER
from projects import events, permissions
from projects.domain import notify_user, refuse_unless
from projects.signals import forecast_changed


@transaction.atomic
def goods_receipt_register(*, po_id: int, by: User, received_on, quantities: dict[int, Decimal]) -> PurchaseOrder:
    """Receive part or all of the open quantity per line; more than was ordered is refused."""
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("receive", by, po)
    quantities = {line_id: q for line_id, q in quantities.items() if q}
    refuse_unless(bool(quantities), _("Enter a received quantity on at least one line."))
    lines = {line.pk: line for line in po.lines.select_for_update()}
    for line_id, quantity in quantities.items():
        line = lines.get(line_id)
        refuse_unless(line is not None, _("That line is not on this purchase order."))
        refuse_unless(quantity > 0, _("Received quantities must be positive."))
        if quantity > line.open_quantity:
            raise LineError(_("%(line)s: %(quantity)s received but only %(open)s still open.")
                            % {"line": line.description, "quantity": localize(quantity.normalize()),
                               "open": localize(line.open_quantity.normalize())}, line.pk)
        GoodsReceipt.objects.create(line=line, quantity=quantity, received_on=received_on, received_by=by)
        line.received_quantity += quantity
        line.save()
    fully = all(line.open_quantity == 0 for line in lines.values())
    po.status = S.RECEIVED if fully else S.PARTLY_RECEIVED
    po.version += 1
    po.save()
    purchase_order_event(events.EventType.PURCHASE_ORDER_RECEIVED, po)
    return po


def invoice_tolerance(amount: Decimal) -> Decimal:
    """The smaller of the percentage and the fixed amount (settings)."""
    return min(cents(amount * settings.INVOICE_TOLERANCE_PERCENT / 100), settings.INVOICE_TOLERANCE_EUR)


def _received_value(po: PurchaseOrder) -> Decimal:
    return sum((line.received_value for line in po.lines.all()), Decimal("0"))


def _invoiced(po: PurchaseOrder, *matches) -> Decimal:
    return po.invoices.filter(match__in=matches).aggregate(t=Sum("net_amount"))["t"] or Decimal("0")


def _mark_invoiced_when_complete(po: PurchaseOrder) -> None:
    counted = _invoiced(po, *SupplierInvoice.ACTUAL)
    if po.status == S.RECEIVED and counted >= po.net_total - invoice_tolerance(po.net_total):
        po.status = S.INVOICED
        po.version += 1
        po.save()
        purchase_order_event(events.EventType.PURCHASE_ORDER_INVOICED, po)


@transaction.atomic
def invoice_register(*, po_id: int, by: User, supplier_reference: str, invoice_date, net_amount: Decimal
                     ) -> SupplierInvoice:
    """Three-way match: ordered, received, invoiced. Beyond tolerance the invoice waits for the PM."""
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("invoice", by, po)
    refuse_unless(not po.invoices.filter(supplier_reference=supplier_reference).exists(),
                  _("Invoice %(reference)s is already registered on this order.") % {"reference": supplier_reference})
    received = _received_value(po)
    earlier = _invoiced(po, *SupplierInvoice.ACTUAL, SupplierInvoice.Match.MISMATCH)  # all but the disputed
    difference = earlier + net_amount - received
    matched = abs(difference) <= invoice_tolerance(received)
    invoice = SupplierInvoice.objects.create(
        purchase_order=po, supplier_reference=supplier_reference, invoice_date=invoice_date, net_amount=net_amount,
        match=SupplierInvoice.Match.MATCHED if matched else SupplierInvoice.Match.MISMATCH, difference=difference,
        registered_by=by,
    )
    forecast_changed.send(sender=SupplierInvoice, project_id=po.project_id)
    if matched:
        _mark_invoiced_when_complete(po)
    else:
        for manager in {po.project.project_manager, po.project.deputy_manager} - {None}:
            notify_user(manager, po.get_absolute_url(), gettext_lazy("Invoice does not match: %(number)s"),
                        gettext_lazy("Invoice %(reference)s differs from the received value by EUR %(difference)s."),
                        number=po.number, reference=supplier_reference, difference=difference)
    return invoice


def _locked_mismatch(invoice_id: int, by: User) -> SupplierInvoice:
    invoice = SupplierInvoice.objects.select_for_update().select_related("purchase_order__project").get(pk=invoice_id)
    refuse_unless(permissions.can_decide_invoice_mismatch(by, invoice.purchase_order),
                  _("The project manager decides on an invoice that does not match."))
    refuse_unless(invoice.match == SupplierInvoice.Match.MISMATCH, _("This invoice was already decided."))
    return invoice


@transaction.atomic
def invoice_accept(*, invoice_id: int, by: User) -> SupplierInvoice:
    invoice = _locked_mismatch(invoice_id, by)
    invoice.match, invoice.decided_by = SupplierInvoice.Match.ACCEPTED, by
    invoice.save()
    _mark_invoiced_when_complete(lock_purchase_order(invoice.purchase_order_id))
    forecast_changed.send(sender=SupplierInvoice, project_id=invoice.purchase_order.project_id)
    return invoice


@transaction.atomic
def invoice_dispute(*, invoice_id: int, by: User) -> SupplierInvoice:
    invoice = _locked_mismatch(invoice_id, by)
    invoice.match, invoice.decided_by = SupplierInvoice.Match.DISPUTED, by
    invoice.save()
    return invoice
