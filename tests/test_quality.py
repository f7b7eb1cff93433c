"""Checklists (ISO 9001, ISO 27001, site safety, ...), their sign-off, and safety incidents."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from projects.domain import DomainError
from projects.models import (
    ChecklistAnswer,
    ChecklistRun,
    ChecklistTemplate,
    Intake,
    ProjectIssue,
    ProjectType,
    SafetyIncident,
)
from projects.services.intakes import intake_accept
from projects.services.quality import (
    checklist_answers_save,
    checklist_runs_from_project_type,
    checklist_sign_off,
    checklist_submit,
)
from projects.services.registers import issue_update
from projects.services.safety import incident_report, incident_update, safety_action_add, safety_action_done

from .factories import IntakeFactory, ProjectFactory, pdf_upload

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def site(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support,
                             project_type=ProjectType.objects.get(name="Network installation"))
    checklist_runs_from_project_type(project)
    return project


def _inspection(project):
    return project.checklist_runs.get(standard=ChecklistTemplate.Standard.SAFETY)


def _post(run, items: dict, **extra):
    data = {"version": run.version, **extra}
    for position in range(run.answers.count()):
        answer, comment = items.get(position, ("ok", ""))
        data.update({f"item-{position}-answer": answer, f"item-{position}-comment": comment,
                     f"item-{position}-corrective_action": "Shore the trench" if answer == "not_ok" else ""})
    return data


def test_accepting_an_intake_gives_the_project_its_types_checklists(support, pm, sales):
    intake = IntakeFactory(created_by=sales, status=Intake.Status.SUBMITTED,
                           project_type=ProjectType.objects.get(name="Network installation"))
    project = intake_accept(intake_id=intake.pk, by=support, project_manager=pm, support_officer=support)
    runs = list(project.checklist_runs.order_by("number"))
    assert [(r.identifier, r.standard, r.phase) for r in runs][:3] == [
        ("Q-001", "iso9001", "Design"), ("Q-002", "safety", "Installation"), ("Q-003", "lmra", "Installation")]
    assert len(runs) == 7 and runs[1].answers.count() == 9
    template = ChecklistTemplate.objects.get(standard="safety")
    template.items.filter(position=0).update(text="Changed in the admin")
    assert runs[1].answers.get(position=0).text == "The site safety plan is on site and the team knows it."


def test_a_not_ok_needs_a_comment_and_raises_an_issue_nothing_saved_half_way(client, pm, site):
    run = _inspection(site)
    client.force_login(pm)
    url = reverse("projects:checklist", args=[site.code, run.number])
    response = client.post(url, _post(run, {2: ("ok", ""), 5: ("not_ok", "")}))
    assert "a comment is required for not OK" in response.content.decode()
    assert not run.answers.exclude(answer="").exists()
    client.post(url, _post(run, {5: ("not_ok", "Trench on Botermarkt not shored")}))
    answer = run.answers.get(position=5)
    issue = answer.issue
    assert (answer.answer, answer.answered_by) == ("not_ok", pm)
    assert (issue.type, issue.owner, issue.identifier) == ("off_specification", pm, "I-001")
    assert "Trench on Botermarkt not shored" in issue.description and "Shore the trench" in issue.description
    assert issue.title.startswith("Q-002 Trenches and excavations")
    client.post(url, _post(run, {5: ("not_ok", "Trench on Botermarkt not shored")}, version=run.version + 1))
    assert ProjectIssue.objects.count() == 1  # saved again: no second issue
    stale = client.post(url, _post(run, {}, version=1))
    assert "Someone else saved this checklist meanwhile" in stale.content.decode()


def test_a_not_ok_without_a_corrective_action_is_refused_with_a_field_message_and_nothing_saved(client, pm, site):
    run = _inspection(site)
    client.force_login(pm)
    url = reverse("projects:checklist", args=[site.code, run.number])
    data = {**_post(run, {2: ("ok", ""), 5: ("not_ok", "Trench not shored")}), "item-5-corrective_action": "  "}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["forms"][5][1].errors == {
        "corrective_action": ["Say what will be done: a not OK needs a corrective action."]}
    assert "Trench not shored" in response.content.decode()  # what was typed stays
    assert not run.answers.exclude(answer="").exists() and not ProjectIssue.objects.exists()
    answers = {p: {"answer": "ok", "comment": "", "corrective_action": ""} for p in range(run.answers.count())}
    answers[5] = {"answer": "not_ok", "comment": "Trench not shored", "corrective_action": ""}
    with pytest.raises(DomainError, match="Item 6: a not OK needs a corrective action"):
        checklist_answers_save(run_id=run.pk, by=pm, answers=answers, evidence={}, expected_version=run.version)
    assert not run.answers.exclude(answer="").exists() and not ProjectIssue.objects.exists()


def test_a_refused_submission_saves_nothing_so_the_next_save_from_the_page_is_not_stale(client, pm, site):
    run = _inspection(site)
    client.force_login(pm)
    url = reverse("projects:checklist", args=[site.code, run.number])
    page = _post(run, {3: ("", "")}, submit="1")  # one item left unanswered
    refused = client.post(url, page)
    assert "Answer every item before submitting" in refused.content.decode()
    run.refresh_from_db()
    assert (run.status, run.version) == ("open", page["version"])
    assert not run.answers.exclude(answer="").exists()  # the answers were not saved half-way
    saved = client.post(url, _post(run, {}, version=page["version"], submit="1"))
    assert saved.status_code == 302
    run.refresh_from_db()
    assert run.status == "submitted"


def test_sign_off_by_another_reviewer_once_the_issues_are_closed(pm, support, pmolead, site):
    run = _inspection(site)
    answers = {p: {"answer": "ok", "comment": "", "corrective_action": ""} for p in range(run.answers.count())}
    answers[5] = {"answer": "not_ok", "comment": "Not shored", "corrective_action": "Shore it"}
    with pytest.raises(DomainError, match="Answer every item"):
        checklist_answers_save(run_id=run.pk, by=support, expected_version=1, evidence={},
                                       answers={0: answers[0]})
        checklist_submit(run_id=run.pk, by=support)
    run.refresh_from_db()
    [issue] = checklist_answers_save(run_id=run.pk, by=support, answers=answers, evidence={},
                                             expected_version=run.version)
    checklist_submit(run_id=run.pk, by=pm)
    with pytest.raises(DomainError, match="You filled this checklist"):
        checklist_sign_off(run_id=run.pk, by=support)
    with pytest.raises(DomainError, match="Only a support officer or a PMO lead"):
        checklist_sign_off(run_id=run.pk, by=pm)
    with pytest.raises(DomainError, match="Close or accept its issues first: I-001"):
        checklist_sign_off(run_id=run.pk, by=pmolead)
    issue_update(issue_id=issue.pk, by=pm, expected_version=1, data={
        "type": issue.type, "title": issue.title, "description": issue.description, "priority": issue.priority,
        "severity": issue.severity, "owner": pm, "status": "accepted", "due_date": issue.due_date})
    run = checklist_sign_off(run_id=run.pk, by=pmolead)
    assert (run.status, run.reviewer) == (ChecklistRun.Status.SIGNED, pmolead)


def test_evidence_is_type_checked_and_served_only_to_those_who_see_the_project(client, pm, sales, site):
    run = _inspection(site)
    client.force_login(pm)
    url = reverse("projects:checklist", args=[site.code, run.number])
    fake = SimpleUploadedFile("permit.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(url, {**_post(run, {}), "item-3-evidence": fake})
    assert "The content of permit.pdf is not a .pdf file" in response.content.decode()
    assert not run.answers.exclude(answer="").exists()
    client.post(url, {**_post(run, {}), "item-3-evidence": pdf_upload("permit.pdf")})
    evidence = run.answers.get(position=3).evidence.get()
    download = reverse("projects:checklist_evidence", args=[site.code, run.number, evidence.pk])
    assert client.get(download).status_code == 200
    client.force_login(sales)
    assert client.get(download).status_code == 404


def test_the_quality_register_lists_method_producer_reviewer_and_result(client, pm, support, pmolead, site):
    run = _inspection(site)
    checklist_answers_save(run_id=run.pk, by=pm, expected_version=1, evidence={}, answers={
        p: {"answer": "ok", "comment": "", "corrective_action": ""} for p in range(run.answers.count())})
    checklist_submit(run_id=run.pk, by=pm)
    checklist_sign_off(run_id=run.pk, by=support)
    client.force_login(pmolead)
    response = client.get(reverse("projects:quality", args=[site.code]))
    row = next(r for r in response.context["page"].object_list if r.pk == run.pk)
    assert (row.submitted_by, row.reviewer, row.not_ok, row.unanswered) == (pm, support, 0, 0)
    assert "All OK" in response.content.decode() and "Site-safety inspection" in response.content.decode()


def test_safety_incidents_refuse_future_dates_and_close_only_with_their_actions_done(client, pm, pm2, support, site):
    data = {"occurred_on": TODAY + dt.timedelta(days=1), "site": "Botermarkt", "kind": "near_miss", "severity": 0,
            "description": "A kerb stone fell next to the trench", "people_involved": "Jan (fitter)",
            "status": "open"}
    with pytest.raises(DomainError, match="cannot be dated in the future"):
        incident_report(project_id=site.pk, by=pm, data=data)
    incident = incident_report(project_id=site.pk, by=pm, data={**data, "occurred_on": TODAY})
    with pytest.raises(DomainError, match="owner must be on the project's staff"):
        safety_action_add(incident_id=incident.pk, by=pm, description="Fence", owner=pm2, due_date=TODAY)
    action = safety_action_add(incident_id=incident.pk, by=pm, description="Fence the trench", owner=support,
                                       due_date=TODAY)
    with pytest.raises(DomainError, match="Close its actions"):
        incident_update(incident_id=incident.pk, by=pm, expected_version=1, data={**data, "occurred_on": TODAY,
                                                                                       "status": "closed"})
    safety_action_done(action_id=action.pk, by=support)
    incident_update(incident_id=incident.pk, by=pm, expected_version=1,
                            data={**data, "occurred_on": TODAY, "status": "closed"})
    assert SafetyIncident.objects.get().status == "closed"
    client.force_login(pm)
    figures = client.get(reverse("projects:incidents", args=[site.code])).context["figures"]
    assert (figures["near_misses"], figures["open_actions"]) == (1, 0)


def test_safety_across_projects_in_constant_queries(client, pm, support, pmolead, django_assert_max_num_queries):
    for n in range(8):
        project = ProjectFactory(project_manager=pm, support_officer=support)
        for kind in ("incident", "near_miss"):
            incident_report(project_id=project.pk, by=pm, data={
                "occurred_on": TODAY - dt.timedelta(days=n), "site": "S", "kind": kind, "severity": n % 3,
                "description": "d", "people_involved": "", "status": "open"})
    client.force_login(pmolead)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("safety_overview"))
    assert response.context["totals"] == {"incidents": 8, "near_misses": 8, "unsafe": 0}
    assert len(response.context["rows"]) == 8
    client.force_login(pm)
    assert client.get(reverse("safety_overview")).status_code == 403


def test_checklist_answers_have_history(client, pm, site):
    run = _inspection(site)
    checklist_answers_save(run_id=run.pk, by=pm, expected_version=1, evidence={}, answers={
        0: {"answer": "na", "comment": "No site yet", "corrective_action": ""}})
    client.force_login(pm)
    response = client.get(reverse("projects:checklist_history", args=[site.code, run.number]))
    assert response.status_code == 200 and "No site yet" in response.content.decode()
    assert ChecklistAnswer.history.filter(run_id=run.pk).exists()


def test_templates_are_edited_in_the_admin_and_each_change_raises_the_version(client, admin_user, site):
    template = ChecklistTemplate.objects.get(standard="safety")
    items = list(template.items.order_by("position"))
    client.force_login(admin_user)
    url = reverse("admin:projects_checklisttemplate_change", args=[template.pk])
    assert client.get(url).status_code == 200
    data = {"name_en": template.name_en, "name_nl": template.name_nl, "standard": template.standard, "active": "on",
            "items-TOTAL_FORMS": len(items), "items-INITIAL_FORMS": len(items), "items-MIN_NUM_FORMS": 0,
            "items-MAX_NUM_FORMS": 1000}
    for n, item in enumerate(items):
        data.update({f"items-{n}-id": item.pk, f"items-{n}-template": template.pk, f"items-{n}-position": item.position,
                     f"items-{n}-text_en": item.text_en + (" (twice a day)" if n == 0 else ""),
                     f"items-{n}-text_nl": item.text_nl, f"items-{n}-text_fr": item.text_fr})
    assert client.post(url, data).status_code == 302
    template.refresh_from_db()
    assert template.version == 2 and template.items.get(position=0).text.endswith("(twice a day)")
    assert _inspection(site).answers.get(position=0).text == "The site safety plan is on site and the team knows it."


def test_the_incident_form_offers_the_named_severities(client, pm, site):
    client.force_login(pm)
    body = client.get(reverse("projects:incident_create", args=[site.code])).content.decode()
    assert "No injury or damage" in body and "Serious injury" in body
