"""The timesheet pages: my week pre-filled and submitted, a bad cell refused at the cell with what was typed
kept, the PM's list and decision, finance's rates (overlap refused next to the field) and month locks,
flat query counts, and who sees what."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from projects.models import Activity, Assignment, CostRate, MonthLock, Resource, Timesheet
from projects.services import timesheets as ts

from .factories import ProjectFactory, UserFactory

MONDAY = dt.date(2026, 11, 2)
WEEK = "2026-W45"
D = Decimal


@pytest.fixture
def engineer(db, engmgr):
    user = UserFactory(username="eng", roles=[])
    return Resource.objects.create(name="Eva Engineer", user=user, team_manager=engmgr, skills="Electrician")


@pytest.fixture
def activity(project, engineer):
    a = Activity.objects.create(project=project, name="Cabling", planned_start=MONDAY,
                                planned_end=MONDAY + dt.timedelta(days=30))
    Assignment.objects.create(activity=a, resource=engineer, hours_per_week=D("20"))
    return a


@pytest.fixture
def rate(engineer, finance):
    return CostRate.objects.create(resource=engineer, hourly_rate=D("60"), valid_from=dt.date(2026, 1, 1))


def cells(activity, **days):
    return {f"h-{activity.pk}-{d}": days.get(d, "") for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


def test_my_week_shows_my_assigned_activities_prefilled(client, engineer, activity):
    client.force_login(engineer.user)
    response = client.get(f"/timesheets/?week={WEEK}")
    assert response.status_code == 200
    assert "Cabling" in response.content.decode() and f'name="h-{activity.pk}-mon"' in response.content.decode()


def test_it_saves_then_submits_the_week(client, engineer, activity):
    client.force_login(engineer.user)
    response = client.post(f"/timesheets/?week={WEEK}", {**cells(activity, mon="8", tue="7,5"), "action": "save"})
    assert response.status_code == 302
    line = Timesheet.objects.get().lines.get()
    assert (line.mon, line.tue) == (D("8"), D("7.5"))
    client.post(f"/timesheets/?week={WEEK}", {**cells(activity, mon="8", tue="7.5"), "action": "submit"})
    assert Timesheet.objects.get().status == "submitted"
    page = client.get(f"/timesheets/?week={WEEK}").content.decode()
    assert f'name="h-{activity.pk}-mon"' in page and "disabled" in page  # read-only once submitted
    assert "Save and submit the week" not in page  # and nothing left to save


@pytest.mark.parametrize("typed", ["25", "-1", "abc"])
def test_a_bad_cell_is_refused_at_the_cell_keeping_what_was_typed(client, engineer, activity, typed):
    client.force_login(engineer.user)
    response = client.post(f"/timesheets/?week={WEEK}", {**cells(activity, mon="6", wed=typed), "action": "save"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_h-{activity.pk}-wed-error"' in page and "between 0 and 24" in page
    assert f'value="{typed}"' in page and 'value="6"' in page
    assert not Timesheet.objects.exists()


def test_another_activity_of_an_assigned_project_can_be_added(client, engineer, activity, project):
    other = Activity.objects.create(project=project, name="Testing", planned_start=MONDAY, planned_end=MONDAY)
    client.force_login(engineer.user)
    page = client.get(f"/timesheets/?week={WEEK}&add={other.pk}").content.decode()
    assert f'name="h-{other.pk}-mon"' in page
    client.post(f"/timesheets/?week={WEEK}", {**cells(activity), **cells(other, fri="3"), "add": other.pk,
                                              "action": "save"})
    assert Timesheet.objects.get().lines.get().activity == other


def test_the_pm_approves_from_the_list_and_the_cost_view_moves(client, engineer, activity, rate, pm):
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: [D("8"), D("4")] + [D("0")] * 5})
    sheet = ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)[0]
    client.force_login(pm)
    assert "Eva Engineer" in client.get("/timesheets/approvals/").content.decode()
    assert client.get(f"/timesheets/{sheet.pk}/approve/").status_code == 200
    response = client.post(f"/timesheets/{sheet.pk}/approve/", {"version": sheet.version})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.lines.get().cost == D("720.00")
    assert "720.00" in client.get(f"/procurement/costs/{sheet.project.code}/").content.decode()


def test_a_return_without_reason_is_refused_next_to_the_field(client, engineer, activity, pm):
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: [D("8")] + [D("0")] * 6})
    sheet = ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)[0]
    client.force_login(pm)
    response = client.post(f"/timesheets/{sheet.pk}/return/", {"version": sheet.version, "reason": ""})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_an_overlapping_rate_is_refused_next_to_valid_from(client, finance, engineer, rate):
    client.force_login(finance)
    response = client.post("/timesheets/rates/new/", {"resource": engineer.pk, "hourly_rate": "70",
                                                      "valid_from": "2026-06-01"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Overlaps" in page and 'value="2026-06-01"' in page and 'value="70"' in page
    assert CostRate.objects.count() == 1


def test_finance_locks_a_month_and_the_week_page_says_so(client, finance, engineer, activity):
    client.force_login(finance)
    assert client.post("/timesheets/locks/", {"month": "2026-11"}).status_code == 302
    assert MonthLock.objects.get().month == dt.date(2026, 11, 1)
    assert "already locked" in client.post("/timesheets/locks/", {"month": "2026-11"}).content.decode()
    client.force_login(engineer.user)
    response = client.post(f"/timesheets/?week={WEEK}", {**cells(activity, mon="1"), "action": "save"})
    assert response.status_code == 200 and "locked" in response.content.decode()
    assert not Timesheet.objects.exists()


def _weeks_of(engineer, pm, n):
    """n activities on n projects, each with a submitted timesheet this week."""
    for i in range(n):
        project = ProjectFactory(project_manager=pm)
        activity = Activity.objects.create(project=project, name=f"A{i}", planned_start=MONDAY, planned_end=MONDAY)
        Assignment.objects.create(activity=activity, resource=engineer, hours_per_week=D("1"))
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                               hours={activity.pk: [D("1")] + [D("0")] * 6})
    ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_rows(client, engineer, pm):
    _weeks_of(engineer, pm, 2)
    client.force_login(engineer.user)
    mine_small = _queries(client, f"/timesheets/?week={WEEK}")
    client.force_login(pm)
    list_small = _queries(client, "/timesheets/approvals/")
    extra = UserFactory(username="eng2", roles=[])
    other = Resource.objects.create(name="Other", user=extra)
    _weeks_of(other, pm, 5)
    for i in range(4):  # more rows for the engineer too
        project = ProjectFactory(project_manager=pm)
        a = Activity.objects.create(project=project, name=f"B{i}", planned_start=MONDAY, planned_end=MONDAY)
        Assignment.objects.create(activity=a, resource=engineer, hours_per_week=D("1"))
    client.force_login(engineer.user)
    assert _queries(client, f"/timesheets/?week={WEEK}") == mine_small
    client.force_login(pm)
    assert _queries(client, "/timesheets/approvals/") == list_small


@pytest.mark.parametrize("role", ["sales", "support", "pm2", "pmolead", "outsider"])
def test_others_never_see_a_timesheet(client, engineer, activity, request, role):
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: [D("8")] + [D("0")] * 6})
    sheet = Timesheet.objects.get()
    client.force_login(request.getfixturevalue(role))
    assert client.get(f"/timesheets/{sheet.pk}/").status_code == 404
    assert client.get(f"/timesheets/{sheet.pk}/history/").status_code == 404


@pytest.mark.parametrize("role", ["finance", "pm", "engmgr"])
def test_author_deciders_and_finance_see_a_timesheet_and_its_history(client, engineer, activity, request, role):
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: [D("8")] + [D("0")] * 6})
    sheet = Timesheet.objects.get()
    for user in (engineer.user, request.getfixturevalue(role)):
        client.force_login(user)
        assert client.get(f"/timesheets/{sheet.pk}/").status_code == 200
        assert client.get(f"/timesheets/{sheet.pk}/history/").status_code == 200


def test_the_menu_shows_the_timesheet_entry_only_to_who_may_use_it(client, engineer, pm, sales, finance):
    for user, text in ((engineer.user, 'href="/timesheets/"'), (pm, 'href="/timesheets/approvals/"'),
                       (finance, 'href="/timesheets/rates/"')):
        client.force_login(user)
        assert text in client.get("/").content.decode(), user
    client.force_login(sales)
    assert "/timesheets/" not in client.get("/").content.decode()
    assert Role.SALES in sales.roles
