from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import django_filters
from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from projects.permissions import purchase_orders_visible_to

from .models import PurchaseOrder, Supplier, SupplierInvoice

ZERO = Decimal("0")


@dataclass
class CostLine:
    label: str
    budget: Decimal = ZERO
    ordered: Decimal = ZERO
    actual: Decimal = ZERO
    estimate_to_complete: Decimal = ZERO

    @property
    def committed(self) -> Decimal:
        """Approved and not cancelled, not yet invoiced."""
        return max(self.ordered - self.actual, ZERO)

    @property
    def forecast(self) -> Decimal:
        return self.actual + self.committed + self.estimate_to_complete

    @property
    def over_budget(self) -> bool:
        return self.forecast > self.budget

    @property
    def overrun(self) -> Decimal:
        return max(self.forecast - self.budget, ZERO)


@dataclass
class ProjectCosts:
    approved_budget: Decimal | None
    lines: list[CostLine] = field(default_factory=list)

    def _sum(self, name) -> Decimal:
        return sum((getattr(line, name) for line in self.lines), ZERO)

    @property
    def total(self) -> CostLine:
        return CostLine(_("Total"), budget=self.approved_budget or ZERO, ordered=self._sum("ordered"),
                        actual=self._sum("actual"), estimate_to_complete=self._sum("estimate_to_complete"))


def project_costs(project: Project) -> ProjectCosts:
    """Budget, committed, actual and forecast per budget line, in four queries whatever the size."""
    ordered = dict(project.purchase_orders.filter(status__in=PurchaseOrder.COMMITTED)
                   .values_list("budget_line").annotate(t=Sum("net_total")).order_by())
    actual = dict(SupplierInvoice.objects.filter(purchase_order__project=project,
                                                 match__in=[SupplierInvoice.Match.MATCHED, SupplierInvoice.Match.ACCEPTED])
                  .values_list("purchase_order__budget_line").annotate(t=Sum("net_amount")).order_by())
    lines = [
        CostLine(str(line), budget=line.amount, ordered=ordered.get(line.pk, ZERO), actual=actual.get(line.pk, ZERO),
                 estimate_to_complete=line.estimate_to_complete)
        for line in project.budget_lines.all()
    ]
    if ordered.get(None) or actual.get(None):
        lines.append(CostLine(str(_("Not on a budget line")), ordered=ordered.get(None, ZERO),
                              actual=actual.get(None, ZERO)))
    baseline = project.current_baseline
    return ProjectCosts(approved_budget=baseline.budget if baseline else None, lines=lines)


def costs_by_project(projects: list[Project]) -> dict[int, CostLine]:
    """Totals for many projects at once (home pages): three queries for the whole list."""
    ids = [p.pk for p in projects]
    ordered = dict(PurchaseOrder.objects.filter(project__in=ids, status__in=PurchaseOrder.COMMITTED)
                   .values_list("project").annotate(t=Sum("net_total")).order_by())
    actual = dict(SupplierInvoice.objects.filter(purchase_order__project__in=ids,
                                                 match__in=[SupplierInvoice.Match.MATCHED, SupplierInvoice.Match.ACCEPTED])
                  .values_list("purchase_order__project").annotate(t=Sum("net_amount")).order_by())
    from projects.models import Baseline, BudgetLine

    etc = dict(BudgetLine.objects.filter(project__in=ids).values_list("project").annotate(t=Sum("estimate_to_complete"))
               .order_by())
    budgets = {}
    for baseline in Baseline.objects.filter(project__in=ids).order_by("project", "-version").distinct():
        budgets.setdefault(baseline.project_id, baseline.budget)
    return {
        pid: CostLine("", budget=budgets.get(pid, ZERO), ordered=ordered.get(pid, ZERO), actual=actual.get(pid, ZERO),
                      estimate_to_complete=etc.get(pid, ZERO))
        for pid in ids
    }


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
    return PurchaseOrderFilter(params, queryset=purchase_orders.select_related("project", "supplier").order_by("-number"))


def supplier_list(params) -> QuerySet[Supplier]:
    search = params.get("q", "").strip()
    suppliers = Supplier.objects.order_by("name")
    if search:
        suppliers = suppliers.filter(Q(name__icontains=search) | Q(vat_number__icontains=search))
    return suppliers


def vat_breakdown(po: PurchaseOrder, lines) -> list[tuple[int, Decimal, Decimal]]:
    """(rate, net, VAT) per rate; VAT is the sum of the lines' rounded VAT."""
    by_rate = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        by_rate[line.vat_rate][0] += line.net
        by_rate[line.vat_rate][1] += line.vat
    return [(rate, net, vat) for rate, (net, vat) in sorted(by_rate.items(), reverse=True)]


def overspend_for(po: PurchaseOrder) -> Decimal:
    from .services import overspend_if_approved

    return overspend_if_approved(po.project, po)


def purchase_orders_waiting_for(user, limit: int = 200) -> list[tuple[PurchaseOrder, Decimal]]:
    """Submitted orders this user decides on, with the overspend each would cause: the PM within
    the approved budget, the PMO lead beyond it. A fixed number of queries."""
    from projects.permissions import can_approve_purchase_order_as_pm, can_approve_purchase_order_as_pmo_lead

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


def projects_forecast_over_budget(projects: QuerySet[Project], limit: int) -> list[tuple[Project, CostLine]]:
    """The projects whose forecast exceeds the approved budget, worst first. Four grouped sums over
    the given projects (a semi-join, not a list of ids) and one fetch of the projects shown:
    measured 10,000 projects with 100,000 orders in bench/."""
    from projects.models import Baseline, BudgetLine

    ids = projects.values("pk")
    committed = [PurchaseOrder.Status(s) for s in PurchaseOrder.COMMITTED]
    counted = [SupplierInvoice.Match.MATCHED, SupplierInvoice.Match.ACCEPTED]
    ordered = dict(PurchaseOrder.objects.filter(project__in=ids, status__in=committed)
                   .values_list("project").annotate(t=Sum("net_total")).order_by())
    actual = dict(SupplierInvoice.objects.filter(purchase_order__project__in=ids, match__in=counted)
                  .values_list("purchase_order__project").annotate(t=Sum("net_amount")).order_by())
    remaining = dict(BudgetLine.objects.filter(project__in=ids).values_list("project")
                     .annotate(t=Sum("estimate_to_complete")).order_by())
    budgets = {}
    for project_id, budget in Baseline.objects.filter(project__in=ids).order_by("project", "version") \
            .values_list("project", "budget"):
        budgets[project_id] = budget  # the last version wins
    totals = {
        pid: CostLine("", budget=budgets.get(pid, ZERO), ordered=ordered.get(pid, ZERO),
                      actual=actual.get(pid, ZERO), estimate_to_complete=remaining.get(pid, ZERO))
        for pid in set(ordered) | set(actual) | set(remaining)
    }
    worst = sorted((t.budget - t.forecast, pid) for pid, t in totals.items() if t.over_budget)[:limit]
    shown = projects.in_bulk([pid for _gap, pid in worst])
    return [(shown[pid], totals[pid]) for _gap, pid in worst if pid in shown]
