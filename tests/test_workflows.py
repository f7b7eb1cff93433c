"""One source of truth per state machine: for every entity, role and state, the transitions the
page offers (the `*_actions_for_user` selectors) are exactly those the service accepts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from procurement.models import PurchaseOrder
from procurement.selectors.purchase_orders import purchase_order_actions_for_user
from procurement.services import purchase_orders as po_services
from procurement.services import receiving
from procurement.views.purchase_orders import ACTIONS
from procurement.workflows import PURCHASE_ORDER
from projects.domain import DomainError
from projects.models import (
    Baseline,
    BudgetLine,
    BudgetSubmission,
    ChangeRequest,
    ChecklistRun,
    Intake,
    Project,
    ProjectType,
)
from projects.selectors.budget import budget_submission_actions_for_user
from projects.selectors.change_control import change_request_actions_for_user
from projects.selectors.intakes import intake_actions_for_user
from projects.selectors.projects import project_actions_for_user
from projects.selectors.quality import checklist_run_actions_for_user
from projects.services import budget, change_control, intakes, projects, quality
from projects.services.registers import issue_update
from projects.views.projects import SERVICES
from projects.workflows import PROJECT
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.selectors.reports import highlight_report_actions_for_user
from reporting.services import reports

from .factories import IntakeFactory, ProjectFactory, SupplierFactory, UserFactory, pdf_upload

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class _Rollback(Exception):
    pass


def accepted(call) -> bool:
    """Whether the service accepts (then undone), or refuses with a DomainError."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except DomainError:
        return False


def mismatches(personas, fresh, actions_for, services) -> list:
    """(role, action, offered, accepted) wherever the page and the service disagree."""
    found = []
    for role, user in personas.items():
        offered = set(actions_for(user, fresh()))
        assert offered <= set(services), f"{role}: offered an action with no service: {offered - set(services)}"
        for action, call in services.items():
            took = accepted(lambda: call(fresh(), user))
            if (action in offered) != took:
                found.append((role, action, action in offered, took))
    return found


# --- Purchase orders ------------------------------------------------------------------------

