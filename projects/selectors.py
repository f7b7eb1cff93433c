import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role

from .models import AttachmentKind, Customer, Intake, Project
from .permissions import intakes_visible_to, projects_visible_to

# Fields an intake template may require, in form order.
INTAKE_TEMPLATE_FIELDS = [
    "customer", "scope", "deliverables", "d365_opportunity", "d365_quote", "sold_price", "estimated_cost",
    "target_start", "target_end", "sites", "safety_requirements", "security_clearance", "access_requirements",
]


def intake_missing(intake: Intake) -> list[str]:
    """What the intake's template requires and the intake lacks, by label."""
    template = intake.project_type
    missing = [
        capfirst(Intake._meta.get_field(name).verbose_name)
        for name in ["title", *template.required_fields]
        if getattr(intake, name) in (None, "")
    ]
    present = {a.kind for a in intake.attachments.all()}
    labels = dict(AttachmentKind.choices)
    missing += [_("Attachment: %(kind)s") % {"kind": labels[kind]}
                for kind in template.required_attachments if kind not in present]
    return missing


def intake_completeness(intake: Intake) -> tuple[int, list[str]]:
    missing = intake_missing(intake)
    required = 1 + len(intake.project_type.required_fields) + len(intake.project_type.required_attachments)
    return round(100 * (required - len(missing)) / required), missing


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Project.Level.choices)
    project_manager = django_filters.ModelChoiceFilter(
        label=_("Project manager"), queryset=User.objects.filter(groups__name=Role.PROJECT_MANAGER).distinct())
    # A text filter: a drop-down of every customer would cost more than the page itself.
    customer = django_filters.CharFilter(label=_("Customer"), field_name="customer__name", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["q", "status", "level", "project_manager", "customer"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(customer__name__icontains=value))


def project_list_for_user(user, params) -> ProjectFilter:
    projects = projects_visible_to(user).select_related("customer", "project_manager").order_by("-code")
    return ProjectFilter(params, queryset=projects)


class IntakeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Intake.Status.choices)
    project_type = django_filters.ModelChoiceFilter(label=_("Project type"), queryset=None)

    class Meta:
        model = Intake
        fields = ["q", "status", "project_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ProjectType

        self.filters["project_type"].queryset = ProjectType.objects.all()

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(customer__name__icontains=value))


def intake_list_for_user(user, params) -> IntakeFilter:
    """The review queue shows the oldest submission first; other states newest first."""
    intakes = intakes_visible_to(user).select_related("customer", "project_type", "created_by", "project")
    order = ["submitted_at", "pk"] if params.get("status") == Intake.Status.SUBMITTED else ["-created_at", "-pk"]
    return IntakeFilter(params, queryset=intakes.order_by(*order))


def customer_list(params) -> QuerySet[Customer]:
    search = params.get("q", "").strip()
    customers = Customer.objects.order_by("name")
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(vat_number__icontains=search))
    return customers


def plan_for_project(project: Project) -> dict:
    """The plan page's data in five queries, whatever the number of activities."""
    from .models import Dependency
    from .planning import critical_path

    activities = list(project.activities.select_related("phase"))
    links = list(Dependency.objects.filter(predecessor__project=project).select_related("predecessor", "successor"))
    milestones = list(project.milestones.select_related("phase"))
    baseline = project.current_baseline
    today = timezone.localdate()
    # As in schedule_figures: an unfinished activity past its planned end finishes today at the earliest.
    forecast_end = max((a.planned_end if a.status == a.Status.DONE or a.planned_end >= today else today
                        for a in activities), default=None)
    baseline_end = baseline.end_date if baseline else project.end_date
    return {
        "phases": list(project.phases.all()), "activities": activities, "links": links, "milestones": milestones,
        "critical": critical_path(activities, links), "forecast_end": forecast_end, "baseline_end": baseline_end,
        "slip_days": (forecast_end - baseline_end).days if forecast_end and baseline_end else None,
        "slipped_milestones": [m for m in milestones if m.slip_days > 0],
    }


