"""Who may see or do what with a project's revenue: the contract value and its billing milestones.

The part of the permission module about billing (projects/permissions.py is near its length limit);
it decides the same way: a project's billing is one of its internals (never sales, never the
engineering manager), kept by the project's own staff, invoiced and paid by finance.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from .models import Project
from .permissions import can_view_project_internals, get_project_for_user, is_project_manager_of

# Who reads the milestones ready to invoice across projects.
BILLING_QUEUE_ROLES = (Role.FINANCE, Role.PMO_LEAD, Role.ADMINISTRATOR)


def can_view_billing(user, project: Project) -> bool:
    """The contract value and the billing milestones: whoever sees the project's costs sees its revenue."""
    return can_view_project_internals(user, project)


def can_manage_billing(user, project: Project) -> bool:
    """Plan, edit, make ready or cancel milestones: the project's PM or deputy, its own support officer,
    an administrator; not on a finished project."""
    if not user.is_authenticated or project.status in Project.FINISHED:
        return False
    own_support = user.has_role(Role.SUPPORT_OFFICER) and project.support_officer_id == user.pk
    return is_project_manager_of(user, project) or own_support or user.has_role(Role.ADMINISTRATOR)


def can_record_billing(user) -> bool:
    """Record the invoice (number and date from Dynamics 365) and the payment: finance, on any project."""
    return user.is_authenticated and user.has_role(Role.FINANCE, Role.ADMINISTRATOR)


def can_view_billing_queue(user) -> bool:
    return user.is_authenticated and user.has_role(*BILLING_QUEUE_ROLES)


def billing_queue_in_menu(user) -> bool:
    """Finance's menu carries the queue. The PMO lead's and the administrator's menus are full (one more
    entry wraps the bar at 1280 px, under the language buttons); they reach it from a billing page."""
    return can_view_billing_queue(user) and user.has_role(Role.FINANCE)


def get_project_billing_for_user(user, code: str) -> Project:
    """A project whose billing the user may see; 404 otherwise."""
    project = get_project_for_user(user, code, ("project_manager", "deputy_manager", "support_officer"))
    if not can_view_billing(user, project):
        raise Http404
    return project


def get_billing_milestone_for_user(user, code: str, number: int):
    project = get_project_billing_for_user(user, code)
    milestone = get_object_or_404(
        project.billing_milestones.select_related("plan_milestone", "checklist_run", "ready_by", "invoiced_by",
                                                  "paid_by", "cancelled_by"), number=number)
    milestone.project = project  # the page reads the project's staff from the row read above
    return milestone
