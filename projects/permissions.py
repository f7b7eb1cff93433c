"""Who may see or do what. Every view, template and service asks here.

Objects a user may not see are answered with 404 (so ids leak nothing); actions on a
visible object that the user may not take are answered with 403.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.roles import Role

from .models import BudgetSubmission, ChangeRequest, Customer, Intake, Project

# Roles that see every project (PRODUCT.md, "Who uses it").
PORTFOLIO_ROLES = (
    Role.SUPPORT_OFFICER,
    Role.PROJECT_MANAGER,
    Role.ENGINEERING_MANAGER,
    Role.PMO_LEAD,
    Role.FINANCE,
    Role.ADMINISTRATOR,
)


# Roles that also see every project's internals (costs, budget, purchasing, registers, documents,
# highlight reports, history): the portfolio roles but the engineering manager, who sees plans,
# assignments and workload only (PRODUCT.md). A person may hold several roles: any one of these is enough.
INTERNALS_ROLES = tuple(role for role in PORTFOLIO_ROLES if role != Role.ENGINEERING_MANAGER)


def sees_all_projects(user) -> bool:
    return user.is_authenticated and user.has_role(*PORTFOLIO_ROLES)


def sees_project_internals(user) -> bool:
    return user.is_authenticated and user.has_role(*INTERNALS_ROLES)


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
    """Costs, budget, purchasing, registers, documents, reports and history: everyone who sees all
    projects except an engineering manager (and sales, who see the header of their own projects)."""
    return sees_project_internals(user)


def can_view_plan(user, project: Project) -> bool:
    """Phases, activities, milestones and assignments: everyone who sees all projects."""
    return sees_all_projects(user)


def can_view_workload(user) -> bool:
    """Engineers' workload and the resources, across projects."""
    return sees_all_projects(user)


def get_project_for_user(user, code: str, related: tuple[str, ...] = ()) -> Project:
    """The project, with its customer and the `related` rows the page shows read in the same query."""
    return get_object_or_404(projects_visible_to(user).select_related("customer", *related), code=code)


def get_project_plan_for_user(user, code: str) -> Project:
    """A project whose plan the user may see (the engineering manager too); 404 otherwise."""
    project = get_project_for_user(user, code)
    if not can_view_plan(user, project):
        raise Http404
    return project


def get_project_internals_for_user(user, code: str) -> Project:
    """A project whose costs, registers and history the user may see; 404 otherwise."""
    project = get_project_for_user(user, code)
    if not can_view_project_internals(user, project):
        raise Http404
    return project


def require(allowed: bool) -> None:
    """Refuse an action on an object the user may see but not change."""
    if not allowed:
        raise PermissionDenied


# --- Customers --------------------------------------------------------------------------

