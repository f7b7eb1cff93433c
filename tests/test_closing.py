"""The closing gate, customer satisfaction through a signed link, and the hand-over to SMO."""

import datetime as dt
import json
import zoneinfo
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from procurement.models import PurchaseOrder
from projects.domain import DomainError
from projects.models import (
    ChecklistRun,
    CustomerContact,
    DocumentCategory,
    Project,
    ProjectDocument,
    ProjectIssue,
    ProjectType,
    SatisfactionSurvey,
)
from projects.services.closing import project_close, survey_record, survey_token
from projects.services.customers import customer_contact_add
from projects.services.documents import document_upload
from projects.services.quality import (
    checklist_answers_save,
    checklist_runs_from_project_type,
    checklist_sign_off,
    checklist_submit,
)
from projects.services.registers import lesson_log

from .conftest import bare_colons
from .factories import IntakeFactory, ProjectFactory, SupplierFactory, pdf_upload

TODAY = timezone.localdate()
SCORES = {"quality": 4, "communication": 5, "timeliness": 3, "site_conduct": 5, "recommend": 9,
          "comments": "Good <b>work</b>"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.SMO_EMAIL = "smo@example.com"


@pytest.fixture
def closing_project(pm, support, sales):
    project = ProjectFactory(project_manager=pm, support_officer=support, sales_owner=sales,
                             status=Project.Status.CLOSING,
                             project_type=ProjectType.objects.get(name="Small administrative project"))
    checklist_runs_from_project_type(project)  # the closing checklist
    CustomerContact.objects.create(customer=project.customer, name="Claire", email="claire@customer.example")
    project.customer.language = "fr"
    project.customer.save()
    return project


def _fulfil(project, pm, support, pmolead):
    """Everything the gate asks, done the way users do it."""
    for run in project.checklist_runs.all():
        checklist_answers_save(run_id=run.pk, by=pm, expected_version=run.version, evidence={}, answers={
            p: {"answer": "ok", "comment": "", "corrective_action": ""} for p in range(run.answers.count())})
        checklist_submit(run_id=run.pk, by=pm)
        checklist_sign_off(run_id=run.pk, by=support)
    document_upload(project_id=project.pk, by=pm, category=DocumentCategory.ACCEPTANCE,
                             title="Signed acceptance", upload=pdf_upload("acceptance.pdf"),
                             content_type="application/pdf")
    lesson_log(project_id=project.pk, by=pm, data={"event": "e", "effect": "e", "cause": "c",
                                                             "recommendation": "r"})
    survey_record(project_id=project.pk, by=pm, data=SCORES)


def test_the_gate_lists_what_is_missing_with_links_and_refuses_to_close(client, pm, support, closing_project):
    client.force_login(pm)
    response = client.get(reverse("projects:closing", args=[closing_project.code]))
    failing = [c.label for c in response.context["conditions"] if not c.ok]
    assert [str(label) for label in failing] == [
        "Quality and safety checklists signed off", "The closing checklist signed off",
        "Customer acceptance document uploaded", "Customer satisfaction recorded", "Lessons logged"]
    assert f"/projects/{closing_project.code}/documents/" in response.content.decode()
    assert client.post(reverse("projects:closing", args=[closing_project.code])).status_code == 403
    with pytest.raises(DomainError, match="support officer validates"):
        project_close(project_id=closing_project.pk, by=pm)
    with pytest.raises(DomainError, match="cannot close yet: Quality and safety checklists signed off"):
        project_close(project_id=closing_project.pk, by=support)


def test_an_open_purchase_order_keeps_the_project_open_even_through_a_crafted_post(client, pm, support, pmolead,
                                                                                     closing_project):
    _fulfil(closing_project, pm, support, pmolead)
    po = PurchaseOrder.objects.create(number="PO-2026-00042", project=closing_project, supplier=SupplierFactory(),
                                      created_by=pm, status="sent", delivery_date=TODAY, net_total=Decimal("100"))
    client.force_login(support)
    response = client.post(reverse("projects:closing", args=[closing_project.code]), follow=True)
    assert "cannot close yet: Every purchase order received and invoiced, or cancelled" in response.content.decode()
    assert "PO-2026-00042" in response.content.decode()
    closing_project.refresh_from_db()
    assert closing_project.status == "closing"
    PurchaseOrder.objects.filter(pk=po.pk).update(status="cancelled")
    ProjectIssue.objects.create(project=closing_project, number=9, type="problem", title="Loose cable",
                                description="d", owner=pm, raised_by=pm, status="transferred")
    with mock.patch("reporting.services.handover.render_handover_pdf", return_value=b"%PDF-1.4 pack"):
        client.post(reverse("projects:closing", args=[closing_project.code]))
    closing_project.refresh_from_db()
    assert (closing_project.status, closing_project.closed_on) == ("closed", TODAY)


def test_the_french_handover_pack_puts_a_non_breaking_space_before_its_colons(closing_project, sales):
    from django.template.loader import render_to_string
    from django.utils import translation

    from reporting.services.handover import handover_facts

    IntakeFactory(project=closing_project, customer=closing_project.customer, created_by=sales,
                  access_requirements="Badge")
    with translation.override("fr"):
        html = render_to_string("reporting/handover_pdf.html", {**handover_facts(closing_project), "language": "fr"})
    assert "Accès au site\u00a0:" in html and bare_colons(html) == []


def test_closing_makes_the_handover_pack_and_the_servicenow_export(client, pm, support, pmolead, closing_project,
                                                                   django_capture_on_commit_callbacks):
    _fulfil(closing_project, pm, support, pmolead)
    ProjectIssue.objects.create(project=closing_project, number=9, type="problem", title="=Loose cable",
                                description="Rack 3", owner=pm, raised_by=pm, status="transferred", priority="high")
    with django_capture_on_commit_callbacks(execute=True):
        project_close(project_id=closing_project.pk, by=support)
    pack = ProjectDocument.objects.get(project=closing_project, title="SMO hand-over pack")
    assert (pack.version, pack.content_type, pack.uploaded_by) == (1, "application/pdf", support)
    assert [m.to for m in mail.outbox if m.attachments] == [["smo@example.com"]]
    from reporting.services.handover import handover_pack_make

    assert handover_pack_make(project_id=closing_project.pk, by_id=support.pk) == pack  # a second delivery
    # Made at 00:30 in Brussels, 23:30 UTC the day before: still this closure's pack, not a reason for another.
    just_after_midnight = dt.datetime.combine(TODAY, dt.time(0, 30),
                                              tzinfo=zoneinfo.ZoneInfo("Europe/Brussels"))
    ProjectDocument.objects.filter(pk=pack.pk).update(uploaded_at=just_after_midnight)
    assert handover_pack_make(project_id=closing_project.pk, by_id=support.pk) == pack
    client.force_login(support)
    record = json.loads(client.get(reverse("reporting:servicenow", args=[closing_project.code, "json"])).content)
    assert record["u_project_code"] == closing_project.code and record["problems"][0]["priority"] == 2
    assert record["u_warranty_end"] == TODAY.replace(year=TODAY.year + 1).isoformat()
    assert record["contacts"][0]["email"] == "claire@customer.example"
    csv_text = client.get(reverse("reporting:servicenow", args=[closing_project.code, "csv"])).content.decode()
    assert "'=Loose cable" in csv_text
    assert client.get(reverse("reporting:servicenow", args=[closing_project.code, "xml"])).status_code == 404


def test_the_survey_link_works_once_in_the_customers_language(client, pm, closing_project,
                                                             django_capture_on_commit_callbacks):
    client.force_login(pm)
    contact = closing_project.customer.contacts.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("projects:satisfaction", args=[closing_project.code]), {"send": "1", "contact": contact.pk})
    [message] = mail.outbox
    assert message.to == ["claire@customer.example"] and closing_project.name in message.subject
    link = next(word for word in message.body.split() if "/survey/" in word)
    path = link[link.index("/survey/"):]
    client.logout()
    page = client.get(path)
    assert page.status_code == 200 and page.context["survey"].language == "fr"
    assert 'lang="fr"' in page.content.decode()
    bad = client.post(path, {**SCORES, "quality": 7})
    assert bad.status_code == 200 and not SatisfactionSurvey.objects.filter(answered_at__isnull=False).exists()
    assert client.post(path, SCORES).status_code == 200
    survey = SatisfactionSurvey.objects.get()
    assert (survey.average, survey.recommend, survey.comments) == (4.2, 9, "Good <b>work</b>")
    reused = client.post(path, SCORES)
    assert reused.status_code == 410 and "déjà été complétée" in reused.content.decode()  # still the customer's French


