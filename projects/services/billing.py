"""Billing: the contract value and its billing milestones, planned -> ready to invoice -> invoiced -> paid,
or cancelled. Amounts are Decimal, a percentage of the contract value rounded half up to the cent
(projects.models.billing.amount_of_percent)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from projects import events
from projects import permissions_billing as billing_permissions
from projects.domain import DomainError, StaleEdit, lock_project, refuse_unless, sequence_next
from projects.lib.amounts import money
from projects.models import Activity, BillingMilestone, ChecklistRun, Project, amount_of_percent
from projects.workflows_billing import BILLING_MILESTONE

ZERO = Decimal("0")
STALE = "Someone else changed %(id)s meanwhile; reload the page to see it."


class BillingFieldError(DomainError):
    """A refusal about one field of the form (shown next to it)."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def allocated_total(project: Project, *, exclude_pk: int | None = None) -> Decimal:
    """What the milestones not cancelled add up to."""
    rows = project.billing_milestones.filter(status__in=BillingMilestone.ALLOCATED)
    if exclude_pk:
        rows = rows.exclude(pk=exclude_pk)
    return rows.aggregate(total=Sum("amount"))["total"] or ZERO


def _amount(project: Project, data: dict) -> Decimal:
    """The amount typed, or the one the percent gives: exactly one of the two is given."""
    amount, percent = data.get("amount"), data.get("percent")
    refuse_unless((amount is None) != (percent is None),
                  _("Give either an amount or a percent of the contract value, not both."))
    return amount_of_percent(project.contract_value, percent) if percent is not None else amount


def _check_within_contract(project: Project, amount: Decimal, *, exclude_pk: int | None, field: str) -> None:
    """The milestones never add up to more than the contract value: finance would invoice what was not sold."""
    left = project.contract_value - allocated_total(project, exclude_pk=exclude_pk)
    if amount > left:
        raise BillingFieldError(field, _(
            "The milestones would exceed the contract value (EUR %(contract)s): EUR %(left)s is left to allocate.")
            % {"contract": money(project.contract_value), "left": money(max(left, ZERO))})


def _check_links(project: Project, data: dict, activities: list[Activity]) -> None:
    plan_milestone, run = data.get("plan_milestone"), data.get("checklist_run")
    refuse_unless(plan_milestone is None or plan_milestone.project_id == project.pk,
                  _("The plan milestone belongs to another project."))
    refuse_unless(run is None or run.project_id == project.pk, _("The checklist belongs to another project."))
    refuse_unless(all(a.project_id == project.pk for a in activities),
                  _("An activity it depends on belongs to another project."))


def _values(project: Project, data: dict) -> dict:
    field = "percent" if data.get("percent") is not None else "amount"
    values = {**data, "amount": _amount(project, data)}
    refuse_unless(values["amount"] > 0, _("A billing milestone needs an amount above zero."))
    values["_field"] = field
    return values


@transaction.atomic
def billing_milestone_create(*, project_id: int, by: User, data: dict, activities: list[Activity]
                             ) -> BillingMilestone:
    """A new planned milestone, within what the contract value leaves unallocated."""
    project = lock_project(project_id)  # one allocation at a time, so two together never exceed it
    refuse_unless(billing_permissions.can_manage_billing(by, project),
                  _("You may not change this project's billing milestones."))
    values = _values(project, data)
    _check_within_contract(project, values["amount"], exclude_pk=None, field=values.pop("_field"))
    _check_links(project, values, activities)
    milestone = BillingMilestone.objects.create(
        project=project, number=sequence_next(f"billing:{project.pk}", 0), **values)
    milestone.activities.set(activities)
    return milestone


def _locked(milestone_id: int, expected_version: int | None = None) -> BillingMilestone:
    milestone = BillingMilestone.objects.select_for_update().select_related("project").get(pk=milestone_id)
    if expected_version is not None and milestone.version != expected_version:
        raise StaleEdit(_(STALE) % {"id": milestone.identifier})
    return milestone


@transaction.atomic
def billing_milestone_update(*, milestone_id: int, by: User, data: dict, activities: list[Activity],
                             expected_version: int) -> BillingMilestone:
    """A planned milestone is edited; once ready or invoiced its terms are what the customer accepted."""
    project_id = BillingMilestone.objects.values_list("project_id", flat=True).get(pk=milestone_id)
    project = lock_project(project_id)
    milestone = _locked(milestone_id)
    refuse_unless(billing_permissions.can_manage_billing(by, project),
                  _("You may not change this project's billing milestones."))
    if milestone.version != expected_version:
        raise StaleEdit(_(STALE) % {"id": milestone.identifier})
    refuse_unless(milestone.status == BillingMilestone.Status.PLANNED,
                  _("%(id)s is %(status)s and can no longer be edited.")
                  % {"id": milestone.identifier, "status": milestone.get_status_display().lower()})
    values = _values(project, data)
    _check_within_contract(project, values["amount"], exclude_pk=milestone.pk, field=values.pop("_field"))
    _check_links(project, values, activities)
    for name, value in values.items():
        setattr(milestone, name, value)
    milestone.version += 1
    milestone.save()
    milestone.activities.set(activities)
    return milestone


def _make_ready(milestone: BillingMilestone, by: User | None, reason: str) -> None:
    milestone.status, milestone.ready_at = BillingMilestone.Status.READY, timezone.now()
    milestone.ready_by, milestone.ready_reason = by, reason
    milestone.version += 1
    milestone._change_reason = reason[:100]
    milestone.save()
    events.project_event(events.EventType.BILLING_MILESTONE_READY, milestone.project,
                         billing_milestone=events.billing_milestone_fields(milestone))


