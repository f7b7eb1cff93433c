"""A project's checklists and highlight reports through the API, read-only: what the quality register, the
checklist page and the reports page show, to whom they show it (404 otherwise); a report's PDF as the page
streams it, once rendered; query counts that do not grow with the rows."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from projects.models import ChecklistEvidence, ChecklistRun, ChecklistTemplate
from projects.services.quality import checklist_answers_save, checklist_run_start, checklist_sign_off, checklist_submit
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_draft_create, report_publish, report_update

from .api_client import Api, make_token
from .factories import ProjectFactory

WEEK = week_of(timezone.localdate())
INTERNALS = ["support", "pm", "pm2", "pmolead", "finance", "admin_user"]
HIDDEN = ["engmgr", "sales", "outsider"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def url(project, resource, key=None, tail=""):
    return f"/api/v1/projects/{project.code}/{resource}/" + (f"{key}/" if key is not None else "") + tail


def start(project, by, standard="iso9001", phase="Design") -> ChecklistRun:
    template = ChecklistTemplate.objects.filter(standard=standard, active=True).first()
    return checklist_run_start(project_id=project.pk, by=by, template_id=template.pk, phase=phase)


def answer(run, by, answers: dict) -> ChecklistRun:
    """`answers`: position -> answer; the other items stay unanswered."""
    checklist_answers_save(run_id=run.pk, by=by, expected_version=run.version, evidence={}, answers={
        position: {"answer": value, "comment": f"c{position}",
                   "corrective_action": "Shore the trench" if value == "not_ok" else ""}
        for position, value in answers.items()})
    return ChecklistRun.objects.get(pk=run.pk)


def answer_all(run, by) -> ChecklistRun:
    return answer(run, by, dict.fromkeys(range(run.answers.count()), "ok"))


@pytest.fixture
def signed(project, pm, pmolead):
    """Q-001: every item OK, submitted by the PM, signed off by the PMO lead (who filled none of it)."""
    run = answer_all(start(project, pm), pm)
    checklist_submit(run_id=run.pk, by=pm)
    checklist_sign_off(run_id=run.pk, by=pmolead)
    return ChecklistRun.objects.get(pk=run.pk)


@pytest.fixture
def inspection(project, pm, signed):
    """Q-002: a site inspection half answered, its first item not OK (which raised an issue)."""
    run = start(project, pm, standard="safety", phase="Installation")
    return answer(run, pm, {0: "not_ok", 1: "ok"})


# --- checklists


def test_the_list_is_the_quality_registers_runs_with_their_state(project, finance, signed, inspection):
    response = Api(make_token(finance, scope="read")).get(url(project, "checklists"))
    assert response.status_code == 200
    first, second = response.json()["results"]
    total = signed.answers.count()
    assert (first["identifier"], first["standard"], first["status"], first["phase"]) == (
        "Q-001", "iso9001", "signed", "Design")
    assert (first["items_total"], first["items_done"], first["items_open"], first["items_not_ok"]) == (
        total, total, 0, 0)
    assert (first["submitted_by"], first["signed_off_by"]) == ("pm", "pmolead")
    assert first["signed_off_at"] and first["submitted_at"] and first["updated_at"]
    assert first["name"] == signed.name and first["version"] == signed.version
    items = inspection.answers.count()
    assert (second["identifier"], second["standard"], second["status"]) == ("Q-002", "safety", "open")
    assert (second["items_total"], second["items_done"], second["items_open"], second["items_not_ok"]) == (
        items, 2, items - 2, 1)
    assert (second["submitted_by"], second["signed_off_by"], second["signed_off_at"]) == (None, None, None)


def test_a_checklist_reads_with_its_items_and_their_answers(project, pm, inspection):
    first = inspection.answers.get(position=0)
    ChecklistEvidence.objects.create(answer=first, file=ContentFile(b"%PDF-1.4", name="e.pdf"),
                                     original_name="trench.pdf", content_type="application/pdf", size=8,
                                     uploaded_by=pm)
    response = Api(make_token(pm, scope="read")).get(url(project, "checklists", 2))
    assert response.status_code == 200
    assert response["ETag"] == f'"{inspection.version}"'
    body = response.json()
    assert [item["position"] for item in body["items"]] == list(range(inspection.answers.count()))
    bad, good, unanswered = body["items"][:3]
    assert (bad["text"], bad["answer"], bad["comment"], bad["corrective_action"], bad["answered_by"]) == (
        first.text, "not_ok", "c0", "Shore the trench", "pm")
    assert bad["issue"] == first.issue.identifier and bad["issue"].startswith("I-")
    assert bad["evidence"] == [{"name": "trench.pdf", "content_type": "application/pdf", "size": 8,
                                "uploaded_by": "pm", "uploaded_at": bad["evidence"][0]["uploaded_at"]}]
    assert (good["answer"], good["issue"]) == ("ok", None)
    assert (unanswered["answer"], unanswered["answered_by"], unanswered["answered_at"]) == ("", None, None)


def test_a_checklist_s_etag_follows_its_saves(project, pm, inspection):
    api = Api(make_token(pm, scope="read"))
    before = api.get(url(project, "checklists", 2))["ETag"]
    answer(inspection, pm, {2: "na"})
    after = api.get(url(project, "checklists", 2))
    assert after["ETag"] != before and after.json()["items"][2]["answer"] == "na"


@pytest.mark.parametrize("persona", INTERNALS)
def test_who_sees_the_quality_register_reads_the_checklists(request, project, signed, persona):
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    assert [run["identifier"] for run in api.get(url(project, "checklists")).json()["results"]] == ["Q-001"]
    assert api.get(url(project, "checklists", 1)).status_code == 200


@pytest.mark.parametrize("persona", HIDDEN)
def test_who_does_not_see_the_quality_register_gets_404_as_on_the_page(request, project, signed, persona):
    """Sales see their own project's header, the engineering manager its plan: neither its checklists."""
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    for address in (url(project, "checklists"), url(project, "checklists", 1)):
        response = api.get(address)
        assert response.status_code == 404, persona
        assert response["Content-Type"] == "application/problem+json"