@pytest.fixture
def budgeted(pm, support):
    """Level 1, in execution, approved budget EUR 10,000."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    line = BudgetLine.objects.create(project=project, category="material", description="Switches",
                                     amount=Decimal("10000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000.00"), approved_by=pm)
    return project, line


def _order(project, by, amount="1000"):
    return po_services.purchase_order_create(
        project_id=project.pk, by=by, lines=[{"description": "Switch", "quantity": Decimal("2"), "unit": "pc",
                                              "unit_price": Decimal(amount) / 2, "vat_rate": 21}],
        data={"supplier": SupplierFactory(), "budget_line": None, "delivery_date": TOMORROW, "delivery_site": "Gent"})


def _in_state(po, status, received="0"):
    PurchaseOrder.objects.filter(pk=po.pk).update(status=status, submitted_by=po.created_by)
    po.lines.update(received_quantity=Decimal(received))
    return po


PO_STATES = {
    "draft": lambda p, s: _order(p, s),
    "submitted within budget": lambda p, s: po_services.purchase_order_submit(po_id=_order(p, s).pk, by=s),
    "submitted beyond budget": lambda p, s: po_services.purchase_order_submit(po_id=_order(p, s, "50000").pk, by=s),
    "approved": lambda p, s: _in_state(_order(p, s), "approved"),
    "sent": lambda p, s: _in_state(_order(p, s), "sent"),
    "partly received": lambda p, s: _in_state(_order(p, s), "partly_received", "1"),
    "received": lambda p, s: _in_state(_order(p, s), "received", "2"),
    "invoiced": lambda p, s: _in_state(_order(p, s), "invoiced", "2"),
    "closed": lambda p, s: _in_state(_order(p, s), "closed", "2"),
    "cancelled": lambda p, s: _in_state(_order(p, s), "cancelled"),
}

PO_SERVICES = {
    "submit": lambda po, u: po_services.purchase_order_submit(po_id=po.pk, by=u),
    "approve": lambda po, u: po_services.purchase_order_approve(po_id=po.pk, by=u, comment="OK"),
    "reject": lambda po, u: po_services.purchase_order_reject(po_id=po.pk, by=u, comment="Too dear"),
    "send": lambda po, u: po_services.purchase_order_send(po_id=po.pk, by=u),
    "receive": lambda po, u: receiving.goods_receipt_register(
        po_id=po.pk, by=u, received_on=timezone.localdate(), quantities={po.lines.get().pk: Decimal("1")}),
    "invoice": lambda po, u: receiving.invoice_register(
        po_id=po.pk, by=u, supplier_reference="INV-1", invoice_date=timezone.localdate(), net_amount=Decimal("500")),
    "close": lambda po, u: po_services.purchase_order_close(po_id=po.pk, by=u),
    "cancel": lambda po, u: po_services.purchase_order_cancel(po_id=po.pk, by=u, reason="Not needed"),
}


def _fresh_po(po):
    return lambda: PurchaseOrder.objects.select_related("project", "supplier").get(pk=po.pk)


@pytest.mark.parametrize("state", PO_STATES)
def test_a_purchase_order_offers_exactly_what_its_services_accept(personas, support, budgeted, state):
    po = PO_STATES[state](budgeted[0], support)
    assert mismatches(personas, _fresh_po(po), purchase_order_actions_for_user, PO_SERVICES) == []


def test_a_pmo_lead_who_drafted_an_order_is_not_offered_its_approval(personas, budgeted):
    lead_support = UserFactory(username="lead-support", roles=[Role.PMO_LEAD, Role.SUPPORT_OFFICER])
    po = po_services.purchase_order_submit(po_id=_order(budgeted[0], lead_support, "50000").pk, by=lead_support)
    people = {**personas, "lead-support": lead_support}
    assert mismatches(people, _fresh_po(po), purchase_order_actions_for_user, PO_SERVICES) == []
    assert "approve" not in purchase_order_actions_for_user(lead_support, _fresh_po(po)())


def test_beyond_the_budget_the_pm_is_not_offered_approve_and_the_pmo_lead_is(client, pm, support, pmolead, budgeted):
    po = po_services.purchase_order_submit(po_id=_order(budgeted[0], support, "50000").pk, by=support)
    offered_to_pm = purchase_order_actions_for_user(pm, _fresh_po(po)())
    assert "approve" not in offered_to_pm and "reject" in offered_to_pm
    assert set(purchase_order_actions_for_user(pmolead, _fresh_po(po)())) >= {"approve", "reject"}

    client.force_login(pm)
    detail = client.get(po.get_absolute_url()).content.decode()
    assert "Approve or reject" not in detail and reverse("procurement:po_decide", args=[po.number]) in detail
    decide = client.get(reverse("procurement:po_decide", args=[po.number])).content.decode()
    assert 'name="approve"' not in decide and 'name="reject"' in decide
    assert "written agreement is needed" in decide

    client.force_login(pmolead)
    assert "Approve or reject" in client.get(po.get_absolute_url()).content.decode()
    decide = client.get(reverse("procurement:po_decide", args=[po.number])).content.decode()
    assert 'name="approve"' in decide and "Your approval is recorded as the written agreement" in decide


def test_a_pm_posting_an_approval_beyond_the_budget_is_still_refused(client, pm, support, budgeted):
    po = po_services.purchase_order_submit(po_id=_order(budgeted[0], support, "50000").pk, by=support)
    client.force_login(pm)
    response = client.post(reverse("procurement:po_decide", args=[po.number]), {"approve": "1", "comment": ""})
    assert "exceeds the approved budget by EUR 40,000.00: the PMO lead must agree" in response.content.decode()
    po.refresh_from_db()
    assert po.status == "submitted"


def test_within_the_budget_the_pm_is_offered_approve_on_the_page(client, pm, support, budgeted):
    po = po_services.purchase_order_submit(po_id=_order(budgeted[0], support).pk, by=support)
    client.force_login(pm)
    assert "Approve or reject" in client.get(po.get_absolute_url()).content.decode()
    assert 'name="approve"' in client.get(reverse("procurement:po_decide", args=[po.number])).content.decode()


def test_the_order_page_shows_the_handling_buttons_of_its_state_only(client, support, budgeted):
    po = _in_state(_order(budgeted[0], support), "sent")
    client.force_login(support)
    page = client.get(po.get_absolute_url()).content.decode()
    assert reverse("procurement:po_receive", args=[po.number]) in page
    assert reverse("procurement:po_cancel", args=[po.number]) in page
    assert reverse("procurement:po_invoice", args=[po.number]) not in page
    assert reverse("procurement:po_action", args=[po.number, "send"]) not in page


# --- Project lifecycle ----------------------------------------------------------------------

def _project(pm, support, status, baseline=True, before_hold=""):
    project = ProjectFactory(project_manager=pm, support_officer=support, status=status,
                             status_before_hold=before_hold)
    if baseline:
        Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm)
    return project


PROJECT_STATES = {
    "initiation": dict(status="initiation"),
    "planning without a baseline": dict(status="planning", baseline=False),
    "planning": dict(status="planning"),
    "execution": dict(status="execution"),
    "closing": dict(status="closing"),
    "on hold": dict(status="on_hold", before_hold="execution"),
    "closed": dict(status="closed"),
    "cancelled": dict(status="cancelled"),
}

PROJECT_SERVICES = {
    "plan": lambda p, u: projects.project_start_planning(project_id=p.pk, by=u),
    "execute": lambda p, u: projects.project_start_execution(project_id=p.pk, by=u),
    "close-out": lambda p, u: projects.project_start_closing(project_id=p.pk, by=u),
    "hold": lambda p, u: projects.project_put_on_hold(project_id=p.pk, by=u),
    "resume": lambda p, u: projects.project_resume(project_id=p.pk, by=u),
    "cancel": lambda p, u: projects.project_cancel(project_id=p.pk, by=u),
}


@pytest.mark.parametrize("state", PROJECT_STATES)
def test_a_project_offers_exactly_the_lifecycle_steps_its_services_accept(personas, pm, support, state):
    project = _project(pm, support, **PROJECT_STATES[state])
    assert mismatches(personas, lambda: Project.objects.get(pk=project.pk), project_actions_for_user,
                      PROJECT_SERVICES) == []


def test_the_project_page_offers_execution_only_with_a_baseline(client, pm, support):
    without = _project(pm, support, "planning", baseline=False)
    with_baseline = _project(pm, support, "planning")
    client.force_login(pm)
    assert reverse("projects:transition", args=[without.code, "execute"]) not in client.get(
        without.get_absolute_url()).content.decode()
    assert reverse("projects:transition", args=[with_baseline.code, "execute"]) in client.get(
        with_baseline.get_absolute_url()).content.decode()


# --- Intakes --------------------------------------------------------------------------------

def _intake(sales, status):
    intake = IntakeFactory(created_by=sales)
    for kind in ("signed_order", "offer"):
        intakes.intake_attachment_add(intake_id=intake.pk, by=sales, kind=kind, upload=pdf_upload(f"{kind}.pdf"),
                                      content_type="application/pdf")
    Intake.objects.filter(pk=intake.pk).update(status=status)
    return intake


INTAKE_SERVICES = {
    "submit": lambda i, u: intakes.intake_submit(intake_id=i.pk, by=u),
    "return": lambda i, u: intakes.intake_return(intake_id=i.pk, by=u, question="Which floor?"),
    "reject": lambda i, u: intakes.intake_reject(intake_id=i.pk, by=u, reason="Lost deal"),
    "accept": lambda i, u: intakes.intake_accept(intake_id=i.pk, by=u, project_manager=i.pm,
                                                 support_officer=i.support),
}


@pytest.mark.parametrize("state", Intake.Status.values)
def test_an_intake_offers_exactly_what_its_services_accept(personas, sales, pm, support, state):
    intake = _intake(sales, state)

    def fresh():
        loaded = Intake.objects.select_related("customer", "project_type", "created_by", "project").get(pk=intake.pk)
        loaded.pm, loaded.support = pm, support
        return loaded

    assert mismatches(personas, fresh, intake_actions_for_user, INTAKE_SERVICES) == []


def test_the_intake_page_shows_the_review_buttons_to_a_reviewer_only_once_submitted(client, sales, support):
    intake = _intake(sales, "submitted")
    client.force_login(support)
    assert reverse("intakes:accept", args=[intake.pk]) in client.get(intake.get_absolute_url()).content.decode()
    client.force_login(sales)
    page = client.get(intake.get_absolute_url()).content.decode()
    assert reverse("intakes:accept", args=[intake.pk]) not in page
    assert reverse("intakes:submit", args=[intake.pk]) not in page


# --- Budget submissions ---------------------------------------------------------------------

def _submission(pm, support, submitted_by, status="pending"):
    project = ProjectFactory(project_manager=pm, support_officer=support, status="planning", level=2)
    return BudgetSubmission.objects.create(project=project, total=Decimal("400000"), level=2, status=status,
                                           submitted_by=submitted_by, lines=[
                                               {"category": "material", "description": "Switches",
                                                "amount": "400000"}])


BUDGET_SERVICES = {
    "approve": lambda s, u: budget.budget_approve(submission_id=s.pk, by=u, comment="OK"),
    "reject": lambda s, u: budget.budget_reject(submission_id=s.pk, by=u, comment="Too high"),
}


@pytest.mark.parametrize("state", ["pending", "pending by a PMO lead", "approved", "rejected"])
def test_a_budget_submission_offers_exactly_what_its_services_accept(personas, pm, support, pmolead, state):
    submitted_by = pmolead if state == "pending by a PMO lead" else pm
    submission = _submission(pm, support, submitted_by, state.split()[0])
    assert mismatches(personas, lambda: BudgetSubmission.objects.select_related("project").get(pk=submission.pk),
                      budget_submission_actions_for_user, BUDGET_SERVICES) == []


def test_the_budget_decision_page_hides_the_buttons_from_the_submitting_lead(client, pm, support, pmolead):
    other_lead = UserFactory(username="lead2", roles=[Role.PMO_LEAD])
    submission = _submission(pm, support, pmolead)
    url = reverse("budget_decision", args=[submission.pk])
    client.force_login(pmolead)
    assert 'name="approve"' not in client.get(url).content.decode()
    client.force_login(other_lead)
    assert 'name="approve"' in client.get(url).content.decode()


# --- Change requests ------------------------------------------------------------------------

@pytest.fixture
def baselined(pm, support):
    """Level 1, EUR 240,000 on one line, baseline 1."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("240000"))
    budget.budget_submit(project_id=project.pk, by=pm)
    return project


