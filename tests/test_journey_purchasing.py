"""Issue 4's journey in Chromium: order, approve within and beyond budget, send, receive, invoice."""

import datetime as dt
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from procurement.models import PurchaseOrder
from projects.models import Baseline, BudgetLine

from .browser import SCREENSHOTS, screenshot
from .conftest import sign_in
from .factories import ProjectFactory, SupplierFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _costs_total(page) -> list[str]:
    """Budget, committed, supplier invoices, internal labour, actual, estimate to complete, forecast of the
    project row."""
    return [cell.strip() for cell in page.locator("tfoot tr th").all_inner_texts()[1:]]


def _draft(page, project, supplier, description, quantity, price):
    page.goto(f"/procurement/costs/{project.code}/")
    page.get_by_role("link", name="New purchase order").click()
    page.select_option("#id_supplier", label=supplier.name)
    page.select_option("#id_budget_line", index=1)
    page.fill("#id_delivery_date", (timezone.localdate() + dt.timedelta(days=10)).isoformat())
    page.fill("#id_delivery_site", "Stadhuis, Botermarkt 1, Gent")
    page.fill("#id_lines-0-description", description)
    page.fill("#id_lines-0-quantity", quantity)
    page.fill("#id_lines-0-unit_price", price)
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Submit for approval").click()
    return PurchaseOrder.objects.get(lines__description=description)


def test_order_approve_overspend_send_receive_invoice(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    support_user = UserFactory(username="support", first_name="Julien", roles=[Role.SUPPORT_OFFICER])
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    UserFactory(username="pmolead", first_name="Marc", roles=[Role.PMO_LEAD])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, support_officer=support_user)
    BudgetLine.objects.create(project=project, category="material", description="Fibre and switches",
                              amount=Decimal("20000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("20000"), approved_by=pm_user)
    supplier = SupplierFactory(name="Fluvius Materials", vat_number="BE0477445084", language="nl")

    # 1. Support drafts a PO for the PM's project and submits it.
    support = new_page()
    sign_in(support, "support")
    first = _draft(support, project, supplier, "Switch 48 ports", "10", "1200.00")
    assert first.status == "submitted" and first.net_total == 12000
    screenshot(support, "po-01-support-submitted")

    # 2. The PM approves it within the budget from /approvals/.
    pm = new_page()
    sign_in(pm, "pm")
    pm.get_by_role("link", name="Approvals").click()
    pm.get_by_role("link", name="Decide").click()
    pm.get_by_role("button", name="Approve").click()
    expect(pm.get_by_text(f"{first.number} approved.")).to_be_visible()
    pm.goto(f"/procurement/costs/{project.code}/")
    assert _costs_total(pm)[:3] == ["20,000.00", "12,000.00", "0.00"]

    # 3. A second PO would overspend: the PM may not, the PMO lead agrees.
    second = _draft(support, project, supplier, "Fibre 24 cores", "1000", "10.00")
    pm.goto(second.get_absolute_url())
    expect(pm.get_by_text("exceeds the approved budget by EUR 2,000.00")).to_be_visible()
    assert pm.get_by_role("link", name="Approve or reject").count() == 0  # beyond the budget: not offered
    pm.get_by_role("link", name="Reject").click()
    assert pm.get_by_role("button", name="Approve").count() == 0
    expect(pm.get_by_text("the PMO lead's written agreement is needed")).to_be_visible()
    lead = new_page()
    sign_in(lead, "pmolead")
    lead.get_by_role("link", name="Approvals").click()
    expect(lead.get_by_role("cell", name="2,000.00")).to_be_visible()
    screenshot(lead, "po-02-pmolead-approvals")
    lead.get_by_role("link", name="Decide").click()
    lead.fill("#id_comment", "Agreed: fibre price rise, see mail of 20/11.")
    lead.get_by_role("button", name="Approve").click()
    second.refresh_from_db()
    assert (second.status, second.overspend) == ("approved", Decimal("2000.00"))
    pm.goto(f"/procurement/costs/{project.code}/")
    assert _costs_total(pm) == ["20,000.00", "22,000.00", "0.00", "0.00", "0.00", "0.00", "22,000.00"]
    screenshot(pm, "po-03-costs-committed")

    # 4. The first PO is sent; its PDF is downloaded and turned into an image to look at.
    support.goto(first.get_absolute_url())
    support.get_by_role("button", name="Send to the supplier").click()
    with support.expect_download() as download:
        support.get_by_role("link", name="PDF").click()
    pdf = SCREENSHOTS / f"{first.number}.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(SCREENSHOTS / "po-04-pdf")], check=True)

    # 5. Received in two parts.
    for quantity, status in (("4", "partly_received"), ("6", "received")):
        support.get_by_role("link", name="Register goods receipt").click()
        support.locator("input[name^=line_]").fill(quantity)
        support.get_by_role("button", name="Register the receipt").click()
        first.refresh_from_db()
        assert first.status == status
    screenshot(support, "po-05-received")

    # 6. Invoiced: matched three ways; the cost view moves the amount from committed to actual.
    support.get_by_role("link", name="Register supplier invoice").click()
    support.fill("#id_supplier_reference", "FM-2026-8812")
    support.fill("#id_invoice_date", timezone.localdate().isoformat())
    support.fill("#id_net_amount", "12000.00")
    support.get_by_role("button", name="Register the invoice").click()
    expect(support.get_by_text("Invoice registered and matched.")).to_be_visible()
    first.refresh_from_db()
    assert first.status == "invoiced"
    pm.goto(f"/procurement/costs/{project.code}/")
    assert _costs_total(pm) == ["20,000.00", "10,000.00", "12,000.00", "0.00", "12,000.00", "0.00", "22,000.00"]
    assert re.search("over budget", pm.content())
    screenshot(pm, "po-06-costs-invoiced")