def test_a_checklist_of_another_project_is_not_reachable_through_this_one(project, pm, signed):
    other = ProjectFactory(project_manager=pm)
    api = Api(make_token(pm, scope="read"))
    assert api.get(url(other, "checklists", 1)).status_code == 404
    assert api.get(url(other, "checklists")).json()["results"] == []


def test_the_checklists_filter_by_status_standard_and_change(project, pm, signed, inspection):
    api = Api(make_token(pm, scope="read"))

    def identifiers(**params):
        response = api.get(url(project, "checklists"), params)
        assert response.status_code == 200, response.json()
        return [run["identifier"] for run in response.json()["results"]]

    assert identifiers(status="open") == ["Q-002"]
    assert identifiers(status=["open", "signed"]) == ["Q-001", "Q-002"]
    assert identifiers(standard="iso9001") == ["Q-001"]
    assert identifiers(phase="Installation") == ["Q-002"]
    moment = timezone.now()
    assert identifiers(updated_since=moment.isoformat()) == []
    answer(inspection, pm, {2: "ok"})
    assert identifiers(updated_since=moment.isoformat()) == ["Q-002"]
    response = api.get(url(project, "checklists"), {"status": "closed"})
    assert response.status_code == 400 and response.json()["errors"][0]["pointer"] == "#/status"


def test_checklists_are_read_only(project, pm, signed):
    api = Api(make_token(pm))
    assert api.post(url(project, "checklists"), {}).status_code == 405
    assert api.patch(url(project, "checklists", 1), {"status": "open"}, **{"If-Match": "*"}).status_code == 405
    assert ChecklistRun.objects.get(pk=signed.pk).status == "signed"


def test_the_checklists_query_count_does_not_grow_with_the_rows(project, pm, django_assert_max_num_queries):
    for _ in range(3):
        answer(start(project, pm), pm, {0: "not_ok", 1: "ok"})
    api = Api(make_token(pm, scope="read"))
    api.get(url(project, "checklists"))  # the token's first use is recorded once, by the first call
    with django_assert_max_num_queries(12) as few:
        assert len(api.get(url(project, "checklists")).json()["results"]) == 3
    with django_assert_max_num_queries(12) as one:
        assert len(api.get(url(project, "checklists", 1)).json()["items"]) > 2
    for _ in range(12):
        answer(start(project, pm, standard="safety"), pm, {0: "not_ok", 1: "ok"})
    run = ChecklistRun.objects.get(project=project, number=1)
    for item in run.answers.all():
        ChecklistEvidence.objects.create(answer=item, file=ContentFile(b"%PDF-1.4", name="e.pdf"), original_name="e",
                                         content_type="application/pdf", size=8, uploaded_by=pm)
    with django_assert_max_num_queries(len(few)):
        assert len(api.get(url(project, "checklists")).json()["results"]) == 15
    with django_assert_max_num_queries(len(one)):
        assert all(item["evidence"] for item in api.get(url(project, "checklists", 1)).json()["items"])


