"""Billing with two people at once, on two real database connections (threads), against PostgreSQL."""

from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from outbox.models import Event
from projects.domain import DomainError
from projects.models import BillingMilestone
from projects.services import billing

from .conftest import needs_postgresql
from .factories import ProjectFactory, UserFactory
from .test_concurrency import _at_once

pytestmark = pytest.mark.django_db(transaction=True)


def _data(amount):
    return {"name": "Go-live", "amount": Decimal(amount), "percent": None, "planned_date": timezone.localdate(),
            "order_reference": "", "plan_milestone": None, "checklist_run": None, "acceptance_evidence": ""}


def test_two_invoicings_of_one_milestone_at_once_record_one_invoice():
    needs_postgresql()
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    finance1 = UserFactory(username="fin1", roles=[Role.FINANCE])
    finance2 = UserFactory(username="fin2", roles=[Role.FINANCE])
    project = ProjectFactory(project_manager=pm, contract_value=Decimal("1000"))
    milestone = billing.billing_milestone_create(project_id=project.pk, by=pm, data=_data("1000"), activities=[])
    billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="accepted", expected_version=1)

    results = _at_once(*(
        lambda who=who, number=number: billing.billing_milestone_invoice(
            milestone_id=milestone.pk, by=who, invoice_number=number, invoice_date=timezone.localdate(),
            expected_version=2)
        for who, number in ((finance1, "INV-A"), (finance2, "INV-B"))))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    milestone.refresh_from_db()
    assert milestone.status == "invoiced" and milestone.invoice_number in ("INV-A", "INV-B")
    assert BillingMilestone.history.filter(id=milestone.pk, status="invoiced").count() == 1
    assert Event.objects.filter(event_type="billing_milestone.invoiced").count() == 1


def test_two_milestones_planned_at_once_never_exceed_the_contract_value():
    needs_postgresql()
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    deputy = UserFactory(username="deputy", roles=[Role.PROJECT_MANAGER])
    project = ProjectFactory(project_manager=pm, deputy_manager=deputy, contract_value=Decimal("1000"))

    results = _at_once(*(
        lambda who=who: billing.billing_milestone_create(project_id=project.pk, by=who, data=_data("600"),
                                                         activities=[])
        for who in (pm, deputy)))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], billing.BillingFieldError), results
    assert project.billing_milestones.count() == 1
