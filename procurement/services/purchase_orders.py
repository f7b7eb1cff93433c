"""Purchase orders from draft to closed: a PM approves within the approved budget; beyond it, the
PMO lead's written agreement or an approved change request is needed."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from outbox.services import enqueue
from procurement.models import PurchaseOrder, PurchaseOrderLine, cents
from procurement.selectors.costs import overspend_if_approved
from procurement.workflows import PURCHASE_ORDER, budget_approved_if_required
from projects import events, permissions
from projects.domain import DomainError, apply_edit, notify_user, refuse_unless, sequence_next
from projects.lib.amounts import money
from projects.models import Project
from projects.signals import forecast_changed

S = PurchaseOrder.Status


class LineError(DomainError):
    """A refusal about one line, so the form can show it next to that line."""

    def __init__(self, message: str, line_id: int):
        super().__init__(message)
        self.line_id = line_id


def _check_header(project: Project, data: dict) -> None:
    line = data.get("budget_line")
    refuse_unless(line is None or line.project_id == project.pk,
                  _("That budget line belongs to another project."))
    refuse_unless(data["supplier"].active, _("%(supplier)s is marked inactive; choose an active supplier.")
                  % {"supplier": data["supplier"]})


def _save_lines(po: PurchaseOrder, lines: list[dict]) -> None:
    refuse_unless(bool(lines), _("Add at least one line."))
    total = sum((cents(line["quantity"] * line["unit_price"]) for line in lines), Decimal("0"))
    refuse_unless(total <= settings.PMO_MAX_ORDER_TOTAL,
                  _("This order comes to EUR %(total)s, more than a purchase order may total (EUR %(max)s).")
                  % {"total": money(total), "max": money(settings.PMO_MAX_ORDER_TOTAL)})
    po.lines.all().delete()
    created = [PurchaseOrderLine.objects.create(purchase_order=po, **line) for line in lines]
    po.net_total = sum((line.net for line in created), Decimal("0"))
    po.save()


@transaction.atomic
def purchase_order_create(*, project_id: int, by: User, data: dict, lines: list[dict]) -> PurchaseOrder:
    """A draft with the year's next number; numbers are never reused, so there are no gaps."""
    project = Project.objects.get(pk=project_id)
    refuse_unless(permissions.can_draft_purchase_order(by, project),
                  _("You may not raise purchase orders on this project."))
    _check_header(project, data)
    year = timezone.localdate().year
    number = f"{PurchaseOrder.NUMBER_PREFIX}{year}-{sequence_next('purchase_order', year):05d}"
    po = PurchaseOrder.objects.create(number=number, project=project, created_by=by, **data)
    _save_lines(po, lines)
    return po


def lock_purchase_order(po_id: int) -> PurchaseOrder:
    return PurchaseOrder.objects.select_for_update().select_related("project", "supplier").get(pk=po_id)


@transaction.atomic
def purchase_order_update(*, po_id: int, by: User, data: dict, lines: list[dict],
                          expected_version: int) -> PurchaseOrder:
    po = lock_purchase_order(po_id)
    refuse_unless(permissions.can_edit_purchase_order(by, po),
                  _("Only a draft purchase order can be edited; this one is %(status)s.")
                  % {"status": po.get_status_display()})
    apply_edit(po, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this purchase order meanwhile. Your changes are kept below; reload the page to see "
        "theirs."))
    _check_header(po.project, data)
    _save_lines(po, lines)
    return po


def _approve(po: PurchaseOrder, by: User, overspend: Decimal, comment: str) -> PurchaseOrder:
    po.status = S.APPROVED
    po.approved_by, po.approved_at = by, timezone.now()
    po.overspend = overspend or None
    po.decision_comment = comment
    po.version += 1
    po.save()
    forecast_changed.send(sender=PurchaseOrder, project_id=po.project_id)
    purchase_order_event(events.EventType.PURCHASE_ORDER_APPROVED, po)
    return po


def purchase_order_event(event_type: events.EventType, po: PurchaseOrder) -> None:
    """The order's number, state, supplier and net total: what the project's staff see on its page."""
    events.project_event(event_type, po.project, purchase_order={
        "number": po.number, "status": po.status, "supplier": po.supplier.name, "net_total": str(po.net_total),
        "currency": "EUR", "delivery_date": po.delivery_date.isoformat() if po.delivery_date else None})


