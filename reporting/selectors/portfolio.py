"""The PMO lead's portfolio: every active project's status, cost figures and top risks. portfolio_rows
computes the rows in a few grouped queries; the pages read them from the project summaries it fills
(reporting.services.summaries), so they sort, filter, count and page in SQL."""

from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Avg, Count, F, Max, Q, QuerySet

from procurement.models import PurchaseOrder
from procurement.selectors.costs import CostLine, costs_by_project
from projects.lib.search import code_contains, matching_any
from projects.models import (
    PROJECT_CODE_PREFIX,
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
from reporting.models import RAG_LEVELS, ProjectSummary
from reporting.selectors.facts import (
    DIMENSIONS,
    cost_rag,
    late_working_days,
    quality_rag,
    risk_rag,
    scope_rag,
    time_rag,
)

COLOUR_ORDER = {colour: level for level, colour in enumerate(RAG_LEVELS)}

PAGE_SIZE = 50


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


def summary_values(row: PortfolioRow) -> dict:
    """A computed row as the figures its ProjectSummary stores."""
    return {
        "budget": row.costs.budget, "ordered": row.costs.ordered, "actual": row.costs.actual,
        "labour": row.costs.labour, "estimate_to_complete": row.costs.estimate_to_complete,
        "forecast": row.costs.forecast,
        "baseline_end": row.baseline_end, "forecast_end": row.forecast_end, "late_days": row.late_days,
        **{f"rag_{dimension}": COLOUR_ORDER[colour] for dimension, colour in row.rag.items()},
        "worst": COLOUR_ORDER[row.worst], "exceptions": row.exceptions, "pending": row.pending,
        "top_risk": row.top_risk, "satisfaction": row.satisfaction,
    }


def summary_costs(summary: ProjectSummary) -> CostLine:
    return CostLine("", budget=summary.budget, ordered=summary.ordered, actual=summary.actual,
                    estimate_to_complete=summary.estimate_to_complete, labour=summary.labour)


def summary_row(project: Project) -> PortfolioRow:
    """The portfolio row of a project fetched with its (fresh) summary: what portfolio_rows computed."""
    summary = project.summary
    return PortfolioRow(
        project=project, costs=summary_costs(summary), baseline_end=summary.baseline_end,
        forecast_end=summary.forecast_end, late_days=summary.late_days,
        rag={dimension: RAG_LEVELS[getattr(summary, f"rag_{dimension}")] for dimension in DIMENSIONS},
        exceptions=list(summary.exceptions), pending=summary.pending, top_risk=summary.top_risk,
        satisfaction=summary.satisfaction)


def portfolio_filter(projects: QuerySet[Project], params) -> QuerySet[Project]:
    """The projects under way matching the page's filters (text in code or name, level, project
    manager, at least a colour), worst colour first, then by code."""
    projects = projects.filter(status__in=Project.UNDER_WAY)
    if params.get("q", "").strip():
        text = params["q"].strip()
        # The same indexed look-ups as the project list's search (a code prefix, name trigrams).
        projects = matching_any(projects, code_contains("code", text, PROJECT_CODE_PREFIX), Q(name__icontains=text))
    if params.get("level", "").isdigit():
        projects = projects.filter(level=int(params["level"]))
    if params.get("pm", "").isdigit():
        projects = projects.filter(project_manager=int(params["pm"]))
    if params.get("rag") in COLOUR_ORDER:
        projects = projects.filter(summary__worst__gte=COLOUR_ORDER[params["rag"]])
    return projects.order_by("-summary__worst", "code")


def portfolio_counts(projects: QuerySet[Project]) -> tuple[int, dict[str, dict[str, int]]]:
    """How many projects, and per dimension how many are green, amber, red (the chart's data): one
    aggregate query."""
    counts = projects.order_by().aggregate(count=Count("pk"), **{
        f"{dimension}_{colour}": Count("pk", filter=Q(**{f"summary__rag_{dimension}": level}))
        for dimension in DIMENSIONS for level, colour in enumerate(RAG_LEVELS)})
    return counts["count"], {dimension: {colour: counts[f"{dimension}_{colour}"] for colour in RAG_LEVELS}
                             for dimension in DIMENSIONS}


def projects_forecast_over_budget(projects: QuerySet[Project], limit: int) -> list[tuple[Project, CostLine]]:
    """Of the given projects (with fresh summaries), those whose forecast exceeds the approved budget,
    the largest overrun first: one query on the summaries."""
    over = (projects.filter(summary__forecast__gt=F("summary__budget")).select_related("summary")
            .order_by(F("summary__budget") - F("summary__forecast"), "pk")[:limit])
    return [(project, summary_costs(project.summary)) for project in over]


def top_risks(projects, limit: int = 10) -> list[Risk]:
    return list(Risk.objects.filter(project__in=projects.order_by().values("pk"), status=Risk.Status.OPEN)
                .annotate(residual_score=Risk.SCORE)
                .select_related("project", "owner").order_by("-residual_score", "review_date", "pk")[:limit])
