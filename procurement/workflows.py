"""The purchase order's state machine, declared once: draft -> submitted -> approved -> sent ->
(partly) received -> invoiced -> closed, or cancelled before anything was received.

A PM approves within the approved budget; beyond it only the PMO lead's written agreement does,
so the PM is not offered an approval the service would refuse. The services check these
transitions; the order's page shows the ones `purchase_order_actions_for_user` returns."""

from django.utils.translation import gettext_lazy as _

from procurement.models import PurchaseOrder
from procurement.selectors.costs import overspend_if_approved
from projects import permissions
from projects.lib.amounts import money
from projects.lib.workflow import STATE, Transition, Workflow, when
from projects.workflows import decided_when

S = PurchaseOrder.Status


def budget_approved_if_required(project) -> bool:
    """Above Level 1 no order is approved before the PMO lead approved the budget (a baseline)."""
    return project.level == 1 or project.current_baseline is not None


def _budget_approved(user, po):
    if budget_approved_if_required(po.project):
        return None
    return _("The budget of %(code)s is not approved yet: no purchase order can be approved before it.") % {
        "code": po.project.code}


def _may_approve(user, po):
    """The PM within the approved budget; the PMO lead within or beyond it (the written agreement)."""
    if permissions.can_approve_purchase_order_as_pmo_lead(user, po):
        return None
    if not permissions.can_approve_purchase_order_as_pm(user, po):
        return _("You may not approve this purchase order.")
    overspend = overspend_if_approved(po.project, po)
    if overspend:
        return _("This purchase order exceeds the approved budget by EUR %(overspend)s: the PMO lead must agree.") % {
            "overspend": money(overspend)}
    return None


def _handled(message):
    """Sending, receiving, invoicing, closing, cancelling: who works on the project's purchasing."""
    return when(permissions.can_handle_purchase_order, message), STATE


def _not_waiting(po):
    if po.approved_by_id and po.approved_at:
        return _("This purchase order was already approved by %(who)s at %(when)s; it is %(status)s now.") % {
            "who": po.approved_by, "when": decided_when(po.approved_at), "status": po.get_status_display().lower()}
    return _("This purchase order is %(status)s, not waiting for approval.") % {"status": po.get_status_display()}


PURCHASE_ORDER = Workflow([
    Transition("submit", _("Submit for approval"), frozenset({S.DRAFT}), S.SUBMITTED,
               _("Only a draft purchase order can be submitted."),
               (when(permissions.can_edit_purchase_order, _("Only a draft purchase order can be submitted.")),)),
    Transition("approve", _("Approve"), frozenset({S.SUBMITTED}), S.APPROVED, _not_waiting,
               (STATE, _budget_approved, _may_approve)),
    Transition("reject", _("Reject"), frozenset({S.SUBMITTED}), S.DRAFT,
               _("You may not decide on this purchase order."),
               (when(lambda user, po: permissions.can_approve_purchase_order_as_pm(user, po)
                     or permissions.can_approve_purchase_order_as_pmo_lead(user, po),
                     _("You may not decide on this purchase order.")),)),
    Transition("send", _("Send to the supplier"), frozenset({S.APPROVED}), S.SENT,
               _("Only an approved purchase order can be sent."), _handled(_("You may not send this purchase order."))),
    Transition("receive", _("Register goods receipt"), frozenset({S.SENT, S.PARTLY_RECEIVED}), None,
               _("Goods can be received once the order is sent."), _handled(_("You may not register receipts here."))),
    Transition("invoice", _("Register supplier invoice"), frozenset({S.PARTLY_RECEIVED, S.RECEIVED}), None,
               _("Register the goods receipt before the invoice."), _handled(_("You may not register invoices here."))),
    Transition("close", _("Close"), frozenset({S.INVOICED}), S.CLOSED,
               _("Only a fully invoiced purchase order can be closed."),
               _handled(_("You may not close this purchase order."))),
    Transition("cancel", _("Cancel"), frozenset({S.DRAFT, S.SUBMITTED, S.APPROVED, S.SENT}), S.CANCELLED,
               _("A purchase order cannot be cancelled once goods were received."),
               _handled(_("You may not cancel this purchase order."))),
])