def _change(project, by, delta, status):
    change = change_control.change_create(
        project_id=project.pk, by=by, milestones=[],
        costs=[{"budget_line": project.budget_lines.get(), "delta": Decimal(delta)}],
        data={"title": "Extra floor", "description": "Fourth floor", "priority": "high", "severity": 3, "owner": by,
              "due_date": None, "time_impact_days": 0, "scope_impact": "", "quality_impact": "", "risk_impact": "",
              "options": "", "recommendation": ""})
    if status != "draft":
        change = change_control.change_submit(change_id=change.pk, by=by)
    if status in ("approved", "rejected", "deferred"):
        ChangeRequest.objects.filter(pk=change.pk).update(status=status, decided_by=project.project_manager)
    return change


CHANGE_STATES = {
    "draft": ("1000", "draft"),
    "submitted within the PM's authority": ("1000", "submitted"),
    "submitted beyond it": ("40000", "submitted"),
    "approved": ("1000", "approved"),
    "rejected": ("1000", "rejected"),
    "deferred": ("1000", "deferred"),
}

CHANGE_SERVICES = {
    "submit": lambda c, u: change_control.change_submit(change_id=c.pk, by=u),
    "approve": lambda c, u: change_control.change_approve(change_id=c.pk, by=u, expected_version=c.version),
    "defer": lambda c, u: change_control.change_reject(change_id=c.pk, by=u, expected_version=c.version,
                                                      comment="Later", defer=True),
    "reject": lambda c, u: change_control.change_reject(change_id=c.pk, by=u, expected_version=c.version,
                                                       comment="No"),
}


