"""Weekly highlight reports: drafts from the data, narrative, publishing, the PDF's content per
audience, idempotent rendering and sending, corrections."""

import datetime as dt
import subprocess
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from projects.domain import DomainError
from projects.models import Activity, BudgetLine, CustomerContact, Project
from projects.services.budget import budget_submit
from projects.services.registers import risk_create
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_publish, report_render, report_send, report_update, weekly_drafts

from .conftest import bare_colons
from .factories import ProjectFactory

WEEK = week_of(timezone.localdate())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reported(pm, support, sales):
    """A Level 1 project of a French-speaking customer with a contact, a baseline and an open risk."""
    project = ProjectFactory(name="Fibre <backbone>", project_manager=pm, support_officer=support, sales_owner=sales)
    project.customer.language = "fr"
    project.customer.save()
    CustomerContact.objects.create(customer=project.customer, name="Claire", email="claire@customer.example",
                                   receives_reports=True)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("123456"))
    budget_submit(project_id=project.pk, by=pm)
    for visible, event in [(True, "Permit is late"), (False, "Supplier margin squeeze")]:
        risk_create(project_id=project.pk, by=pm, data={
            "kind": "threat", "category": "commercial", "cause": "c", "event": event, "effect": "e",
            "inherent_probability": 4, "inherent_impact": 4, "residual_probability": 4, "residual_impact": 4,
            "cost_impact": Decimal("1000"), "proximity": "month", "response_category": "reduce", "response": "",
            "owner": pm, "actionee": None, "status": "open", "review_date": timezone.localdate(),
            "customer_visible": visible})
    return project


def _pdf_text(report) -> str:
    with report.pdf.open("rb") as handle:
        data = handle.read()
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode()


def test_the_weekly_run_makes_both_drafts_once_in_the_audiences_language(pm, reported):
    ProjectFactory(project_manager=pm, status=Project.Status.CLOSED)
    pm.language = "nl"
    pm.save()
    assert weekly_drafts(WEEK) == 1
    assert weekly_drafts(WEEK) == 0
    drafts = {r.variant: r for r in HighlightReport.objects.all()}
    assert set(drafts) == {"internal", "external"}
    assert (drafts["internal"].language, drafts["external"].language) == ("nl", "fr")
    assert Notification.objects.filter(recipient=pm, subject__contains=reported.code).count() == 1
    assert drafts["internal"].facts["costs"]["budget"] == "123456.00"
    assert "costs" not in drafts["external"].facts and "purchase_orders" not in drafts["external"].facts
    assert [r["event"] for r in drafts["external"].facts["risks"]] == ["Permit is late"]
    assert drafts["internal"].facts["rag"]["risk"]["colour"] == "red"


def test_the_database_refuses_a_second_report_for_the_same_week_variant_and_version(reported):
    HighlightReport.objects.create(project=reported, week=WEEK, variant="internal", language="en")
    with pytest.raises(IntegrityError):
        HighlightReport.objects.create(project=reported, week=WEEK, variant="internal", language="en")


def test_publishing_renders_and_sends_once_and_the_external_pdf_has_no_internal_figures(
        pm, support, reported, django_capture_on_commit_callbacks):
    weekly_drafts(WEEK)
    internal, external = (HighlightReport.objects.get(variant=v) for v in ("internal", "external"))
    for report in (internal, external):
        report_update(report_id=report.pk, by=pm, expected_version=1, overrides={}, data={
            "summary": "<script>alert(1)</script> On track", "this_period": "Trenching", "next_period": "Splicing"})
        with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process here, after commit
            report_publish(report_id=report.pk, by=pm)
        report.refresh_from_db()
        assert report.status == "published" and report.pdf and report.sent_at
    internal_text, external_text = _pdf_text(internal), _pdf_text(external)
    assert "123,456.00" in internal_text and "Supplier margin squeeze" in internal_text
    assert "<script>alert(1)</script> On track" in internal_text  # escaped, shown as typed
    assert "123" not in external_text.replace(reported.code, "") and "Supplier margin squeeze" not in external_text
    assert "Permit is late" in external_text and "Rapport d'avancement" in external_text  # the customer's French
    assert "Page 1 of" in internal_text
    assert sorted(address for m in mail.outbox for address in m.to) == sorted([*internal.sent_to, *external.sent_to])
    assert external.sent_to == sorted(["claire@customer.example", pm.email]) and pm.email in internal.sent_to
    assert mail.outbox[0].attachments[0][2] == "application/pdf"

    # Delivered again (a worker died after the commit): nothing is rendered or sent twice.
    with mock.patch("reporting.lib.pdf.render_report_pdf") as render:
        assert report_render(report_id=internal.pk) is True
        render.assert_not_called()
    assert report_send(report_id=internal.pk) is False
    assert len(mail.outbox) == 2
    with pytest.raises(DomainError):
        report_update(report_id=internal.pk, by=pm, expected_version=internal.edit_version, overrides={},
                              data={"summary": "changed after publishing"})


