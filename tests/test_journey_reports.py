"""Issue 7's journey in Chromium: the PM writes the week's narrative and publishes; the PDF is made
and sent; the PMO lead reads the portfolio (its chart drawn, no console error)."""

import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import BudgetLine, CustomerContact
from projects.services.budget import budget_submit
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pm_publishes_the_weeks_report_and_the_pmo_lead_reads_the_portfolio(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    UserFactory(username="pmolead", first_name="Lena", roles=[Role.PMO_LEAD])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user)
    CustomerContact.objects.create(customer=project.customer, name="Claire", email="claire@customer.example")
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("90000"))
    budget_submit(project_id=project.pk, by=pm_user)

    pm = new_page()
    sign_in(pm, "pm")
    pm.goto(project.get_absolute_url())
    pm.get_by_role("link", name="Highlight reports").click()
    pm.get_by_role("button", name="Drafts for this week").click()
    pm.get_by_role("row", name="Internal").get_by_role("link", name=f"{week_of(timezone.localdate()):%G-W%V}").click()
    pm.fill("#id_summary", "Trenching finished on time; splicing starts Monday.")
    pm.select_option("#id_rag_scope", "amber")
    pm.fill("#id_reason_scope", "The customer asks for a fourth floor.")
    screenshot(pm, "report-01-narrative")
    pm.get_by_role("button", name="Save, publish and send").click()
    expect(pm.get_by_text("Published: the PDF is being made")).to_be_visible()
    expect(pm.get_by_text("Sent to 1 address,")).to_be_visible()
    screenshot(pm, "report-02-published")
    report = HighlightReport.objects.get(project=project, status="published")
    with pm.expect_download() as download:
        pm.get_by_role("link", name="Download the PDF").click()
    text = subprocess.run(["pdftotext", download.value.path(), "-"], capture_output=True, text=True).stdout
    assert "Trenching finished on time" in text and "The customer asks for a fourth floor." in text
    assert [m.to for m in mail.outbox if report.download_name in [a[0] for a in m.attachments]] == [[pm_user.email]]

    lead = new_page()
    sign_in(lead, "pmolead")
    lead.get_by_role("link", name="Portfolio").click()
    # The chart script is deferred: wait until it has drawn on the canvas, not only for the canvas.
    lead.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('rag-chart')) !== undefined")
    expect(lead.get_by_role("link", name=project.code).first).to_be_visible()
    screenshot(lead, "report-03-portfolio")