def gantt_data(project: Project) -> dict:
    """Tasks for the Gantt view: activities with their dependencies, critical ones marked, and
    milestones as one-day tasks."""
    plan = plan_for_project(project)
    predecessors = {}
    for link in plan["links"]:
        predecessors.setdefault(link.successor_id, []).append(str(link.predecessor_id))
    tasks = [{
        "id": str(a.pk), "name": a.name, "start": a.planned_start.isoformat(), "end": a.planned_end.isoformat(),
        "progress": a.percent_complete, "dependencies": ",".join(predecessors.get(a.pk, [])), "version": a.version,
        "custom_class": "bar-critical" if a.pk in plan["critical"] else "",
    } for a in plan["activities"]]
    tasks += [{
        "id": f"m{m.pk}", "name": f"◆ {m.name}", "start": m.forecast_date.isoformat(),
        "end": m.forecast_date.isoformat(), "progress": 0, "dependencies": "", "version": 0,
        "custom_class": "bar-milestone" + (" bar-slipped" if m.slip_days > 0 else ""),
    } for m in plan["milestones"]]
    # Baseline beside forecast: a slipped milestone also shows where it was promised.
    tasks += [{
        "id": f"b{m.pk}", "name": f"◇ {m.name} ({_('baseline')})", "start": m.baseline_date.isoformat(),
        "end": m.baseline_date.isoformat(), "progress": 0, "dependencies": "", "version": 0,
        "custom_class": "bar-baseline",
    } for m in plan["milestones"] if m.slip_days > 0]
    return {"tasks": tasks, "forecast_end": plan["forecast_end"]}


def forecast_end_sums() -> dict:
    """Aggregates for forecast_end_from, over the activities of one project or grouped by project."""
    from django.db.models import Count, Max

    from .models import Activity

    overdue = Q(planned_end__lt=timezone.localdate()) & ~Q(status=Activity.Status.DONE)
    return {"end": Max("planned_end"), "overdue": Count("pk", filter=overdue)}


def forecast_end_from(sums: dict):
    """The latest planned end; an unfinished activity past its planned end finishes today at the earliest."""
    if sums.get("end") and sums.get("overdue"):
        return max(sums["end"], timezone.localdate())
    return sums.get("end")


def schedule_figures(project: Project) -> dict:
    """Forecast end against the baseline end, schedule variance and slipped milestones: shown on
    the project page, and read by the highlight report and the portfolio view."""
    from django.db.models import F

    from .models import Activity, Milestone

    forecast_end = forecast_end_from(Activity.objects.filter(project=project).aggregate(**forecast_end_sums()))
    baseline = project.current_baseline
    baseline_end = baseline.end_date if baseline else project.end_date
    slipped = list(Milestone.objects.filter(project=project, forecast_date__gt=F("baseline_date")))
    return {
        "forecast_end": forecast_end, "baseline_end": baseline_end,
        "variance_days": (forecast_end - baseline_end).days if forecast_end and baseline_end else None,
        "slipped_milestones": slipped,
    }


def risk_heat_map(project: Project) -> list[list[tuple[int, int, int, str]]]:
    """Open risks by residual probability (rows, 5 at the top) and impact (columns), in one query."""
    from django.db.models import Count

    from .models import Risk

    counts = {(p, i): n for p, i, n in Risk.objects.filter(project=project, status=Risk.Status.OPEN)
              .values_list("residual_probability", "residual_impact").annotate(n=Count("pk")).order_by()}
    grid = []
    for probability in range(5, 0, -1):
        row = []
        for impact in range(1, 6):
            score = probability * impact
            band = "high" if score >= 15 else "medium" if score >= 8 else "low"
            row.append((probability, impact, counts.get((probability, impact), 0), band))
        grid.append(row)
    return grid


def risks_past_review(*, project: Project | None = None, owner=None, limit: int = 10) -> list:
    from django.utils import timezone

    from .models import Risk

    risks = Risk.objects.filter(status=Risk.Status.OPEN, review_date__lt=timezone.localdate())
    if project is not None:
        risks = risks.filter(project=project)
    if owner is not None:
        risks = risks.filter(owner=owner)
    return list(risks.select_related("project").order_by("review_date")[:limit])
