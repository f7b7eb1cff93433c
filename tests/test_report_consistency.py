"""Highlight reports and the portfolio do not contradict themselves: the time status names what is
missing, the customer reads a reason beside every colour, a forecast before the baseline end is not
"late", and activities that should have started and have not keep the schedule from green. The demo
publishes the previous weeks' reports, so the first look shows PDFs."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.demo import load_demo_data
from projects.models import Activity, BudgetLine, Dependency
from projects.selectors.plan import forecast_finishes
from projects.selectors.projects import schedule_figures
from projects.services.budget import budget_submit
from reporting.lib.pdf import report_context
from reporting.models import HighlightReport
from reporting.selectors.facts import rag_reason_text, report_facts, time_rag, week_of

from .factories import ProjectFactory

TODAY = timezone.localdate()
WEEK = week_of(TODAY)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def baselined(pm, support):
    """A Level 1 project with an approved budget (a baseline ending in 60 days) and no plan yet."""
    project = ProjectFactory(project_manager=pm, support_officer=support, end_date=TODAY + dt.timedelta(days=60))
    BudgetLine.objects.create(project=project, category="material", description="Kit", amount=Decimal("1000"))
    budget_submit(project_id=project.pk, by=pm)
    assert project.current_baseline
    return project


def _report(project, variant):
    return HighlightReport.objects.create(project=project, week=WEEK, variant=variant, language="en",
                                          facts=report_facts(project, WEEK, variant))


def test_the_time_status_names_what_is_missing():
    end = TODAY + dt.timedelta(days=30)
    assert time_rag(None, None, 5)["code"] == "no_schedule"
    assert time_rag(end, None, 5)["code"] == "no_plan"
    assert time_rag(None, end, 5)["code"] == "no_baseline"
    assert time_rag(end, end, 5) == {"colour": "green", "code": "on_time", "params": {}}
    assert time_rag(end, end - dt.timedelta(days=20), 5)["code"] == "on_time"  # ahead is on time, not "-14 late"
    assert time_rag(end, end, 5, late_starts=2) == {"colour": "amber", "code": "late_starts", "params": {"count": 2}}


def test_a_report_with_a_baseline_end_and_no_plan_does_not_say_there_is_no_baseline(baselined):
    context = report_context(_report(baselined, "internal"))
    assert context["header"]["baseline_end"]
    time = next(r for r in context["rag"] if r["label"] == "Time")
    assert "baseline end date yet" not in time["reason"] and "No activities planned yet" in time["reason"]


@pytest.mark.parametrize("overrun", ["0", "50", "500"])  # within budget, over within tolerance, beyond it
def test_the_customer_reads_a_reason_beside_the_cost_colour_without_internal_amounts(baselined, overrun):
    BudgetLine.objects.filter(project=baselined).update(estimate_to_complete=Decimal(overrun))
    internal, external = _report(baselined, "internal"), _report(baselined, "external")
    cost = next(r for r in report_context(external)["rag"] if r["label"] == "Cost")
    assert cost["reason"], f"cost {cost['colour']} without a reason"
    assert "%" not in cost["reason"] and "budget" not in cost["reason"]
    assert cost["colour"] == internal.facts["rag"]["cost"]["colour"]


def test_every_reason_code_reads_in_both_variants():
    for code in ("no_budget", "within_budget", "over_within", "over_beyond"):
        rag = {"code": code, "params": {"percent": "10"} if code.startswith("over") else {}}
        assert rag_reason_text(rag, customer=True) and rag_reason_text(rag)


def test_activities_that_have_not_started_push_the_forecast_along_their_dependencies():
    past = TODAY - dt.timedelta(days=100)
    a = SimpleNamespace(pk=1, planned_start=past, planned_end=past + dt.timedelta(days=9), status="not_started")
    b = SimpleNamespace(pk=2, planned_start=past + dt.timedelta(days=10), planned_end=past + dt.timedelta(days=19),
                        status="not_started")
    c = SimpleNamespace(pk=3, planned_start=past, planned_end=past + dt.timedelta(days=5), status="in_progress")
    d = SimpleNamespace(pk=4, planned_start=past, planned_end=past + dt.timedelta(days=5), status="done")
    link = SimpleNamespace(predecessor_id=1, successor_id=2, lag_days=2)
    finishes = forecast_finishes([b, a, c, d], [link], TODAY)
    assert finishes[1] == TODAY + dt.timedelta(days=9)  # starts today at the earliest, keeps its 10 days
    assert finishes[2] == TODAY + dt.timedelta(days=9 + 1 + 2 + 9)  # after a, plus the lag
    assert (finishes[3], finishes[4]) == (TODAY, past + dt.timedelta(days=5))


def test_past_due_activities_not_started_keep_the_schedule_from_green(client, pm, baselined):
    start = TODAY - dt.timedelta(days=60)
    design = Activity.objects.create(project=baselined, name="Design", planned_start=start,
                                     planned_end=start + dt.timedelta(days=9))
    build = Activity.objects.create(project=baselined, name="Build", planned_start=start + dt.timedelta(days=10),
                                    planned_end=start + dt.timedelta(days=29))
    Dependency.objects.create(predecessor=design, successor=build)
    schedule = schedule_figures(baselined)
    assert schedule["forecast_end"] == TODAY + dt.timedelta(days=9 + 1 + 19) and schedule["late_starts"] == 2
    facts = report_facts(baselined, WEEK, "internal")
    assert facts["rag"]["time"] == {"colour": "amber", "code": "late_starts", "params": {"count": 2}}
    client.force_login(pm)
    page = client.get(baselined.get_absolute_url()).content.decode()
    assert "2 activities past their planned start have not started." in page
    plan = client.get(reverse("projects:plan", args=[baselined.code])).content.decode()
    assert "2 activities past their planned start have not started." in plan


def test_the_portfolio_reads_a_forecast_before_the_baseline_end_as_ahead_not_negative(client, pm, pmolead, baselined):
    Activity.objects.create(project=baselined, name="Build", planned_start=TODAY,
                            planned_end=TODAY + dt.timedelta(days=10))
    client.force_login(pmolead)
    response = client.get(reverse("reporting:portfolio"))
    row = response.context["page"].object_list[0]
    assert row.late_days < 0 and row.days_late == 0 and row.days_ahead == -row.late_days
    assert row.rag["time"] == "green"
    page = response.content.decode()
    assert f"{row.days_ahead} ahead" in page and f">{row.late_days}<" not in page


def test_the_demo_publishes_the_previous_weeks_and_its_fibre_project_is_not_green_on_time(
        db, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the sending, after the commit
        load_demo_data(password="demo-pass-1", today=TODAY)
    published = HighlightReport.objects.filter(status="published")
    fibre = published.filter(project__code="PRJ-2026-0001")
    assert {(r.week, r.variant) for r in fibre} == {(WEEK - dt.timedelta(weeks=n), v) for n in (1, 2)
                                                    for v in ("internal", "external")}
    assert {r.project.code for r in published} == {"PRJ-2026-0001", "PRJ-2026-0002", "PRJ-2026-0003",
                                                   "PRJ-2026-0004"}
    assert all(r.pdf and r.sent_at and r.week < WEEK for r in published)
    assert HighlightReport.objects.filter(week=WEEK, status="draft").count() == 8
    report = fibre.filter(variant="internal").latest("week")
    assert report.facts["rag"]["time"]["colour"] != "green"
    schedule = schedule_figures(report.project)
    assert schedule["late_starts"] > 0 and (schedule["variance_days"] or 0) >= 0
    client.force_login(report.project.project_manager)
    page = client.get(report.project.get_absolute_url()).content.decode()
    assert "-120 d" not in page
    assert client.get(reverse("reporting:pdf", args=[report.project.code, report.pk])).status_code == 200
    load_demo_data(password="demo-pass-1", today=TODAY)  # again: nothing published twice
    assert HighlightReport.objects.filter(status="published").count() == published.count()
