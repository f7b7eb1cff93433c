"""Issue 5's journey in Chromium: plan, assign (one engineer over-booked across projects), drag a bar."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import Activity, Resource
from projects.services.plan import activity_create
from projects.services.resources import assignment_save

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = dt.date(2027, 3, 1)  # a Monday


def _add_activity(page, name, start, end):
    page.fill("#id_name", name)
    page.fill("#id_planned_start", start.isoformat())
    page.fill("#id_planned_end", end.isoformat())
    page.fill("#id_effort_hours", "40")
    page.get_by_role("button", name="Add").first.click()
    expect(page.get_by_text("Activity added.")).to_be_visible()


def test_plan_assign_overbook_and_move_a_bar(new_page):
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    engmgr = UserFactory(username="engmgr", first_name="Eva", roles=[Role.ENGINEERING_MANAGER])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, status="planning")
    other = ProjectFactory(name="Access control", project_manager=pm_user, status="planning")
    jan = Resource.objects.create(name="Jan Verstraete", team_manager=engmgr, weekly_capacity_hours=38)
    Resource.objects.create(name="Lotte Desmet", team_manager=engmgr, weekly_capacity_hours=38)
    busy = activity_create(project_id=other.pk, by=pm_user, data={
        "name": "Terminal installation", "planned_start": START, "planned_end": START + dt.timedelta(days=11)})
    assignment_save(activity_id=busy.pk, by=pm_user, resource=jan, hours_per_week=Decimal("30"))

    # 1. The PM builds a plan with a dependency.
    pm = new_page()
    sign_in(pm, "pm")
    pm.goto(f"{project.get_absolute_url()}plan/")
    _add_activity(pm, "Design", START, START + dt.timedelta(days=4))
    _add_activity(pm, "Cabling", START + dt.timedelta(days=5), START + dt.timedelta(days=13))
    design, cabling = Activity.objects.get(name="Design"), Activity.objects.get(name="Cabling")
    pm.select_option("#id_predecessor", label="Design")
    pm.select_option("#id_successor", label="Cabling")
    pm.locator("form[action$='dependencies/'] button").click()
    expect(pm.get_by_text("Dependency added.")).to_be_visible()
    screenshot(pm, "plan-01-table")

    # 2. Two engineers assigned; Jan is over-booked (30 h elsewhere + 20 h): flagged, then confirmed.
    pm.goto(f"{project.get_absolute_url()}plan/activities/{cabling.pk}/")
    pm.select_option("#id_resource", label="Lotte Desmet")
    pm.fill("#id_hours_per_week", "16")
    pm.get_by_role("button", name="Assign").click()
    pm.select_option("#id_resource", label="Jan Verstraete")
    pm.fill("#id_hours_per_week", "20")
    pm.get_by_role("button", name="Assign").click()
    expect(pm.get_by_text("Jan Verstraete would be over-booked in week")).to_be_visible()
    screenshot(pm, "plan-02-overbooking-warning")
    pm.check("#id_confirm_overbooking")
    pm.get_by_role("button", name="Assign").click()
    expect(pm.get_by_text("Assignment saved.")).to_be_visible()
    assert cabling.assignments.count() == 2

    lead = new_page()
    sign_in(lead, "engmgr")
    lead.goto(f"/planning/workload/?from={START.isoformat()}")
    assert lead.locator("td.table-danger").count() >= 1
    screenshot(lead, "plan-03-workload")

    # 3. The PM drags Design one week later in the Gantt view: Cabling and the forecast end follow.
    pm.goto(f"{project.get_absolute_url()}plan/gantt/")
    bar = pm.locator(f".bar-wrapper[data-id='{design.pk}'] .bar")
    bar.wait_for()
    before = pm.locator("#forecast-end").inner_text()
    box = bar.bounding_box()
    column = pm.evaluate("() => document.querySelector('.gantt .grid-row') ? 0 : 0")  # noqa: F841
    week_width = pm.evaluate("() => { const h = document.querySelectorAll('.upper-text, .lower-text');"
                             " return h.length > 1 ? Math.abs(h[1].getBoundingClientRect().x"
                             " - h[0].getBoundingClientRect().x) : 140; }")
    pm.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    pm.mouse.down()
    pm.mouse.move(box["x"] + box["width"] / 2 + week_width, box["y"] + box["height"] / 2, steps=10)
    pm.mouse.up()
    pm.wait_for_function("() => !document.getElementById('gantt-status').hidden")
    screenshot(pm, "plan-04-gantt-moved")
    design.refresh_from_db()
    cabling.refresh_from_db()
    assert design.planned_start > START
    assert cabling.planned_start > design.planned_end
    # The chart reloads its data after the move's answer: the forecast end follows a moment later.
    pm.wait_for_function("before => document.getElementById('forecast-end').textContent !== before", arg=before)
    assert pm.locator("#forecast-end").inner_text() != before