def test_an_answered_or_expired_link_says_so_in_the_customers_language(client, closing_project):
    survey = SatisfactionSurvey.objects.create(project=closing_project, channel="link", sent_to="c@x.example",
                                               language="fr", sent_at=timezone.now(),
                                               expires_at=timezone.now() + dt.timedelta(days=1))
    token = survey_token(survey)
    assert client.post(reverse("survey", args=[token]), SCORES).status_code == 200
    for answered in (client.get(reverse("survey", args=[token])), client.post(reverse("survey", args=[token]), SCORES)):
        page = answered.content.decode()
        assert answered.status_code == 410 and "déjà été complétée" in page and 'lang="fr"' in page
        assert "already answered" not in page
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(answered_at=None)
    with mock.patch("django.core.signing.time.time", return_value=__import__("time").time() + 30 * 86400):
        expired = client.get(reverse("survey", args=[token])).content.decode()
    assert "a expiré" in expired and 'lang="fr"' in expired


def test_a_tampered_or_expired_link_is_refused(client, closing_project):
    survey = SatisfactionSurvey.objects.create(project=closing_project, channel="link", sent_to="c@x.example",
                                               language="en", sent_at=timezone.now(),
                                               expires_at=timezone.now() + dt.timedelta(days=1))
    token = survey_token(survey)
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert "not valid" in client.get(reverse("survey", args=[tampered])).content.decode()
    forged = signing.dumps({"survey": survey.pk}, salt="another-salt", compress=True)
    assert client.get(reverse("survey", args=[forged])).status_code == 410
    SatisfactionSurvey.objects.filter(pk=survey.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    expired = client.get(reverse("survey", args=[token]))
    assert expired.status_code == 410 and "expired" in expired.content.decode()
    with mock.patch("django.core.signing.time.time", return_value=__import__("time").time() + 30 * 86400):
        assert "expired" in client.get(reverse("survey", args=[token])).content.decode()


def test_the_pm_records_a_call_and_the_result_shows_on_the_project_page(client, pm, closing_project):
    client.force_login(pm)
    client.post(reverse("projects:satisfaction", args=[closing_project.code]), {"record": "1", **SCORES})
    survey = SatisfactionSurvey.objects.get()
    assert (survey.channel, survey.recorded_by) == ("call", pm)
    assert "4.2 / 5, would recommend us 9 / 10" in client.get(closing_project.get_absolute_url()).content.decode()
    assert ChecklistRun.objects.filter(project=closing_project).count() == 1


def test_the_satisfaction_page_offers_to_add_a_contact_when_the_customer_has_none(client, pm, pm2, closing_project):
    closing_project.customer.contacts.all().delete()
    url = reverse("projects:satisfaction", args=[closing_project.code])
    client.force_login(pm)
    html = client.get(url).content.decode()
    assert "has no contact with an e-mail address yet" in html and 'name="add_contact"' in html
    assert 'name="send"' not in html
    refused = client.post(url, {"add_contact": "1", "contact-name": "Claire Dubois", "contact-email": "nope"})
    assert "Enter a valid email address." in refused.content.decode() and 'value="Claire Dubois"' in \
        refused.content.decode()
    assert not CustomerContact.objects.exists()
    response = client.post(url, {"add_contact": "1", "contact-name": "Claire Dubois",
                                 "contact-email": "claire@customer.example"})
    assert response.status_code == 302
    [contact] = closing_project.customer.contacts.all()
    assert (contact.name, contact.email) == ("Claire Dubois", "claire@customer.example")
    html = client.get(url).content.decode()
    assert 'name="send"' in html and "Claire Dubois" in html
    client.force_login(pm2)  # another PM reads the project but manages neither its reports nor its customer
    assert client.post(url, {"add_contact": "1", "contact-name": "X", "contact-email": "x@example.com"}
                       ).status_code in (403, 404)
    assert closing_project.customer.contacts.count() == 1


def test_a_pm_adds_a_contact_only_to_the_customer_of_a_project_they_manage(pm, sales, closing_project):
    other = ProjectFactory(project_manager=sales).customer
    data = {"name": "Claire", "email": "claire@customer.example", "phone": ""}
    with pytest.raises(DomainError, match="You may not edit customers"):
        customer_contact_add(customer_id=other.pk, by=pm, data=data, for_project=closing_project)
    with pytest.raises(DomainError, match="You may not edit customers"):
        customer_contact_add(customer_id=closing_project.customer_id, by=pm, data=data)
    customer_contact_add(customer_id=closing_project.customer_id, by=pm, data=data, for_project=closing_project)
    customer_contact_add(customer_id=other.pk, by=sales, data=data)  # sales edits customers
    assert other.contacts.count() == 1
