"""Purchase orders through the API: drafted and edited through the order form, moved on through the
transitions the order's page offers (a PM approves within budget, the PMO lead beyond it), each role
seeing what the purchasing pages show it; crafted writes refused with nothing saved."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from procurement.models import PurchaseOrder, PurchaseOrderLine
from procurement.services.purchase_orders import purchase_order_create, purchase_order_submit
from projects.models import Baseline, BudgetLine

from .api_client import Api, make_token
from .conftest import needs_postgresql
from .factories import ProjectFactory, SupplierFactory

LIST = "/api/v1/purchase-orders/"
TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Fluvius Materials", vat_number="BE0477445084")


@pytest.fixture
def budgeted(pm, support):
    """A Level 1 project in execution with an approved budget of EUR 10,000."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("10000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000.00"), approved_by=pm)
    return project


def order_body(project, supplier, **changes) -> dict:
    return {"project": project.code, "supplier": supplier.vat_number, "delivery_date": TOMORROW.isoformat(),
            "delivery_site": "Gent", "notes": "",
            "lines": [{"description": "Switch", "quantity": "2", "unit_price": "1000.00", "vat_rate": 21}], **changes}


def drafted(project, by, supplier, price="1000.00") -> PurchaseOrder:
    return purchase_order_create(
        project_id=project.pk, by=by,
        data={"supplier": supplier, "budget_line": None, "delivery_date": TOMORROW, "delivery_site": "Gent",
              "notes": ""},
        lines=[{"description": "Switch", "quantity": Decimal("2"), "unit": "pc", "unit_price": Decimal(price),
                "vat_rate": 21}])


def url(po, action=""):
    return f"{LIST}{po.number}/{action + '/' if action else ''}"


def test_it_drafts_an_order_with_its_lines_through_the_service(pm, budgeted, supplier):
    response = Api(make_token(pm)).post(LIST, order_body(budgeted, supplier))
    assert response.status_code == 201, response.json()
    body = response.json()
    year = timezone.localdate().year
    assert body["number"] == f"PO-{year}-00001" and response["Location"] == f"{LIST}{body['number']}/"
    assert (body["status"], body["net_total"], body["created_by"], body["project"]) == (
        "draft", "2000.00", "pm", budgeted.code)
    assert body["lines"] == [{"line": 1, "description": "Switch", "quantity": "2.00", "unit": "pc",
                              "unit_price": "1000.00", "vat_rate": 21, "net": "2000.00", "vat": "420.00",
                              "received_quantity": "0.00", "open_quantity": "2.00"}]
    assert body["actions"] == ["submit", "cancel"]  # the draft page's buttons
    assert response["ETag"] == f'"{PurchaseOrder.objects.get().version}"'


@pytest.mark.parametrize(("field", "value"), [("status", "approved"), ("approved_by", "pmolead"),
                                               ("net_total", "1.00"), ("number", "PO-2026-00117"),
                                               ("overspend", "0"), ("version", 9)])
def test_fields_only_the_system_sets_are_refused_and_nothing_is_saved(pm, budgeted, supplier, field, value):
    response = Api(make_token(pm)).post(LIST, order_body(budgeted, supplier, **{field: value}))
    assert response.status_code == 400
    assert {"pointer": f"#/{field}", "detail": "This field cannot be set here."} in response.json()["errors"]
    assert not PurchaseOrder.objects.exists()


def test_a_line_field_the_form_does_not_take_is_refused(pm, budgeted, supplier):
    body = order_body(budgeted, supplier)
    body["lines"][0]["received_quantity"] = "2"
    response = Api(make_token(pm)).post(LIST, body)
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/lines/0/received_quantity"]
    assert not PurchaseOrder.objects.exists()


def test_another_projects_budget_line_is_refused_as_the_form_refuses_it(pm, budgeted, supplier):
    other = ProjectFactory(project_manager=pm)
    line = BudgetLine.objects.create(project=other, category="material", description="x", amount=Decimal("10"))
    response = Api(make_token(pm)).post(LIST, order_body(budgeted, supplier, budget_line=line.pk))
    assert response.status_code == 400
    assert [e["pointer"] for e in response.json()["errors"]] == ["#/budget_line"]
    assert not PurchaseOrder.objects.exists()


