"""The purchase order's pages offer exactly the decisions the service accepts, and a refusal shows its
amounts as the reader writes them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from procurement.services.purchase_orders import (
    purchase_order_approve,
    purchase_order_create,
    purchase_order_submit,
)
from procurement.workflows import PURCHASE_ORDER
from projects.domain import DomainError
from projects.lib.amounts import money
from projects.models import Baseline, BudgetLine

from .factories import ProjectFactory, SupplierFactory


@pytest.fixture
def beyond(pm, support):
    """A Level 1 project with EUR 10,000 approved, 9,000 committed, and an order of 31,000 waiting:
    approving it would exceed the budget by EUR 30,000."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("10000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000.00"), approved_by=pm)
    supplier = SupplierFactory()

    def order(by, price):
        po = purchase_order_create(project_id=project.pk, by=by, data={
            "supplier": supplier, "budget_line": None, "delivery_date": timezone.localdate() + dt.timedelta(days=1),
            "delivery_site": "Gent"}, lines=[{"description": "Switch", "quantity": Decimal("1"), "unit": "pc",
                                              "unit_price": Decimal(price), "vat_rate": 21}])
        return purchase_order_submit(po_id=po.pk, by=by)

    assert order(pm, "9000").status == "approved"
    po = order(support, "31000")
    assert po.status == "submitted"
    return po


def test_a_pm_beyond_the_budget_is_not_offered_approve_and_the_pmo_lead_is(client, pm, pmolead, beyond):
    assert "approve" not in PURCHASE_ORDER.available(pm, beyond) and "reject" in PURCHASE_ORDER.available(pm, beyond)
    client.force_login(pm)
    detail = client.get(beyond.get_absolute_url()).content.decode()
    decide = client.get(reverse("procurement:po_decide", args=[beyond.number])).content.decode()
    assert 'name="approve"' not in decide and 'name="reject"' in decide
    assert "Your approval is recorded as the written agreement" not in decide
    assert "written agreement is needed" in decide
    assert ">Approve or reject<" not in detail and ">Reject<" in detail

    client.force_login(pmolead)
    decide = client.get(reverse("procurement:po_decide", args=[beyond.number])).content.decode()
    assert 'name="approve"' in decide and "Your approval is recorded as the written agreement" in decide


@pytest.mark.parametrize(("language", "amount"), [("en", "EUR 30,000.00"), ("nl", "EUR 30.000,00"),
                                                  ("fr", "30\u00a0000,00 EUR")])
def test_a_refusal_shows_the_amount_as_the_reader_writes_it(client, pm, beyond, language, amount):
    pm.language = language
    pm.save()
    client.force_login(pm)
    page = client.post(reverse("procurement:po_decide", args=[beyond.number]), {"approve": "1", "comment": ""})
    beyond.refresh_from_db()
    assert beyond.status == "submitted"
    assert amount in page.content.decode()


def test_money_follows_the_active_language():
    for language, expected in [("en", "1,234,567.50"), ("nl", "1.234.567,50")]:
        with translation.override(language):
            assert money(Decimal("1234567.5")) == expected


def test_the_service_refuses_with_the_same_formatted_message(pm, beyond):
    with translation.override("nl"), pytest.raises(DomainError, match=r"EUR 30\.000,00"):
        purchase_order_approve(po_id=beyond.pk, by=pm)