@transaction.atomic
def billing_milestone_mark_ready(*, milestone_id: int, by: User, reason: str, expected_version: int
                                 ) -> BillingMilestone:
    """The PM declares the acceptance evidence there (say, the customer's e-mail) and says why."""
    milestone = _locked(milestone_id, expected_version)
    BILLING_MILESTONE.check("ready", by, milestone)
    refuse_unless(bool(reason.strip()), _("Say why it is ready: the reason is required."))
    _make_ready(milestone, by, reason.strip())
    return milestone


def ready_by_itself(milestone: BillingMilestone) -> bool:
    """What a milestone depends on is all there: its plan milestone reached, its checklist signed off and
    its activities done. One that depends on nothing is made ready by the PM only."""
    conditions = []
    if milestone.plan_milestone_id:
        conditions.append(milestone.plan_milestone.reached_on is not None)
    if milestone.checklist_run_id:
        conditions.append(milestone.checklist_run.status == ChecklistRun.Status.SIGNED)
    activities = list(milestone.activities.all())
    if activities:
        conditions.append(all(a.status == Activity.Status.DONE for a in activities))
    return bool(conditions) and all(conditions)


@transaction.atomic
def billing_milestones_ready_check(*, project_id: int) -> list[BillingMilestone]:
    """Called when something a milestone waits for happened (plan milestone reached, checklist signed off,
    activity done): the planned milestones of the project whose conditions are now all met become ready."""
    planned = (BillingMilestone.objects.select_for_update(of=("self",))
               .filter(project_id=project_id, status=BillingMilestone.Status.PLANNED)
               .select_related("project", "plan_milestone", "checklist_run").prefetch_related("activities"))
    made = []
    for milestone in planned:
        if ready_by_itself(milestone):
            _make_ready(milestone, None, _("Its plan milestone, checklist and activities are complete."))
            made.append(milestone)
    return made


@transaction.atomic
def billing_milestone_invoice(*, milestone_id: int, by: User, invoice_number: str, invoice_date: dt.date,
                              expected_version: int | None = None) -> BillingMilestone:
    """Finance records the customer invoice raised in Dynamics 365; only a milestone ready to invoice."""
    milestone = _locked(milestone_id)
    BILLING_MILESTONE.check("invoice", by, milestone)
    if expected_version is not None and milestone.version != expected_version:
        raise StaleEdit(_(STALE) % {"id": milestone.identifier})
    number = invoice_number.strip()
    if not number:
        raise BillingFieldError("invoice_number", _("Enter the invoice number."))
    other = BillingMilestone.objects.filter(invoice_number=number).exclude(pk=milestone.pk).select_related("project")
    if other.exists():
        first = other.first()
        raise BillingFieldError("invoice_number", _("Invoice %(number)s is already recorded on %(id)s of %(code)s.")
                                % {"number": number, "id": first.identifier, "code": first.project.code})
    milestone.status, milestone.invoice_number, milestone.invoice_date = (
        BillingMilestone.Status.INVOICED, number, invoice_date)
    milestone.invoiced_by = by
    milestone.version += 1
    milestone.save()
    events.project_event(events.EventType.BILLING_MILESTONE_INVOICED, milestone.project,
                         billing_milestone=events.billing_milestone_fields(milestone))
    return milestone


@transaction.atomic
def billing_milestone_pay(*, milestone_id: int, by: User, paid_on: dt.date, expected_version: int
                          ) -> BillingMilestone:
    milestone = _locked(milestone_id)
    BILLING_MILESTONE.check("pay", by, milestone)
    if milestone.version != expected_version:
        raise StaleEdit(_(STALE) % {"id": milestone.identifier})
    if milestone.invoice_date and paid_on < milestone.invoice_date:
        raise BillingFieldError("paid_on", _("The payment cannot come before the invoice date."))
    milestone.status, milestone.paid_on, milestone.paid_by = BillingMilestone.Status.PAID, paid_on, by
    milestone.version += 1
    milestone.save()
    return milestone


@transaction.atomic
def billing_milestone_cancel(*, milestone_id: int, by: User, reason: str, expected_version: int
                             ) -> BillingMilestone:
    """A milestone not invoiced is cancelled with a reason; its amount is unallocated again."""
    milestone = _locked(milestone_id)
    BILLING_MILESTONE.check("cancel", by, milestone)
    if milestone.version != expected_version:
        raise StaleEdit(_(STALE) % {"id": milestone.identifier})
    refuse_unless(bool(reason.strip()), _("Say why it is cancelled: the reason is required."))
    milestone.status, milestone.cancelled_reason, milestone.cancelled_by = (
        BillingMilestone.Status.CANCELLED, reason.strip(), by)
    milestone.version += 1
    milestone._change_reason = reason.strip()[:100]
    milestone.save()
    return milestone


def contract_value_change(project: Project, delta: Decimal, reason: str) -> None:
    """Move the contract value by `delta` (an approved change's price impact) for `reason`, which the
    project's history shows; milestones given as a percent and not yet invoiced follow it. The caller
    holds the project's lock and saves the project."""
    if not delta:
        return
    new = project.contract_value + delta
    refuse_unless(new >= 0, _("The price impact would bring the contract value below zero (it is EUR %(value)s).")
                  % {"value": money(project.contract_value)})
    project.contract_value = new
    project._change_reason = reason
    following = project.billing_milestones.select_for_update().filter(
        status__in=BillingMilestone.OPEN, percent__isnull=False)
    for milestone in following:
        milestone.amount = amount_of_percent(new, milestone.percent)
        milestone.version += 1
        milestone._change_reason = reason[:100]
        milestone.save()