def test_bad_lines_are_refused_with_their_position(pm, budgeted, supplier):
    body = order_body(budgeted, supplier, lines=[
        {"description": "ok", "quantity": "1", "unit_price": "10.00"},
        {"description": "too much", "quantity": "1000000", "unit_price": "100000000.00"}])
    response = Api(make_token(pm)).post(LIST, body)
    assert response.status_code == 400
    assert "#/lines/1/unit_price" in [e["pointer"] for e in response.json()["errors"]]
    assert not response.json()["errors"][0]["pointer"].startswith("#/lines/0")
    assert Api(make_token(pm)).post(LIST, order_body(budgeted, supplier, lines=[])).status_code == 400
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("pm2", 403), ("finance", 403), ("pmolead", 403),
                                               ("engmgr", 403), ("sales", 404), ("outsider", 404)])
def test_who_may_not_order_on_the_project_gets_what_the_page_gives(request, budgeted, supplier, persona, code):
    api = Api(make_token(request.getfixturevalue(persona)))
    assert api.post(LIST, order_body(budgeted, supplier)).status_code == code
    assert not PurchaseOrder.objects.exists()


@pytest.mark.parametrize(("persona", "code"), [("pm", 200), ("support", 200), ("finance", 200), ("pmolead", 200),
                                               ("admin_user", 200), ("engmgr", 403), ("sales", 403),
                                               ("outsider", 403)])
def test_the_list_is_for_whoever_sees_purchasing(request, budgeted, pm, supplier, persona, code):
    po = drafted(budgeted, pm, supplier)
    api = Api(make_token(request.getfixturevalue(persona), scope="read"))
    response = api.get(LIST)
    assert response.status_code == code
    if code == 200:
        assert [o["number"] for o in response.json()["results"]] == [po.number]
        assert response.json()["results"][0]["actions"] is None
    assert api.get(url(po)).status_code == (200 if code == 200 else 404)


def test_the_list_filters_by_status_project_supplier_and_updated_since(pm, budgeted, supplier):
    first = drafted(budgeted, pm, supplier)
    other = ProjectFactory(project_manager=pm)
    second = drafted(other, pm, SupplierFactory())
    api = Api(make_token(pm))
    numbers = lambda **params: [o["number"] for o in api.get(LIST, params).json()["results"]]  # noqa: E731
    assert numbers(project=budgeted.code) == [first.number]
    assert numbers(supplier=supplier.vat_number) == [first.number]
    assert numbers(status="approved") == []
    assert sorted(numbers(status="draft")) == sorted([first.number, second.number])
    later = (timezone.now() + dt.timedelta(minutes=1)).isoformat()
    assert numbers(updated_since=later) == []
    assert api.get(LIST, {"status": "nonsense"}).status_code == 400


def test_the_lists_query_count_does_not_grow_with_the_page(pm, budgeted, supplier):
    for _ in range(30):
        drafted(budgeted, pm, supplier)
    api = Api(make_token(pm))
    api.get(LIST)  # the token's first use is recorded once
    counts = []
    for size in (3, 30):
        with CaptureQueriesContext(connection) as queries:
            assert len(api.get(LIST, {"page_size": size}).json()["results"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1] and counts[1] <= 8, counts


def test_a_draft_changes_with_the_current_etag_only(pm, budgeted, supplier):
    po = drafted(budgeted, pm, supplier)
    api = Api(make_token(pm))
    assert api.patch(url(po), {"delivery_site": "Brugge"}).status_code == 428
    stale = api.patch(url(po), {"delivery_site": "Brugge"}, **{"If-Match": f'"{po.version + 5}"'})
    assert stale.status_code == 412 and stale["Content-Type"] == "application/problem+json"
    po.refresh_from_db()
    assert po.delivery_site == "Gent"
    done = api.patch(url(po), {"delivery_site": "Brugge", "lines": [
        {"description": "Cable", "quantity": "3", "unit": "m", "unit_price": "10.00", "vat_rate": 6}]},
        **{"If-Match": f'"{po.version}"'})
    assert done.status_code == 200, done.json()
    assert (done.json()["delivery_site"], done.json()["net_total"]) == ("Brugge", "30.00")
    assert done["ETag"] != f'"{po.version}"'
    assert list(PurchaseOrderLine.objects.values_list("description", flat=True)) == ["Cable"]
    # Without lines, the lines stay as they are.
    kept = api.patch(url(po), {"notes": "Call first"}, **{"If-Match": done["ETag"]})
    assert kept.status_code == 200 and kept.json()["lines"][0]["description"] == "Cable"
    again = api.patch(url(po), {"notes": "x"}, **{"If-Match": done["ETag"]})
    assert again.status_code == 412


def test_only_a_draft_is_edited_and_status_is_not_a_field(pm, budgeted, supplier):
    po = drafted(budgeted, pm, supplier)
    api = Api(make_token(pm))
    refused = api.patch(url(po), {"status": "approved"}, **{"If-Match": f'"{po.version}"'})
    assert refused.status_code == 400
    po = purchase_order_submit(po_id=po.pk, by=pm)
    assert po.status == "approved"
    assert api.patch(url(po), {"notes": "late"}, **{"If-Match": f'"{po.version}"'}).status_code == 403
    po.refresh_from_db()
    assert po.notes == ""


def test_a_pm_within_budget_is_approved_on_submission(pm, budgeted, supplier):
    po = drafted(budgeted, pm, supplier)
    response = Api(make_token(pm)).post(url(po, "submit"), {})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["approved_by"]) == ("approved", "pm")
    assert response.json()["actions"] == ["send", "cancel"]


