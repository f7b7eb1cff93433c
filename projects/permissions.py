"""Who may see or do what. Every view, template and service asks here.

Objects a user may not see are answered with 404 (so ids leak nothing); actions on a
visible object that the user may not take are answered with 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import Role

from .models import Project

# Roles that see every project (PRODUCT.md, "Who uses it").
PORTFOLIO_ROLES = (
    Role.SUPPORT_OFFICER,
    Role.PROJECT_MANAGER,
    Role.ENGINEERING_MANAGER,
    Role.PMO_LEAD,
    Role.FINANCE,
    Role.ADMINISTRATOR,
)


def sees_all_projects(user) -> bool:
    return user.is_authenticated and user.has_role(*PORTFOLIO_ROLES)


def can_list_projects(user) -> bool:
    return sees_all_projects(user) or (user.is_authenticated and user.has_role(Role.SALES))


def projects_visible_to(user) -> QuerySet[Project]:
    """Sales see the projects born from their own deals; portfolio roles see all."""
    projects = Project.objects.all()
    if sees_all_projects(user):
        return projects
    if user.is_authenticated and user.has_role(Role.SALES):
        return projects.filter(sales_owner=user)
    return projects.none()


def projects_involving(user) -> QuerySet[Project]:
    """The projects this person works on, in any capacity."""
    return projects_visible_to(user).filter(
        Q(project_manager=user) | Q(deputy_manager=user) | Q(support_officer=user) | Q(sales_owner=user)
    )


def can_view_project(user, project: Project) -> bool:
    return sees_all_projects(user) or (user.is_authenticated and project.sales_owner_id == user.pk)


def can_view_project_internals(user, project: Project) -> bool:
    """Costs, registers and history: everyone who sees the project except sales."""
    return sees_all_projects(user)


def can_edit_project(user, project: Project) -> bool:
    if user.has_role(Role.ADMINISTRATOR, Role.SUPPORT_OFFICER, Role.PMO_LEAD):
        return True
    return user.has_role(Role.PROJECT_MANAGER) and user.pk in (project.project_manager_id, project.deputy_manager_id)


def get_project_for_user(user, code: str) -> Project:
    return get_object_or_404(projects_visible_to(user).select_related("customer"), code=code)


def require(allowed: bool) -> None:
    """Refuse an action on an object the user may see but not change."""
    if not allowed:
        raise PermissionDenied
