"""A project's committed total and current budget, kept by triggers for the approval lists (issue 14):
always what committed_cost and the current baseline say, whatever changed the orders."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from procurement.models import ProjectCommitment, PurchaseOrder
from procurement.selectors.costs import committed_cost
from procurement.selectors.purchase_orders import purchase_orders_waiting_for
from procurement.services.purchase_orders import (
    purchase_order_approve,
    purchase_order_cancel,
    purchase_order_create,
    purchase_order_reject,
    purchase_order_submit,
)
from projects.models import Baseline, Project

from .conftest import needs_postgresql
from .factories import ProjectFactory, SupplierFactory

TOMORROW = timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _kept(project):
    row = ProjectCommitment.objects.filter(project=project).first()
    return (row.committed, row.budget) if row else (Decimal("0"), Decimal("0"))


def _expected(project):
    project = Project.objects.get(pk=project.pk)  # current_baseline is cached per instance
    baseline = project.current_baseline
    return committed_cost(project), baseline.budget if baseline else Decimal("0")


def _order(project, support, price):
    po = purchase_order_create(
        project_id=project.pk, by=support,
        data={"supplier": SupplierFactory(), "budget_line": None, "delivery_date": TOMORROW, "delivery_site": "Gent"},
        lines=[{"description": "Switch", "quantity": Decimal("1"), "unit": "pc", "unit_price": Decimal(price),
                "vat_rate": 21}])
    return purchase_order_submit(po_id=po.pk, by=support)


def test_the_kept_total_follows_every_kind_of_write(pm, support):
    project = ProjectFactory(project_manager=pm)
    assert _kept(project) == _expected(project)
    Baseline.objects.create(project=project, version=1, budget=Decimal("5000"), approved_by=pm)
    first, second = _order(project, support, "1000.00"), _order(project, support, "700.00")
    assert _kept(project) == _expected(project) == (Decimal("0"), Decimal("5000"))
    purchase_order_approve(po_id=first.pk, by=pm)
    assert _kept(project) == _expected(project) == (Decimal("1000.00"), Decimal("5000"))
    PurchaseOrder.objects.filter(pk=second.pk).update(status=PurchaseOrder.Status.SENT)  # no signal, no service
    assert _kept(project) == _expected(project) == (Decimal("1700.00"), Decimal("5000"))
    PurchaseOrder.objects.filter(pk=second.pk).update(net_total=Decimal("900.00"))
    PurchaseOrder.objects.filter(pk=first.pk).update(status=PurchaseOrder.Status.CANCELLED)
    assert _kept(project) == _expected(project) == (Decimal("900.00"), Decimal("5000"))
    other = ProjectFactory(project_manager=pm)
    PurchaseOrder.objects.filter(pk=second.pk).update(project=other)  # moved: both projects change
    assert _kept(project) == _expected(project) and _kept(other) == _expected(other) == (Decimal("900.00"), 0)
    Baseline.objects.create(project=project, version=2, budget=Decimal("8000"), approved_by=pm)
    assert _kept(project) == _expected(project) == (Decimal("0"), Decimal("8000"))
    Baseline.objects.filter(project=project, version=2).delete()
    assert _kept(project) == _expected(project) == (Decimal("0"), Decimal("5000"))


def test_every_status_counts_as_committed_cost_says(pm):
    """The trigger's statuses (frozen in migration 0004) are PurchaseOrder.COMMITTED."""
    project = ProjectFactory(project_manager=pm)
    supplier = SupplierFactory()
    for n, (status, _label) in enumerate(PurchaseOrder.Status.choices):
        PurchaseOrder.objects.create(number=f"PO-2026-{n + 1:05d}", project=project, supplier=supplier,
                                     created_by=pm, delivery_date=TOMORROW, delivery_site="x", status=status,
                                     net_total=Decimal(10 ** n))
    assert _kept(project) == _expected(project) and _kept(project)[0] > 0


def test_a_deleted_project_takes_its_row(pm):
    project = ProjectFactory(project_manager=pm)
    Baseline.objects.create(project=project, version=1, budget=Decimal("5000"), approved_by=pm)
    project.delete()
    connection.check_constraints()
    assert not ProjectCommitment.objects.filter(project_id=project.pk).exists()


