"""Intakes through the API: what a CRM drafts for a won deal, completed while a draft and submitted,
through the intake form and services; seen by whom the intake pages show it to."""

import pytest

from projects.models import Intake, ProjectType

from .api_client import Api, make_token

LIST = "/api/v1/intakes/"


@pytest.fixture
def project_type(db):
    from .conftest import ensure_reference_data

    ensure_reference_data()
    return ProjectType.objects.get(name="Software delivery")


def intake_body(project_type, **changes) -> dict:
    return {"project_type": project_type.name, "title": "Fibre ring Gent", "d365_opportunity": "OPP-1", **changes}


def test_sales_drafts_an_intake_through_the_service(sales, project_type):
    response = Api(make_token(sales)).post(LIST, intake_body(project_type), **{"Idempotency-Key": "deal-1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["created_by"], body["title"], body["project"]) == (
        "draft", "sales", "Fibre ring Gent", None)
    assert response["Location"] == f"{LIST}{body['id']}/" and response["ETag"] == '"1"'
    assert body["missing"]  # the template's required fields and attachments, as the page lists them
    again = Api(make_token(sales)).post(LIST, intake_body(project_type), **{"Idempotency-Key": "deal-1"})
    assert again.status_code == 201 and again.json()["id"] == body["id"]
    assert Intake.objects.count() == 1


@pytest.mark.parametrize("field", ["status", "created_by", "project", "decided_by", "version", "id"])
def test_fields_only_the_system_sets_are_refused(sales, project_type, field):
    response = Api(make_token(sales)).post(LIST, intake_body(project_type, **{field: "x"}))
    assert response.status_code == 400
    assert {"pointer": f"#/{field}", "detail": "This field cannot be set here."} in response.json()["errors"]
    assert not Intake.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("pm", 403), ("finance", 403), ("pmolead", 403), ("outsider", 403)])
def test_who_may_not_create_intakes_is_refused(request, project_type, persona, code):
    assert Api(make_token(request.getfixturevalue(persona))).post(LIST, intake_body(project_type)).status_code == code
    assert not Intake.objects.exists()


def test_a_draft_is_changed_with_its_etag_and_seen_by_its_author_only(sales, sales2, support, project_type):
    api = Api(make_token(sales))
    intake = api.post(LIST, intake_body(project_type)).json()
    url = f"{LIST}{intake['id']}/"
    assert api.patch(url, {"title": "x"}, **{"If-Match": '"7"'}).status_code == 412
    done = api.patch(url, {"title": "Fibre ring Gent-Zuid", "target_start": "2027-01-04"}, **{"If-Match": '"1"'})
    assert done.status_code == 200, done.json()
    assert (done.json()["title"], done.json()["d365_opportunity"]) == ("Fibre ring Gent-Zuid", "OPP-1")
    bad = api.patch(url, {"target_end": "2026-01-01"}, **{"If-Match": done["ETag"]})
    assert bad.status_code == 400 and [e["pointer"] for e in bad.json()["errors"]] == ["#/target_end"]
    assert Api(make_token(sales2)).get(url).status_code == 404
    assert Api(make_token(support)).get(url).status_code == 404  # a draft is sales' own, as on the pages
    assert Api(make_token(sales2)).patch(url, {"title": "y"}, **{"If-Match": done["ETag"]}).status_code == 404
    assert Intake.objects.get().title == "Fibre ring Gent-Zuid"


def test_an_incomplete_intake_is_not_submitted(sales, project_type):
    api = Api(make_token(sales))
    intake = api.post(LIST, intake_body(project_type)).json()
    response = api.post(f"{LIST}{intake['id']}/submit/", {})
    assert response.status_code == 422 and "Missing" in response.json()["detail"]
    assert Intake.objects.get().status == "draft"


def test_a_complete_intake_is_submitted_and_then_no_longer_edited(sales, project_type):
    project_type.required_fields, project_type.required_attachments = [], []
    project_type.save()
    api = Api(make_token(sales))
    intake = api.post(LIST, intake_body(project_type)).json()
    submitted = api.post(f"{LIST}{intake['id']}/submit/", {})
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    refused = api.patch(f"{LIST}{intake['id']}/", {"title": "late"}, **{"If-Match": submitted["ETag"]})
    assert refused.status_code == 403
    assert Intake.objects.get().title == "Fibre ring Gent"