@pytest.mark.parametrize("state", CHANGE_STATES)
def test_a_change_request_offers_exactly_what_its_services_accept(personas, support, baselined, state):
    change = _change(baselined, support, *CHANGE_STATES[state])
    assert mismatches(personas, lambda: ChangeRequest.objects.select_related("project").get(pk=change.pk),
                      change_request_actions_for_user, CHANGE_SERVICES) == []


def test_a_change_routed_again_since_submission_is_offered_to_whom_the_service_accepts(
        pm, pm2, support, pmolead, baselined):
    """Another change raised the budget past Level 1 meanwhile: the same 1,000 now needs the PMO lead."""
    small = _change(baselined, support, "1000", "submitted")
    big = _change(baselined, support, "9500", "submitted")
    change_control.change_approve(change_id=big.pk, by=pm, expected_version=big.version)
    fresh = lambda: ChangeRequest.objects.select_related("project").get(pk=small.pk)  # noqa: E731
    assert fresh().route == "pm" and "approve" not in change_request_actions_for_user(pm, fresh())
    assert mismatches({"pm": pm, "pmolead": pmolead}, fresh, change_request_actions_for_user, CHANGE_SERVICES) == []


# --- Checklist runs -------------------------------------------------------------------------

@pytest.fixture
def site(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support,
                             project_type=ProjectType.objects.get(name="Network installation"))
    quality.checklist_runs_from_project_type(project)
    return project


