"""The tolerance check: a forecast beyond the project's cost or time tolerance raises an exception
for the PMO lead; back within tolerance, it clears."""

from decimal import Decimal

from django.utils.translation import gettext as _

from procurement.selectors.costs import project_costs
from projects.lib.workdays import working_days_between
from projects.models import Project, ProjectException
from projects.selectors.projects import schedule_figures
from projects.services.change_control import exception_raise, exceptions_clear


def _amount(value: Decimal) -> str:
    return f"EUR {value:,.2f}"


def exceptions_check(project_id: int) -> None:
    project = Project.objects.get(pk=project_id)
    baseline = project.current_baseline
    if project.status not in Project.UNDER_WAY or baseline is None:
        return
    forecast = project_costs(project).total.forecast
    limit = baseline.budget * (1 + project.cost_tolerance_percent / 100)
    if forecast > limit:
        exception_raise(project_id=project.pk, kind=ProjectException.Kind.COST, summary=_(
            "forecast cost %(forecast)s exceeds the budget of %(budget)s plus %(percent)s %% tolerance") % {
            "forecast": _amount(forecast), "budget": _amount(baseline.budget),
            "percent": f"{project.cost_tolerance_percent:g}"})
    else:
        exceptions_clear(project_id=project.pk, kind=ProjectException.Kind.COST,
                         reason=_("forecast cost back within tolerance"))
    schedule = schedule_figures(project)
    late = (working_days_between(schedule["baseline_end"], schedule["forecast_end"])
            if schedule["forecast_end"] and schedule["baseline_end"] else 0)
    if late > project.time_tolerance_days:
        exception_raise(project_id=project.pk, kind=ProjectException.Kind.TIME, summary=_(
            "forecast end %(end)s is %(days)s working days after the baseline end, beyond the tolerance of "
            "%(tolerance)s") % {"end": schedule["forecast_end"].isoformat(), "days": late,
                                "tolerance": project.time_tolerance_days})
    else:
        exceptions_clear(project_id=project.pk, kind=ProjectException.Kind.TIME,
                         reason=_("forecast end back within tolerance"))
