"""The portfolio page and its Excel export."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import User
from accounts.roles import Role
from projects import permissions
from projects.lib.exports import xlsx_response
from projects.models import Project
from reporting.selectors.facts import COLOURS, DIMENSION_LABELS, DIMENSIONS
from reporting.selectors.portfolio import PAGE_SIZE, portfolio_counts, portfolio_filter, summary_row, top_risks
from reporting.services.summaries import project_summaries_refresh


def _projects(request):
    """The filtered, sorted projects with fresh summaries: stale ones are recomputed first (as many as
    changed since the last reader)."""
    if not permissions.can_view_portfolio(request.user):
        raise PermissionDenied
    project_summaries_refresh()
    return portfolio_filter(permissions.projects_visible_to(request.user), request.GET)


@require_safe
def portfolio(request):
    projects = _projects(request)
    count, counts = portfolio_counts(projects)
    # Two steps: the page's ids from a narrow sorted list, then its 50 projects with their summaries.
    paginator = Paginator(projects.values_list("pk", flat=True), PAGE_SIZE)
    paginator.count = count  # from the aggregate above: no second count
    page = paginator.get_page(request.GET.get("page"))
    shown = Project.objects.select_related("customer", "project_manager", "summary").in_bulk(list(page.object_list))
    page.object_list = [summary_row(shown[pk]) for pk in page.object_list]
    return render(request, "reporting/portfolio.html", {
        "page": page, "count": count,
        "top_risks": top_risks(projects), "dimensions": [(d, DIMENSION_LABELS[d]) for d in DIMENSIONS],
        "colours": list(COLOURS.items()),
        "managers": User.objects.filter(groups__name=Role.PROJECT_MANAGER, is_active=True).order_by("first_name"),
        "levels": Project.Level.choices, "params": request.GET,
        "chart": {
            "labels": [str(DIMENSION_LABELS[d]) for d in DIMENSIONS],
            "series": [{"label": str(COLOURS[c]), "colour": c, "data": [counts[d][c] for d in DIMENSIONS]}
                       for c in COLOURS],
        },
    })


@require_safe
def portfolio_export(request):
    rows = [summary_row(project)
            for project in _projects(request).select_related("customer", "project_manager", "summary")]
    header = [_("Project"), _("Name"), _("Customer"), _("Project manager"), _("Level"), _("Status"),
              *[DIMENSION_LABELS[d] for d in DIMENSIONS], _("Budget"), _("Committed"), _("Actual"), _("Forecast"),
              _("Cost variance"), _("Baseline end"), _("Forecast end"), _("Late (working days)"), _("Exceptions"),
              _("Pending approvals"), _("Top risk score"), _("Satisfaction")]
    return xlsx_response("portfolio.xlsx", _("Portfolio"), header, (
        [r.project.code, r.project.name, r.project.customer.name, str(r.project.project_manager or ""),
         r.project.level, str(r.project.get_status_display()), *[str(COLOURS[r.rag[d]]) for d in DIMENSIONS],
         r.costs.budget, r.costs.committed, r.costs.actual, r.costs.forecast, r.cost_variance, r.baseline_end,
         r.forecast_end, r.days_late, ", ".join(str(label) for label in r.exception_labels), r.pending, r.top_risk,
         r.satisfaction]
        for r in rows))
