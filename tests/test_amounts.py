from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from procurement.models import PurchaseOrder
from procurement.services.purchase_orders import purchase_order_create
from projects.domain import DomainError
from projects.lib.amounts import check_typed_amount, normalize_amount
from projects.models import Baseline, BudgetLine

from .factories import IntakeFactory, ProjectFactory, SupplierFactory


@pytest.mark.parametrize(("typed", "language", "value"), [
    ("48500,50", "nl", "48500.50"), ("48.500,50", "nl", "48500.50"), ("48 500,50", "fr", "48500.50"),
    ("48500.50", "nl", "48500.50"), ("48.500", "nl", "48500"), ("48.500", "en", "48.500"),
    ("48,500.50", "en", "48500.50"), ("48500,50", "en", "48500.50"), ("1.234.567", "fr", "1234567"),
    ("abc", "nl", "abc"),
])
def test_amounts_are_read_as_belgian_users_type_them(typed, language, value):
    assert normalize_amount(typed, language) == value


def test_a_dutch_price_with_a_decimal_comma_is_saved_right(client, sales):
    sales.language = "nl"
    sales.save()
    intake = IntakeFactory(created_by=sales)
    client.force_login(sales)
    data = {f: getattr(intake, f) or "" for f in ("title", "scope", "deliverables", "d365_opportunity", "d365_quote",
                                                   "sites", "safety_requirements", "security_clearance",
                                                   "access_requirements")}
    data.update({"project_type": intake.project_type_id, "customer": intake.customer_id, "sold_price": "48.500,50",
                 "estimated_cost": "31200", "target_start": "2027-01-04", "target_end": "2027-02-01", "version": 1})
    response = client.post(reverse("intakes:edit", args=[intake.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    intake.refresh_from_db()
    assert intake.sold_price == Decimal("48500.50")
    html = client.get(reverse("intakes:edit", args=[intake.pk])).content.decode()
    assert 'inputmode="decimal"' in html and 'type="number"' not in html


@pytest.mark.parametrize(("typed", "language", "code"), [
    ("0.005", "nl", "amount_grouping"), ("0.050", "fr", "amount_grouping"), ("0.500,00", "nl", "amount_grouping"),
    ("1.2.3", "nl", "amount_grouping"), ("0,500,000", "en", "amount_grouping"), ("1.5e3", "nl", "amount_exponent"),
    ("1.5e3", "en", "amount_exponent"), ("2E+4", "fr", "amount_exponent"), ("250.000", "en", "amount_point"),
])
def test_amounts_that_cannot_be_meant_are_refused_with_how_to_type_them(typed, language, code):
    with pytest.raises(ValidationError) as refused:
        check_typed_amount(typed, language, decimal_places=2)
    assert refused.value.code == code
    assert typed in refused.value.messages[0]


@pytest.mark.parametrize(("typed", "language"), [
    ("48.500", "nl"), ("48.500,50", "nl"), ("1.234.567", "fr"), ("0,05", "nl"), ("12.50", "nl"), ("-1.500", "nl"),
    ("1,250.50", "en"), ("2,500,000", "en"), ("250.00", "en"), ("0.005", "en"), ("abc", "nl"),
])
def test_amounts_a_person_types_pass_the_check(typed, language):
    check_typed_amount(typed, language, decimal_places=2)


def test_english_thousands_grouped_by_commas_only_are_read():
    assert normalize_amount("2,500,000", "en") == "2500000"


@pytest.fixture
def budgeted(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("8000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("8000.00"), approved_by=pm)
    return project


def _order(client, project, *lines):
    data = {"supplier": SupplierFactory().pk, "delivery_date": "2030-01-07", "delivery_site": "Gent",
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
            "lines-MAX_NUM_FORMS": "1000"}
    for n, (quantity, price) in enumerate(lines):
        data.update({f"lines-{n}-description": "Switch", f"lines-{n}-quantity": quantity, f"lines-{n}-unit": "pc",
                     f"lines-{n}-unit_price": price, f"lines-{n}-vat_rate": "21"})
    response = client.post(reverse("procurement:po_create") + f"?project={project.code}", data)
    assert response.status_code == 200
    assert not PurchaseOrder.objects.exists()
    return response.content.decode()


@pytest.mark.parametrize(("typed", "says"), [("0.005", "een bedrag onder 1 typt u als 0,05"),
                                             ("0.050", "een bedrag onder 1 typt u als 0,05"),
                                             ("1.5e3", "met een macht van tien")])
def test_a_dutch_unit_price_that_cannot_be_meant_is_refused_and_nothing_saved(client, pm, budgeted, typed, says):
    pm.language = "nl"
    pm.save()
    client.force_login(pm)
    html = _order(client, budgeted, ("1", typed))
    assert f"“{typed}”" in html and says in html


def test_an_english_user_typing_250_000_is_told_how_to_type_it(client, sales):
    intake = IntakeFactory(created_by=sales)
    client.force_login(sales)
    data = {f: getattr(intake, f) or "" for f in ("title", "scope", "deliverables", "d365_opportunity", "d365_quote",
                                                   "sites", "safety_requirements", "security_clearance",
                                                   "access_requirements")}
    data.update({"project_type": intake.project_type_id, "customer": intake.customer_id, "sold_price": "250.000",
                 "estimated_cost": "31200", "target_start": "2027-01-04", "target_end": "2027-02-01", "version": 1})
    response = client.post(reverse("intakes:edit", args=[intake.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].errors["sold_price"]
    assert errors == ["“250.000”: in English a point starts the decimals, and this amount takes at most 2 of them. "
                      "For thousands type 250,000 or 250000; for decimals type e.g. 250.50."]


def test_a_line_of_a_million_times_a_hundred_million_is_refused_not_500(client, pm, budgeted):
    client.force_login(pm)
    html = _order(client, budgeted, ("1000000", "100000000"))
    assert "This line comes to EUR 100,000,000,000,000.00, more than a purchase order may total " \
           "(EUR 100,000,000.00)." in html


def test_an_order_above_the_maximum_is_refused(client, pm, budgeted, settings):
    settings.PMO_MAX_ORDER_TOTAL = Decimal("50000")
    client.force_login(pm)
    html = _order(client, budgeted, ("2", "20000"), ("1", "10000.01"))
    assert "This order comes to EUR 50,000.01, more than a purchase order may total (EUR 50,000.00)." in html
    with pytest.raises(DomainError, match="more than a purchase order may total"):
        purchase_order_create(project_id=budgeted.pk, by=pm, data={
            "supplier": SupplierFactory(), "budget_line": None, "delivery_date": "2030-01-07", "delivery_site": "G"},
            lines=[{"description": "x", "quantity": Decimal("6"), "unit": "pc", "unit_price": Decimal("10000"),
                    "vat_rate": 21}])
