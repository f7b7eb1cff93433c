"""A project's registers, logs, plan, costs and baselines through the API: the pages' rules per role, writes
through the pages' forms and services, crafted writes refused with nothing saved, stale If-Match refused,
Idempotency-Key on the creates, and list query counts that do not grow with the page."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from procurement.selectors.costs import project_costs
from projects.models import (
    ActionItem,
    Activity,
    Baseline,
    BudgetLine,
    ChangeRequest,
    Decision,
    Lesson,
    Milestone,
    ProjectIssue,
    SafetyAction,
    SafetyIncident,
)
from projects.services import registers

from .api_client import Api, make_token
from .factories import ProjectFactory

SOON = (timezone.localdate() + dt.timedelta(days=14)).isoformat()


def url(project, resource, key=None):
    return f"/api/v1/projects/{project.code}/{resource}/" + (f"{key}/" if key is not None else "")


def issue_body(**changes):
    return {"type": "problem", "title": "Switch dead on arrival", "description": "Replaced by the supplier",
            "owner": "pm", **changes}


def action_body(**changes):
    return {"title": "Call the supplier", "owner": "pm", "due_date": SOON, **changes}


@pytest.fixture
def pm_api(pm):
    return Api(make_token(pm))


@pytest.fixture
def issue(project, pm):
    return registers.issue_raise(project_id=project.pk, by=pm, data={
        "type": "problem", "title": "t", "description": "d", "priority": "medium", "severity": 3, "owner": pm,
        "status": "open", "due_date": None, "customer_visible": False})


@pytest.fixture
def action(project, pm):
    return registers.action_create(project_id=project.pk, by=pm, data={
        "title": "t", "description": "", "owner": pm, "due_date": dt.date(2030, 1, 1), "status": "open"})


@pytest.fixture
def activity(project):
    return Activity.objects.create(project=project, name="Design", planned_start="2027-01-04",
                                   planned_end="2027-01-08")


# --- issues and action items: written through the pages' forms and services


def test_it_raises_an_issue_through_the_service(pm_api, project):
    response = pm_api.post(url(project, "issues"), issue_body())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["identifier"], body["raised_by"], body["owner"], body["status"]) == ("I-001", "pm", "pm", "open")
    assert (body["priority"], body["severity"]) == ("medium", 3)  # the model's defaults, as the page's form
    assert response["Location"] == url(project, "issues", 1) and response["ETag"] == '"1"'
    issue = ProjectIssue.objects.get(project=project)
    assert issue.history.count() == 1


def test_it_adds_an_action_item_through_the_service(pm_api, project):
    response = pm_api.post(url(project, "action-items"), action_body())
    assert response.status_code == 201, response.json()
    assert response.json()["identifier"] == "A-001"
    assert ActionItem.objects.get(project=project).raised_by.username == "pm"


@pytest.mark.parametrize(("resource", "body", "model"), [("issues", issue_body, ProjectIssue),
                                                         ("action-items", action_body, ActionItem)])
@pytest.mark.parametrize("field", ["number", "raised_by", "version", "project", "raised_at", "approved_by",
                                   "closed_on", "completed_on"])
def test_fields_a_client_may_not_set_are_refused_and_nothing_is_saved(pm_api, project, resource, body, model,
                                                                      field):
    response = pm_api.post(url(project, resource), body(**{field: "2030-01-01"}))
    assert response.status_code == 400
    assert {"pointer": f"#/{field}", "detail": "This field cannot be set here."} in response.json()["errors"]
    assert not model.objects.exists()


@pytest.mark.parametrize(("resource", "body", "model"), [("issues", issue_body, ProjectIssue),
                                                         ("action-items", action_body, ActionItem)])
def test_an_owner_from_another_projects_staff_is_refused(pm_api, project, pm2, resource, body, model):
    ProjectFactory(project_manager=pm2)
    response = pm_api.post(url(project, resource), body(owner="pm2"))
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/owner"]
    assert not model.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("finance", 403), ("pmolead", 403), ("engmgr", 404), ("sales", 404),
                                               ("outsider", 404), ("pm2", 403), ("support", 201)])
@pytest.mark.parametrize(("resource", "body", "model"), [("issues", issue_body, ProjectIssue),
                                                         ("action-items", action_body, ActionItem)])
def test_who_may_not_keep_the_registers_gets_what_the_page_gives(request, project, persona, code, resource, body,
                                                                 model):
    api = Api(make_token(request.getfixturevalue(persona)))
    assert api.post(url(project, resource), body()).status_code == code
    assert model.objects.count() == (1 if code == 201 else 0)


def test_a_read_token_cannot_raise_an_issue(project, pm):
    response = Api(make_token(pm, scope="read")).post(url(project, "issues"), issue_body())
    assert response.status_code == 403
    assert not ProjectIssue.objects.exists()


def test_an_issue_of_another_project_is_not_reachable_through_this_one(pm_api, project, pm, issue):
    other = ProjectFactory(project_manager=pm)
    response = pm_api.patch(url(other, "issues", 1), {"title": "moved"}, **{"If-Match": '"1"'})
    assert response.status_code == 404
    issue.refresh_from_db()
    assert (issue.title, issue.version) == ("t", 1)


def test_closing_an_issue_needs_the_current_etag_and_dates_the_closure(pm_api, project, issue):
    one = url(project, "issues", 1)
    assert pm_api.patch(one, {"status": "closed"}).status_code == 428
    assert pm_api.patch(one, {"status": "closed"}, **{"If-Match": '"4"'}).status_code == 412
    issue.refresh_from_db()
    assert (issue.status, issue.version, issue.closed_on) == ("open", 1, None)
    done = pm_api.patch(one, {"status": "closed"}, **{"If-Match": '"1"'})
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"' and done.json()["closed_on"] == timezone.localdate().isoformat()
    issue.refresh_from_db()
    assert (issue.status, issue.title, issue.version) == ("closed", "t", 2)
    assert pm_api.patch(one, {"title": "again"}, **{"If-Match": '"1"'}).status_code == 412


def test_a_patch_with_a_field_the_form_does_not_have_changes_nothing(pm_api, project, action):
    response = pm_api.patch(url(project, "action-items", 1), {"completed_on": "2020-01-01", "status": "done"},
                            **{"If-Match": '"1"'})
    assert response.status_code == 400
    action.refresh_from_db()
    assert (action.status, action.completed_on, action.version) == ("open", None, 1)


def test_an_action_marked_done_is_dated_by_the_service(pm_api, project, action):
    response = pm_api.patch(url(project, "action-items", 1), {"status": "done"}, **{"If-Match": '"1"'})
    assert response.status_code == 200, response.json()
    assert response.json()["completed_on"] == timezone.localdate().isoformat()


def test_who_may_not_keep_the_registers_cannot_change_an_action(project, action, finance, engmgr):
    assert Api(make_token(finance)).patch(url(project, "action-items", 1), {"status": "done"},
                                          **{"If-Match": '"1"'}).status_code == 403
    assert Api(make_token(engmgr)).patch(url(project, "action-items", 1), {"status": "done"},
                                         **{"If-Match": '"1"'}).status_code == 404
    action.refresh_from_db()
    assert (action.status, action.version) == ("open", 1)


@pytest.mark.parametrize(("resource", "body", "model"), [("issues", issue_body, ProjectIssue),
                                                         ("action-items", action_body, ActionItem)])
def test_a_retry_with_the_same_idempotency_key_creates_once(pm_api, project, resource, body, model):
    first = pm_api.post(url(project, resource), body(), **{"Idempotency-Key": "crm-1"})
    second = pm_api.post(url(project, resource), body(), **{"Idempotency-Key": "crm-1"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json() and second["Idempotent-Replayed"] == "true"
    assert model.objects.count() == 1
    other = pm_api.post(url(project, resource), body(title="Another"), **{"Idempotency-Key": "crm-1"})
    assert other.status_code == 422
    assert model.objects.count() == 1


# --- the read-only registers and logs: what their pages show, to whom


@pytest.fixture
def entries(project, pm, support, issue, action):
    """One entry of each log, made through the services where the product has them."""
    registers.decision_record(project_id=project.pk, by=pm, data={
        "decided_on": dt.date(2026, 1, 5), "title": "Go", "rationale": "", "decided_by": "Steering board"})
    registers.lesson_log(project_id=project.pk, by=pm, data={"event": "e", "effect": "f", "cause": "c",
                                                             "recommendation": "r"})
    ChangeRequest.objects.create(project=project, number=1, title="More switches", description="d", owner=pm,
                                 raised_by=support)
    incident = SafetyIncident.objects.create(project=project, number=1, occurred_on="2026-01-05", site="Gent",
                                             kind="near_miss", description="d", reported_by=pm)
    SafetyAction.objects.create(incident=incident, description="Barrier", owner=pm, due_date="2026-01-09")
    Milestone.objects.create(project=project, name="Go-live", baseline_date="2027-02-01", forecast_date="2027-02-04")
    Activity.objects.create(project=project, name="Design", planned_start="2027-01-04", planned_end="2027-01-08")


REGISTERS = ["issues", "action-items", "decisions", "lessons", "change-requests", "safety-incidents", "baselines"]


@pytest.mark.parametrize("persona", ["pm", "support", "pmolead", "finance", "admin_user", "pm2"])
def test_who_sees_the_registers_reads_each_of_them(request, project, entries, persona):
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    for resource in REGISTERS[:-1]:
        listed = api.get(url(project, resource))
        assert listed.status_code == 200, resource
        assert len(listed.json()["results"]) == 1, resource
        one = api.get(url(project, resource, 1))
        assert one.status_code == 200 and one["ETag"] == '"1"', resource
    incident = api.get(url(project, "safety-incidents", 1)).json()
    assert (incident["identifier"], incident["actions"][0]["owner"]) == ("S-001", "pm")
    assert api.get(url(project, "decisions", 1)).json()["recorded_by"] == "pm"
    assert api.get(url(project, "change-requests", 1)).json()["cost_change"] is None


@pytest.mark.parametrize("persona", ["engmgr", "sales", "outsider"])
def test_who_does_not_see_the_registers_gets_404_as_on_the_pages(request, project, entries, persona):
    api = Api(make_token(request.getfixturevalue(persona)))
    for resource in [*REGISTERS, "costs"]:
        assert api.get(url(project, resource)).status_code == 404, resource
    assert api.get(url(project, "issues", 1)).status_code == 404


def test_the_engineering_manager_reads_the_plan_but_not_the_registers(project, entries, engmgr, sales):
    api = Api(make_token(engmgr))
    activities = api.get(url(project, "activities"))
    assert activities.status_code == 200
    assert [a["name"] for a in activities.json()["results"]] == ["Design"]
    assert activities.json()["results"][0]["critical"] is True  # the only activity: the plan's end
    assert api.get(url(project, "milestones")).json()["results"][0]["slip_days"] == 3
    assert Api(make_token(sales)).get(url(project, "activities")).status_code == 404


def test_updated_since_returns_only_what_changed(pm_api, project, issue, pm):
    later = timezone.now()
    assert pm_api.get(url(project, "issues"), {"updated_since": later.isoformat()}).json()["results"] == []
    assert pm_api.patch(url(project, "issues", 1), {"title": "changed"}, **{"If-Match": '"1"'}).status_code == 200
    changed = pm_api.get(url(project, "issues"), {"updated_since": later.isoformat()}).json()["results"]
    assert [i["title"] for i in changed] == ["changed"]


# --- an activity's progress, through the plan's service


def test_the_pm_reports_an_activitys_progress(pm_api, project, activity):
    one = url(project, "activities", activity.pk)
    assert pm_api.get(one)["ETag"] == '"1"'
    response = pm_api.patch(one, {"percent_complete": 40, "status": "in_progress"}, **{"If-Match": '"1"'})
    assert response.status_code == 200, response.json()
    assert response["ETag"] == '"2"'
    activity.refresh_from_db()
    assert (activity.percent_complete, activity.status, activity.version) == (40, "in_progress", 2)
    assert activity.history.count() == 2


@pytest.mark.parametrize("body", [{"planned_end": "2030-01-01"}, {"name": "Renamed"}, {"version": 9},
                                  {"percent_complete": 140}, {"status": "finished"}])
def test_what_the_api_may_not_change_of_an_activity_is_refused(pm_api, project, activity, body):
    response = pm_api.patch(url(project, "activities", activity.pk), body, **{"If-Match": '"1"'})
    assert response.status_code == 400
    activity.refresh_from_db()
    assert (activity.version, activity.percent_complete, str(activity.planned_end)) == (1, 0, "2027-01-08")


def test_a_stale_progress_report_changes_nothing(pm_api, project, activity):
    one = url(project, "activities", activity.pk)
    assert pm_api.patch(one, {"percent_complete": 50}).status_code == 428
    assert pm_api.patch(one, {"percent_complete": 50}, **{"If-Match": '"2"'}).status_code == 412
    activity.refresh_from_db()
    assert (activity.percent_complete, activity.version) == (0, 1)


@pytest.mark.parametrize(("persona", "code"), [("engmgr", 403), ("support", 403), ("pmolead", 403), ("pm2", 403),
                                               ("finance", 403), ("sales", 404), ("outsider", 404)])
def test_only_the_projects_manager_reports_progress_as_on_the_plan_page(request, project, activity, persona, code):
    api = Api(make_token(request.getfixturevalue(persona)))
    response = api.patch(url(project, "activities", activity.pk), {"percent_complete": 10}, **{"If-Match": '"1"'})
    assert response.status_code == code
    activity.refresh_from_db()
    assert (activity.percent_complete, activity.version) == (0, 1)


def test_an_activity_of_another_project_is_not_reachable_through_this_one(pm_api, project, pm, activity):
    other = ProjectFactory(project_manager=pm)
    response = pm_api.patch(url(other, "activities", activity.pk), {"percent_complete": 10}, **{"If-Match": '"1"'})
    assert response.status_code == 404
    activity.refresh_from_db()
    assert activity.version == 1


# --- costs and baselines


def test_the_costs_are_the_costs_pages_figures(project, pm, finance):
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("1000"),
                              estimate_to_complete=Decimal("250"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("1200"), approved_by=pm,
                            lines=[{"category": "material", "description": "Switches", "amount": "1000.00"}],
                            milestones=[{"name": "Go-live", "date": "2027-02-01"}])
    body = Api(make_token(finance, scope="read")).get(url(project, "costs")).json()
    page = project_costs(project)
    assert body["approved_budget"] == "1200.00"
    assert [(line["label"], line["budget"], line["estimate_to_complete"], line["forecast"]) for line in body["lines"]] \
        == [(line.label, f"{line.budget:.2f}", f"{line.estimate_to_complete:.2f}", f"{line.forecast:.2f}")
            for line in page.lines]
    assert (body["total"]["budget"], body["total"]["forecast"]) == ("1200.00", "250.00")
    baselines = Api(make_token(finance, scope="read")).get(url(project, "baselines")).json()["results"]
    assert [(b["version"], b["approved_by"], b["lines"][0]["amount"], b["milestones"][0]["name"])
            for b in baselines] == [(1, "pm", "1000.00", "Go-live")]


# --- query counts


def _fill(project, pm, count):
    for n in range(count):
        registers.issue_raise(project_id=project.pk, by=pm, data={
            "type": "problem", "title": f"t{n}", "description": "d", "priority": "medium", "severity": 3,
            "owner": pm, "status": "open", "due_date": None, "customer_visible": False})
        registers.action_create(project_id=project.pk, by=pm, data={
            "title": "t", "description": "", "owner": pm, "due_date": dt.date(2030, 1, 1), "status": "open"})
        incident = SafetyIncident.objects.create(project=project, number=n + 1, occurred_on="2026-01-05", site="s",
                                                 kind="near_miss", description="d", reported_by=pm)
        SafetyAction.objects.create(incident=incident, description="a", owner=pm, due_date="2026-01-09")
        ChangeRequest.objects.create(project=project, number=n + 1, title="t", description="d", owner=pm,
                                     raised_by=pm, decided_by=pm)
        Decision.objects.create(project=project, number=n + 1, decided_on="2026-01-05", title="t", decided_by="x",
                                recorded_by=pm)
        Lesson.objects.create(project=project, number=n + 1, event="e", effect="e", cause="c", recommendation="r",
                              logged_by=pm)
        Activity.objects.create(project=project, name=f"a{n}", planned_start="2027-01-04", planned_end="2027-01-08")
        Milestone.objects.create(project=project, name=f"m{n}", baseline_date="2027-02-01",
                                 forecast_date="2027-02-01")
        Baseline.objects.create(project=project, version=n + 1, budget=1, approved_by=pm)


@pytest.mark.parametrize("resource", [*REGISTERS, "activities", "milestones"])
def test_the_lists_query_count_does_not_grow_with_the_page(project, pm, resource):
    _fill(project, pm, 30)
    api = Api(make_token(pm, scope="read"))
    api.get(url(project, resource))  # the token's first use is recorded once, by the first call
    counts = []
    for size in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            response = api.get(url(project, resource), {"page_size": size})
            assert len(response.json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 16, counts