# --- highlight reports


@pytest.fixture
def draft(project):
    report, _new = report_draft_create(project_id=project.pk, week=WEEK, variant="internal")
    return report


@pytest.fixture
def published(project, support, django_capture_on_commit_callbacks):
    """This week's external report, narrated and published by the support officer, its PDF rendered by the
    (in-process) worker with WeasyPrint."""
    report, _new = report_draft_create(project_id=project.pk, week=WEEK, variant="external")
    report_update(report_id=report.pk, by=support, expected_version=report.edit_version, data={
        "summary": "On track", "this_period": "Trenching", "next_period": "Splicing"},
        overrides={"scope": {"colour": "amber", "reason": "Customer rethinks the second site"}})
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report_id=report.pk, by=support)
    report.refresh_from_db()
    assert report.status == "published" and report.pdf
    return report


def test_the_reports_list_shows_period_status_and_colours(project, finance, draft, published):
    response = Api(make_token(finance, scope="read")).get(url(project, "highlight-reports"))
    assert response.status_code == 200
    rows = {row["id"]: row for row in response.json()["results"]}
    row = rows[published.pk]
    assert (row["project"], row["variant"], row["version"], row["status"], row["published_by"]) == (
        project.code, "external", 1, "published", "support")
    assert (row["week"], row["iso_week"]) == (WEEK.isoformat(), f"{WEEK:%G-W%V}")
    assert row["period"] == {"start": WEEK.isoformat(), "end": (WEEK + dt.timedelta(days=6)).isoformat()}
    assert row["rag"]["scope"] == "amber"  # the override wins, as in the PDF
    assert set(row["rag"]) == {"time", "cost", "scope", "quality", "risk"}
    assert row["pdf"] == url(project, "highlight-reports", published.pk, "pdf/")
    assert row["published_at"] and row["rendered_at"] and row["updated_at"]
    assert (rows[draft.pk]["status"], rows[draft.pk]["pdf"], rows[draft.pk]["published_by"]) == ("draft", None, None)
    assert "summary" not in row  # the narrative is in the detail


def test_a_report_reads_with_its_narrative_and_the_reasons_behind_its_colours(project, pm, published):
    api = Api(make_token(pm, scope="read"))
    response = api.get(url(project, "highlight-reports", published.pk))
    assert response.status_code == 200
    body = response.json()
    assert (body["summary"], body["this_period"], body["next_period"]) == ("On track", "Trenching", "Splicing")
    scope = next(entry for entry in body["rag_reasons"] if entry["dimension"] == "scope")
    assert (scope["colour"], scope["computed"], scope["override_reason"]) == (
        "amber", "green", "Customer rethinks the second site")
    assert scope["reason"] == "No change request waiting for a decision."
    # Its `version` counts corrections: the ETag follows its history instead.
    assert response["ETag"].startswith('W/"h') and response["ETag"] != '"1"'
    dutch = Api(make_token(pm, scope="read", name="nl"), language="nl").get(url(project, "highlight-reports",
                                                                                 published.pk))
    assert next(e for e in dutch.json()["rag_reasons"] if e["dimension"] == "scope")["reason"] != scope["reason"]


def test_a_report_s_etag_changes_when_it_is_rendered(project, pm, support, draft, django_capture_on_commit_callbacks):
    api = Api(make_token(pm, scope="read"))
    before = api.get(url(project, "highlight-reports", draft.pk))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        report_publish(report_id=draft.pk, by=support)
    after = api.get(url(project, "highlight-reports", draft.pk))
    assert after["ETag"] != before and after.json()["status"] == "published"


