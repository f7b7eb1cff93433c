"""The risks of a project through the API: the page's form and services, stale edits refused (412),
retries with an Idempotency-Key made once, crafted writes refused with nothing saved."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from api.framework.idempotency import KEPT
from api.models import IdempotencyRecord
from api.tasks import forget_expired_idempotency_keys
from projects.models import Risk
from projects.services import registers

from .api_client import Api, make_token, risk_body
from .conftest import needs_postgresql
from .factories import ProjectFactory


def risks_url(project):
    return f"/api/v1/projects/{project.code}/risks/"


@pytest.fixture
def pm_api(pm):
    return Api(make_token(pm))


@pytest.fixture
def risk(project, pm):
    return registers.risk_create(project_id=project.pk, by=pm, data={
        "kind": "threat", "category": "other", "cause": "c", "event": "e", "effect": "f", "inherent_probability": 3,
        "inherent_impact": 3, "residual_probability": 2, "residual_impact": 2, "cost_impact": 0,
        "proximity": "quarter", "response_category": "reduce", "response": "", "owner": pm, "actionee": None,
        "status": "open", "review_date": "2030-01-01", "customer_visible": False})


def test_it_registers_a_risk_through_the_service(pm_api, project, pm):
    response = pm_api.post(risks_url(project), risk_body())
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["identifier"], body["author"], body["owner"], body["score"]) == ("R-001", "pm", "pm", 6)
    assert body["expected_value"] == "3600.00"  # derived (30 % of 12,000), never typed
    assert response["Location"] == f"{risks_url(project)}1/"
    assert response["ETag"] == '"1"'
    risk = Risk.objects.get(project=project)
    assert (risk.author, risk.kind, risk.proximity) == (pm, "threat", "quarter")  # the model's defaults
    assert risk.history.count() == 1


def test_it_lists_and_reads_risks_with_an_etag(pm_api, project, risk):
    listed = pm_api.get(risks_url(project)).json()
    assert [r["identifier"] for r in listed["results"]] == ["R-001"]
    one = pm_api.get(f"{risks_url(project)}1/")
    assert one.status_code == 200 and one["ETag"] == '"1"'


@pytest.mark.parametrize("field", ["number", "author", "version", "score", "project", "registered_at", "approved_by"])
def test_fields_a_client_may_not_set_are_refused_and_nothing_is_saved(pm_api, project, field):
    response = pm_api.post(risks_url(project), risk_body(**{field: 7}))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert {"pointer": f"#/{field}", "detail": "This field cannot be set here."} in response.json()["errors"]
    assert not Risk.objects.exists()


def test_an_owner_from_another_projects_staff_is_refused_as_the_page_refuses_it(pm_api, project, pm2):
    ProjectFactory(project_manager=pm2)
    response = pm_api.post(risks_url(project), risk_body(owner="pm2"))
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/owner"]
    assert not Risk.objects.exists()


def test_a_response_that_does_not_fit_the_kind_is_a_business_rule_problem(pm_api, project):
    response = pm_api.post(risks_url(project), risk_body(kind="opportunity", response_category="avoid"))
    assert response.status_code == 422
    assert "not a possible response" in response.json()["detail"]
    assert not Risk.objects.exists()


def test_a_risk_of_another_project_is_not_reachable_through_this_one(pm_api, project, pm, risk):
    other = ProjectFactory(project_manager=pm)
    response = pm_api.patch(f"{risks_url(other)}1/", {"event": "moved"}, **{"If-Match": '"1"'})
    assert response.status_code == 404
    risk.refresh_from_db()
    assert risk.event == "e"


@pytest.mark.parametrize(("persona", "code"), [("finance", 403), ("pmolead", 403), ("engmgr", 404), ("sales", 404),
                                               ("outsider", 404), ("pm2", 403)])
def test_who_may_not_keep_the_register_gets_what_the_page_gives(request, project, persona, code):
    api = Api(make_token(request.getfixturevalue(persona)))
    assert api.post(risks_url(project), risk_body()).status_code == code
    assert not Risk.objects.exists()


def test_a_read_token_cannot_write(project, pm):
    response = Api(make_token(pm, scope="read")).post(risks_url(project), risk_body())
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]
    assert not Risk.objects.exists()


def test_an_update_needs_the_current_etag(pm_api, project, risk):
    url = f"{risks_url(project)}1/"
    assert pm_api.patch(url, {"event": "x"}).status_code == 428
    stale = pm_api.patch(url, {"event": "x"}, **{"If-Match": '"7"'})
    assert stale.status_code == 412 and stale["Content-Type"] == "application/problem+json"
    risk.refresh_from_db()
    assert (risk.event, risk.version) == ("e", 1)
    done = pm_api.patch(url, {"event": "Switches fail", "status": "closed"}, **{"If-Match": '"1"'})
    assert done.status_code == 200, done.json()
    assert done["ETag"] == '"2"' and done.json()["status"] == "closed"
    risk.refresh_from_db()
    assert (risk.event, risk.status, risk.version, risk.cause) == ("Switches fail", "closed", 2, "c")
    again = pm_api.patch(url, {"event": "y"}, **{"If-Match": '"1"'})  # the first ETag is stale now
    assert again.status_code == 412


@pytest.mark.django_db(transaction=True)
def test_two_updates_from_the_same_version_make_one_change(project, pm, support, risk):
    """Two callers at once, each with its own connection: the service's row lock and version check let
    exactly one through; the other gets 412."""
    needs_postgresql()
    secrets = [make_token(pm), make_token(support)]
    barrier, codes = threading.Barrier(2), []

    def update(secret, text):
        try:
            barrier.wait()
            codes.append(Api(secret).patch(f"{risks_url(project)}1/", {"event": text},
                                           **{"If-Match": '"1"'}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=update, args=(s, t)) for s, t in zip(secrets, ["a", "b"], strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes) == [200, 412]
    assert Risk.objects.get().version == 2


def test_a_retry_with_the_same_idempotency_key_registers_once(pm_api, project):
    first = pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "k-1"})
    second = pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "k-1"})
    assert (first.status_code, second.status_code) == (201, 201)
    assert second.json() == first.json()
    assert second["Location"] == first["Location"] and second["Idempotent-Replayed"] == "true"
    assert Risk.objects.count() == 1
    other = pm_api.post(risks_url(project), risk_body(event="Another"), **{"Idempotency-Key": "k-1"})
    assert other.status_code == 422
    assert other.json()["type"] == "/api/v1/problems/idempotency-key-reused"
    assert Risk.objects.count() == 1
    assert pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "k-2"}).status_code == 201
    assert Risk.objects.count() == 2


def test_a_failed_request_keeps_no_idempotency_key(pm_api, project):
    bad = pm_api.post(risks_url(project), risk_body(owner="nobody"), **{"Idempotency-Key": "k"})
    assert bad.status_code == 400
    assert pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "k"}).status_code == 201


def test_the_nightly_sweep_forgets_keys_older_than_a_day_and_keeps_the_others(pm_api, project):
    for key in ("old", "recent"):
        assert pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": key}).status_code == 201
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - KEPT - dt.timedelta(minutes=1))
    assert forget_expired_idempotency_keys.apply().get() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["recent"]
    replay = pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "recent"})
    assert replay["Idempotent-Replayed"] == "true" and Risk.objects.count() == 2


def test_another_callers_key_is_theirs(pm_api, project, support):
    assert pm_api.post(risks_url(project), risk_body(), **{"Idempotency-Key": "same"}).status_code == 201
    theirs = Api(make_token(support)).post(risks_url(project), risk_body(), **{"Idempotency-Key": "same"})
    assert theirs.status_code == 201 and Risk.objects.count() == 2


def test_a_body_over_the_limit_gets_413_and_saves_nothing(pm_api, project, settings):
    settings.API_MAX_BODY_BYTES = 2000
    response = pm_api.post(risks_url(project), risk_body(cause="x" * 3000))
    assert response.status_code == 413 and response["Content-Type"] == "application/problem+json"
    assert not Risk.objects.exists()


def test_validation_problems_are_in_the_callers_language(project, pm):
    response = Api(make_token(pm), language="nl-BE,nl;q=0.9,en;q=0.5").post(risks_url(project),
                                                                            risk_body(number=3))
    assert response.status_code == 400
    body = response.json()
    assert body["title"] == "Uw verzoek bevat ongeldige velden."
    assert body["errors"] == [{"pointer": "#/number", "detail": "Dit veld kan hier niet worden ingesteld."}]
    french = Api(make_token(pm), language="fr").get("/api/v1/projects/PRJ-2099-9999/")
    assert french.status_code == 404 and french.json()["title"] == "Introuvable."
