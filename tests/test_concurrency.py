"""Two people at once, on two real database connections (threads), against PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from procurement.models import PurchaseOrder
from procurement.services.purchase_orders import purchase_order_approve, purchase_order_create, purchase_order_submit
from projects.domain import DomainError
from projects.models import BudgetLine, BudgetSubmission, Intake, Project
from projects.services.budget import budget_approve, budget_reject, budget_submit
from projects.services.change_control import change_approve, change_create, change_submit
from projects.services.intakes import intake_accept

from .conftest import needs_postgresql
from .factories import IntakeFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _at_once(*calls):
    """Run each call in its own thread (own connection), released together; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_pmo_leads_deciding_at_once_produce_one_decision():
    needs_postgresql()
    from accounts.roles import Role

    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    lead1 = UserFactory(username="lead1", roles=[Role.PMO_LEAD])
    lead2 = UserFactory(username="lead2", roles=[Role.PMO_LEAD])
    project = ProjectFactory(project_manager=pm, status="planning")
    BudgetLine.objects.create(project=project, category="material", description="x", amount=Decimal("300000"))
    submission = budget_submit(project_id=project.pk, by=pm)

    results = _at_once(
        lambda: budget_approve(submission_id=submission.pk, by=lead1, comment="yes"),
        lambda: budget_reject(submission_id=submission.pk, by=lead2, comment="no"),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    submission.refresh_from_db()
    assert submission.status in ("approved", "rejected")
    assert project.baselines.count() == (1 if submission.status == "approved" else 0)
    assert BudgetSubmission.history.filter(id=submission.pk, status__in=["approved", "rejected"]).count() == 1


def test_the_slower_of_two_pmo_leads_on_the_decision_page_reads_who_decided_not_404():
    needs_postgresql()
    from django.test import Client

    from accounts.roles import Role

    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    leads = [UserFactory(username=f"lead{n}", roles=[Role.PMO_LEAD]) for n in (1, 2)]
    project = ProjectFactory(project_manager=pm, status="planning")
    BudgetLine.objects.create(project=project, category="material", description="x", amount=Decimal("300000"))
    submission = budget_submit(project_id=project.pk, by=pm)
    url = reverse("budget_decision", args=[submission.pk])
    clients = []
    for lead in leads:
        clients.append(Client())
        clients[-1].force_login(lead)

    def decide(client, button):
        # The page, not response.context: the test client gathers contexts from a global signal, both threads'.
        response = client.post(url, {button: "1", "comment": "c"}, follow=True)
        return response.status_code, response.content.decode()

    results = _at_once(lambda: decide(clients[0], "approve"), lambda: decide(clients[1], "reject"))
    assert [status for status, _ in results] == [200, 200], [status for status, _ in results]
    submission.refresh_from_db()
    decided = f"already decided ({submission.get_status_display().lower()}) by {submission.decided_by} at"
    assert sorted(decided in html for _, html in results) == [False, True]
    assert sum(f"Budget of {project.code} {submission.status}." in html for _, html in results) == 1


def test_two_intakes_accepted_at_once_get_consecutive_codes():
    needs_postgresql()
    from accounts.roles import Role

    sales = UserFactory(username="sales", roles=[Role.SALES])
    support = UserFactory(username="support", roles=[Role.SUPPORT_OFFICER])
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    intakes = [IntakeFactory(created_by=sales, status=Intake.Status.SUBMITTED) for _ in range(4)]

    results = _at_once(*[
        (lambda i=i: intake_accept(intake_id=i.pk, by=support, project_manager=pm, support_officer=support))
        for i in intakes
    ])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(int(code[-4:]) for code in Project.objects.values_list("code", flat=True))
    assert numbers == [1, 2, 3, 4]


def test_one_intake_accepted_twice_at_once_creates_one_project():
    needs_postgresql()
    from accounts.roles import Role

    sales = UserFactory(username="sales", roles=[Role.SALES])
    support = UserFactory(username="support", roles=[Role.SUPPORT_OFFICER])
    support2 = UserFactory(username="support2", roles=[Role.SUPPORT_OFFICER])
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    intake = IntakeFactory(created_by=sales, status=Intake.Status.SUBMITTED)

    results = _at_once(
        lambda: intake_accept(intake_id=intake.pk, by=support, project_manager=pm, support_officer=support),
        lambda: intake_accept(intake_id=intake.pk, by=support2, project_manager=pm, support_officer=support2),
    )
    assert sum(isinstance(r, DomainError) for r in results) == 1, results
    assert Project.objects.count() == 1


def test_two_orders_approved_at_once_that_together_exceed_the_budget_only_one_passes(settings, tmp_path):
    needs_postgresql()
    from accounts.roles import Role
    from projects.models import Baseline

    from .factories import SupplierFactory

    settings.MEDIA_ROOT = tmp_path
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    deputy = UserFactory(username="deputy", roles=[Role.PROJECT_MANAGER])
    support = UserFactory(username="support", roles=[Role.SUPPORT_OFFICER])
    project = ProjectFactory(project_manager=pm, deputy_manager=deputy, support_officer=support)
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000"), approved_by=pm)
    supplier = SupplierFactory()
    orders = []
    for _ in range(2):
        po = purchase_order_create(
            project_id=project.pk, by=support,
            data={"supplier": supplier, "budget_line": None, "delivery_date": "2099-01-01", "delivery_site": "Gent"},
            lines=[{"description": "x", "quantity": Decimal("1"), "unit": "pc", "unit_price": Decimal("6000"),
                    "vat_rate": 21}])
        orders.append(purchase_order_submit(po_id=po.pk, by=support))

    results = _at_once(
        lambda: purchase_order_approve(po_id=orders[0].pk, by=pm),
        lambda: purchase_order_approve(po_id=orders[1].pk, by=deputy),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and "exceeds the approved budget" in str(errors[0]), results
    assert sorted(PurchaseOrder.objects.values_list("status", flat=True)) == ["approved", "submitted"]


def test_two_approvers_deciding_a_change_at_once_produce_one_decision_and_one_baseline():
    needs_postgresql()
    from accounts.roles import Role
    from projects.models import ChangeRequest, Decision

    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    support = UserFactory(username="support", roles=[Role.SUPPORT_OFFICER])
    lead1 = UserFactory(username="lead1", roles=[Role.PMO_LEAD])
    lead2 = UserFactory(username="lead2", roles=[Role.PMO_LEAD])
    project = ProjectFactory(project_manager=pm, support_officer=support)
    line = BudgetLine.objects.create(project=project, category="material", description="x", amount=Decimal("240000"))
    budget_submit(project_id=project.pk, by=pm)
    change = change_create(project_id=project.pk, by=support, costs=[{"budget_line": line,
                                                                             "delta": Decimal("40000")}],
                                   milestones=[], data={"title": "Floor", "description": "d", "owner": pm})
    change = change_submit(change_id=change.pk, by=support)

    results = _at_once(
        lambda: change_approve(change_id=change.pk, by=lead1, expected_version=change.version),
        lambda: change_approve(change_id=change.pk, by=lead2, expected_version=change.version),
    )
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and "already decided" in str(errors[0]), results
    assert list(project.baselines.values_list("version", "budget").order_by("version")) == [
        (1, Decimal("240000.00")), (2, Decimal("280000.00"))]
    line.refresh_from_db()
    assert line.amount == Decimal("280000.00") and Decision.objects.count() == 1
    assert ChangeRequest.history.filter(id=change.pk, status="approved").count() == 1