def test_the_waiting_list_costs_one_query_whatever_the_number_of_orders(pm, pmolead, support,
                                                                       django_assert_max_num_queries):
    for budget in ("100.00", "100000.00"):
        project = ProjectFactory(project_manager=pm)
        Baseline.objects.create(project=project, version=1, budget=Decimal(budget), approved_by=pm)
        for _ in range(3):
            _order(project, support, "500.00")
    for user, count in ((pmolead, 3), (pm, 3)):
        assert user.roles  # read once per request anyway
        with django_assert_max_num_queries(1):
            assert len(purchase_orders_waiting_for(user)) == count


def _largest(project):
    row = ProjectCommitment.objects.filter(project=project).first()
    return (row.largest_waiting, row.beyond_budget) if row else (None, None)


def _largest_expected(project):
    """The largest submitted order, and whether it alone would take the project beyond its budget."""
    largest = max(PurchaseOrder.objects.filter(project=project, status=PurchaseOrder.Status.SUBMITTED)
                  .values_list("net_total", flat=True), default=None)
    committed, budget = _expected(project)
    return largest, None if largest is None else committed + largest > budget


def test_the_largest_waiting_order_follows_every_change_of_a_submitted_order(pm, pmolead, support):
    project = ProjectFactory(project_manager=pm)
    Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm)
    assert _largest(project) == _largest_expected(project)
    big, small = _order(project, support, "1200.00"), _order(project, support, "300.00")  # submit
    assert _largest(project) == _largest_expected(project) == (Decimal("1200.00"), True)
    purchase_order_reject(po_id=big.pk, by=pmolead, comment="Too much")
    assert _largest(project) == _largest_expected(project) == (Decimal("300.00"), False)
    purchase_order_submit(po_id=big.pk, by=support)
    purchase_order_approve(po_id=small.pk, by=pm)  # committed 300: 1200 + 300 still beyond 1000
    assert _largest(project) == _largest_expected(project) == (Decimal("1200.00"), True)
    PurchaseOrder.objects.filter(pk=big.pk).update(net_total=Decimal("600.00"))  # net total changed
    assert _largest(project) == _largest_expected(project) == (Decimal("600.00"), False)
    Baseline.objects.create(project=project, version=2, budget=Decimal("800"), approved_by=pm)  # budget cut
    assert _largest(project) == _largest_expected(project) == (Decimal("600.00"), True)
    Baseline.objects.filter(project=project, version=2).update(budget=Decimal("900"))
    assert _largest(project) == _largest_expected(project) == (Decimal("600.00"), False)
    other = ProjectFactory(project_manager=pm)  # no baseline, nothing committed: any order is beyond
    PurchaseOrder.objects.filter(pk=big.pk).update(project=other)  # moved: both projects change
    assert _largest(project) == _largest_expected(project) == (None, None)
    assert _largest(other) == _largest_expected(other) == (Decimal("600.00"), True)
    third = _order(other, support, "50.00")
    purchase_order_cancel(po_id=big.pk, by=support, reason="Not needed")
    assert _largest(other) == _largest_expected(other) == (Decimal("50.00"), True)
    PurchaseOrder.objects.filter(pk=third.pk).delete()
    assert _largest(other) == _largest_expected(other) == (None, None)


