"""Searches on purchase orders, projects, customers and suppliers: what they find, and the indexes that
let PostgreSQL find it without reading every row."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from procurement.models import PurchaseOrder, PurchaseOrderLine
from projects.lib.search import code_contains

from .conftest import needs_postgresql
from .factories import CustomerFactory, ProjectFactory, SupplierFactory


@pytest.fixture
def orders(pm):
    """Three orders on two projects from two suppliers; the second has two lines about cable."""
    cabling = ProjectFactory(code="PRJ-2026-0042", name="Campus cabling", project_manager=pm)
    other = ProjectFactory(code="PRJ-2025-0007", name="Data centre", project_manager=pm)
    fluvius, acme = SupplierFactory(name="Fluvius Materials"), SupplierFactory(name="Acme Tools")

    def order(number, project, supplier, net, notes="", lines=("Switch",)):
        po = PurchaseOrder.objects.create(number=number, project=project, supplier=supplier, notes=notes,
                                          net_total=Decimal(net), delivery_date=dt.date(2026, 6, 1),
                                          delivery_site="Gent", created_by=pm)
        for description in lines:
            PurchaseOrderLine.objects.create(purchase_order=po, description=description, quantity=1, unit="pc",
                                             unit_price=Decimal(net), vat_rate=21)
        return po

    return [order("PO-2026-00041", cabling, fluvius, "100.00", notes="Replaces PO-2025-00999"),
            order("PO-2026-00042", cabling, acme, "250.00", lines=("Cable CAT6", "Cable tester")),
            order("PO-2025-00999", other, fluvius, "75.50")]


def _found(client, **params) -> list[str]:
    response = client.get(reverse("procurement:po_list"), params)
    assert response.status_code == 200
    return [po.number for po in response.context["page"].object_list]


def test_it_finds_orders_by_the_start_of_their_number(client, finance, orders):
    client.force_login(finance)
    assert _found(client, q="PO-2026-0004") == ["PO-2026-00042", "PO-2026-00041"]
    assert _found(client, q="po-2026-00042") == ["PO-2026-00042"]
    assert _found(client, q="2026-0004") == ["PO-2026-00042", "PO-2026-00041"]  # without the PO- in front


def test_it_finds_orders_by_any_part_of_their_number(client, finance, orders):
    client.force_login(finance)
    assert _found(client, q="00042") == ["PO-2026-00042"]
    assert _found(client, q="6-0004") == ["PO-2026-00042", "PO-2026-00041"]


def test_a_number_search_also_finds_the_orders_whose_notes_name_it(client, finance, orders):
    client.force_login(finance)
    assert _found(client, q="PO-2025-00999") == ["PO-2026-00041", "PO-2025-00999"]


def test_it_finds_an_order_once_however_many_of_its_lines_match(client, finance, orders):
    client.force_login(finance)
    response = client.get(reverse("procurement:po_list"), {"q": "cable"})
    assert [po.number for po in response.context["page"].object_list] == ["PO-2026-00042"]
    assert response.context["page"].paginator.count == 1 and response.context["total"] == Decimal("250.00")


def test_it_finds_orders_by_supplier_name_and_project_code(client, finance, orders):
    client.force_login(finance)
    assert _found(client, supplier="fluvius") == ["PO-2026-00041", "PO-2025-00999"]
    assert _found(client, project="PRJ-2026-0042") == ["PO-2026-00042", "PO-2026-00041"]
    assert _found(client, project="2025-0007") == ["PO-2025-00999"]
    assert _found(client, project="0042", supplier="acme") == ["PO-2026-00042"]


def test_the_list_counts_and_totals_every_order_shown_on_its_pages(client, finance, orders):
    client.force_login(finance)
    response = client.get(reverse("procurement:po_list"), {"supplier": "fluvius"})
    assert response.context["page"].paginator.count == 2 and response.context["total"] == Decimal("175.50")
    assert "Purchase orders: 2 · EUR 175.50 net" in response.content.decode()


def test_a_deep_page_shows_its_own_orders_in_number_order(client, finance, orders, monkeypatch):
    monkeypatch.setattr("procurement.views.purchase_orders.PAGE_SIZE", 2)
    client.force_login(finance)
    response = client.get(reverse("procurement:po_list"), {"page": 2})
    page = response.context["page"]
    assert [po.number for po in page.object_list] == ["PO-2025-00999"] and page.paginator.num_pages == 2
    html = response.content.decode()
    assert f'href="{orders[2].get_absolute_url()}"' in html and f'href="{orders[2].project.get_absolute_url()}"' in html


def test_it_finds_projects_by_code_name_and_customer(client, pmolead, orders):
    ProjectFactory(code="PRJ-2024-0100", name="City hall", customer=CustomerFactory(name="Stad Gent"))
    client.force_login(pmolead)

    def found(text):
        return [p.code for p in client.get(reverse("projects:list"), {"q": text}).context["page"].object_list]

    assert found("PRJ-2026") == ["PRJ-2026-0042"]
    assert found("2025-00") == ["PRJ-2025-0007"]
    assert found("0100") == ["PRJ-2024-0100"]
    assert found("centre") == ["PRJ-2025-0007"]
    assert found("stad") == ["PRJ-2024-0100"]


def test_it_finds_customers_and_suppliers_by_name_or_vat_number(client, pmolead, finance):
    CustomerFactory(name="Stad Gent", vat_number="BE0207451227")
    CustomerFactory(name="Gemeente Aalst", vat_number="BE0207437468")
    SupplierFactory(name="Fluvius Materials", vat_number="BE0477445084")
    SupplierFactory(name="Acme Tools")
    client.force_login(pmolead)
    customers = client.get(reverse("customers:list"), {"q": "gent"}).context["page"].object_list
    assert [c.name for c in customers] == ["Stad Gent"]
    customers = client.get(reverse("customers:list"), {"q": "0207437"}).context["page"].object_list
    assert [c.name for c in customers] == ["Gemeente Aalst"]
    client.force_login(finance)
    suppliers = client.get(reverse("procurement:supplier_list"), {"q": "vius"}).context["page"].object_list
    assert [s.name for s in suppliers] == ["Fluvius Materials"]
    suppliers = client.get(reverse("procurement:supplier_list"), {"q": "477445"}).context["page"].object_list
    assert [s.name for s in suppliers] == ["Fluvius Materials"]


@pytest.mark.parametrize(("text", "lookup", "value"), [
    ("PO-2026-00", "istartswith", "PO-2026-00"),
    ("po", "istartswith", "PO"),  # can only be the start of a number
    ("2026-004", "istartswith", "PO-2026-004"),  # the year and on: only after the prefix
    ("2026", "icontains", "2026"),  # a year, or digits of a sequence number
    ("00042", "icontains", "00042"),
    ("6-00", "icontains", "6-00"),
])
def test_a_text_that_can_only_match_at_the_start_of_a_number_is_a_prefix_search(text, lookup, value):
    assert code_contains("number", text, "PO-").children == [(f"number__{lookup}", value)]


SEARCH_INDEXES = {
    "procurement_purchaseorder_number_trgm": "gin (upper((number)::text) gin_trgm_ops)",
    "procurement_purchaseorder_number_prefix": "btree (upper((number)::text) text_pattern_ops)",
    "procurement_purchaseorder_notes_trgm": "gin (upper(notes) gin_trgm_ops)",
    "procurement_purchaseorderline_description_trgm": "gin (upper((description)::text) gin_trgm_ops)",
    "procurement_supplier_name_trgm": "gin (upper((name)::text) gin_trgm_ops)",
    "procurement_supplier_vat_number_trgm": "gin (upper((vat_number)::text) gin_trgm_ops)",
    "projects_project_code_trgm": "gin (upper((code)::text) gin_trgm_ops)",
    "projects_project_code_prefix": "btree (upper((code)::text) text_pattern_ops)",
    "projects_project_name_trgm": "gin (upper((name)::text) gin_trgm_ops)",
    "projects_customer_name_trgm": "gin (upper((name)::text) gin_trgm_ops)",
    "projects_customer_vat_number_trgm": "gin (upper((vat_number)::text) gin_trgm_ops)",
}


@pytest.mark.django_db
def test_the_searched_columns_have_indexes_on_the_expression_the_search_compares():
    """Django's icontains compares UPPER(column::text): an index on anything else is never used."""
    needs_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)", [list(SEARCH_INDEXES)])
        found = dict(cursor.fetchall())
    assert {name: definition.split(" USING ")[1] for name, definition in found.items()} == SEARCH_INDEXES


@pytest.mark.django_db
def test_a_number_search_is_planned_on_the_indexes():
    """With sequential scans priced out, the plan reads the indexes: it could not if the expression
    searched differed from the one indexed."""
    needs_postgresql()
    searched = PurchaseOrder.objects.filter(code_contains("number", "PO-2026-0004", PurchaseOrder.NUMBER_PREFIX))
    partial = PurchaseOrder.objects.filter(number__icontains="00042")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        prefix_plan = searched.explain()
        # A plain index scan of the unique number key, filtering every row, is the other way left:
        # without it only a trigram index can serve the partial match (a bitmap scan needs a condition).
        cursor.execute("SET LOCAL enable_indexscan = off")
        plans = prefix_plan, partial.explain()
    assert "procurement_purchaseorder_number_prefix" in plans[0]
    assert "procurement_purchaseorder_number_trgm" in plans[1]