def test_the_pdf_is_the_rendered_file_streamed_as_the_page_does(project, finance, published):
    response = Api(make_token(finance, scope="read")).get(url(project, "highlight-reports", published.pk, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{published.download_name}"'
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    body = b"".join(response.streaming_content)
    with published.pdf.open("rb") as stored:
        assert body == stored.read() and body.startswith(b"%PDF")


def test_a_pdf_not_rendered_yet_is_a_404_problem(project, pm, draft):
    response = Api(make_token(pm, scope="read")).get(url(project, "highlight-reports", draft.pk, "pdf/"),
                                                     **{"Accept": "application/pdf"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"] == "/api/v1/problems/not-found"


def test_the_pdf_answers_only_as_a_pdf(project, pm, published):
    response = Api(make_token(pm, scope="read")).get(url(project, "highlight-reports", published.pk, "pdf/"),
                                                     **{"Accept": "application/json"})
    assert response.status_code == 406
    assert response["Content-Type"] == "application/problem+json" and response.json()["status"] == 406


@pytest.mark.parametrize("persona", INTERNALS)
def test_who_sees_the_reports_page_reads_the_reports_and_their_pdf(request, project, published, persona):
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    assert [row["id"] for row in api.get(url(project, "highlight-reports")).json()["results"]] == [published.pk]
    assert api.get(url(project, "highlight-reports", published.pk)).status_code == 200
    assert api.get(url(project, "highlight-reports", published.pk, "pdf/")).status_code == 200


@pytest.mark.parametrize("persona", HIDDEN)
def test_who_does_not_see_the_reports_page_gets_404_for_the_reports_and_the_pdf(request, project, published,
                                                                                persona):
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    for address in (url(project, "highlight-reports"), url(project, "highlight-reports", published.pk),
                    url(project, "highlight-reports", published.pk, "pdf/")):
        response = api.get(address)
        assert response.status_code == 404, (persona, address)
        assert response["Content-Type"] == "application/problem+json"


def test_a_report_of_another_project_is_not_reachable_through_this_one(project, pm, published):
    other = ProjectFactory(project_manager=pm)
    api = Api(make_token(pm, scope="read"))
    assert api.get(url(other, "highlight-reports", published.pk)).status_code == 404
    assert api.get(url(other, "highlight-reports", published.pk, "pdf/")).status_code == 404


def test_an_anonymous_caller_gets_401_for_the_pdf(project, published):
    response = Api().get(url(project, "highlight-reports", published.pk, "pdf/"))
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_the_reports_filter_by_status_variant_week_and_change(project, pm, support, draft, published):
    api = Api(make_token(pm, scope="read"))

    def ids(**params):
        response = api.get(url(project, "highlight-reports"), params)
        assert response.status_code == 200, response.json()
        return sorted(row["id"] for row in response.json()["results"])

    assert ids(status="draft") == [draft.pk]
    assert ids(variant="external") == [published.pk]
    assert ids(week=WEEK.isoformat()) == sorted([draft.pk, published.pk])
    assert ids(week=(WEEK - dt.timedelta(days=7)).isoformat()) == []
    moment = timezone.now()
    assert ids(updated_since=moment.isoformat()) == []
    report_update(report_id=draft.pk, by=support, expected_version=draft.edit_version, overrides={},
                  data={"summary": "Late", "this_period": "", "next_period": ""})
    assert ids(updated_since=moment.isoformat()) == [draft.pk]


def test_reports_are_read_only(project, pm, draft):
    api = Api(make_token(pm))
    assert api.post(url(project, "highlight-reports"), {}).status_code == 405
    assert api.post(url(project, "highlight-reports", draft.pk, "pdf/"), {}).status_code == 405
    assert HighlightReport.objects.get(pk=draft.pk).status == "draft"


def test_the_reports_query_count_does_not_grow_with_the_rows(project, pm, django_assert_max_num_queries):
    def drafts(weeks):
        for n in weeks:
            for variant in ("internal", "external"):
                report_draft_create(project_id=project.pk, week=WEEK - dt.timedelta(weeks=n), variant=variant)

    drafts(range(2))
    api = Api(make_token(pm, scope="read"))
    api.get(url(project, "highlight-reports"))
    with django_assert_max_num_queries(10) as few:
        assert len(api.get(url(project, "highlight-reports")).json()["results"]) == 4
    drafts(range(2, 12))
    with django_assert_max_num_queries(len(few)):
        assert len(api.get(url(project, "highlight-reports")).json()["results"]) == 24


def test_a_checklist_reads_in_the_callers_language(project, pm, signed):
    """Reference data copied into the run (its name, its items) is shown in the reader's language, as on the
    page."""
    assert signed.name_nl and signed.name_nl != signed.name_en
    body = Api(make_token(pm, scope="read"), language="nl").get(url(project, "checklists", 1)).json()
    first = signed.answers.get(position=0)
    assert (body["name"], body["items"][0]["text"]) == (signed.name_nl, first.text_nl or first.text_en)
