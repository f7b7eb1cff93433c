"""The signed-in user's home: their work, approvals waiting, overdue items."""

from django.db.models import Count, Q
from django.utils import timezone

from accounts.roles import Role
from procurement.models import SupplierInvoice
from procurement.selectors.costs import costs_by_project
from procurement.selectors.purchase_orders import purchase_orders_waiting_for
from projects.models import ActionItem, Intake, Project, ProjectException
from projects.permissions import (
    budget_submissions_waiting_for,
    can_review_intake,
    can_review_intakes,
    changes_waiting_for,
    intakes_visible_to,
    projects_involving,
    projects_visible_to,
    sees_project_internals,
)
from projects.selectors.meetings import meetings_this_week_for, minutes_to_publish_for
from projects.selectors.registers import risks_past_review
from reporting.selectors.portfolio import projects_forecast_over_budget
from reporting.services.summaries import project_summaries_refresh

HOME_LIST_SIZE = 10


# Roles whose home page shows the portfolio at a glance.
PORTFOLIO_GLANCE_ROLES = (Role.PMO_LEAD, Role.SUPPORT_OFFICER, Role.FINANCE, Role.ENGINEERING_MANAGER)


def home_for_user(user) -> dict:
    """What the signed-in person's home page shows, from whatever exists."""
    my_projects = projects_involving(user).select_related("customer").order_by("-code")
    home = {
        "my_projects": list(my_projects[:HOME_LIST_SIZE + 1]),
        "notifications": list(user.notifications.filter(read_at__isnull=True)[:5]),
        "portfolio": None, "over_budget": None,
    }
    home["more_projects"] = len(home["my_projects"]) > HOME_LIST_SIZE
    home["my_projects"] = home["my_projects"][:HOME_LIST_SIZE]
    home["budgets_to_decide"] = list(
        budget_submissions_waiting_for(user).exclude(submitted_by=user)
        .select_related("project").order_by("submitted_at")[:HOME_LIST_SIZE]
    )
    intakes = intakes_visible_to(user).select_related("customer").order_by("submitted_at", "pk")
    # A PMO lead sees submitted intakes but does not review them: no query for a list that stays empty.
    home["intakes_to_review"] = [
        i for i in intakes.filter(status=Intake.Status.SUBMITTED)[:HOME_LIST_SIZE] if can_review_intake(user, i)
    ] if can_review_intakes(user) else []
    home["my_open_intakes"] = list(
        intakes.filter(created_by=user, status__in=[Intake.Status.DRAFT, Intake.Status.RETURNED])[:HOME_LIST_SIZE]
    )
    home["purchase_orders_to_decide"], home["invoices_to_decide"] = [], []
    if user.has_role(Role.PROJECT_MANAGER, Role.PMO_LEAD):
        home["purchase_orders_to_decide"] = purchase_orders_waiting_for(user, limit=HOME_LIST_SIZE)
    if user.has_role(Role.PROJECT_MANAGER):
        home["invoices_to_decide"] = list(
            SupplierInvoice.objects.filter(match=SupplierInvoice.Match.MISMATCH)
            .filter(Q(purchase_order__project__project_manager=user) | Q(purchase_order__project__deputy_manager=user))
            .select_related("purchase_order")[:HOME_LIST_SIZE])
    # Registers are project internals: who owns an entry without seeing them (a sales owner) is not
    # linked to pages they may not open.
    internals = sees_project_internals(user)
    home["risks_to_review"] = risks_past_review(owner=user, limit=HOME_LIST_SIZE) if internals else []
    home["changes_to_decide"] = list(changes_waiting_for(user).select_related("project")
                                     .order_by("submitted_at")[:HOME_LIST_SIZE])
    home["actions_overdue"] = list(
        ActionItem.objects.filter(owner=user, status=ActionItem.Status.OPEN, due_date__lt=timezone.localdate())
        .select_related("project").order_by("due_date")[:HOME_LIST_SIZE]) if internals else []
    # Meetings are project internals too (agendas and minutes hold internal outcomes).
    home["meetings_this_week"] = meetings_this_week_for(user, HOME_LIST_SIZE) if internals else []
    home["minutes_to_publish"] = minutes_to_publish_for(user, HOME_LIST_SIZE) if internals else []
    home["exceptions_to_complete"] = list(
        ProjectException.objects.filter(cleared_at__isnull=True, recommendation="")
        .filter(Q(project__project_manager=user) | Q(project__deputy_manager=user))
        .select_related("project")[:HOME_LIST_SIZE]) if user.has_role(Role.PROJECT_MANAGER) else []
    home["exceptions_open"] = list(
        ProjectException.objects.filter(cleared_at__isnull=True).select_related("project")
        .order_by("raised_at")[:HOME_LIST_SIZE]) if user.has_role(Role.PMO_LEAD) else []
    home["costs"] = costs_by_project(home["my_projects"]) if internals else {}
    home["my_projects"] = [(p, home["costs"].get(p.pk)) for p in home["my_projects"]]
    if user.has_role(Role.PMO_LEAD, Role.FINANCE):
        # From the project summaries, brought up to date first: one indexed query, never stale.
        project_summaries_refresh()
        home["over_budget"] = projects_forecast_over_budget(
            Project.objects.filter(status__in=Project.UNDER_WAY), HOME_LIST_SIZE)
        home["over_budget_at"] = timezone.now()
    if user.has_role(*PORTFOLIO_GLANCE_ROLES):
        counts = dict(
            projects_visible_to(user).values_list("status").annotate(n=Count("pk")).order_by()
        )
        home["portfolio"] = [(label, value, counts.get(value, 0)) for value, label in Project.Status.choices]
    return home
