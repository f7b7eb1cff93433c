"""The browser journey: an engineer fills and submits a week, the PM approves it, the cost view's internal
labour moves by hours x rate (15.5 h x EUR 60 = EUR 930.00)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import Activity, Assignment, BudgetLine, CostRate, Resource, Timesheet, week_monday

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_engineer_submits_a_week_the_pm_approves_it_and_the_cost_view_moves(new_page):
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    engineer = Resource.objects.create(name="Jan Verstraete", user=UserFactory(username="jan", roles=[]),
                                       skills="fibre splicing")
    project = ProjectFactory(name="Fibre backbone", project_manager=pm)
    BudgetLine.objects.create(project=project, category="internal_labour", description="Engineering",
                              amount=Decimal("20000"))
    monday = week_monday(timezone.localdate())
    activity = Activity.objects.create(project=project, name="Fibre splicing", planned_start=monday,
                                       planned_end=monday + dt.timedelta(days=13))
    Assignment.objects.create(activity=activity, resource=engineer, hours_per_week=Decimal("16"))
    CostRate.objects.create(skill="fibre splicing", hourly_rate=Decimal("60"), valid_from=dt.date(2026, 1, 1))

    page = new_page()
    sign_in(page, "jan")
    page.get_by_role("link", name="Timesheet", exact=True).click()
    expect(page.get_by_role("rowheader", name=f"{project.code} · Fibre splicing")).to_be_visible()
    page.get_by_label("Fibre splicing · Mon").fill("25")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Enter between 0 and 24 hours for a day.")).to_be_visible()
    page.get_by_label("Fibre splicing · Mon").fill("8")
    page.get_by_label("Fibre splicing · Tue").fill("7,5")
    page.get_by_role("button", name="Save and submit the week").click()
    expect(page.get_by_text("Week submitted for approval.")).to_be_visible()
    screenshot(page, "timesheet-submitted")
    assert Timesheet.objects.get().status == "submitted"

    manager = new_page()
    sign_in(manager, "pm")
    manager.goto(f"/procurement/costs/{project.code}/")
    labour_row = manager.get_by_role("row", name="Internal labour: Engineering")
    expect(labour_row).to_contain_text("0.00")
    manager.get_by_role("link", name="Timesheets", exact=True).click()
    manager.get_by_role("link", name="Approve Jan Verstraete").click()
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_text("Timesheet approved.")).to_be_visible()
    manager.goto(f"/procurement/costs/{project.code}/")
    expect(manager.get_by_role("row", name="Internal labour: Engineering")).to_contain_text("930.00")
    screenshot(manager, "timesheet-cost-view")
