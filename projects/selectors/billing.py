"""Reads of billing: a project's milestones with their figures, and those ready to invoice across projects."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from projects import permissions_billing
from projects.models import BillingMilestone, Project, percent_of_amount
from projects.workflows_billing import BILLING_MILESTONE

ZERO = Decimal("0")
S = BillingMilestone.Status


@dataclass
class BillingFigures:
    contract_value: Decimal
    allocated: Decimal
    invoiced: Decimal  # invoiced or paid
    paid: Decimal
    to_invoice: Decimal  # planned or ready
    ready: Decimal

    @property
    def unallocated(self) -> Decimal:
        """Positive: part of the contract value no milestone bills yet; negative: milestones exceed it
        (the contract value fell with a change request after they were planned)."""
        return self.contract_value - self.allocated


def billing_figures(project: Project, milestones: list[BillingMilestone]) -> BillingFigures:
    def total(states):
        return sum((m.amount for m in milestones if m.status in states), ZERO)
    return BillingFigures(contract_value=project.contract_value, allocated=total(BillingMilestone.ALLOCATED),
                          invoiced=total(BillingMilestone.BILLED), paid=total({S.PAID}),
                          to_invoice=total(BillingMilestone.OPEN), ready=total({S.READY}))


def billing_milestones_of(project: Project) -> list[BillingMilestone]:
    """The project's milestones with what each row shows, in a fixed number of queries."""
    milestones = list(project.billing_milestones.select_related("plan_milestone", "checklist_run", "invoiced_by")
                      .prefetch_related("activities"))
    for milestone in milestones:
        milestone.project = project
        milestone.share = percent_of_amount(project.contract_value, milestone.amount)
    return milestones


def billing_milestone_actions_for_user(user, milestone: BillingMilestone) -> dict:
    return BILLING_MILESTONE.available(user, milestone)


def billing_ready_list_for_user(user) -> QuerySet[BillingMilestone]:
    """Milestones ready to invoice on every project, oldest planned date first (finance's queue)."""
    if not permissions_billing.can_view_billing_queue(user):
        return BillingMilestone.objects.none()
    return (BillingMilestone.objects.filter(status=S.READY)
            .select_related("project", "project__customer", "plan_milestone").order_by("planned_date", "pk"))
