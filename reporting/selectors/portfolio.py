"""The PMO lead's portfolio: every active project's status, cost figures and top risks in a few grouped queries."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Avg, Count, F, Max, Q

from procurement.models import PurchaseOrder
from procurement.selectors.costs import CostLine, costs_by_project
from projects.models import (
    Activity,
    Baseline,
    BudgetSubmission,
    ChangeRequest,
    Dependency,
    Project,
    ProjectException,
    ProjectIssue,
    Risk,
    SatisfactionSurvey,
)
from projects.selectors.plan import plan_forecast
from reporting.selectors.facts import (
    DIMENSIONS,
    cost_rag,
    late_working_days,
    quality_rag,
    risk_rag,
    scope_rag,
    time_rag,
)

COLOUR_ORDER = {"green": 0, "amber": 1, "red": 2}


@dataclass
class PortfolioRow:
    project: Project
    costs: CostLine
    baseline_end: object = None
    forecast_end: object = None
    late_days: int | None = None
    rag: dict = field(default_factory=dict)
    exceptions: list = field(default_factory=list)
    pending: int = 0
    top_risk: int = 0
    satisfaction: float | None = None

    @property
    def cost_variance(self) -> Decimal:
        """Budget minus forecast: negative is an overrun."""
        return self.costs.budget - self.costs.forecast

    @property
    def days_late(self) -> int | None:
        """Working days after the baseline end; a forecast before it is not late (0)."""
        return None if self.late_days is None else max(self.late_days, 0)

    @property
    def days_ahead(self) -> int:
        return -self.late_days if self.late_days and self.late_days < 0 else 0

    @property
    def exception_labels(self) -> list[str]:
        return [ProjectException.Kind(kind).label for kind in self.exceptions]

    @property
    def worst(self) -> str:
        return max(self.rag.values(), key=COLOUR_ORDER.get, default="green")


def _grouped(queryset, **aggregates) -> dict[int, dict]:
    return {row.pop("project"): row for row in queryset.values("project").annotate(**aggregates).order_by()}


def _plans(ids) -> dict[int, dict]:
    """Each project's plan_forecast, from two queries for all of them (the activities' dates and status
    and the dependencies)."""
    activities, links = {}, {}
    for row in Activity.objects.filter(project__in=ids).values("pk", "project", "planned_start", "planned_end",
                                                                "status").order_by():
        activities.setdefault(row["project"], []).append(SimpleNamespace(**row))
    for row in Dependency.objects.filter(successor__project__in=ids).values(
            "predecessor_id", "successor_id", "lag_days", project=F("successor__project")).order_by():
        links.setdefault(row["project"], []).append(SimpleNamespace(**row))
    return {pid: plan_forecast(plan, links.get(pid, [])) for pid, plan in activities.items()}


def portfolio_rows(projects: list[Project]) -> list[PortfolioRow]:
    """Twelve grouped queries, whatever the number of projects."""
    ids = [p.pk for p in projects]
    costs = costs_by_project(projects)
    baseline_ends = dict(Baseline.objects.filter(project__in=ids).current().values_list("project", "end_date"))
    plans = _plans(ids)
    risks = _grouped(Risk.objects.filter(project__in=ids, status=Risk.Status.OPEN).annotate(score=Risk.SCORE),
                     top=Max("score"), high=Count("pk", filter=Q(score__gte=Risk.HIGH_SCORE)))
    quality = _grouped(ProjectIssue.objects.filter(
        project__in=ids, type=ProjectIssue.Type.OFF_SPECIFICATION,
        status__in=[ProjectIssue.Status.OPEN, ProjectIssue.Status.IN_PROGRESS]), n=Count("pk"), worst=Max("severity"))
    changes = _grouped(ChangeRequest.objects.filter(project__in=ids, status=ChangeRequest.Status.SUBMITTED),
                       n=Count("pk"))
    budgets = _grouped(BudgetSubmission.objects.filter(project__in=ids, status=BudgetSubmission.Status.PENDING),
                       n=Count("pk"))
    orders = _grouped(PurchaseOrder.objects.filter(project__in=ids, status=PurchaseOrder.Status.SUBMITTED),
                      n=Count("pk"))
    satisfaction = _grouped(SatisfactionSurvey.objects.filter(project__in=ids, answered_at__isnull=False),
                            q=Avg("quality"), c=Avg("communication"), t=Avg("timeliness"), s=Avg("site_conduct"))
    exceptions = {}
    for project_id, kind in ProjectException.objects.filter(project__in=ids, cleared_at__isnull=True) \
            .values_list("project", "kind"):
        exceptions.setdefault(project_id, []).append(kind)

    rows = []
    for project in projects:
        pid = project.pk
        plan = plans.get(pid, {"forecast_end": None, "late_starts": 0})
        forecast_end = plan["forecast_end"]
        baseline_end = baseline_ends.get(pid, project.end_date)
        late = late_working_days(baseline_end, forecast_end)
        cost = costs[pid]
        risk, issue = risks.get(pid, {}), quality.get(pid, {})
        pending_changes = changes.get(pid, {}).get("n", 0)
        rag = {
            "time": time_rag(baseline_end, forecast_end, project.time_tolerance_days, plan["late_starts"]),
            "cost": cost_rag(cost.budget, cost.forecast, project.cost_tolerance_percent),
            "scope": scope_rag(pending_changes),
            "quality": quality_rag(issue.get("n", 0), issue.get("worst") or 0),
            "risk": risk_rag(risk.get("high", 0), risk.get("top") or 0),
        }
        rag = {dimension: verdict["colour"] for dimension, verdict in rag.items()}
        rows.append(PortfolioRow(
            project=project, costs=cost, baseline_end=baseline_end, forecast_end=forecast_end, late_days=late,
            rag=rag, exceptions=exceptions.get(pid, []), top_risk=risk.get("top") or 0,
            pending=pending_changes + budgets.get(pid, {}).get("n", 0) + orders.get(pid, {}).get("n", 0),
            satisfaction=round(sum(satisfaction[pid].values()) / 4, 1) if pid in satisfaction else None))
    return rows


def rag_counts(rows: list[PortfolioRow]) -> dict[str, dict[str, int]]:
    """Per dimension, how many projects are green, amber, red: the chart's data."""
    counts = {dimension: {"green": 0, "amber": 0, "red": 0} for dimension in DIMENSIONS}
    for row in rows:
        for dimension, colour in row.rag.items():
            counts[dimension][colour] += 1
    return counts


def top_risks(projects, limit: int = 10) -> list[Risk]:
    return list(Risk.objects.filter(project__in=projects, status=Risk.Status.OPEN)
                .annotate(residual_score=Risk.SCORE)
                .select_related("project", "owner").order_by("-residual_score", "review_date", "pk")[:limit])
