"""Who may see or do what with timesheets, cost rates and locked months (issue 18, item 2).

A timesheet is seen by its author, by who may decide it (the project's PM or deputy, the author's
engineering manager) and by finance (and an administrator); never by anyone else, sales included.
Nobody decides their own hours. Cost rates and month locks are finance's.
"""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from .models import CostRate, Resource, Timesheet
from .permissions import is_project_manager_of

FINANCE_ROLES = (Role.FINANCE, Role.ADMINISTRATOR)
APPROVER_ROLES = (Role.PROJECT_MANAGER, Role.ENGINEERING_MANAGER)


def resource_of(user) -> Resource | None:
    """The active resource linked to the user's login, or None."""
    if not user.is_authenticated:
        return None
    try:
        resource = user.resource
    except Resource.DoesNotExist:
        return None
    return resource if resource.active else None


def can_enter_timesheets(user) -> bool:
    return resource_of(user) is not None


def is_finance(user) -> bool:
    return user.is_authenticated and user.has_role(*FINANCE_ROLES)


def can_approve_timesheets_at_all(user) -> bool:
    """Who gets the "to approve" list: project managers and engineering managers."""
    return user.is_authenticated and user.has_role(*APPROVER_ROLES)


def is_author(user, timesheet: Timesheet) -> bool:
    return user.is_authenticated and timesheet.resource.user_id == user.pk


def can_decide_timesheet(user, timesheet: Timesheet) -> bool:
    """Approve or return: the project's PM or deputy, or the author's engineering manager; never the author."""
    if not user.is_authenticated or is_author(user, timesheet):
        return False
    return is_project_manager_of(user, timesheet.project) or (
        user.has_role(Role.ENGINEERING_MANAGER) and timesheet.resource.team_manager_id == user.pk)


def can_view_timesheet(user, timesheet: Timesheet) -> bool:
    return is_author(user, timesheet) or can_decide_timesheet(user, timesheet) or is_finance(user)


def timesheets_to_decide_for(user) -> QuerySet[Timesheet]:
    """Submitted timesheets the user may decide, in one query (the same rule as can_decide_timesheet)."""
    rows = Timesheet.objects.filter(status=Timesheet.Status.SUBMITTED)
    who = Q(pk__in=[])
    if user.is_authenticated and user.has_role(Role.PROJECT_MANAGER):
        who |= Q(project__project_manager=user) | Q(project__deputy_manager=user)
    if user.is_authenticated and user.has_role(Role.ENGINEERING_MANAGER):
        who |= Q(resource__team_manager=user)
    return rows.filter(who).exclude(resource__user=user) if user.is_authenticated else rows.none()


def get_timesheet_for_user(user, pk: int) -> Timesheet:
    """A timesheet the user may see; 404 otherwise."""
    timesheet = get_object_or_404(Timesheet.objects.select_related("resource", "project", "decided_by"), pk=pk)
    if not can_view_timesheet(user, timesheet):
        raise Http404
    return timesheet


def can_keep_cost_rates(user) -> bool:
    return is_finance(user)


def can_lock_months(user) -> bool:
    return is_finance(user)


def get_cost_rate_for_user(user, pk: int) -> CostRate:
    if not can_keep_cost_rates(user):
        raise Http404
    return get_object_or_404(CostRate.objects.select_related("resource"), pk=pk)


def timesheets_in_menu(user) -> str:
    """The menu's one timesheet entry and where it leads: 'mine' for whoever enters hours, 'decide' for a
    PM or engineering manager without a resource, 'rates' for finance (the PMO lead's and administrator's
    menus are full: they reach the rates from the timesheet pages' tabs), '' for the others."""
    if can_enter_timesheets(user):
        return "mine"
    if can_approve_timesheets_at_all(user):
        return "decide"
    if user.is_authenticated and user.has_role(Role.FINANCE):
        return "rates"
    return ""
