"""Issue 18's first journey in Chromium: the PM plans two billing milestones (one by percent), reaches the
plan milestone so the billing milestone it waits for becomes ready by itself, and finance records the
invoice from its list of milestones ready to invoice."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import BillingMilestone, Milestone

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pm_plans_billing_the_plan_milestone_makes_one_ready_and_finance_invoices_it(new_page):
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    UserFactory(username="finance", first_name="Fien", roles=[Role.FINANCE])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, contract_value=Decimal("200000"))
    today = dt.date.today()
    Milestone.objects.create(project=project, name="Backbone lit", baseline_date=today, forecast_date=today)

    # 1. The PM adds a milestone by percent, then one by amount waiting for the plan milestone.
    pm = new_page()
    sign_in(pm, "pm")
    pm.goto(project.get_absolute_url())
    pm.get_by_role("link", name="Billing").click()
    expect(pm.get_by_text("Not yet allocated to a billing milestone: EUR 200,000.00.")).to_be_visible()
    pm.get_by_role("link", name="Add a billing milestone").click()
    pm.fill("#id_name", "Design accepted")
    pm.fill("#id_percent", "30")
    pm.fill("#id_planned_date", (today + dt.timedelta(days=10)).isoformat())
    pm.fill("#id_order_reference", "PO-GENT-118")
    pm.get_by_role("button", name="Save").click()
    expect(pm.get_by_text("BM-001 saved.")).to_be_visible()

    pm.get_by_role("link", name="Add a billing milestone").click()
    pm.fill("#id_name", "Backbone lit")
    pm.fill("#id_amount", "150000")  # 60,000 + 150,000 exceeds 200,000: refused next to the amount
    pm.fill("#id_planned_date", (today + dt.timedelta(days=40)).isoformat())
    pm.select_option("#id_plan_milestone", label="Backbone lit")
    pm.get_by_role("button", name="Save").click()
    expect(pm.locator("#id_amount ~ .invalid-feedback, #error_1_id_amount").first).to_contain_text(
        "EUR 140,000.00 is left to allocate")
    screenshot(pm, "billing-01-refused-beyond-the-contract-value")
    assert BillingMilestone.objects.count() == 1
    pm.fill("#id_amount", "140000")
    pm.get_by_role("button", name="Save").click()
    expect(pm.get_by_text("BM-002 saved.")).to_be_visible()
    row = pm.locator("#billing-1")
    expect(row).to_contain_text("60,000.00")
    expect(pm.locator("#unallocated")).to_have_count(0)  # all of the contract value is allocated
    screenshot(pm, "billing-02-two-milestones-planned")

    # 2. The PM records the plan milestone reached: BM-002 becomes ready to invoice by itself.
    pm.goto(f"{project.get_absolute_url()}plan/")
    pm.get_by_role("button", name="Reached").click()
    expect(pm.get_by_text("Backbone lit reached.")).to_be_visible()
    pm.goto(f"{project.get_absolute_url()}billing/")
    expect(pm.locator("#billing-2")).to_contain_text("Ready to invoice")
    expect(pm.locator("#billing-1")).to_contain_text("Planned")
    screenshot(pm, "billing-03-ready-by-itself")

    # 3. Finance finds it in the list ready to invoice and records the invoice from Dynamics 365.
    fin = new_page()
    sign_in(fin, "finance")
    fin.get_by_role("link", name="To invoice").click()
    expect(fin.get_by_role("row", name="BM-002")).to_contain_text("140,000.00")
    screenshot(fin, "billing-04-finance-ready-to-invoice")
    fin.get_by_role("row", name="BM-002").get_by_role("link", name="Record the invoice").click()
    fin.fill("#id_invoice_number", "INV-2026-0412")
    fin.get_by_role("button", name="Confirm: Record the invoice").click()
    expect(fin.get_by_text("Invoice recorded on BM-002.")).to_be_visible()
    expect(fin.locator("#billing-2")).to_contain_text("INV-2026-0412")
    expect(fin.locator("#billing-totals")).to_contain_text("EUR 140,000.00")
    screenshot(fin, "billing-05-invoiced")
    assert BillingMilestone.objects.get(number=2).status == "invoiced"
    assert fin.get_by_role("link", name="Add a billing milestone").count() == 0
