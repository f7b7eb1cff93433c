from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Notification
from accounts.roles import Role
from projects.domain import DomainError
from projects.models import BudgetLine, BudgetSubmission, Project
from projects.services.budget import budget_approve, budget_reject, budget_submit
from projects.services.closing import project_close
from projects.services.projects import (
    project_cancel,
    project_put_on_hold,
    project_resume,
    project_start_execution,
    project_start_planning,
)

from .factories import ProjectFactory, UserFactory


def _lines(project, *amounts):
    for n, amount in enumerate(amounts):
        BudgetLine.objects.create(project=project, category="material", description=f"Line {n}", amount=Decimal(amount))


@pytest.fixture
def planning_project(pm, support):
    return ProjectFactory(project_manager=pm, support_officer=support, status=Project.Status.PLANNING)


def test_level_1_budget_is_confirmed_by_the_pm_and_sets_baseline_1(pm, planning_project):
    _lines(planning_project, "200000.00", "50000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    assert submission.status == BudgetSubmission.Status.APPROVED and submission.decided_by == pm
    baseline = planning_project.baselines.get()
    assert (baseline.version, baseline.budget) == (1, Decimal("250000.00"))
    project_start_execution(project_id=planning_project.pk, by=pm)


def test_above_level_1_the_budget_waits_for_a_pmo_lead(pm, pmolead, planning_project):
    _lines(planning_project, "250000.00", "0.01")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    planning_project.refresh_from_db()
    assert submission.status == BudgetSubmission.Status.PENDING and planning_project.level == 2
    assert Notification.objects.filter(recipient=pmolead, subject__contains=planning_project.code).exists()
    with pytest.raises(DomainError, match="before the project enters execution"):
        project_start_execution(project_id=planning_project.pk, by=pm)
    assert not planning_project.baselines.exists()


def test_the_pmo_lead_approves_from_approvals_and_execution_can_start(client, pm, pmolead, planning_project):
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    client.force_login(pmolead)
    assert submission in client.get(reverse("approvals")).context["budgets"]
    client.post(reverse("budget_decision", args=[submission.pk]), {"approve": "1", "comment": "Fine."})
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by, submission.comment) == ("approved", pmolead, "Fine.")
    assert planning_project.baselines.get().submission == submission
    project_start_execution(project_id=planning_project.pk, by=pm)


def test_a_rejected_budget_goes_back_to_the_pm_with_the_comment(client, pm, pmolead, planning_project):
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    client.force_login(pmolead)
    client.post(reverse("budget_decision", args=[submission.pk]), {"reject": "1", "comment": "Split travel costs."})
    submission.refresh_from_db()
    assert submission.status == "rejected"
    assert Notification.objects.get(recipient=pm, subject__startswith="Budget rejected").body == "Split travel costs."
    client.force_login(pm)
    assert client.get(reverse("projects:budget", args=[planning_project.code])).context["can_edit"]


def test_a_rejection_needs_a_comment(pm, pmolead, planning_project):
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    with pytest.raises(DomainError, match="Say why"):
        budget_reject(submission_id=submission.pk, by=pmolead, comment=" ")


def test_nobody_decides_on_a_budget_they_submitted(planning_project):
    lead_pm = UserFactory(username="leadpm", roles=[Role.PMO_LEAD, Role.PROJECT_MANAGER])
    planning_project.project_manager = lead_pm
    planning_project.save()
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=lead_pm)
    with pytest.raises(DomainError, match="other than the submitter"):
        budget_approve(submission_id=submission.pk, by=lead_pm)
    submission.refresh_from_db()
    assert submission.status == "pending"


def test_a_decided_budget_cannot_be_decided_again(pm, pmolead, planning_project):
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    budget_approve(submission_id=submission.pk, by=pmolead)
    with pytest.raises(DomainError, match="already decided"):
        budget_reject(submission_id=submission.pk, by=pmolead, comment="Too late")


def test_the_slower_of_two_pmo_leads_reads_who_decided_and_when(client, pm, pmolead, planning_project):
    other_lead = UserFactory(username="lead2", first_name="Lea", last_name="Second", roles=[Role.PMO_LEAD])
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    url = reverse("budget_decision", args=[submission.pk])
    client.force_login(other_lead)
    client.post(url, {"approve": "1", "comment": "Fine."})
    submission.refresh_from_db()
    when = date_format(timezone.localtime(submission.decided_at), "SHORT_DATETIME_FORMAT")
    client.force_login(pmolead)
    for response in (client.post(url, {"reject": "1", "comment": "Too dear."}, follow=True),
                     client.get(url, follow=True)):
        assert response.redirect_chain == [(reverse("approvals"), 302)]
        assert f"This budget was already decided (approved) by Lea Second at {when}." in response.content.decode()
    submission.refresh_from_db()
    assert (submission.status, submission.decided_by, submission.comment) == ("approved", other_lead, "Fine.")


def test_budget_lines_refuse_bad_amounts_and_keep_input(client, pm, planning_project):
    client.force_login(pm)
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-category": "travel",
            "form-0-description": "Hotel", "form-0-amount": "-10"}
    response = client.post(reverse("projects:budget", args=[planning_project.code]), data)
    assert "greater than or equal to 0.01" in response.content.decode()
    assert 'value="Hotel"' in response.content.decode()
    assert not BudgetLine.objects.exists()


def test_a_pending_budget_cannot_be_edited(client, pm, planning_project):
    _lines(planning_project, "300000.00")
    budget_submit(project_id=planning_project.pk, by=pm)
    client.force_login(pm)
    data = {"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"}
    assert client.post(reverse("projects:budget", args=[planning_project.code]), data).status_code == 403


