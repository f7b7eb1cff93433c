import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from procurement.export import neutralise
from procurement.models import PurchaseOrder, PurchaseOrderLine, cents
from procurement.selectors.costs import project_costs
from procurement.services.purchase_orders import (
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_close,
    purchase_order_create,
    purchase_order_reject,
    purchase_order_send,
    purchase_order_submit,
    purchase_order_update,
)
from procurement.services.receiving import goods_receipt_register, invoice_accept, invoice_dispute, invoice_register
from projects.domain import DomainError
from projects.lib.pdf import NoNetworkURLFetcher
from projects.models import Baseline, BudgetLine

from .conftest import bare_colons
from .factories import ProjectFactory, SupplierFactory

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Fluvius Materials", vat_number="BE0477445084")


@pytest.fixture
def budgeted(pm, support):
    """A Level 1 project in execution with an approved budget of EUR 10,000 on two lines."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("8000"),
                              estimate_to_complete=Decimal("500"))
    BudgetLine.objects.create(project=project, category="travel", description="Travel", amount=Decimal("2000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000.00"), approved_by=pm)
    return project


def _po(project, by, supplier, *lines, budget_line=None):
    lines = lines or [("Switch", "2", "1000.00", 21)]
    return purchase_order_create(
        project_id=project.pk, by=by,
        data={"supplier": supplier, "budget_line": budget_line, "delivery_date": TOMORROW, "delivery_site": "Gent"},
        lines=[{"description": d, "quantity": Decimal(q), "unit": "pc", "unit_price": Decimal(p), "vat_rate": v}
               for d, q, p, v in lines])


def test_numbers_are_sequential_per_year(pm, budgeted, supplier):
    year = timezone.localdate().year
    assert [_po(budgeted, pm, supplier).number for _ in range(2)] == [f"PO-{year}-00001", f"PO-{year}-00002"]


def test_line_amounts_round_half_up_per_line():
    line = PurchaseOrderLine(quantity=Decimal("3"), unit_price=Decimal("0.115"), vat_rate=21)
    assert line.net == Decimal("0.35")  # 0.345 -> 0.35, not banker's 0.34
    assert cents(Decimal("0.125")) == Decimal("0.13")
    line = PurchaseOrderLine(quantity=Decimal("1"), unit_price=Decimal("10.50"), vat_rate=21)
    assert line.vat == Decimal("2.21")  # 2.205 -> 2.21


def test_a_pm_within_budget_is_approved_on_submission(pm, budgeted, supplier):
    po = purchase_order_submit(po_id=_po(budgeted, pm, supplier).pk, by=pm)
    assert (po.status, po.approved_by, po.overspend) == ("approved", pm, None)


def test_support_drafts_and_the_pm_approves(pm, support, budgeted, supplier):
    po = purchase_order_submit(po_id=_po(budgeted, support, supplier).pk, by=support)
    assert po.status == "submitted"
    po = purchase_order_approve(po_id=po.pk, by=pm)
    assert (po.status, po.approved_by) == ("approved", pm)


def test_beyond_budget_the_pm_is_refused_and_the_pmo_lead_agrees(pm, support, pmolead, budgeted, supplier):
    first = purchase_order_submit(po_id=_po(budgeted, pm, supplier, ("A", "1", "9000", 21)).pk, by=pm)
    assert first.status == "approved"
    second = purchase_order_submit(po_id=_po(budgeted, support, supplier, ("B", "1", "1500", 21)).pk,
                                            by=support)
    with pytest.raises(DomainError, match="exceeds the approved budget by EUR 500.00"):
        purchase_order_approve(po_id=second.pk, by=pm)
    second = purchase_order_approve(po_id=second.pk, by=pmolead, comment="Agreed by mail of 20/11")
    assert (second.status, second.approved_by, second.overspend) == ("approved", pmolead, Decimal("500.00"))


def test_the_pmo_lead_never_approves_an_order_they_drafted(pmolead, budgeted, supplier, support):
    from accounts.roles import Role

    from .factories import UserFactory

    lead_support = UserFactory(username="lead-support", roles=[Role.PMO_LEAD, Role.SUPPORT_OFFICER])
    po = purchase_order_submit(po_id=_po(budgeted, lead_support, supplier, ("A", "1", "20000", 21)).pk,
                                        by=lead_support)
    with pytest.raises(DomainError, match="may not approve"):
        purchase_order_approve(po_id=po.pk, by=lead_support)
    assert purchase_order_approve(po_id=po.pk, by=pmolead).status == "approved"


def test_no_order_is_approved_above_level_1_before_the_budget(pm, pmolead, supplier):
    project = ProjectFactory(project_manager=pm, level=2)
    po = purchase_order_submit(po_id=_po(project, pm, supplier).pk, by=pm)
    assert po.status == "submitted"
    with pytest.raises(DomainError, match="not approved yet"):
        purchase_order_approve(po_id=po.pk, by=pmolead)


def test_bad_headers_are_refused(pm, budgeted, supplier):
    other_line = BudgetLine.objects.create(project=ProjectFactory(), category="other", description="x", amount=1)
    with pytest.raises(DomainError, match="belongs to another project"):
        _po(budgeted, pm, supplier, budget_line=other_line)
    supplier.active = False
    supplier.save()
    with pytest.raises(DomainError, match="marked inactive"):
        _po(budgeted, pm, supplier)
    assert not PurchaseOrder.objects.exists()


def test_another_pm_cannot_raise_orders(pm2, budgeted, supplier):
    with pytest.raises(DomainError):
        _po(budgeted, pm2, supplier)


def test_the_form_refuses_bad_lines_and_keeps_input(client, pm, budgeted, supplier):
    client.force_login(pm)
    data = {
        "supplier": supplier.pk, "delivery_date": "2020-01-01", "delivery_site": "Gent", "notes": "",
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1", "lines-MAX_NUM_FORMS": "1000",
        "lines-0-description": "Switch", "lines-0-quantity": "0", "lines-0-unit": "pc", "lines-0-unit_price": "10.9999",
        "lines-0-vat_rate": "21",
        "lines-1-description": "Cable", "lines-1-quantity": "2", "lines-1-unit": "m", "lines-1-unit_price": "-3",
        "lines-1-vat_rate": "19",
    }
    response = client.post(reverse("procurement:po_create") + f"?project={budgeted.code}", data)
    html = response.content.decode()
    assert "The delivery date is in the past." in html
    assert "greater than or equal to 0.01" in html
    assert "no more than 2 decimal places" in html
    assert "Select a valid choice. 19 is not one of the available choices." in html
    assert 'value="Switch"' in html and 'value="Cable"' in html
    assert not PurchaseOrder.objects.exists()


def test_approving_an_order_someone_approved_meanwhile_says_who_and_when(client, pm, pmolead, support, budgeted,
                                                                       supplier):
    po = purchase_order_submit(po_id=_po(budgeted, support, supplier).pk, by=support)
    po = purchase_order_approve(po_id=po.pk, by=pmolead)
    client.force_login(pm)
    response = client.post(reverse("procurement:po_decide", args=[po.number]), {"approve": "1"})
    when = date_format(timezone.localtime(po.approved_at), "SHORT_DATETIME_FORMAT")
    assert f"already approved by {pmolead} at {when}" in response.content.decode()


def test_an_approved_order_cannot_be_edited(client, pm, budgeted, supplier):
    po = purchase_order_submit(po_id=_po(budgeted, pm, supplier).pk, by=pm)
    with pytest.raises(DomainError, match="Only a draft"):
        purchase_order_update(po_id=po.pk, by=pm, data={"delivery_site": "x"}, lines=[], expected_version=po.version)
    client.force_login(pm)
    assert client.get(reverse("procurement:po_edit", args=[po.number])).status_code == 403


def test_approving_from_a_stale_page_is_refused(client, pm, support, budgeted, supplier):
    po = purchase_order_submit(po_id=_po(budgeted, support, supplier).pk, by=support)
    purchase_order_reject(po_id=po.pk, by=pm, comment="Wrong supplier")
    client.force_login(pm)
    response = client.post(reverse("procurement:po_decide", args=[po.number]), {"approve": "1"})
    assert "not waiting for approval" in response.content.decode()
    po.refresh_from_db()
    assert po.status == "draft"


def test_sending_makes_a_pdf_and_emails_the_supplier(pm, budgeted, supplier, django_capture_on_commit_callbacks):
    po = purchase_order_submit(po_id=_po(budgeted, pm, supplier).pk, by=pm)
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(po_id=po.pk, by=pm)
    message = mail.outbox[-1]
    assert message.to == [supplier.contact_email] and po.number in message.subject
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{po.number}.pdf", "application/pdf") and content.startswith(b"%PDF")
    document = po.pdfs.get()
    assert document.emailed_at is not None
    # A redelivered task sends nothing twice.
    from procurement.services.documents import purchase_order_pdf_send

    purchase_order_pdf_send(po_id=po.pk)
    assert len([m for m in mail.outbox if po.number in m.subject]) == 1 and po.pdfs.count() == 1


def test_the_pdf_fetches_no_url():
    with pytest.raises(ValueError, match="blocked"):
        NoNetworkURLFetcher().fetch("http://127.0.0.1:9/secret")
    with pytest.raises(ValueError, match="blocked"):
        NoNetworkURLFetcher().fetch("file:///etc/passwd")


def test_the_french_pdf_puts_a_non_breaking_space_before_its_colons(pm, budgeted, supplier):
    from django.template.loader import render_to_string
    from django.utils import translation

    from procurement.services.documents import purchase_order_pdf_context

    supplier.language, supplier.contact_name = "fr", "Claire"
    supplier.save()
    po = _sent(budgeted, pm, supplier)
    po.notes = "Livraison au quai 3"
    with translation.override("fr"):
        html = render_to_string("procurement/purchase_order_pdf.html", purchase_order_pdf_context(po))
    assert "Projet\u00a0:" in html and "Remarques\u00a0:" in html and bare_colons(html) == []


def _sent(project, pm, supplier, *lines):
    po = purchase_order_submit(po_id=_po(project, pm, supplier, *lines).pk, by=pm)
    return purchase_order_send(po_id=po.pk, by=pm)


def test_receipts_in_two_parts_and_over_receipt_refused(pm, budgeted, supplier):
    po = _sent(budgeted, pm, supplier, ("Switch", "10", "100", 21))
    line = po.lines.get()
    today = timezone.localdate()
    po = goods_receipt_register(po_id=po.pk, by=pm, received_on=today, quantities={line.pk: Decimal("4")})
    assert po.status == "partly_received"
    with pytest.raises(DomainError, match="7 received but only 6 still open"):
        goods_receipt_register(po_id=po.pk, by=pm, received_on=today, quantities={line.pk: Decimal("7")})
    po = goods_receipt_register(po_id=po.pk, by=pm, received_on=today, quantities={line.pk: Decimal("6")})
    assert po.status == "received"


def test_three_way_match_within_tolerance_and_a_mismatch_waits_for_the_pm(pm, support, budgeted, supplier):
    po = _sent(budgeted, pm, supplier, ("Switch", "10", "100", 21))
    line = po.lines.get()
    today = timezone.localdate()
    goods_receipt_register(po_id=po.pk, by=pm, received_on=today, quantities={line.pk: Decimal("10")})
    # EUR 1,000 received; tolerance is min(2 % = 20, 50) = EUR 20.
    high = invoice_register(po_id=po.pk, by=support, supplier_reference="F-1", invoice_date=today,
                                     net_amount=Decimal("1030.00"))
    assert (high.match, high.difference) == ("mismatch", Decimal("30.00"))
    po.refresh_from_db()
    assert po.status == "received"
    with pytest.raises(DomainError, match="project manager decides"):
        invoice_accept(invoice_id=high.pk, by=support)
    invoice_dispute(invoice_id=high.pk, by=pm)
    fine = invoice_register(po_id=po.pk, by=support, supplier_reference="F-2", invoice_date=today,
                                     net_amount=Decimal("1015.00"))
    assert fine.match == "matched"
    po.refresh_from_db()
    assert po.status == "invoiced"
    assert purchase_order_close(po_id=po.pk, by=pm).status == "closed"


def test_an_invoice_before_any_receipt_is_refused(pm, budgeted, supplier):
    po = _sent(budgeted, pm, supplier)
    with pytest.raises(DomainError, match="goods receipt before the invoice"):
        invoice_register(po_id=po.pk, by=pm, supplier_reference="F-1", invoice_date=timezone.localdate(),
                                  net_amount=Decimal("10"))


def test_cancel_needs_a_reason_and_comes_before_any_receipt(pm, budgeted, supplier):
    po = _sent(budgeted, pm, supplier, ("Switch", "2", "100", 21))
    with pytest.raises(DomainError, match="Say why"):
        purchase_order_cancel(po_id=po.pk, by=pm, reason="")
    goods_receipt_register(po_id=po.pk, by=pm, received_on=timezone.localdate(),
                                    quantities={po.lines.get().pk: Decimal("1")})
    with pytest.raises(DomainError, match="once goods were received"):
        purchase_order_cancel(po_id=po.pk, by=pm, reason="Too late")


def test_cost_view_figures_at_each_step(pm, budgeted, supplier):
    line = budgeted.budget_lines.get(description="Switches")
    po = _sent(budgeted, pm, supplier, ("Switch", "10", "300", 21))
    PurchaseOrder.objects.filter(pk=po.pk).update(budget_line=line)
    costs = project_costs(budgeted)
    switches = next(c for c in costs.lines if c.label.endswith("Switches"))
    assert (switches.budget, switches.committed, switches.actual, switches.forecast) == (8000, 3000, 0, 3500)
    goods_receipt_register(po_id=po.pk, by=pm, received_on=timezone.localdate(),
                                    quantities={po.lines.get().pk: Decimal("10")})
    invoice_register(po_id=po.pk, by=pm, supplier_reference="F-9", invoice_date=timezone.localdate(),
                              net_amount=Decimal("3000.00"))
    costs = project_costs(budgeted)
    switches = next(c for c in costs.lines if c.label.endswith("Switches"))
    assert (switches.committed, switches.actual, switches.forecast) == (0, 3000, 3500)
    assert (costs.total.budget, costs.total.actual, costs.total.forecast) == (10000, 3000, 3500)


def test_exports_neutralise_formulas(client, finance, pm, budgeted, supplier):
    supplier.name = "=HYPERLINK(\"http://evil\")"
    supplier.save()
    _po(budgeted, pm, supplier)
    client.force_login(finance)
    csv_body = b"".join([client.get(reverse("procurement:po_export", args=["csv"])).content]).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_body
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = client.get(reverse("procurement:po_export", args=["xlsx"])).content
    cells = [c.value for row in load_workbook(BytesIO(xlsx)).active.iter_rows() for c in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert neutralise("-5") == "'-5" and neutralise(Decimal("-5")) == Decimal("-5")
    client.force_login(pm)
    assert client.get(reverse("procurement:po_export", args=["csv"])).status_code == 403


def test_po_list_query_count_does_not_grow(client, finance, pm, budgeted, supplier, django_assert_max_num_queries):
    _po(budgeted, pm, supplier)
    client.force_login(finance)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("procurement:po_list"))
    for _ in range(30):
        _po(budgeted, pm, supplier)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("procurement:po_list"))


def test_approvals_show_orders_to_the_right_person(client, pm, support, pmolead, budgeted, supplier):
    within = purchase_order_submit(po_id=_po(budgeted, support, supplier).pk, by=support)
    beyond = purchase_order_submit(po_id=_po(budgeted, support, supplier, ("Big", "1", "50000", 21)).pk,
                                            by=support)
    client.force_login(pm)
    assert [po for po, _ in client.get(reverse("approvals")).context["purchase_orders"]] == [within]
    client.force_login(pmolead)
    assert [(po, o) for po, o in client.get(reverse("approvals")).context["purchase_orders"]] == [
        (beyond, Decimal("40000.00"))]


def test_supplier_vat_duplicate_is_named(client, support, supplier):
    client.force_login(support)
    response = client.post(reverse("procurement:supplier_create"), {
        "name": "Other", "kind": "supplier", "vat_number": "BE 0477.445.084", "contact_email": "a@b.be",
        "language": "nl", "payment_terms_days": 30})
    assert "Supplier Fluvius Materials already has VAT number BE0477445084." in response.content.decode()


def test_po_detail_query_count_does_not_grow_with_lines(client, pm, budgeted, supplier, django_assert_max_num_queries):
    few = _sent(budgeted, pm, supplier, ("A", "2", "10", 21))
    many = _sent(budgeted, pm, supplier, *[(f"Line {n}", "2", "10", 21) for n in range(25)])
    for po in (few, many):
        goods_receipt_register(po_id=po.pk, by=pm, received_on=timezone.localdate(),
                                        quantities={line.pk: Decimal("1") for line in po.lines.all()})
    client.force_login(pm)
    with django_assert_max_num_queries(20) as counted:
        client.get(few.get_absolute_url())
    with django_assert_max_num_queries(len(counted)):
        response = client.get(many.get_absolute_url())
    assert "Total including VAT" in response.content.decode()


def test_the_pm_updates_estimates_to_complete_and_the_forecast_follows(client, pm, support, budgeted):
    line = budgeted.budget_lines.get(description="Travel")
    url = reverse("procurement:costs", args=[budgeted.code])
    client.force_login(pm)
    data = {f"etc_{other.pk}": str(other.estimate_to_complete) for other in budgeted.budget_lines.all()}
    response = client.post(url, dict(data, **{f"etc_{line.pk}": "-1"}))
    assert "greater than or equal to 0" in response.content.decode()
    client.post(url, dict(data, **{f"etc_{line.pk}": "1250.00"}))
    line.refresh_from_db()
    assert line.estimate_to_complete == Decimal("1250.00")
    assert project_costs(budgeted).total.forecast == Decimal("1750.00")  # 500 on switches + 1,250 travel
    client.force_login(support)
    assert client.post(url, data).status_code == 403


def test_the_project_page_shows_the_costs_to_internal_roles_only(client, pm, sales, budgeted, supplier):
    budgeted.sales_owner = sales
    budgeted.save()
    purchase_order_submit(po_id=_po(budgeted, pm, supplier).pk, by=pm)
    client.force_login(pm)
    html = client.get(budgeted.get_absolute_url()).content.decode()
    assert "Project (approved budget)" in html and "2,000.00" in html
    client.force_login(sales)
    html = client.get(budgeted.get_absolute_url()).content.decode()
    assert "Project (approved budget)" not in html and "2,000.00" not in html


def test_the_pms_home_lists_orders_and_invoices_waiting_for_them(client, pm, support, budgeted, supplier):
    waiting = purchase_order_submit(po_id=_po(budgeted, support, supplier).pk, by=support)
    sent = _sent(budgeted, pm, supplier, ("Switch", "1", "100", 21))
    goods_receipt_register(po_id=sent.pk, by=pm, received_on=timezone.localdate(),
                                    quantities={sent.lines.get().pk: Decimal("1")})
    invoice = invoice_register(po_id=sent.pk, by=support, supplier_reference="F-7",
                                        invoice_date=timezone.localdate(), net_amount=Decimal("500"))
    client.force_login(pm)
    home = client.get(reverse("home")).context
    assert [po for po, _ in home["purchase_orders_to_decide"]] == [waiting]
    assert home["invoices_to_decide"] == [invoice]


def test_an_invoice_dated_in_the_future_is_refused(client, pm, budgeted, supplier):
    po = _sent(budgeted, pm, supplier)
    goods_receipt_register(po_id=po.pk, by=pm, received_on=timezone.localdate(),
                                    quantities={po.lines.get().pk: Decimal("2")})
    client.force_login(pm)
    response = client.post(reverse("procurement:po_invoice", args=[po.number]), {
        "supplier_reference": "F-1", "invoice_date": (timezone.localdate() + dt.timedelta(days=120)).isoformat(),
        "net_amount": "2000,00"})
    assert "An invoice cannot be dated in the future." in response.content.decode()
    assert not po.invoices.exists()


def test_an_over_receipt_is_shown_next_to_its_line(client, pm, budgeted, supplier):
    po = _sent(budgeted, pm, supplier, ("Switch", "2", "100", 21))
    line = po.lines.get()
    client.force_login(pm)
    response = client.post(reverse("procurement:po_receive", args=[po.number]),
                           {"received_on": timezone.localdate().isoformat(), f"line_{line.pk}": "3"})
    assert "3 received but only 2 still open" in response.context["form"].errors[f"line_{line.pk}"][0]
    line.refresh_from_db()
    assert line.received_quantity == 0
