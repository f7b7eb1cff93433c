"""Reads of projects: the filtered list, the schedule figures, the lifecycle steps a user may take."""

import django_filters
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from projects.lib.search import code_contains, matching_any
from projects.lib.workflow import Transition
from projects.models import PROJECT_CODE_PREFIX, Activity, Dependency, Milestone, Project
from projects.permissions import projects_visible_to
from projects.selectors.plan import plan_forecast
from projects.workflows import PROJECT


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Project.Status.choices)
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Project.Level.choices)
    # A person is in a group once and group names are unique: no DISTINCT needed. The drop-down shows
    # names only, so it reads no other column (a DISTINCT over whole user rows cost more than the rows).
    project_manager = django_filters.ModelChoiceFilter(
        label=_("Project manager"), queryset=User.objects.filter(groups__name=Role.PROJECT_MANAGER)
        .only("pk", "username", "first_name", "last_name"))
    # A text filter: a drop-down of every customer would cost more than the page itself.
    customer = django_filters.CharFilter(label=_("Customer"), field_name="customer__name", lookup_expr="icontains")

    class Meta:
        model = Project
        fields = ["q", "status", "level", "project_manager", "customer"]

    def search(self, queryset, name, value):
        return matching_any(queryset, code_contains("code", value, PROJECT_CODE_PREFIX), Q(name__icontains=value),
                            Q(customer__name__icontains=value))


def project_actions_for_user(user, project: Project) -> dict[str, Transition]:
    """The lifecycle transitions the user may take on the project now: its page's buttons."""
    return PROJECT.available(user, project)


def project_list_for_user(user, params) -> ProjectFilter:
    projects = projects_visible_to(user).select_related("customer", "project_manager").order_by("-code")
    return ProjectFilter(params, queryset=projects)


PLAN_FIELDS = ("pk", "project_id", "planned_start", "planned_end", "status")


def schedule_figures(project: Project) -> dict:
    """Forecast end against the baseline end, schedule variance, activities that start late and
    slipped milestones: shown on the project page, and read by the highlight report and the
    tolerance check (the portfolio computes the same per project with plan_forecast)."""
    activities = list(Activity.objects.filter(project=project).only(*PLAN_FIELDS))
    links = list(Dependency.objects.filter(successor__project=project).only("predecessor_id", "successor_id",
                                                                            "lag_days"))
    forecast = plan_forecast(activities, links)
    forecast_end = forecast["forecast_end"]
    baseline = project.current_baseline
    baseline_end = baseline.end_date if baseline else project.end_date
    slipped = list(Milestone.objects.filter(project=project, forecast_date__gt=F("baseline_date")))
    return {
        "forecast_end": forecast_end, "baseline_end": baseline_end,
        "variance_days": (forecast_end - baseline_end).days if forecast_end and baseline_end else None,
        "slipped_milestones": slipped, "late_starts": forecast["late_starts"],
    }
