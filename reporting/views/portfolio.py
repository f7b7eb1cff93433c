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
from reporting.selectors.portfolio import COLOUR_ORDER, portfolio_rows, rag_counts, top_risks


def _rows(request):
    if not permissions.can_view_portfolio(request.user):
        raise PermissionDenied
    projects = permissions.projects_visible_to(request.user).filter(status__in=Project.UNDER_WAY) \
        .select_related("customer", "project_manager")
    params = request.GET
    if params.get("q", "").strip():
        text = params["q"].strip()
        projects = projects.filter(code__icontains=text) | projects.filter(name__icontains=text)
    if params.get("level", "").isdigit():
        projects = projects.filter(level=int(params["level"]))
    if params.get("pm", "").isdigit():
        projects = projects.filter(project_manager=int(params["pm"]))
    rows = portfolio_rows(list(projects.order_by("code")))
    colour = params.get("rag")
    if colour in COLOURS:
        rows = [row for row in rows if COLOUR_ORDER[row.worst] >= COLOUR_ORDER[colour]]
    rows.sort(key=lambda row: (-COLOUR_ORDER[row.worst], row.project.code))
    return rows, projects


@require_safe
def portfolio(request):
    rows, projects = _rows(request)
    counts = rag_counts(rows)
    return render(request, "reporting/portfolio.html", {
        "page": Paginator(rows, 25).get_page(request.GET.get("page")), "count": len(rows),
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
    rows, _projects = _rows(request)
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
