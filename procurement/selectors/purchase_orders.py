"""Reads of purchase orders: the filtered list, VAT, what waits for whom, what a user may do with one."""

from collections import defaultdict
from decimal import Decimal

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from procurement.models import PurchaseOrder
from procurement.selectors.costs import ZERO, costs_by_project, overspend_if_approved
from procurement.workflows import PURCHASE_ORDER
from projects.lib.workflow import Transition
from projects.permissions import (
    can_approve_purchase_order_as_pm,
    can_approve_purchase_order_as_pmo_lead,
    purchase_orders_visible_to,
)


class PurchaseOrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PurchaseOrder.Status.choices)
    project = django_filters.CharFilter(label=_("Project code"), field_name="project__code", lookup_expr="icontains")
    supplier = django_filters.CharFilter(label=_("Supplier"), field_name="supplier__name", lookup_expr="icontains")

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "project", "supplier"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(notes__icontains=value)
                               | Q(lines__description__icontains=value)).distinct()


def purchase_order_list_for_user(user, params) -> PurchaseOrderFilter:
    purchase_orders = purchase_orders_visible_to(user, PurchaseOrder.objects.all())
    purchase_orders = purchase_orders.select_related("project", "supplier").order_by("-number")
    return PurchaseOrderFilter(params, queryset=purchase_orders)


def vat_breakdown(po: PurchaseOrder, lines) -> list[tuple[int, Decimal, Decimal]]:
    """(rate, net, VAT) per rate; VAT is the sum of the lines' rounded VAT."""
    by_rate = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        by_rate[line.vat_rate][0] += line.net
        by_rate[line.vat_rate][1] += line.vat
    return [(rate, net, vat) for rate, (net, vat) in sorted(by_rate.items(), reverse=True)]


def purchase_order_actions_for_user(user, po: PurchaseOrder) -> dict[str, Transition]:
    """The transitions the user may take on the order now: its page's buttons. Approve is offered to
    the PM only within the approved budget, and beyond it to the PMO lead (written agreement)."""
    return PURCHASE_ORDER.available(user, po)


def overspend_for(po: PurchaseOrder) -> Decimal:
    return overspend_if_approved(po.project, po)


def purchase_orders_waiting_for(user, limit: int = 200) -> list[tuple[PurchaseOrder, Decimal]]:
    """Submitted orders this user decides on, with the overspend each would cause: the PM within
    the approved budget, the PMO lead beyond it. A fixed number of queries."""
    submitted = purchase_orders_visible_to(user, PurchaseOrder.objects.filter(status=PurchaseOrder.Status.SUBMITTED))
    orders = list(submitted.select_related("project", "supplier").order_by("submitted_at")[:limit])
    totals = costs_by_project([po.project for po in orders])
    waiting = []
    for po in orders:
        project_total = totals[po.project_id]
        overspend = max(project_total.ordered + po.net_total - project_total.budget, ZERO)
        decides = (can_approve_purchase_order_as_pmo_lead(user, po) if overspend
                   else can_approve_purchase_order_as_pm(user, po))
        if decides:
            waiting.append((po, overspend))
    return waiting
