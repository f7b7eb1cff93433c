"""Projects through the API: what each role sees is what the project pages show them; lists page by
cursor, filter by updated_since, and cost the same number of queries at any page size."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Activity

from .api_client import Api, make_token
from .factories import ProjectFactory

LIST = "/api/v1/projects/"


def codes(response):
    return [project["code"] for project in response.json()["results"]]


def test_a_project_reads_by_its_code_with_its_header(project, pm, pmolead):
    phase = project.phases.create(name="Engineering", position=1)
    Activity.objects.create(project=project, phase=phase, name="Design", planned_start="2026-02-02",
                            planned_end="2026-02-06")
    response = Api(make_token(pmolead, scope="read")).get(f"{LIST}{project.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == project.code and body["customer"]["name"] == project.customer.name
    assert body["project_manager"] == {"username": "pm", "name": pm.get_full_name()}
    assert (body["level"], body["status"], body["phase"], body["start_date"]) == (1, "execution", "Engineering",
                                                                                  "2026-01-05")
    assert set(body["rag"]) == {"time", "cost", "scope", "quality", "risk"}
    assert response["ETag"].startswith('W/"h')


def test_sales_see_the_header_of_their_own_projects_only(project, sales, sales2):
    other = ProjectFactory()
    api = Api(make_token(sales))
    assert codes(api.get(LIST)) == [project.code]
    mine = api.get(f"{LIST}{project.code}/").json()
    assert (mine["rag"], mine["phase"]) == (None, None)  # no internals, no plan: as on the project page
    assert api.get(f"{LIST}{other.code}/").status_code == 404
    assert codes(Api(make_token(sales2)).get(LIST)) == []


def test_the_engineering_manager_sees_plans_but_no_status_colours(project, engmgr):
    body = Api(make_token(engmgr)).get(f"{LIST}{project.code}/").json()
    assert body["rag"] is None


def test_someone_without_a_role_may_not_list_projects(outsider, project):
    response = Api(make_token(outsider)).get(LIST)
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert Api(make_token(outsider)).get(f"{LIST}{project.code}/").status_code == 404


def test_the_list_pages_by_cursor_without_gaps_or_repeats(pmolead):
    made = sorted(ProjectFactory.create_batch(5), key=lambda p: p.pk)
    api = Api(make_token(pmolead))
    seen, url = [], f"{LIST}?page_size=2"
    while url:
        page = api.get(url).json()
        seen += [project["code"] for project in page["results"]]
        url = page["next"]
        if url:
            ProjectFactory()  # a project made while paging comes after the cursor, never shifts a page
    assert seen[:5] == [project.code for project in made]
    assert len(seen) == len(set(seen))


def test_updated_since_returns_only_what_changed(pmolead, pm):
    old, changed = ProjectFactory(), ProjectFactory()
    old.history.update(history_date=timezone.now() - dt.timedelta(days=3))
    changed.history.update(history_date=timezone.now() - dt.timedelta(days=3))
    since = timezone.now() - dt.timedelta(hours=1)
    changed.name = "Renamed"
    changed.save()
    api = Api(make_token(pmolead))
    assert codes(api.get(LIST, {"updated_since": since.isoformat()})) == [changed.code]
    bad = api.get(LIST, {"updated_since": "yesterday"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["pointer"] == "#/updated_since"


def test_filters_by_status_and_project_manager(pmolead, pm, project):
    ProjectFactory(status="planning")
    api = Api(make_token(pmolead))
    assert codes(api.get(LIST, {"project_manager": "pm"})) == [project.code]
    assert len(codes(api.get(LIST, {"status": "planning"}))) == 1


@pytest.mark.parametrize("persona", ["pmolead", "sales", "engmgr"])
def test_the_lists_query_count_does_not_grow_with_the_page(db, request, persona):
    user = request.getfixturevalue(persona)
    for project in ProjectFactory.create_batch(30, sales_owner=user if persona == "sales" else None):
        phase = project.phases.create(name="Build", position=1)
        Activity.objects.create(project=project, phase=phase, name="a", planned_start="2026-02-02",
                                planned_end="2026-02-06")
    api = Api(make_token(user))
    api.get(LIST)  # the summaries of new projects are computed once, by the first reader
    counts = []
    for size in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            assert len(codes(api.get(LIST, {"page_size": size}))) == size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    # On SQLite (no triggers) each read recomputes the summaries of every project under way: a dozen
    # grouped queries whatever the number of projects, still not one per row.
    assert counts[1] <= (6 if connection.vendor == "postgresql" else 20), counts