def test_a_failed_render_shows_with_a_retry_and_a_correction_is_a_new_version(
        client, pm, support, reported, django_capture_on_commit_callbacks):
    weekly_drafts(WEEK)
    report = HighlightReport.objects.get(variant="internal")
    with mock.patch("reporting.lib.pdf.render_report_pdf", side_effect=ValueError("font missing")):
        with django_capture_on_commit_callbacks(execute=True):
            report_publish(report_id=report.pk, by=pm)
    report.refresh_from_db()
    assert report.status == "failed" and "font missing" in report.render_error and not report.pdf
    client.force_login(support)
    page = client.get(reverse("reporting:report", args=[reported.code, report.pk]))
    assert "font missing" in page.content.decode() and "Retry" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:retry", args=[reported.code, report.pk]))
    report.refresh_from_db()
    assert report.status == "published" and report.pdf

    response = client.post(reverse("reporting:correct", args=[reported.code, report.pk]))
    correction = HighlightReport.objects.get(variant="internal", version=2)
    assert response["Location"].endswith(f"/{correction.pk}/")
    assert correction.status == "draft" and correction.facts == report.facts
    report.refresh_from_db()
    assert report.status == "published" and report.version == 1
    assert client.post(reverse("reporting:correct", args=[reported.code, report.pk])).status_code == 302
    assert HighlightReport.objects.filter(variant="internal").count() == 2  # not a third


def test_the_pm_edits_until_the_deadline_then_the_support_officer(client, settings, pm, support, reported):
    weekly_drafts(WEEK)
    report = HighlightReport.objects.get(variant="internal")
    url = reverse("reporting:report", args=[reported.code, report.pk])
    client.force_login(pm)
    response = client.post(url, {"summary": "Fine", "this_period": "", "next_period": "", "edit_version": 1,
                                 "rag_time": "red", "reason_time": ""})
    assert "Say why you set this colour yourself." in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "" and report.rag_overrides == {}
    client.post(url, {"summary": "Fine", "this_period": "", "next_period": "", "edit_version": 1,
                      "rag_time": "red", "reason_time": "Permit office closed"})
    report.refresh_from_db()
    assert report.rag_overrides == {"time": {"colour": "red", "reason": "Permit office closed"}}
    stale = client.post(url, {"summary": "Mine", "this_period": "", "next_period": "", "edit_version": 1})
    assert "Someone else saved this report meanwhile" in stale.content.decode()

    settings.HIGHLIGHT_REPORT_DEADLINE_HOURS = -1  # the deadline has passed
    assert client.post(url, {"summary": "Late", "edit_version": 2}).status_code == 403
    client.force_login(support)
    client.post(url, {"summary": "Collated", "this_period": "", "next_period": "", "edit_version": 2})
    report.refresh_from_db()
    assert report.summary == "Collated"


def test_the_french_report_puts_a_non_breaking_space_before_its_colons(pm, reported):
    from reporting.lib.pdf import render_report_html

    weekly_drafts(WEEK)
    for report in HighlightReport.objects.all():
        report.language = "fr"
        html = render_report_html(report)
        assert "Rapport d'avancement\u00a0: Fibre" in html and bare_colons(html) == []


def test_the_preview_is_the_pdfs_html_with_user_text_escaped(client, pm, reported):
    weekly_drafts(WEEK)
    report = HighlightReport.objects.get(variant="external")
    client.force_login(pm)
    body = client.get(reverse("reporting:preview", args=[reported.code, report.pk])).content.decode()
    assert "Fibre &lt;backbone&gt;" in body and "<backbone>" not in body


def test_the_management_command_makes_the_drafts_of_a_given_week(pm, reported, django_capture_on_commit_callbacks):
    call_command("highlight_reports", "--week", "2026-W47")
    assert set(HighlightReport.objects.values_list("week", flat=True)) == {dt.date(2026, 11, 16)}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("highlight_reports", "--week", "2026-W47", "--publish")
    assert set(HighlightReport.objects.values_list("status", flat=True)) == {"published"}


def test_publishing_from_the_form_saves_the_narrative_first(client, pm, reported, django_capture_on_commit_callbacks):
    weekly_drafts(WEEK)
    report = HighlightReport.objects.get(variant="internal")
    client.force_login(pm)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report", args=[reported.code, report.pk]), {
            "summary": "Typed just before publishing", "this_period": "", "next_period": "", "edit_version": 1,
            "publish": "1"})
    report.refresh_from_db()
    assert (report.summary, report.status) == ("Typed just before publishing", "published")
    assert "Typed just before publishing" in _pdf_text(report)


def test_a_long_column_starts_on_the_first_page_and_the_other_column_stays_beside_it(pm, reported):
    """A week of 120 activities: as a flex block the two columns could not split across pages, so both
    went to the second page and left the first one mostly blank."""
    from reporting.lib.pdf import render_report_pdf

    Activity.objects.bulk_create([Activity(project=reported, name=f"Pull section {n}", planned_start=WEEK,
                                           planned_end=WEEK + dt.timedelta(days=4)) for n in range(120)])
    weekly_drafts(WEEK)
    report = HighlightReport.objects.get(variant="internal")
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-", "-"], input=render_report_pdf(report),
                           capture_output=True, check=True).stdout.decode()
    assert "Work done this period" in first and "Pull section 0" in first
    assert "Planned for next period" in first