@transaction.atomic
def purchase_order_submit(*, po_id: int, by: User) -> PurchaseOrder:
    """Submit for approval. Submitted by the project's PM within budget, it is approved at once;
    otherwise the PM, or beyond the budget the PMO lead, is asked."""
    po = lock_purchase_order(po_id)
    project = Project.objects.select_for_update().get(pk=po.project_id)  # the budget row
    PURCHASE_ORDER.check("submit", by, po)
    refuse_unless(po.supplier.active, _("%(supplier)s is marked inactive; choose an active supplier.")
                  % {"supplier": po.supplier})
    refuse_unless(po.delivery_date >= timezone.localdate(), _("The delivery date is in the past."))
    po.status, po.submitted_by, po.submitted_at = S.SUBMITTED, by, timezone.now()
    po.version += 1
    po.save()
    overspend = overspend_if_approved(project, po)
    if not overspend and permissions.is_project_manager_of(by, project) and budget_approved_if_required(project):
        return _approve(po, by, Decimal("0"), "")
    link = po.get_absolute_url()
    if overspend:
        leads = User.objects.filter(groups__name=Role.PMO_LEAD, is_active=True).exclude(
            pk__in=[by.pk, po.created_by_id])
        for lead in leads:
            notify_user(lead, reverse("approvals"), gettext_lazy("Purchase order beyond budget: %(number)s"),
                        gettext_lazy("%(number)s on %(code)s exceeds the approved budget by EUR %(overspend)s."),
                        number=po.number, code=project.code, overspend=overspend)
    else:
        for manager in {project.project_manager, project.deputy_manager} - {None, by}:
            notify_user(manager, link, gettext_lazy("Purchase order to approve: %(number)s"),
                        gettext_lazy("EUR %(total)s to %(supplier)s."), number=po.number, total=po.net_total,
                        supplier=str(po.supplier))
    return po


@transaction.atomic
def purchase_order_approve(*, po_id: int, by: User, comment: str = "") -> PurchaseOrder:
    """The PM within the approved budget; the PMO lead beyond it (recorded as written agreement)."""
    po = lock_purchase_order(po_id)
    po.project = Project.objects.select_for_update().get(pk=po.project_id)  # two approvals at once: one waits
    PURCHASE_ORDER.check("approve", by, po)
    _approve(po, by, overspend_if_approved(po.project, po), comment)
    if po.submitted_by_id != by.pk:
        notify_user(po.submitted_by, po.get_absolute_url(), gettext_lazy("Purchase order approved: %(number)s"),
                    comment, number=po.number)
    return po


@transaction.atomic
def purchase_order_reject(*, po_id: int, by: User, comment: str) -> PurchaseOrder:
    """Back to draft with the reason."""
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("reject", by, po)
    refuse_unless(bool(comment.strip()), _("Say why the purchase order is rejected."))
    po.status, po.decision_comment = S.DRAFT, comment
    po.version += 1
    po.save()
    notify_user(po.submitted_by, po.get_absolute_url(), gettext_lazy("Purchase order rejected: %(number)s"),
                comment, number=po.number)
    return po


@transaction.atomic
def purchase_order_send(*, po_id: int, by: User) -> PurchaseOrder:
    """Mark as sent; the PDF is made and e-mailed to the supplier by a worker after commit."""
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("send", by, po)
    po.status, po.sent_at = S.SENT, timezone.now()
    po.version += 1
    po.save()
    purchase_order_event(events.EventType.PURCHASE_ORDER_SENT, po)
    enqueue("procurement.tasks.send_purchase_order", po.pk)
    return po


@transaction.atomic
def purchase_order_close(*, po_id: int, by: User) -> PurchaseOrder:
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("close", by, po)
    po.status = S.CLOSED
    po.version += 1
    po.save()
    return po


@transaction.atomic
def purchase_order_cancel(*, po_id: int, by: User, reason: str) -> PurchaseOrder:
    """Cancelled with a reason, and only before anything was received."""
    po = lock_purchase_order(po_id)
    PURCHASE_ORDER.check("cancel", by, po)
    refuse_unless(bool(reason.strip()), _("Say why the purchase order is cancelled."))
    po.status, po.cancel_reason = S.CANCELLED, reason
    po.version += 1
    po.save()
    forecast_changed.send(sender=PurchaseOrder, project_id=po.project_id)
    return po