CUSTOMER_EDITORS = (Role.SALES, Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_view_customers(user) -> bool:
    return user.is_authenticated and (user.has_role(*CUSTOMER_EDITORS) or sees_project_internals(user))


def can_edit_customer(user) -> bool:
    return user.is_authenticated and user.has_role(*CUSTOMER_EDITORS)


def can_add_customer_contact(user, customer, *, project=None) -> bool:
    """Those who edit customers; the PM of a project of this customer (who needs one for its survey)."""
    return can_edit_customer(user) or (
        project is not None and project.customer_id == customer.pk and can_manage_reports(user, project))


def get_customer_for_user(user, pk: int):
    if not can_view_customers(user):
        raise Http404
    return get_object_or_404(Customer, pk=pk)


# --- Intakes ----------------------------------------------------------------------------

INTAKE_REVIEWERS = (Role.SUPPORT_OFFICER, Role.PMO_LEAD, Role.ADMINISTRATOR)


def can_create_intake(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SALES, Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_list_intakes(user) -> bool:
    return can_create_intake(user) or (user.is_authenticated and user.has_role(*INTAKE_REVIEWERS))


def intakes_visible_to(user) -> QuerySet:
    """Reviewers see every intake once submitted; sales see their own, drafts included."""
    intakes = Intake.objects.all()
    if user.is_authenticated and user.has_role(*INTAKE_REVIEWERS):
        return intakes.filter(~Q(status=Intake.Status.DRAFT) | Q(created_by=user))
    if can_create_intake(user):
        return intakes.filter(created_by=user)
    return intakes.none()


def get_intake_for_user(user, pk: int):
    return get_object_or_404(
        intakes_visible_to(user).select_related("customer", "project_type", "created_by", "project"), pk=pk
    )


def can_edit_intake(user, intake) -> bool:
    return intake.editable and intake.created_by_id == user.pk


def can_review_intakes(user) -> bool:
    """Whether the person reviews intakes at all (the home page asks before reading any)."""
    return user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_review_intake(user, intake) -> bool:
    return intake.status == intake.Status.SUBMITTED and can_review_intakes(user)


def can_post_intake_message(user, intake) -> bool:
    if intake.status not in (intake.Status.SUBMITTED, intake.Status.RETURNED):
        return False
    return intake.created_by_id == user.pk or user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


# --- Budget, lifecycle, documents -------------------------------------------------------

def is_project_manager_of(user, project: Project) -> bool:
    return user.has_role(Role.PROJECT_MANAGER) and user.pk in (project.project_manager_id, project.deputy_manager_id)


def can_edit_budget(user, project: Project) -> bool:
    """The PM or deputy, until the first baseline is set (after it, the budget changes only through
    an approved change request), while no submission waits and the project is not finished."""
    if not is_project_manager_of(user, project):
        return False
    if project.status in Project.FINISHED:
        return False
    pending = project.budget_submissions.filter(status=BudgetSubmission.Status.PENDING)
    return not (pending.exists() or project.baselines.exists())


def can_decide_budget(user, submission) -> bool:
    """Only a PMO lead, and never on a budget they submitted themselves."""
    return user.has_role(Role.PMO_LEAD) and submission.submitted_by_id != user.pk


def can_change_project_status(user, project: Project) -> bool:
    return is_project_manager_of(user, project) or user.has_role(Role.SUPPORT_OFFICER, Role.PMO_LEAD,
                                                                 Role.ADMINISTRATOR)


def can_upload_document(user, project: Project) -> bool:
    return is_project_manager_of(user, project) or user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_view_approvals(user) -> bool:
    """PMO leads decide budgets and spending beyond budgets; PMs approve their projects' orders."""
    return user.is_authenticated and user.has_role(Role.PMO_LEAD, Role.PROJECT_MANAGER)


def budget_submissions_of_pmo_leads(user) -> QuerySet:
    """Every budget submission, decided or not, for a PMO lead: the slower of two leads deciding at
    once opens a decided one and reads who decided it."""
    if not (user.is_authenticated and user.has_role(Role.PMO_LEAD)):
        return BudgetSubmission.objects.none()
    return BudgetSubmission.objects.all()


def budget_submissions_waiting_for(user) -> QuerySet:
    return budget_submissions_of_pmo_leads(user).filter(status=BudgetSubmission.Status.PENDING)


def get_document_for_user(user, code: str, pk: int):
    project = get_project_for_user(user, code)
    if not can_view_project_internals(user, project):
        raise Http404
    return get_object_or_404(project.documents.select_related("uploaded_by"), pk=pk)


# --- Purchasing (procurement objects are passed in; this module imports no procurement code) --

def can_view_suppliers(user) -> bool:
    return sees_project_internals(user)


def can_view_purchasing(user) -> bool:
    """The purchase orders of all projects (and the navigation's Purchasing)."""
    return sees_project_internals(user)


def can_edit_supplier(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def purchase_orders_visible_to(user, purchase_orders: QuerySet) -> QuerySet:
    """Purchase orders are project internals: everyone who sees them, nobody else."""
    return purchase_orders if can_view_purchasing(user) else purchase_orders.none()


def get_purchase_order_for_user(user, purchase_orders: QuerySet, number: str):
    return get_object_or_404(purchase_orders_visible_to(user, purchase_orders), number=number)


def works_on_purchasing_of(user, project: Project) -> bool:
    """The project's PM or deputy, a support officer (who raises POs for PMs), an administrator."""
    return is_project_manager_of(user, project) or user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_draft_purchase_order(user, project: Project) -> bool:
    open_project = project.status not in Project.FINISHED
    return open_project and works_on_purchasing_of(user, project)


def can_edit_purchase_order(user, po) -> bool:
    return po.status == "draft" and works_on_purchasing_of(user, po.project)


def can_approve_purchase_order_as_pm(user, po) -> bool:
    return po.status == "submitted" and is_project_manager_of(user, po.project)


def can_approve_purchase_order_as_pmo_lead(user, po) -> bool:
    """The PMO lead's written agreement, never on a purchase order they drafted or submitted."""
    return (po.status == "submitted" and user.has_role(Role.PMO_LEAD)
            and user.pk not in (po.created_by_id, po.submitted_by_id))


def purchase_orders_decided_by(user, submitted: QuerySet) -> QuerySet:
    """Of submitted orders annotated with `overspend_now` (what the approved budget would exceed by) and
    `may_overspend` (true at least for every order whose overspend_now > 0, and cheap to find), those
    this person decides, as can_approve_purchase_order_as_pm / _as_pmo_lead say for one order: the PM
    or deputy within the budget, the PMO lead beyond it and never on an order they drafted or
    submitted. In SQL, so a list cut to its first rows never drops someone's own (issue 14)."""
    if not user.is_authenticated:
        return submitted.none()
    decides = []
    if user.has_role(Role.PROJECT_MANAGER):
        # As a sub-select of their projects: joined instead, PostgreSQL walks every submitted order in
        # date order to find the PM's first ten (14 ms at 100,000 orders rather than 1).
        managed = Project.objects.filter(Q(project_manager=user) | Q(deputy_manager=user)).values("pk")
        decides.append(Q(overspend_now__lte=0) & Q(project__in=managed))
    if user.has_role(Role.PMO_LEAD):
        decides.append(Q(may_overspend=True) & Q(overspend_now__gt=0) & ~Q(created_by=user) & ~Q(submitted_by=user))
    if not decides:
        return submitted.none()
    either = decides[0]
    for more in decides[1:]:
        either |= more
    return submitted.filter(either)


def can_decide_purchase_orders_of(user, project: Project) -> bool:
    """Who may open the decision page; whether this order can be decided now is the service's call."""
    return is_project_manager_of(user, project) or user.has_role(Role.PMO_LEAD)


def can_handle_purchase_order(user, po) -> bool:
    """Send, register receipts and invoices, cancel, close."""
    return works_on_purchasing_of(user, po.project)


def can_decide_invoice_mismatch(user, po) -> bool:
    return is_project_manager_of(user, po.project)


def can_export_purchase_orders(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPPORT_OFFICER, Role.FINANCE, Role.PMO_LEAD,
                                                   Role.ADMINISTRATOR)


def can_edit_plan(user, project: Project) -> bool:
    """The PM or deputy plans phases, activities, dependencies and milestones."""
    open_project = project.status not in Project.FINISHED
    return open_project and is_project_manager_of(user, project)


def can_edit_resources(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ENGINEERING_MANAGER, Role.ADMINISTRATOR)


def may_assign_resources(user, project: Project) -> bool:
    """Who is offered the assignments of an activity: its PM or deputy, and engineering managers
    (which resource they may book is can_edit_assignment's call)."""
    return is_project_manager_of(user, project) or (user.is_authenticated and user.has_role(Role.ENGINEERING_MANAGER))


def can_edit_assignment(user, project: Project, resource) -> bool:
    """The project's PM, or the engineering manager of the resource's team."""
    if project.status in Project.FINISHED:
        return False
    return is_project_manager_of(user, project) or (
        user.has_role(Role.ENGINEERING_MANAGER) and resource.team_manager_id == user.pk)


def can_edit_registers(user, project: Project) -> bool:
    """Risks and issues are kept by the PM, the deputy and the PMO's support officers."""
    open_project = project.status not in Project.FINISHED
    return open_project and (is_project_manager_of(user, project)
                             or user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR))


def project_staff_ids(project: Project) -> set[int]:
    """Who may own a register entry: the people named on the project."""
    return {pk for pk in (project.project_manager_id, project.deputy_manager_id, project.support_officer_id,
                          project.sales_owner_id) if pk}


# --- Change control ---------------------------------------------------------------------

def can_decide_change(user, change) -> bool:
    """Never the requester. Beyond the PM's authority (the route says so) only a PMO lead;
    within it the project's PM or deputy, or a PMO lead."""
    if change.status != "submitted" or user.pk in (change.raised_by_id, change.submitted_by_id):
        return False
    if user.has_role(Role.PMO_LEAD):
        return True
    return change.route == "pm" and is_project_manager_of(user, change.project)


def may_attempt_change_decision(user, project: Project) -> bool:
    """Who may post a decision at all: the project's PM or deputy, and PMO leads. Whether this
    request can be decided now, and by them, is can_decide_change's call (the service says why not)."""
    return is_project_manager_of(user, project) or (user.is_authenticated and user.has_role(Role.PMO_LEAD))


def changes_waiting_for(user) -> QuerySet:
    """Submitted change requests this person may decide."""
    waiting = (ChangeRequest.objects.filter(status="submitted")
               .exclude(raised_by=user.pk).exclude(submitted_by=user.pk))
    if user.is_authenticated and user.has_role(Role.PMO_LEAD):
        return waiting
    if user.is_authenticated and user.has_role(Role.PROJECT_MANAGER):
        return waiting.filter(route="pm").filter(Q(project__project_manager=user) | Q(project__deputy_manager=user))
    return waiting.none()


def can_set_tolerances(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PMO_LEAD)


def can_complete_exception_report(user, project: Project) -> bool:
    return is_project_manager_of(user, project)


def can_view_registers_overview(user) -> bool:
    """Open high risks, overdue actions and pending changes across projects."""
    return user.is_authenticated and user.has_role(Role.PMO_LEAD, Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


# --- Highlight reports (report objects are passed in; this module imports no reporting code) --

def can_manage_reports(user, project: Project) -> bool:
    """Publish, retry, correct: the PM or deputy, the support officers who collate reports, an administrator."""
    return is_project_manager_of(user, project) or user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_edit_report(user, report, deadline) -> bool:
    """A draft: the PM or deputy until the deadline, then the support officer (who collates it)."""
    if report.status != "draft":
        return False
    if user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR):
        return True
    return is_project_manager_of(user, report.project) and timezone.now() < deadline


def can_view_portfolio(user) -> bool:
    return user.is_authenticated and user.has_role(Role.PMO_LEAD, Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


# --- Quality, safety, closing -------------------------------------------------------------

def can_fill_checklists(user, project: Project) -> bool:
    return can_edit_registers(user, project)


def can_review_checklists(user) -> bool:
    """Sign checklist runs off (never one they filled: the service checks that)."""
    return user.is_authenticated and user.has_role(Role.SUPPORT_OFFICER, Role.PMO_LEAD)


def filled_checklist(user, run) -> bool:
    """Who answered an item of a run, or submitted it, never signs it off."""
    return user.pk in run.filler_ids()


def can_validate_closure(user) -> bool:
    return user.is_authenticated and user.has_role(Role.SUPPORT_OFFICER, Role.ADMINISTRATOR)


def can_view_safety_overview(user) -> bool:
    return can_view_registers_overview(user)


# --- Webhooks ---------------------------------------------------------------------------

def can_manage_webhooks(user) -> bool:
    """A subscription sends project data to another system: the PMO lead and administrators decide that."""
    return user.is_authenticated and user.has_role(Role.PMO_LEAD, Role.ADMINISTRATOR)


# --- Meetings (issue 17) -----------------------------------------------------------------

def can_view_meetings(user, project: Project) -> bool:
    """Agendas and minutes hold internal outcomes: who sees the project's internals reads them;
    sales (and customers, who have no account) never do."""
    return can_view_project_internals(user, project)


def can_organise_meetings(user, project: Project) -> bool:
    """The PM, the deputy and the PMO's support officers (an administrator too): the people who keep
    the registers the minutes write."""
    return can_edit_registers(user, project)


def can_view_meetings_overview(user) -> bool:
    """The meetings of every project in one list: the PMO's support officers (the PMO lead and
    administrators too), who follow the projects' rhythm."""
    return can_view_registers_overview(user)


def can_read_internal_minutes(user, project: Project) -> bool:
    """The internal minutes (every outcome): who reads the meetings; the customer gets the external by e-mail."""
    return can_view_meetings(user, project)


def get_minutes_document_for_user(user, code: str, number: int, pk: int):
    """A PDF of a meeting's published minutes the user may read; 404 otherwise (the internal variant
    to who may read internal minutes only)."""
    meeting = get_meeting_for_user(user, code, number)
    document = get_object_or_404(meeting.minutes_documents, pk=pk)
    if document.variant == document.Variant.INTERNAL and not can_read_internal_minutes(user, meeting.project):
        raise Http404
    document.meeting = meeting
    return document


def get_meeting_for_user(user, code: str, number: int):
    """A meeting of a project whose internals the user sees; 404 otherwise."""
    project = get_project_internals_for_user(user, code)
    meeting = get_object_or_404(project.meetings.select_related("organiser", "previous"), number=number)
    meeting.project = project
    return meeting
