"""Decision log, action items, lessons, exceptions and the lists across projects."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from accounts.models import Notification
from projects.domain import DomainError
from projects.models import ActionItem, Activity, Baseline, BudgetLine, ChangeRequest, ProjectException, Risk
from projects.services.budget import budget_estimates_update, budget_submit
from projects.services.change_control import change_approve, change_create, change_submit, exception_raise
from projects.services.registers import action_create, action_update, decision_record, issue_raise, lesson_log
from reporting.services.tolerances import exceptions_check

from .factories import ProjectFactory, SupplierFactory

TODAY = timezone.localdate()


@pytest.fixture
def run(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("100000"))
    budget_submit(project_id=project.pk, by=pm)
    return project


def _action(project, by, owner, **changes_):
    data = {"title": "Order the permit", "description": "", "owner": owner, "due_date": TODAY + dt.timedelta(days=3),
            "status": "open"}
    data.update(changes_)
    return action_create(project_id=project.pk, by=by, data=data)


def test_actions_are_owned_by_staff_dated_when_done_and_overdue_ones_surface(client, pm, pm2, support, run):
    with pytest.raises(DomainError, match="owner must be on the project's staff"):
        _action(run, pm, pm2)
    late = _action(run, pm, support, due_date=TODAY - dt.timedelta(days=1))
    done = _action(run, pm, pm, title="Call the customer")
    done = action_update(action_id=done.pk, by=pm, expected_version=1, data={
        "title": done.title, "description": "", "owner": pm, "due_date": done.due_date, "status": "done"})
    assert (late.identifier, done.identifier, done.completed_on) == ("A-001", "A-002", TODAY)
    client.force_login(support)
    assert [a.pk for a in client.get("/").context["actions_overdue"]] == [late.pk]
    client.force_login(pm)
    assert client.get("/").context["actions_overdue"] == []
    body = client.get(run.get_absolute_url()).content.decode()
    assert "Overdue actions:" in body and "A-001 Order the permit" in body
    listing = client.get(reverse("projects:actions", args=[run.code]))
    assert [a.pk for a in listing.context["page"].object_list] == [late.pk]


def test_decisions_and_lessons_are_numbered_edited_with_stale_check_and_keep_history(client, pm, support, run):
    decision = decision_record(project_id=run.pk, by=pm, data={
        "decided_on": TODAY, "title": "Fibre instead of copper", "rationale": "Distance", "decided_by": "Steering"})
    lesson = lesson_log(project_id=run.pk, by=support, data={
        "event": "Permit late", "effect": "Two weeks lost", "cause": "Asked too late",
        "recommendation": "Ask at kick-off"})
    assert (decision.identifier, lesson.identifier, lesson.logged_by) == ("D-001", "L-001", support)
    client.force_login(support)
    url = reverse("projects:lesson_edit", args=[run.code, 1])
    client.post(url, {"event": "Permit late", "effect": "Three weeks lost", "cause": "c", "recommendation": "r",
                      "version": 1})
    stale = client.post(url, {"event": "Mine", "effect": "e", "cause": "c", "recommendation": "r", "version": 1})
    assert "Someone else saved L-001 meanwhile" in stale.content.decode()
    assert 'Mine</textarea>' in stale.content.decode()
    history = client.get(reverse("projects:lesson_history", args=[run.code, 1]))
    assert history.status_code == 200 and "Three weeks lost" in history.content.decode()
    empty = client.post(reverse("projects:decision_create", args=[run.code]), {"title": "", "decided_by": ""})
    assert "This field is required." in empty.content.decode() and run.decisions.count() == 1


@pytest.mark.parametrize("log, name", [("decisions", "decision"), ("actions", "action"), ("lessons", "lesson")])
def test_every_log_exports_to_excel_with_formulas_neutralised(client, pm, run, log, name):
    decision_record(project_id=run.pk, by=pm, data={
        "decided_on": TODAY, "title": "=1+1", "rationale": "", "decided_by": "PM"})
    _action(run, pm, pm, title="=1+1")
    lesson_log(project_id=run.pk, by=pm, data={"event": "=1+1", "effect": "e", "cause": "c",
                                                         "recommendation": "r"})
    client.force_login(pm)
    rows = list(load_workbook(BytesIO(client.get(reverse(f"projects:{name}_export", args=[run.code])).content))
                .active.values)
    assert rows[1][0].endswith("-001") and "'=1+1" in rows[1]


def test_the_issue_register_exports_too(client, pm, run):
    issue_raise(project_id=run.pk, by=pm, data={
        "type": "problem", "title": "@SUM(A1)", "description": "d", "priority": "high", "severity": 4, "owner": pm,
        "status": "open", "due_date": None})
    client.force_login(pm)
    rows = list(load_workbook(BytesIO(client.get(reverse("projects:issue_export", args=[run.code])).content))
                .active.values)
    assert rows[0][:3] == ("Id", "Type", "Title") and rows[1][:3] == ("I-001", "Problem or concern", "'@SUM(A1)")


def _order(project, amount):
    from procurement.models import PurchaseOrder

    return PurchaseOrder.objects.create(project=project, number=f"PO-2026-{project.pk:05d}", supplier=SupplierFactory(),
                                        status=PurchaseOrder.Status.APPROVED, net_total=amount, delivery_date=TODAY,
                                        budget_line=project.budget_lines.first(), created_by=project.project_manager)


def test_a_cost_exception_is_raised_once_notified_once_and_cleared_by_an_approved_change(pm, support, pmolead, run):
    _order(run, Decimal("109000"))  # within 10 % of EUR 100,000
    exceptions_check(run.pk)
    assert not run.exceptions.exists()
    line = run.budget_lines.get()
    budget_estimates_update(project_id=run.pk, by=pm, estimates={line.pk: Decimal("2000")})  # 111,000
    exceptions_check(run.pk)
    exceptions_check(run.pk)
    exception = run.exceptions.get(cleared_at__isnull=True)
    assert exception.kind == "cost" and "EUR 111,000.00" in exception.summary
    assert "Forecast: forecast cost EUR 111,000.00" in exception.cause and exception.options.startswith("1.")
    assert Notification.objects.filter(recipient=pmolead, subject__startswith="Exception on").count() == 1
    with translation.override("nl"):  # the kind too follows the reader's language
        assert Notification.objects.get(recipient=pmolead).subject_text() == f"Afwijking op {run.code}: Kosten"
    assert Notification.objects.filter(recipient=pm, subject__contains="complete the exception report").count() == 1

    change = change_create(project_id=run.pk, by=support, costs=[
        {"budget_line": line, "delta": Decimal("12000")}], milestones=[], data={
        "title": "More cable", "description": "d", "priority": "high", "severity": 3, "owner": pm, "due_date": None,
        "time_impact_days": 0, "scope_impact": "", "quality_impact": "", "risk_impact": "", "options": "",
        "recommendation": ""})
    change = change_submit(change_id=change.pk, by=support)
    change_approve(change_id=change.pk, by=pmolead, expected_version=change.version)
    exception.refresh_from_db()
    assert exception.cleared_at and exception.cleared_reason == "CR-001 approved"
    exceptions_check(run.pk)
    assert not run.exceptions.filter(cleared_at__isnull=True).exists()


def _working_days_after(day: dt.date, count: int) -> dt.date:
    while count:
        day += dt.timedelta(days=1)
        count -= day.weekday() < 5
    return day


def test_a_time_exception_clears_when_the_forecast_is_back_within_tolerance(pm, run):
    # In the future, whatever today is: an activity planned to start before today is forecast from today.
    baseline_end = TODAY + dt.timedelta(days=90)
    Baseline.objects.filter(pk=run.current_baseline.pk).update(end_date=baseline_end)
    activity = Activity.objects.create(project=run, name="Install", planned_start=baseline_end - dt.timedelta(days=20),
                                       planned_end=_working_days_after(baseline_end, 17))
    exceptions_check(run.pk)
    assert run.exceptions.get().kind == ProjectException.Kind.TIME
    Activity.objects.filter(pk=activity.pk).update(planned_end=_working_days_after(baseline_end, 15))  # within
    exceptions_check(run.pk)
    assert run.exceptions.get().cleared_reason == "forecast end back within tolerance"


def test_changing_the_forecast_queues_the_check_after_commit(pm, run, django_capture_on_commit_callbacks):
    line = run.budget_lines.get()
    with django_capture_on_commit_callbacks(execute=True):
        budget_estimates_update(project_id=run.pk, by=pm, estimates={line.pk: Decimal("120000")})
    assert run.exceptions.get(cleared_at__isnull=True).kind == "cost"


def test_the_pm_completes_the_exception_report_others_read_it(client, pm, support, pmolead, run):
    exception = exception_raise(project_id=run.pk, kind="cost", summary="forecast EUR 130,000")
    url = reverse("projects:exception", args=[run.code, exception.pk])
    client.force_login(pmolead)
    assert "Exception: Cost tolerance" in client.get(run.get_absolute_url()).content.decode()
    assert client.post(url, {"cause": "x", "version": 1}).status_code == 403
    client.force_login(pm)
    response = client.post(url, {"cause": "Copper price", "consequences": "Margin", "options": "CR",
                                 "recommendation": "Raise a CR", "version": 1})
    assert response.status_code == 302
    exception.refresh_from_db()
    assert (exception.recommendation, exception.version) == ("Raise a CR", 2)


def test_the_lists_across_projects_are_filtered_and_their_queries_do_not_grow(
        client, pm, support, pmolead, django_assert_max_num_queries):
    for n in range(6):
        project = ProjectFactory(project_manager=pm, support_officer=support)
        Risk.objects.create(project=project, number=1, category="other", cause="c", event=f"Flood {n}", effect="e",
                            inherent_probability=5, inherent_impact=5, residual_probability=4, residual_impact=4,
                            response_category="reduce", owner=pm, author=pm, review_date=TODAY)
        Risk.objects.create(project=project, number=2, category="other", cause="c", event="Small", effect="e",
                            inherent_probability=2, inherent_impact=2, residual_probability=2, residual_impact=2,
                            response_category="reduce", owner=pm, author=pm, review_date=TODAY)
        ActionItem.objects.create(project=project, number=1, title=f"Late {n}", owner=support, raised_by=pm,
                                  due_date=TODAY - dt.timedelta(days=2))
        ChangeRequest.objects.create(project=project, number=1, title=f"Change {n}", description="d", owner=pm,
                                     raised_by=support, status="submitted", route="pm", submitted_at=timezone.now())
    client.force_login(pmolead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("registers_overview"))
    assert (response.context["risks"].paginator.count, response.context["actions"].paginator.count,
            response.context["changes"].paginator.count) == (6, 6, 6)
    assert "Flood 0" in response.content.decode() and "Small" not in response.content.decode()
    code = project.code
    narrowed = client.get(reverse("registers_overview"), {"project": code, "owner": support.last_name})
    assert (narrowed.context["risks"].paginator.count, narrowed.context["actions"].paginator.count) == (0, 1)
    client.force_login(pm)
    assert client.get(reverse("registers_overview")).status_code == 403


def test_the_pmo_lead_sees_projects_in_exception_on_the_home_page(client, pm, pmolead, run):
    exception = exception_raise(project_id=run.pk, kind="time", summary="forecast end 20 working days late")
    client.force_login(pmolead)
    response = client.get("/")
    assert response.context["exceptions_open"] == [exception]
    assert f"{run.code} is in exception (Time)" in response.content.decode()
    client.force_login(pm)
    assert client.get("/").context["exceptions_to_complete"] == [exception]


def test_a_decision_cannot_be_dated_in_the_future(pm, run):
    with pytest.raises(DomainError, match="cannot be in the future"):
        decision_record(project_id=run.pk, by=pm, data={
            "decided_on": TODAY + dt.timedelta(days=1), "title": "t", "rationale": "", "decided_by": "PM"})


def test_an_unfinished_activity_past_its_end_pushes_the_forecast_to_today(pm, run):
    from projects.selectors.projects import schedule_figures

    Activity.objects.create(project=run, name="Survey", planned_start=TODAY - dt.timedelta(days=20),
                            planned_end=TODAY - dt.timedelta(days=10), status="in_progress")
    assert schedule_figures(run)["forecast_end"] == TODAY
    Activity.objects.filter(name="Survey").update(status="done")
    assert schedule_figures(run)["forecast_end"] == TODAY - dt.timedelta(days=10)
