import datetime as dt

import pytest
from django.urls import reverse

from projects.domain import DomainError, StaleEdit
from projects.models import Activity, Dependency, Phase
from projects.selectors.plan import critical_path
from projects.services.intakes import intake_accept
from projects.services.plan import activity_create, activity_move, activity_update, dependency_add
from projects.services.resources import assignment_save

from .factories import ProjectFactory

D = dt.date


@pytest.fixture
def plan_project(pm):
    return ProjectFactory(project_manager=pm, status="planning")


def _activity(project, by, name, start, end, **extra):
    return activity_create(project_id=project.pk, by=by, data={
        "name": name, "planned_start": start, "planned_end": end, **extra})


def test_end_before_start_is_refused(pm, plan_project):
    with pytest.raises(DomainError, match="end cannot be before the start"):
        _activity(plan_project, pm, "Design", D(2027, 1, 10), D(2027, 1, 5))
    assert not Activity.objects.exists()


def test_a_dependency_cycle_is_refused(pm, plan_project):
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    b = _activity(plan_project, pm, "Build", D(2027, 1, 11), D(2027, 1, 15))
    c = _activity(plan_project, pm, "Test", D(2027, 1, 18), D(2027, 1, 22))
    dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=a.pk, successor_id=b.pk)
    dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=b.pk, successor_id=c.pk)
    with pytest.raises(DomainError, match="would close a loop: Design already leads to Test"):
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=c.pk, successor_id=a.pk)
    assert Dependency.objects.count() == 2


def test_a_successor_starting_before_its_predecessor_ends_is_refused(pm, plan_project):
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    b = _activity(plan_project, pm, "Build", D(2027, 1, 6), D(2027, 1, 15))
    with pytest.raises(DomainError, match="Build cannot start before 2027-01-09"):
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=a.pk, successor_id=b.pk)
    assert not Dependency.objects.exists()
    dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=a.pk, successor_id=b.pk, lag_days=-3)
    with pytest.raises(DomainError, match="cannot start before"):
        activity_update(activity_id=b.pk, by=pm, data={"planned_start": D(2027, 1, 5)},
                                 expected_version=b.version)


def test_moving_an_activity_later_pushes_its_successors_and_the_forecast_end(client, pm, plan_project):
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    b = _activity(plan_project, pm, "Build", D(2027, 1, 11), D(2027, 1, 15))
    c = _activity(plan_project, pm, "Test", D(2027, 1, 18), D(2027, 1, 19))
    for pred, succ in ((a, b), (b, c)):
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=pred.pk, successor_id=succ.pk)
    moved = activity_move(activity_id=a.pk, by=pm, start=D(2027, 1, 6), end=D(2027, 1, 14),
                                   expected_version=a.version)
    assert [m.name for m in moved] == ["Build", "Test"]
    b.refresh_from_db()
    c.refresh_from_db()
    assert (b.planned_start, b.planned_end) == (D(2027, 1, 15), D(2027, 1, 19))  # duration kept
    assert (c.planned_start, c.planned_end) == (D(2027, 1, 20), D(2027, 1, 21))
    client.force_login(pm)
    plan = client.get(reverse("projects:plan", args=[plan_project.code])).context["plan"]
    assert plan["forecast_end"] == D(2027, 1, 21)
    # A move that still fits moves nothing else.
    assert activity_move(activity_id=a.pk, by=pm, start=D(2027, 1, 6), end=D(2027, 1, 13),
                                  expected_version=a.version + 1) == []


def test_a_stale_move_is_refused(pm, plan_project):
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    activity_move(activity_id=a.pk, by=pm, start=D(2027, 1, 5), end=D(2027, 1, 9), expected_version=1)
    with pytest.raises(StaleEdit, match="changed Design meanwhile"):
        activity_move(activity_id=a.pk, by=pm, start=D(2027, 1, 6), end=D(2027, 1, 9), expected_version=1)


def test_the_critical_path_is_the_chain_without_float(pm, plan_project):
    # Calendar days for now: each activity starts the day after its predecessor ends.
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    long = _activity(plan_project, pm, "Cabling", D(2027, 1, 9), D(2027, 1, 29))
    short = _activity(plan_project, pm, "Licences", D(2027, 1, 9), D(2027, 1, 10))
    end = _activity(plan_project, pm, "Acceptance", D(2027, 1, 30), D(2027, 2, 2))
    for pred, succ in ((a, long), (a, short), (long, end), (short, end)):
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=pred.pk, successor_id=succ.pk)
    links = list(Dependency.objects.all())
    assert critical_path(list(Activity.objects.all()), links) == {a.pk, long.pk, end.pk}


def test_another_pm_cannot_plan_and_a_crafted_activity_of_another_project_is_refused(client, pm, pm2, plan_project):
    with pytest.raises(DomainError, match="may not change this plan"):
        _activity(plan_project, pm2, "Design", D(2027, 1, 4), D(2027, 1, 8))
    mine = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    other_project = ProjectFactory(project_manager=pm)
    foreign = _activity(other_project, pm, "Foreign", D(2027, 1, 11), D(2027, 1, 12))
    client.force_login(pm)
    response = client.post(reverse("projects:dependency_create", args=[plan_project.code]),
                           {"predecessor": mine.pk, "successor": foreign.pk, "lag_days": 0})
    assert "Select a valid choice" in response.content.decode()
    assert not Dependency.objects.exists()


