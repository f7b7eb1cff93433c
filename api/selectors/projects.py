"""The API's reads of projects: the permission module's querysets, with what the serializers show read
in the same query (customer, managers, summary, current phase), so a list costs the same at any size."""

from django.db.models import OuterRef, QuerySet, Subquery

from projects import permissions
from projects.models import Activity, Project
from reporting.services.summaries import project_summaries_refresh


def current_phase():
    """The phase of the first activity not done, in plan order: the highlight report's "phase"."""
    return Subquery(Activity.objects.filter(project=OuterRef("pk"), phase__isnull=False)
                    .exclude(status=Activity.Status.DONE).order_by("planned_start", "pk").values("phase__name")[:1])


def projects_for_api(user) -> QuerySet[Project]:
    projects = permissions.projects_visible_to(user).select_related("customer", "project_manager", "deputy_manager")
    if permissions.sees_project_internals(user):
        project_summaries_refresh()  # the status colours are read fresh, as the portfolio reads them
        projects = projects.select_related("summary")
    return projects.annotate(current_phase=current_phase())