def test_another_pm_cannot_submit_the_budget(pm2, planning_project):
    _lines(planning_project, "1000.00")
    with pytest.raises(DomainError):
        budget_submit(project_id=planning_project.pk, by=pm2)
    assert not BudgetSubmission.objects.exists()


def test_resume_returns_to_the_status_before_the_hold(pm):
    project = ProjectFactory(project_manager=pm, status="planning")
    project_put_on_hold(project_id=project.pk, by=pm)
    project_resume(project_id=project.pk, by=pm)
    project.refresh_from_db()
    assert project.status == "planning"


@pytest.mark.parametrize(("start", "service", "refusal"), [
    ("initiation", project_close, "Only a project in closing can be closed"),
    ("closed", project_cancel, "cannot go to"),
    ("execution", project_start_planning, "cannot go to"),
])
def test_a_transition_from_the_wrong_state_is_refused(pm, support, start, service, refusal):
    project = ProjectFactory(project_manager=pm, status=start)
    by = support if service is project_close else pm  # the support officer validates closures
    with pytest.raises(DomainError, match=refusal):
        service(project_id=project.pk, by=by)


def test_the_transition_page_shows_a_refusal_as_a_message(client, pm, planning_project):
    client.force_login(pm)
    response = client.post(reverse("projects:transition", args=[planning_project.code, "execute"]), follow=True)
    assert "The budget must be approved" in response.content.decode()
    planning_project.refresh_from_db()
    assert planning_project.status == "planning"


def test_documents_get_versions(client, pm, planning_project, settings, tmp_path):
    from .factories import pdf_upload

    settings.MEDIA_ROOT = tmp_path
    client.force_login(pm)
    url = reverse("projects:documents", args=[planning_project.code])
    client.post(url, {"category": "design", "title": "Network design", "file": pdf_upload("design-v1.pdf")})
    client.post(url, {"category": "design", "title": "Network design", "file": pdf_upload("design-v2.pdf")})
    versions = list(planning_project.documents.values_list("version", "original_name", "uploaded_by"))
    assert versions == [(2, "design-v2.pdf", pm.pk), (1, "design-v1.pdf", pm.pk)]


def test_notifications_are_written_in_the_recipients_language(pm, pmolead, planning_project):
    pmolead.language = "nl"
    pmolead.save()
    _lines(planning_project, "300000.00")
    budget_submit(project_id=planning_project.pk, by=pm)
    notification = Notification.objects.get(recipient=pmolead)
    assert notification.subject == f"Budgetgoedkeuring gevraagd: {planning_project.code}"
    assert "EUR 300.000,00" in notification.body


def test_a_notification_follows_the_readers_language_of_the_moment(client, pm, pmolead, planning_project,
                                                                   django_capture_on_commit_callbacks):
    from django.core import mail

    pmolead.language = "nl"
    pmolead.save()
    _lines(planning_project, "300000.00")
    budget_submit(project_id=planning_project.pk, by=pm)
    client.force_login(pmolead)
    code = planning_project.code
    for language, subject, amount in [("nl", f"Budgetgoedkeuring gevraagd: {code}", "EUR 300.000,00"),
                                      ("en", f"Budget approval requested: {code}", "EUR 300,000.00"),
                                      ("fr", f"Approbation du budget demandée\u00a0: {code}", "300\u00a0000,00")]:
        pmolead.language = language
        pmolead.save()
        for page in ("home", "notification_list"):
            html = client.get(reverse(page)).content.decode()
            assert subject in html and amount in html, (language, page)
    assert "Budgetgoedkeuring" not in client.get(reverse("notification_list")).content.decode()
    # The e-mail goes in the recipient's language when it goes, not the one of the moment it was made.
    from accounts.services import notification_send_email

    notification_send_email(notification_id=Notification.objects.get(recipient=pmolead).pk)
    assert mail.outbox[-1].subject == f"Approbation du budget demandée\u00a0: {code}"


def test_a_users_own_words_stay_as_typed_and_an_old_notification_keeps_its_text(client, pm, pmolead,
                                                                                 planning_project):
    _lines(planning_project, "300000.00")
    submission = budget_submit(project_id=planning_project.pk, by=pm)
    budget_reject(submission_id=submission.pk, by=pmolead, comment="Splits de reiskosten.")
    Notification.objects.create(recipient=pm, subject="Budget goedgekeurd: PRJ-OLD")  # made before the message ids
    pm.language = "fr"
    pm.save()
    client.force_login(pm)
    html = client.get(reverse("notification_list")).content.decode()
    assert f"Budget rejeté\u00a0: {planning_project.code}" in html and "Splits de reiskosten." in html
    assert "Budget goedgekeurd: PRJ-OLD" in html


def test_the_migration_gives_old_notifications_their_message_ids_back(client, pmolead):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("accounts.migrations.0003_notification_message_ids")
    pmolead.language = "nl"
    pmolead.save()
    old = Notification.objects.create(
        recipient=pmolead, subject="Budgetgoedkeuring gevraagd: PRJ-2026-0009",
        body="Piet vraagt goedkeuring voor een budget van EUR 300.000,00 (Niveau 2).")
    typed = Notification.objects.create(recipient=pmolead, subject="Iets anders", body="Zoals getypt")
    migration.recover(apps, None)
    old.refresh_from_db()
    assert (old.subject_key, old.params["total"], old.params["code"]) == (
        "Budget approval requested: %(code)s", {"amount": "300000.00"}, "PRJ-2026-0009")
    pmolead.language = "en"
    pmolead.save()
    client.force_login(pmolead)
    html = client.get(reverse("notification_list")).content.decode()
    assert "Budget approval requested: PRJ-2026-0009" in html
    assert "Piet asks approval of a budget of EUR 300,000.00" in html
    assert "Iets anders" in html and "Zoals getypt" in html
    typed.refresh_from_db()
    assert typed.subject_key == ""
