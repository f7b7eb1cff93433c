"""Cost figures: budget, committed, actual and forecast per project and budget line."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import ExpressionWrapper, F, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from procurement.models import PurchaseOrder, SupplierInvoice
from projects.models import Baseline, BudgetLine, CostCategory, Project, Timesheet, TimesheetLine


def committed_cost(project: Project) -> Decimal:
    """Everything approved and not cancelled, invoiced or not."""
    total = project.purchase_orders.filter(status__in=PurchaseOrder.COMMITTED).aggregate(t=Sum("net_total"))["t"]
    return total or Decimal("0")


def overspend_if_approved(project: Project, po: PurchaseOrder) -> Decimal:
    """How far the approved budget would be exceeded (0 when it would not)."""
    baseline = project.current_baseline
    budget = baseline.budget if baseline else Decimal("0")
    return max(committed_cost(project) + po.net_total - budget, Decimal("0"))


ZERO = Decimal("0")
MONEY = models.DecimalField(max_digits=16, decimal_places=2)


def overspend_expression():
    """overspend_if_approved as SQL, for a queryset of orders: the project's committed cost plus the
    order, less the current baseline's budget (negative when the order fits). Both figures come from
    the project's ProjectCommitment, kept exact by triggers: a join, not a sum per order."""
    return ExpressionWrapper(
        Coalesce(F("project__commitment__committed"), Value(ZERO), output_field=MONEY) + F("net_total")
        - Coalesce(F("project__commitment__budget"), Value(ZERO), output_field=MONEY), output_field=MONEY)


def may_overspend_expression():
    """Whether the project's largest submitted order exceeds what its budget has left (ProjectCommitment,
    kept by triggers): implied by overspend_expression() > 0 for any submitted order of the project, and
    indexed, so a list of the orders beyond budget starts from the few projects that have one. No
    default: a project with a submitted order always has its row (the trigger writes it)."""
    return F("project__commitment__beyond_budget")


@dataclass
class CostLine:
    label: str
    budget: Decimal = ZERO
    ordered: Decimal = ZERO
    actual: Decimal = ZERO  # matched supplier invoices plus approved internal labour
    estimate_to_complete: Decimal = ZERO
    labour: Decimal = ZERO  # of the actual: approved timesheet hours x the rate in force (their stored cost)

    @property
    def invoiced(self) -> Decimal:
        return self.actual - self.labour

    @property
    def committed(self) -> Decimal:
        """Approved and not cancelled, not yet invoiced."""
        return max(self.ordered - self.invoiced, ZERO)

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
                        actual=self._sum("actual"), estimate_to_complete=self._sum("estimate_to_complete"),
                        labour=self._sum("labour"))


def approved_labour():
    """Timesheet lines whose cost counts as actual: those of approved timesheets (cost fixed at approval)."""
    return TimesheetLine.objects.filter(timesheet__status=Timesheet.Status.APPROVED)


def project_costs(project: Project) -> ProjectCosts:
    """Budget, committed, actual and forecast per budget line, in five queries whatever the size. Approved
    internal labour is actual cost of the project's (first) internal labour line, or of a line of its own."""
    ordered = dict(project.purchase_orders.filter(status__in=PurchaseOrder.COMMITTED)
                   .values_list("budget_line").annotate(t=Sum("net_total")).order_by())
    actual = dict(SupplierInvoice.objects.filter(purchase_order__project=project,
                                                 match__in=SupplierInvoice.ACTUAL)
                  .values_list("purchase_order__budget_line").annotate(t=Sum("net_amount")).order_by())
    labour = approved_labour().filter(timesheet__project=project).aggregate(t=Sum("cost"))["t"] or ZERO
    budget_lines = list(project.budget_lines.all())
    labour_line = next((line.pk for line in budget_lines if line.category == CostCategory.INTERNAL_LABOUR), None)
    lines = []
    for line in budget_lines:
        own = labour if line.pk == labour_line else ZERO
        lines.append(CostLine(str(line), budget=line.amount, ordered=ordered.get(line.pk, ZERO),
                              actual=actual.get(line.pk, ZERO) + own, estimate_to_complete=line.estimate_to_complete,
                              labour=own))
    if labour and labour_line is None:
        lines.append(CostLine(str(_("Internal labour (no budget line)")), actual=labour, labour=labour))
    if ordered.get(None) or actual.get(None):
        lines.append(CostLine(str(_("Not on a budget line")), ordered=ordered.get(None, ZERO),
                              actual=actual.get(None, ZERO)))
    baseline = project.current_baseline
    return ProjectCosts(approved_budget=baseline.budget if baseline else None, lines=lines)


def costs_by_project(projects: list[Project]) -> dict[int, CostLine]:
    """Totals for many projects at once (home pages): five queries for the whole list."""
    ids = [p.pk for p in projects]
    ordered = dict(PurchaseOrder.objects.filter(project__in=ids, status__in=PurchaseOrder.COMMITTED)
                   .values_list("project").annotate(t=Sum("net_total")).order_by())
    actual = dict(SupplierInvoice.objects.filter(purchase_order__project__in=ids,
                                                 match__in=SupplierInvoice.ACTUAL)
                  .values_list("purchase_order__project").annotate(t=Sum("net_amount")).order_by())
    etc = dict(BudgetLine.objects.filter(project__in=ids).values_list("project").annotate(t=Sum("estimate_to_complete"))
               .order_by())
    budgets = dict(Baseline.objects.filter(project__in=ids).current().values_list("project", "budget"))
    labour = dict(approved_labour().filter(timesheet__project__in=ids).values_list("timesheet__project")
                  .annotate(t=Sum("cost")).order_by())
    return {
        pid: CostLine("", budget=budgets.get(pid, ZERO), ordered=ordered.get(pid, ZERO),
                      actual=actual.get(pid, ZERO) + labour.get(pid, ZERO), estimate_to_complete=etc.get(pid, ZERO),
                      labour=labour.get(pid, ZERO))
        for pid in ids
    }