def test_absurd_hours_and_bad_dates_are_refused_on_the_form(client, pm, plan_project):
    client.force_login(pm)
    response = client.post(reverse("projects:activity_create", args=[plan_project.code]), {
        "name": "Design", "kind": "engineering", "planned_start": "2027-01-10", "planned_end": "2027-01-05",
        "effort_hours": "-4", "percent_complete": "150", "status": "not_started"})
    form = response.context["activity_form"]
    assert set(form.errors) == {"planned_end", "effort_hours", "percent_complete"}
    assert 'value="Design"' in response.content.decode()
    assert not Activity.objects.exists()


def test_an_accepted_intake_gets_the_phases_of_its_type(sales, support, pm):

    from .factories import IntakeFactory

    intake = IntakeFactory(created_by=sales, status="submitted")
    project = intake_accept(intake_id=intake.pk, by=support, project_manager=pm, support_officer=support)
    assert list(Phase.objects.filter(project=project).values_list("name", flat=True)) == [
        "Initiation", "Analysis", "Build", "Acceptance", "Closing"]


def test_the_plan_page_query_count_does_not_grow(client, pm, plan_project, django_assert_max_num_queries):
    previous = _activity(plan_project, pm, "A0", D(2027, 1, 1), D(2027, 1, 2))
    client.force_login(pm)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("projects:plan", args=[plan_project.code]))
    for n in range(1, 40):
        start = previous.planned_end + dt.timedelta(days=1)
        current = _activity(plan_project, pm, f"A{n}", start, start + dt.timedelta(days=1))
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=previous.pk,
                                successor_id=current.pk)
        previous = current
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("projects:plan", args=[plan_project.code]))


def test_the_gantt_move_endpoint_refuses_with_the_reason_and_refuses_stale_moves(client, pm, plan_project):
    a = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    b = _activity(plan_project, pm, "Build", D(2027, 1, 9), D(2027, 1, 15))
    dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=a.pk, successor_id=b.pk)
    client.force_login(pm)
    url = reverse("projects:gantt_move", args=[plan_project.code])
    refused = client.post(url, {"activity": b.pk, "start": "2027-01-05", "end": "2027-01-11", "version": b.version})
    assert refused.status_code == 409 and "Build cannot start before" in refused.json()["message"]
    b.refresh_from_db()
    assert b.planned_start == D(2027, 1, 9)
    ok = client.post(url, {"activity": a.pk, "start": "2027-01-04", "end": "2027-01-10", "version": 1})
    assert ok.status_code == 200 and "Moved along: Build" in ok.json()["message"]
    stale = client.post(url, {"activity": a.pk, "start": "2027-01-04", "end": "2027-01-09", "version": 1})
    assert stale.status_code == 409 and "meanwhile" in stale.json()["message"]
    garbled = client.post(url, {"activity": a.pk, "start": "soon", "end": "2027-01-09", "version": 2})
    assert garbled.status_code == 400
    data = client.get(reverse("projects:gantt_json", args=[plan_project.code])).json()
    assert [t["dependencies"] for t in data["tasks"]] == ["", str(a.pk)]


def test_schedule_figures_show_the_variance_and_slipped_milestones(client, pm, plan_project):
    from projects.models import Milestone

    plan_project.end_date = D(2027, 1, 10)
    plan_project.save()
    _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 14))
    milestone = Milestone.objects.create(project=plan_project, name="Design frozen", baseline_date=D(2027, 1, 14),
                                         forecast_date=D(2027, 1, 14))
    milestone.forecast_date = D(2027, 1, 19)
    milestone.save()
    client.force_login(pm)
    response = client.get(plan_project.get_absolute_url())
    schedule = response.context["schedule"]
    assert (schedule["variance_days"], schedule["slipped_milestones"]) == (4, [milestone])
    assert "Milestone Design frozen slipped 5 d" in response.content.decode()


def test_the_plan_exports_to_excel_with_formulas_neutralised(client, pm, plan_project):
    from io import BytesIO

    from openpyxl import load_workbook

    _activity(plan_project, pm, "=cmd|' /C calc'!A0", D(2027, 1, 4), D(2027, 1, 8))
    client.force_login(pm)
    content = client.get(reverse("projects:plan_export", args=[plan_project.code])).content
    rows = list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "'=cmd|' /C calc'!A0"
    activity = plan_project.activities.get()
    assert rows[1][2:5] == (str(activity.get_kind_display()), dt.datetime(2027, 1, 4), dt.datetime(2027, 1, 8))
    assert rows[1][7:] == (str(activity.get_status_display()), True)


def test_assignment_changes_are_in_the_plan_history(client, pm, plan_project):
    from decimal import Decimal

    from projects.models import Resource

    activity = _activity(plan_project, pm, "Design", D(2027, 1, 4), D(2027, 1, 8))
    jan = Resource.objects.create(name="Jan")
    assignment_save(activity_id=activity.pk, by=pm, resource=jan, hours_per_week=Decimal("8"))
    assignment_save(activity_id=activity.pk, by=pm, resource=jan, hours_per_week=Decimal("12"))
    client.force_login(pm)
    entries = client.get(reverse("projects:plan_history", args=[plan_project.code])).context["entries"]
    assert [e.kind for e in entries] == ["changed", "created"]
    assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("hours per week", "8.00", "12.00")]


def test_the_gantt_data_query_count_does_not_grow(client, pm, plan_project, django_assert_max_num_queries):
    previous = _activity(plan_project, pm, "A0", D(2027, 1, 1), D(2027, 1, 2))
    client.force_login(pm)
    url = reverse("projects:gantt_json", args=[plan_project.code])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(1, 60):
        start = previous.planned_end + dt.timedelta(days=1)
        current = _activity(plan_project, pm, f"A{n}", start, start)
        dependency_add(project_id=plan_project.pk, by=pm, predecessor_id=previous.pk, successor_id=current.pk)
        previous = current
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(url).json()["tasks"]) == 60
