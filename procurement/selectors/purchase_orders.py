"""Reads of purchase orders: the filtered list, VAT, what waits for whom, what a user may do with one."""

from collections import defaultdict
from decimal import Decimal

import django_filters
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from procurement.models import ProjectCommitment, PurchaseOrder
from procurement.selectors.costs import ZERO, may_overspend_expression, overspend_expression, overspend_if_approved
from procurement.workflows import PURCHASE_ORDER
from projects.lib.search import code_contains, matching_any
from projects.lib.workflow import Transition
from projects.models import PROJECT_CODE_PREFIX
from projects.permissions import purchase_orders_decided_by, purchase_orders_visible_to


class PurchaseOrderFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PurchaseOrder.Status.choices)
    project = django_filters.CharFilter(label=_("Project code"), method="project_code")
    supplier = django_filters.CharFilter(label=_("Supplier"), field_name="supplier__name", lookup_expr="icontains")

    class Meta:
        model = PurchaseOrder
        fields = ["q", "status", "project", "supplier"]

    def search(self, queryset, name, value):
        return matching_any(queryset, code_contains("number", value, PurchaseOrder.NUMBER_PREFIX),
                            Q(notes__icontains=value), Q(lines__description__icontains=value))

    def project_code(self, queryset, name, value):
        return queryset.filter(code_contains("project__code", value, PROJECT_CODE_PREFIX))


LISTED_WITH = ("project", "supplier")
LIST_ORDER = "-number"


def purchase_order_list_for_user(user, params) -> PurchaseOrderFilter:
    purchase_orders = purchase_orders_visible_to(user, PurchaseOrder.objects.all())
    purchase_orders = purchase_orders.select_related(*LISTED_WITH).order_by(LIST_ORDER)
    return PurchaseOrderFilter(params, queryset=purchase_orders)


def purchase_order_totals(po_filter: PurchaseOrderFilter) -> dict:
    """How many orders the list holds and their net total. Unfiltered, the sum of every project's kept
    figures (ProjectCommitment, one row a project) rather than of every order; filtered, the orders
    that match, which the filters' indexes find. Whoever sees purchasing sees every order, so the
    unfiltered list is all of them."""
    purchase_orders = po_filter.qs
    if po_filter.is_valid() and not any(po_filter.form.cleaned_data.values()) and not purchase_orders.query.is_empty():
        totals = ProjectCommitment.objects.aggregate(count=Sum("orders"), total=Sum("orders_net"))
        return {"count": totals["count"] or 0, "total": totals["total"]}
    return purchase_orders.aggregate(count=Count("*"), total=Sum("net_total"))


def purchase_order_page(purchase_orders: QuerySet[PurchaseOrder], number, per_page: int,
                        totals: dict | None = None) -> tuple[Page, Decimal]:
    """A page of the list and the net total of all its orders, in three queries at any depth: the count
    and the total together (the count serves the paginator too; `totals` when known already, see
    purchase_order_totals); the page's ids, picked from the ordering alone (OFFSET walks the number
    index instead of joining every skipped order to its project and supplier); then the page's orders
    with their project and supplier."""
    totals = totals or purchase_orders.aggregate(count=Count("*"), total=Sum("net_total"))
    paginator = Paginator(purchase_orders.values("pk"), per_page)
    paginator.count = totals["count"]  # known already: the paginator's own count would scan the rows again
    page = paginator.get_page(number)
    page.object_list = list(PurchaseOrder.objects.select_related(*LISTED_WITH).order_by(LIST_ORDER)
                            .filter(pk__in=page.object_list))
    return page, totals["total"] or ZERO


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
    """Submitted orders this user decides on, oldest first, with the overspend each would cause: the PM
    within the approved budget, the PMO lead beyond it. One query: who decides is worked out in SQL
    before the list is cut; the PM's orders are found from their projects, the PMO lead's from the few
    projects flagged with an order beyond budget, both through the index on (project, status)."""
    submitted = purchase_orders_visible_to(user, PurchaseOrder.objects.filter(status=PurchaseOrder.Status.SUBMITTED))
    decided = purchase_orders_decided_by(user, submitted.annotate(overspend_now=overspend_expression(),
                                                                  may_overspend=may_overspend_expression()))
    orders = decided.select_related("project", "supplier").order_by("submitted_at", "pk")[:limit]
    return [(po, max(po.overspend_now, ZERO)) for po in orders]