def test_beyond_budget_the_pm_is_refused_and_the_pmo_lead_agrees(pm, support, pmolead, budgeted, supplier):
    po = drafted(budgeted, support, supplier, price="6000.00")  # EUR 12,000 against 10,000
    assert Api(make_token(support)).post(url(po, "submit"), {}).json()["status"] == "submitted"
    refused = Api(make_token(pm)).post(url(po, "approve"), {"comment": "ok"})
    assert refused.status_code == 422 and refused["Content-Type"] == "application/problem+json"
    assert "exceeds the approved budget by EUR 2,000.00" in refused.json()["detail"]
    assert "approve" not in Api(make_token(pm)).get(url(po)).json()["actions"]  # the page offers no button
    po.refresh_from_db()
    assert po.status == "submitted"
    agreed = Api(make_token(pmolead)).post(url(po, "approve"), {"comment": "Written agreement"})
    assert agreed.status_code == 200, agreed.json()
    assert (agreed.json()["status"], agreed.json()["approved_by"], agreed.json()["overspend"]) == (
        "approved", "pmolead", "2000.00")


@pytest.mark.parametrize(("persona", "code"), [("finance", 403), ("pm2", 403), ("support", 403),
                                               ("sales", 404), ("engmgr", 404)])
def test_who_may_not_decide_gets_what_the_decision_page_gives(request, support, budgeted, supplier, persona, code):
    po = drafted(budgeted, support, supplier)
    purchase_order_submit(po_id=po.pk, by=support)
    response = Api(make_token(request.getfixturevalue(persona))).post(url(po, "approve"), {})
    assert response.status_code == code
    po.refresh_from_db()
    assert (po.status, po.approved_by) == ("submitted", None)


def test_a_rejection_needs_a_reason_and_goes_back_to_draft(pm, support, budgeted, supplier):
    po = drafted(budgeted, support, supplier)
    purchase_order_submit(po_id=po.pk, by=support)
    api = Api(make_token(pm))
    empty = api.post(url(po, "reject"), {})
    assert empty.status_code == 422 and "Say why" in empty.json()["detail"]
    assert api.post(url(po, "reject"), {"comment": "Wrong supplier"}).json()["status"] == "draft"


def test_a_transition_from_the_wrong_state_is_a_business_rule_problem(pm, budgeted, supplier):
    po = drafted(budgeted, pm, supplier)
    response = Api(make_token(pm)).post(url(po, "send"), {})
    assert response.status_code == 422
    assert response.json()["detail"] == "Only an approved purchase order can be sent."
    assert Api(make_token(pm)).post(url(po, "cancel"), {}).status_code == 400  # the reason is the form's
    po.refresh_from_db()
    assert po.status == "draft"