def test_the_pmo_lead_reads_only_the_projects_flagged_beyond_budget(pm, pmolead, support):
    """Every order the lead decides has its project flagged, so the index never hides one."""
    within, beyond = ProjectFactory(project_manager=pm), ProjectFactory(project_manager=pm)
    for project in (within, beyond):
        Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm)
    _order(within, support, "900.00")
    orders = [_order(beyond, support, price) for price in ("1500.00", "200.00")]
    purchase_order_approve(po_id=orders[1].pk, by=pm)
    lead_orders = [po for po, _ in purchase_orders_waiting_for(pmolead)]
    assert lead_orders == [orders[0]]
    assert set(ProjectCommitment.objects.filter(beyond_budget=True).values_list("project", flat=True)) == {beyond.pk}


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_both_count_for_the_largest(pm):
    """A maximum is recomputed, not added to: the trigger locks the project's row before reading, so the
    order of the transaction that held it is seen, not lost."""
    needs_postgresql()  # SQLite has one writer at a time: no race to lose, and a second writer is refused
    project = ProjectFactory(project_manager=pm)
    supplier = SupplierFactory()
    inserted, release = threading.Event(), threading.Event()

    def submit(number, amount):
        return PurchaseOrder.objects.create(number=number, project=project, supplier=supplier, created_by=pm,
                                            delivery_date=TOMORROW, delivery_site="x", net_total=Decimal(amount),
                                            status=PurchaseOrder.Status.SUBMITTED)

    def first():
        try:
            with transaction.atomic():
                submit("PO-2026-00001", "900.00")
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(10)
    threading.Timer(0.5, release.set).start()  # the second insert below waits for the first's lock
    submit("PO-2026-00002", "100.00")
    thread.join(10)
    assert _largest(project) == _largest_expected(project) == (Decimal("900.00"), True)


def _order_totals(project):
    row = ProjectCommitment.objects.filter(project=project).first()
    return (row.orders, row.orders_net) if row else (0, Decimal("0"))


def _order_totals_expected(project):
    orders = PurchaseOrder.objects.filter(project=project)
    return orders.count(), sum(orders.values_list("net_total", flat=True), Decimal("0"))


def test_the_order_count_and_total_follow_every_kind_of_write(pm, support):
    project, other = ProjectFactory(project_manager=pm), ProjectFactory(project_manager=pm)
    Baseline.objects.create(project=project, version=1, budget=Decimal("5000"), approved_by=pm)
    first, second = _order(project, support, "1000.00"), _order(project, support, "700.00")
    assert _order_totals(project) == _order_totals_expected(project) == (2, Decimal("1700.00"))
    purchase_order_approve(po_id=first.pk, by=pm)  # a status change alters neither figure
    PurchaseOrder.objects.filter(pk=second.pk).update(net_total=Decimal("900.00"))  # no service, no signal
    assert _order_totals(project) == _order_totals_expected(project) == (2, Decimal("1900.00"))
    PurchaseOrder.objects.filter(pk=second.pk).update(project=other)  # moved: both projects change
    assert _order_totals(project) == _order_totals_expected(project) == (1, Decimal("1000.00"))
    assert _order_totals(other) == _order_totals_expected(other) == (1, Decimal("900.00"))
    PurchaseOrder.objects.filter(pk=first.pk).delete()
    assert _order_totals(project) == _order_totals_expected(project) == (0, Decimal("0"))


def test_the_unfiltered_order_list_counts_from_the_kept_figures_what_a_filter_counts_from_the_orders(
        client, pm, support, pmolead, django_assert_max_num_queries):
    from django.urls import reverse

    for price in ("100.00", "250.50", "3000.00"):
        _order(ProjectFactory(project_manager=pm), support, price)
    client.force_login(pmolead)
    url = reverse("procurement:po_list")
    with django_assert_max_num_queries(12):
        unfiltered = client.get(url)
    filtered = client.get(url, {"status": PurchaseOrder.Status.SUBMITTED})
    assert unfiltered.context["page"].paginator.count == filtered.context["page"].paginator.count == 3
    assert unfiltered.context["total"] == filtered.context["total"] == Decimal("3350.50")


@pytest.mark.django_db(transaction=True)
def test_two_orders_added_to_one_project_at_once_are_both_counted(pm):
    needs_postgresql()  # SQLite has one writer at a time: no race to lose
    project = ProjectFactory(project_manager=pm)
    supplier = SupplierFactory()
    inserted, release = threading.Event(), threading.Event()

    def add(number, amount):
        return PurchaseOrder.objects.create(number=number, project=project, supplier=supplier, created_by=pm,
                                            delivery_date=TOMORROW, delivery_site="x", net_total=Decimal(amount))

    def first():
        try:
            with transaction.atomic():
                add("PO-2026-00001", "900.00")
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=first)
    thread.start()
    assert inserted.wait(10)
    threading.Timer(0.5, release.set).start()
    add("PO-2026-00002", "100.00")
    thread.join(10)
    assert _order_totals(project) == _order_totals_expected(project) == (2, Decimal("1000.00"))
