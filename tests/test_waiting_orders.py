"""Who decides which submitted purchase order, worked out before the list is cut (issue 14): a PM
must never miss their own waiting order behind older ones of other projects."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pmo.selectors import HOME_LIST_SIZE
from procurement.selectors.costs import overspend_if_approved
from procurement.selectors.purchase_orders import purchase_orders_waiting_for
from procurement.services.purchase_orders import purchase_order_approve, purchase_order_create, purchase_order_submit
from projects.models import Baseline
from projects.permissions import can_approve_purchase_order_as_pm, can_approve_purchase_order_as_pmo_lead

from .factories import ProjectFactory, SupplierFactory

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def supplier(db):
    return SupplierFactory(name="Fluvius Materials", vat_number="BE0477445084")


def _budgeted(manager, budget="10000.00"):
    project = ProjectFactory(project_manager=manager)
    Baseline.objects.create(project=project, version=1, budget=Decimal(budget), approved_by=manager)
    return project


def _submitted(project, by, supplier, price="1000.00"):
    """Raised and submitted by a support officer (a PM's own order within budget is approved at once)."""
    po = purchase_order_create(
        project_id=project.pk, by=by,
        data={"supplier": supplier, "budget_line": None, "delivery_date": TOMORROW, "delivery_site": "Gent"},
        lines=[{"description": "Switch", "quantity": Decimal("1"), "unit": "pc", "unit_price": Decimal(price),
                "vat_rate": 21}])
    return purchase_order_submit(po_id=po.pk, by=by)


def test_a_pm_sees_their_own_waiting_order_behind_more_than_a_home_page_of_others(client, pm, pm2, support,
                                                                                  supplier):
    others = _budgeted(pm2)
    for _ in range(HOME_LIST_SIZE + 1):
        _submitted(others, support, supplier, price="10.00")
    mine = _submitted(_budgeted(pm), support, supplier)
    client.force_login(pm)
    assert [po for po, _overspend in client.get(reverse("home")).context["purchase_orders_to_decide"]] == [mine]


def test_the_pmo_lead_finds_the_order_beyond_budget_behind_older_ones_within(pm, pmolead, support, supplier):
    project = _budgeted(pm, budget="100000.00")
    for _ in range(3):
        _submitted(project, support, supplier, price="10.00")
    beyond = _submitted(_budgeted(pm, budget="500.00"), support, supplier, price="2000.00")
    assert purchase_orders_waiting_for(pmolead, limit=2) == [(beyond, Decimal("1500.00"))]


def test_the_list_agrees_with_the_one_order_rules_in_one_query(pm, pm2, pmolead, support, supplier,
                                                                 django_assert_max_num_queries):
    """Within, beyond (only together with the other order of its project) and beyond on its own."""
    approved = _budgeted(pm, budget="1500.00")
    purchase_order_approve(po_id=_submitted(approved, support, supplier, "1000.00").pk, by=pm)
    projects = [approved, _budgeted(pm2, budget="1500.00"), _budgeted(pm, budget="0.00")]
    orders = [_submitted(project, support, supplier, price) for project in projects for price in ("400.00", "600.00")]
    for user in (pm, pm2, pmolead):
        assert user.roles  # read once per request anyway
        with django_assert_max_num_queries(1):
            waiting = purchase_orders_waiting_for(user)
        expected = [
            (po, overspend_if_approved(po.project, po)) for po in orders
            if (can_approve_purchase_order_as_pmo_lead(user, po) if overspend_if_approved(po.project, po)
                else can_approve_purchase_order_as_pm(user, po))]
        assert waiting == expected and waiting, user.username