def _run(project, support, pm, state):
    run = project.checklist_runs.get(standard="safety")
    if state == "open, unanswered":
        return run
    answers = {p: {"answer": "ok", "comment": "", "corrective_action": ""} for p in range(run.answers.count())}
    if state == "submitted with an open finding":
        answers[0] = {"answer": "not_ok", "comment": "Not shored", "corrective_action": "Shore it"}
    quality.checklist_answers_save(run_id=run.pk, by=support, answers=answers, evidence={}, expected_version=1)
    if state != "open, answered":
        quality.checklist_submit(run_id=run.pk, by=support)
    if state == "signed off":
        ChecklistRun.objects.filter(pk=run.pk).update(status="signed")
    return run


CHECKLIST_SERVICES = {
    "submit": lambda r, u: quality.checklist_submit(run_id=r.pk, by=u),
    "sign_off": lambda r, u: quality.checklist_sign_off(run_id=r.pk, by=u),
}


@pytest.mark.parametrize("state", ["open, answered", "submitted", "submitted with an open finding", "signed off"])
def test_a_checklist_run_offers_exactly_what_its_services_accept(personas, pm, support, site, state):
    run = _run(site, support, pm, state)
    assert mismatches(personas, lambda: ChecklistRun.objects.select_related("project").get(pk=run.pk),
                      checklist_run_actions_for_user, CHECKLIST_SERVICES) == []


def test_sign_off_shows_once_the_findings_are_dealt_with_and_never_to_who_filled_it(client, pm, support, pmolead,
                                                                                     site):
    run = _run(site, support, pm, "submitted with an open finding")
    url = reverse("projects:checklist", args=[site.code, run.number])
    sign_off = reverse("projects:checklist_sign_off", args=[site.code, run.number])
    client.force_login(pmolead)
    assert sign_off not in client.get(url).content.decode()
    issue = run.answers.get(position=0).issue
    issue_update(issue_id=issue.pk, by=pm, expected_version=1, data={
        "type": issue.type, "title": issue.title, "description": issue.description, "priority": issue.priority,
        "severity": issue.severity, "owner": pm, "status": "accepted", "due_date": issue.due_date})
    assert sign_off in client.get(url).content.decode()
    client.force_login(support)
    assert sign_off not in client.get(url).content.decode()


# --- Highlight reports ----------------------------------------------------------------------

def _report(project, state, settings):
    report, _new = reports.report_draft_create(project_id=project.pk, week=week_of(timezone.localdate()),
                                               variant="internal")
    if state == "draft past the deadline":
        settings.HIGHLIGHT_REPORT_DEADLINE_HOURS = 0
    if state in ("publishing", "published", "failed", "published, corrected since"):
        status = "published" if state.startswith("published") else state
        HighlightReport.objects.filter(pk=report.pk).update(status=status)
    if state == "published, corrected since":
        HighlightReport.objects.create(project=project, week=report.week, variant=report.variant,
                                       language=report.language, version=2, facts=report.facts)
    return report


REPORT_SERVICES = {
    "edit": lambda r, u: reports.report_update(report_id=r.pk, by=u, data={"summary": "On track"}, overrides={},
                                               expected_version=r.edit_version),
    "refresh": lambda r, u: reports.report_refresh_facts(report_id=r.pk, by=u),
    "publish": lambda r, u: reports.report_publish(report_id=r.pk, by=u),
    "retry": lambda r, u: reports.report_retry(report_id=r.pk, by=u),
    "correct": lambda r, u: reports.report_correct(report_id=r.pk, by=u),
}


@pytest.mark.parametrize("state", ["draft", "draft past the deadline", "publishing", "published", "failed",
                                   "published, corrected since"])
def test_a_highlight_report_offers_exactly_what_its_services_accept(personas, pm, support, settings, state):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    report = _report(project, state, settings)
    assert mismatches(personas, lambda: HighlightReport.objects.select_related("project").get(pk=report.pk),
                      highlight_report_actions_for_user, REPORT_SERVICES) == []


def test_the_report_page_offers_a_correction_only_of_the_latest_published_version(client, pm, support, settings):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    report = _report(project, "published", settings)
    correct = reverse("reporting:correct", args=[project.code, report.pk])
    url = reverse("reporting:report", args=[project.code, report.pk])
    client.force_login(pm)
    assert correct in client.get(url).content.decode()
    reports.report_correct(report_id=report.pk, by=pm)
    assert correct not in client.get(url).content.decode()


def test_every_declared_transition_has_a_service_behind_its_button():
    assert list(SERVICES) == list(PROJECT.transitions) == list(PROJECT_SERVICES)
    assert set(ACTIONS) <= set(PURCHASE_ORDER.transitions) and list(PURCHASE_ORDER.transitions) == list(PO_SERVICES)
