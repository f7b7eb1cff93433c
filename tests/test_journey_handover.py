"""Issue 3's journey, in Chromium, as the real roles: from a won deal to a project in execution."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import Intake, Project

from .browser import screenshot
from .conftest import sign_in
from .factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sales_hands_over_support_creates_pm_budgets_pmo_lead_approves(new_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    UserFactory(username="sales", first_name="Sofie", roles=[Role.SALES])
    UserFactory(username="support", first_name="Julien", roles=[Role.SUPPORT_OFFICER])
    pm = UserFactory(username="pm", first_name="Pieter", last_name="Janssens", roles=[Role.PROJECT_MANAGER])
    UserFactory(username="pmolead", first_name="Marc", roles=[Role.PMO_LEAD])
    CustomerFactory(name="Stad Gent", vat_number="BE0403170701")
    for name in ("signed-order.pdf", "offer.pdf"):
        (tmp_path / name).write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")

    # 1. Sales drafts the intake of a EUR 300,000 project, attaches, sees it complete, submits.
    sales = new_page()
    sign_in(sales, "sales")
    sales.get_by_role("link", name="Intakes").click()
    sales.get_by_role("link", name="New intake").click()
    sales.select_option("#id_project_type", label="Software delivery")
    sales.fill("#id_title", "Smart city platform")
    sales.select_option("#id_customer", label="Stad Gent")
    sales.fill("#id_scope", "Deliver and configure the smart city data platform.")
    sales.fill("#id_deliverables", "Platform, integrations, training")
    sales.fill("#id_d365_opportunity", "OPP-26-0412")
    sales.fill("#id_d365_quote", "QUO-26-1187")
    sales.fill("#id_sold_price", "385000.00")
    sales.fill("#id_estimated_cost", "300000.00")
    sales.fill("#id_target_start", "2027-01-04")
    sales.fill("#id_target_end", "2027-09-30")
    screenshot(sales, "journey-01-sales-intake-form")
    sales.get_by_role("button", name="Save draft").click()
    expect(sales.get_by_text("Missing: Attachment: Signed order, Attachment: Offer")).to_be_visible()
    screenshot(sales, "journey-02-sales-intake-incomplete")
    for kind, name in (("Signed order", "signed-order.pdf"), ("Offer", "offer.pdf")):
        sales.select_option("#id_kind", label=kind)
        sales.set_input_files("#id_file", str(tmp_path / name))
        sales.get_by_role("button", name="Attach").click()
    expect(sales.get_by_text("Complete: ready to submit.")).to_be_visible()
    sales.get_by_role("button", name="Submit to the PMO").click()
    expect(sales.get_by_text("Intake submitted to the PMO.")).to_be_visible()
    intake_url = sales.url

    # 2. Support returns it with a question.
    support = new_page()
    sign_in(support, "support")
    support.get_by_role("link", name="Intakes").click()
    support.select_option("#id_status", label="Submitted")
    support.get_by_role("button", name="Filter").click()
    support.get_by_role("link", name="Smart city platform").click()
    screenshot(support, "journey-03-support-review")
    support.get_by_role("link", name="Return to sales with a question").click()
    support.fill("#id_body", "Does the scope include the parking sensors?")
    support.get_by_role("button", name="Return to sales").click()
    expect(support.get_by_text("Returned to sales with your question.")).to_be_visible()

    # 3. Sales answers and resubmits.
    sales.goto("/")
    expect(sales.get_by_text("Intake returned with a question: Smart city platform")).to_be_visible()
    sales.goto(intake_url)
    sales.fill("#id_body", "Yes, the 40 sensors of the Korenmarkt car park.")
    sales.get_by_role("button", name="Send").click()
    screenshot(sales, "journey-04-sales-answers")
    sales.get_by_role("button", name="Submit to the PMO").click()
    assert Intake.objects.get(title="Smart city platform").status == "submitted"

    # 4. Support accepts: the project is created with its code and Level 2.
    support.goto(intake_url)
    support.get_by_role("link", name="Accept and create the project").click()
    support.select_option("#id_project_manager", label=str(pm))
    screenshot(support, "journey-05-support-accept")
    support.get_by_role("button", name="Create the project").click()
    project = Project.objects.get(name="Smart city platform")
    assert re.fullmatch(r"PRJ-\d{4}-0001", project.code) and project.level == 2
    expect(support.get_by_role("heading", name=f"{project.code} · Smart city platform")).to_be_visible()

    # 5. The PM enters the budget lines and submits them for approval.
    pm_page = new_page()
    sign_in(pm_page, "pm")
    pm_page.goto(project.get_absolute_url())
    pm_page.get_by_role("link", name="Start planning").click()
    pm_page.get_by_role("button", name=re.compile("Confirm")).click()
    pm_page.get_by_role("link", name="Budget").click()
    pm_page.select_option("#id_form-0-category", label="Subcontracting")
    pm_page.fill("#id_form-0-description", "Sensor installation")
    pm_page.fill("#id_form-0-amount", "100000.00")
    pm_page.select_option("#id_form-1-category", label="Internal labour")
    pm_page.fill("#id_form-1-description", "Platform engineering")
    pm_page.fill("#id_form-1-amount", "200000.00")
    pm_page.get_by_role("button", name="Save lines").click()
    expect(pm_page.get_by_text("Total of the lines: EUR 300,000.00 (Level 2)")).to_be_visible()
    pm_page.get_by_role("button", name="Submit the budget for approval").click()
    expect(pm_page.get_by_text("Budget sent to the PMO lead for approval.")).to_be_visible()
    screenshot(pm_page, "journey-06-pm-budget-submitted")
    pm_page.goto(project.get_absolute_url())
    assert pm_page.get_by_role("link", name="Start execution").count() == 0  # not before approval

    # 6. The PMO lead approves from /approvals/.
    lead = new_page()
    sign_in(lead, "pmolead")
    lead.get_by_role("link", name="Approvals").click()
    screenshot(lead, "journey-07-pmolead-approvals")
    lead.get_by_role("link", name="Decide").click()
    lead.fill("#id_comment", "Approved within the Level 2 envelope.")
    screenshot(lead, "journey-08-pmolead-decision")
    lead.get_by_role("button", name="Approve").click()
    expect(lead.get_by_text(f"Budget of {project.code} approved.")).to_be_visible()

    # 7. The project enters execution.
    pm_page.goto(project.get_absolute_url())
    pm_page.get_by_role("link", name="Start execution").click()
    pm_page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(pm_page.locator(".badge", has_text="Execution")).to_be_visible()
    screenshot(pm_page, "journey-09-pm-execution")
    project.refresh_from_db()
    assert project.status == "execution" and project.baselines.get().budget == 300000