def test_a_stale_if_match_on_a_transition_changes_nothing(pm, budgeted, supplier):
    po = drafted(budgeted, pm, supplier)
    response = Api(make_token(pm)).post(url(po, "submit"), {}, **{"If-Match": '"99"'})
    assert response.status_code == 412
    po.refresh_from_db()
    assert po.status == "draft"


@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_make_one_decision(pm, support, pmolead, budgeted, supplier):
    """The PM and the PMO lead approve the same order at the same moment, each on their own connection:
    the service's row lock lets one decide; the other is told it was decided meanwhile."""
    needs_postgresql()
    po = drafted(budgeted, support, supplier)
    purchase_order_submit(po_id=po.pk, by=support)
    secrets = [make_token(pm), make_token(pmolead)]
    barrier, answers = threading.Barrier(2), []

    def approve(secret):
        try:
            barrier.wait()
            answers.append(Api(secret).post(url(po, "approve"), {"comment": "go"}))
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(secret,)) for secret in secrets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200, 422]
    refused = next(a for a in answers if a.status_code == 422)
    assert "already approved by" in refused.json()["detail"]
    po.refresh_from_db()
    assert po.status == "approved"
    assert po.history.filter(status="approved").count() == 1


def sent(project, pm, supplier) -> PurchaseOrder:
    from procurement.services.purchase_orders import purchase_order_send

    po = purchase_order_submit(po_id=drafted(project, pm, supplier).pk, by=pm)
    return purchase_order_send(po_id=po.pk, by=pm)


def test_a_goods_receipt_is_registered_once_per_idempotency_key(pm, budgeted, supplier):
    po = sent(budgeted, pm, supplier)
    api = Api(make_token(pm))
    body = {"received_on": timezone.localdate().isoformat(), "lines": [{"line": 1, "quantity": "1"}]}
    first = api.post(url(po, "receipts"), body, **{"Idempotency-Key": "gr-1"})
    assert first.status_code == 201, first.json()
    assert first.json()["purchase_order"]["status"] == "partly_received"
    assert [(r["line"], r["quantity"]) for r in first.json()["receipts"]] == [(1, "1.00")]
    replay = api.post(url(po, "receipts"), body, **{"Idempotency-Key": "gr-1"})
    assert replay.json() == first.json() and replay["Idempotent-Replayed"] == "true"
    other = api.post(url(po, "receipts"), {**body, "lines": [{"line": 1, "quantity": "0.5"}]},
                     **{"Idempotency-Key": "gr-1"})
    assert other.status_code == 422
    over = api.post(url(po, "receipts"), {**body, "lines": [{"line": 1, "quantity": "5"}]})
    assert over.status_code == 400 and over.json()["errors"][0]["pointer"] == "#/lines/0/quantity"
    assert api.post(url(po, "receipts"), {**body, "lines": [{"line": 2, "quantity": "1"}]}).status_code == 400
    po.refresh_from_db()
    assert po.lines.get().received_quantity == Decimal("1") and po.status == "partly_received"
    assert [r["line"] for r in api.get(url(po, "receipts")).json()["results"]] == [1]


def test_an_invoice_gets_the_three_way_match_the_service_computes(pm, budgeted, supplier):
    po = sent(budgeted, pm, supplier)
    api = Api(make_token(pm))
    api.post(url(po, "receipts"), {"received_on": timezone.localdate().isoformat(),
                                   "lines": [{"line": 1, "quantity": "2"}]})
    early = timezone.localdate().isoformat()
    mismatch = api.post(url(po, "invoices"), {"supplier_reference": "F-1", "invoice_date": early,
                                              "net_amount": "2500.00"})
    assert mismatch.status_code == 201, mismatch.json()
    assert (mismatch.json()["match"], mismatch.json()["difference"]) == ("mismatch", "500.00")
    again = api.post(url(po, "invoices"), {"supplier_reference": "F-1", "invoice_date": early, "net_amount": "1"})
    assert again.status_code == 422
    assert Api(make_token(pm, scope="read")).post(url(po, "invoices"), {}).status_code == 403
    assert Api(make_token(request_free_finance(), scope="write")).post(url(po, "invoices"), {
        "supplier_reference": "F-2", "invoice_date": early, "net_amount": "1"}).status_code == 403
    assert po.invoices.count() == 1


def request_free_finance():
    from .conftest import make_persona

    return make_persona("finance")
