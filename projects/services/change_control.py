"""Change control: change requests routed by authority, approved into the next baseline; tolerances
and exceptions."""

from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from accounts.models import User
from accounts.roles import Role
from projects import events, permissions
from projects.domain import apply_edit, lock_project, notify_user, refuse_unless, sequence_next
from projects.lib.amounts import money
from projects.lib.workdays import add_working_days
from projects.models import (
    Baseline,
    BudgetLine,
    ChangeCost,
    ChangeRequest,
    Decision,
    Milestone,
    Project,
    ProjectException,
)
from projects.selectors.change_control import change_route
from projects.services.billing import contract_value_change
from projects.services.budget import baseline_create, level_for_budget
from projects.signals import forecast_changed
from projects.workflows import CHANGE_REQUEST, change_not_waiting

STALE = gettext_noop("Someone else saved %(id)s meanwhile. Your changes are kept below; reload to see theirs.")


ZERO = Decimal("0")


def _check_costs(project: Project, costs: list[dict]) -> None:
    """Each impact names one of this project's budget lines, or a new line with a category and a
    description; no line may end below zero."""
    current = dict(project.budget_lines.values_list("pk", "amount"))
    named = [cost["budget_line"].pk for cost in costs if cost.get("budget_line") is not None]
    refuse_unless(len(named) == len(set(named)), _("Name each budget line once; put the whole change on one row."))
    for cost in costs:
        line = cost.get("budget_line")
        if line is not None:
            refuse_unless(line.pk in current, _("A cost impact names a budget line of another project."))
            refuse_unless(current[line.pk] + cost["delta"] >= 0,
                          _("%(line)s would fall below zero (it is EUR %(amount)s).")
                          % {"line": line, "amount": money(current[line.pk])})
        else:
            refuse_unless(bool(cost.get("category")) and bool(cost.get("description", "").strip()),
                          _("A new budget line needs a cost category and a description."))
            refuse_unless(cost["delta"] > 0, _("A new budget line needs a positive amount."))


def _check_change(project: Project, data: dict, costs: list[dict], milestones: list[Milestone]) -> None:
    refuse_unless(data["owner"].pk in permissions.project_staff_ids(project),
                  _("The owner must be on the project's staff (PM, deputy, support officer)."))
    refuse_unless(all(m.project_id == project.pk for m in milestones),
                  _("A milestone that moves must belong to this project."))
    _check_costs(project, costs)


def _save_costs(change: ChangeRequest, costs: list[dict]) -> None:
    change.costs.all().delete()
    ChangeCost.objects.bulk_create([
        ChangeCost(change_request=change, budget_line=c.get("budget_line"), category=c.get("category", ""),
                   description=c.get("description", ""), delta=c["delta"]) for c in costs])


@transaction.atomic
def change_create(*, project_id: int, by: User, data: dict, costs: list[dict], milestones: list[Milestone]
                  ) -> ChangeRequest:
    project = lock_project(project_id)
    refuse_unless(permissions.can_edit_registers(by, project), _("You may not change this project's registers."))
    _check_change(project, data, costs, milestones)
    change = ChangeRequest.objects.create(project=project, number=sequence_next(f"change:{project.pk}", 0),
                                          raised_by=by, **data)
    change.milestones.set(milestones)
    _save_costs(change, costs)
    return change


def _locked_change(change_id: int) -> ChangeRequest:
    """Lock the project first (approval changes it and its budget lines), then the request."""
    project_id = ChangeRequest.objects.values_list("project_id", flat=True).get(pk=change_id)
    lock_project(project_id)
    return ChangeRequest.objects.select_for_update().select_related("project").get(pk=change_id)


@transaction.atomic
def change_update(*, change_id: int, by: User, data: dict, costs: list[dict], milestones: list[Milestone],
                  expected_version: int) -> ChangeRequest:
    """A draft or deferred request can be edited; a submitted one waits for its decision unchanged."""
    change = _locked_change(change_id)
    refuse_unless(permissions.can_edit_registers(by, change.project), _("You may not change this project's registers."))
    apply_edit(change, data, expected_version=expected_version, stale_message=_(STALE) % {"id": change.identifier})
    refuse_unless(change.editable, _("%(id)s is %(status)s and can no longer be edited.")
                  % {"id": change.identifier, "status": change.get_status_display().lower()})
    _check_change(change.project, data, costs, milestones)
    change.save()
    change.milestones.set(milestones)
    _save_costs(change, costs)
    return change


def _route(change: ChangeRequest) -> None:
    change.route, change.route_reasons = change_route(change)


def _deciders(change: ChangeRequest) -> list[User]:
    project = change.project
    leads = list(User.objects.filter(groups__name=Role.PMO_LEAD, is_active=True))
    managers = [u for u in (project.project_manager, project.deputy_manager) if u and u.is_active]
    people = leads if change.route == ChangeRequest.Route.PMO_LEAD else managers or leads
    return [u for u in people if permissions.can_decide_change(u, change)] or [
        u for u in leads if permissions.can_decide_change(u, change)]


@transaction.atomic
def change_submit(*, change_id: int, by: User) -> ChangeRequest:
    change = _locked_change(change_id)
    CHANGE_REQUEST.check("submit", by, change)
    _check_costs(change.project, [{"budget_line": c.budget_line, "category": c.category,
                                   "description": c.description, "delta": c.delta} for c in change.costs.all()])
    change.submitted_by, change.submitted_at = by, timezone.now()
    _route(change)
    change.status = ChangeRequest.Status.SUBMITTED
    change.version += 1
    change.save()
    for person in _deciders(change):
        notify_user(person, reverse("projects:change_detail", args=[change.project.code, change.number]),
                    gettext_lazy("Change request to decide: %(id)s on %(code)s"),
                    gettext_lazy("%(who)s asks a decision on %(id)s: %(title)s."),
                    id=change.identifier, code=change.project.code, who=str(by), title=change.title)
    return change


def _locked_decidable_change(change_id: int, by: User, decision: str, expected_version: int) -> ChangeRequest:
    """The request, locked, if it waits, is as the decider saw it, and `by` may take `decision` on it
    (approval against the route of this moment)."""
    change = _locked_change(change_id)
    if change.status == ChangeRequest.Status.SUBMITTED:
        refuse_unless(change.version == expected_version, change_not_waiting(change))
        if decision == "approve":
            _route(change)  # against the baseline of this moment
    CHANGE_REQUEST.check(decision, by, change)
    return change


def _record_decision(change: ChangeRequest, by: User, comment: str) -> None:
    change.decided_by, change.decided_at, change.decision_comment = by, timezone.now(), comment
    change.version += 1
    change.save()
    project = change.project
    events.project_event(events.EventType.CHANGE_REQUEST_DECIDED, project, change_request={
        "identifier": change.identifier, "title": change.title, "status": change.status,
        "decided_at": change.decided_at.isoformat()})
    Decision.objects.create(
        project=project, number=sequence_next(f"decision:{project.pk}", 0), decided_on=timezone.localdate(),
        title=f"{change.identifier} {change.get_status_display().lower()}: {change.title}"[:200], rationale=comment,
        decided_by=str(by), change_request=change, recorded_by=by)
    notify_user(change.raised_by, reverse("projects:change_detail", args=[project.code, change.number]),
                gettext_lazy("%(id)s on %(code)s: %(status)s"), comment,
                id=change.identifier, code=project.code, status=ChangeRequest.Status(change.status).label)


def _apply_costs(change: ChangeRequest) -> None:
    for cost in change.costs.select_related("budget_line"):
        if cost.budget_line_id:
            line = BudgetLine.objects.select_for_update().get(pk=cost.budget_line_id)
            line.amount += cost.delta
            line.save()
        else:
            BudgetLine.objects.create(project=change.project, category=cost.category, description=cost.description,
                                      amount=cost.delta)


def _move_dates(change: ChangeRequest) -> None:
    """The end date and the chosen milestones (baseline and forecast alike, so a slip they had
    stays visible) move by the time impact."""
    days = change.time_impact_days
    if not days:
        return
    project, reason = change.project, _("%(id)s approved") % {"id": change.identifier}
    if project.end_date:
        project.end_date = add_working_days(project.end_date, days)
    for milestone in change.milestones.all():
        milestone.baseline_date = add_working_days(milestone.baseline_date, days)
        milestone.forecast_date = add_working_days(milestone.forecast_date, days)
        milestone._change_reason = reason
        milestone.save()


@transaction.atomic
def change_approve(*, change_id: int, by: User, expected_version: int, comment: str = "") -> Baseline:
    """Apply the change and set the next baseline, all or nothing; exceptions on the project clear."""
    change = _locked_decidable_change(change_id, by, "approve", expected_version)
    project = change.project
    _apply_costs(change)
    lines = list(project.budget_lines.all())
    total = sum((line.amount for line in lines), ZERO)
    _move_dates(change)
    project.level = level_for_budget(total)
    project._change_reason = _("%(id)s approved") % {"id": change.identifier}
    contract_value_change(project, change.price_impact, _("%(id)s approved: price impact EUR %(delta)s") % {
        "id": change.identifier, "delta": money(change.price_impact)})
    project.save()
    change.status = ChangeRequest.Status.APPROVED
    _record_decision(change, by, comment)
    baseline = baseline_create(
        project, budget=total, approved_by=by, change_request=change,
        lines=[{"category": line.category, "description": line.description, "amount": str(line.amount)}
               for line in lines])
    for exception in project.exceptions.filter(cleared_at__isnull=True):
        exception_clear(exception, _("%(id)s approved") % {"id": change.identifier})
    return baseline


@transaction.atomic
def change_reject(*, change_id: int, by: User, expected_version: int, comment: str, defer: bool = False
                  ) -> ChangeRequest:
    """Rejected is final; a deferred request can be edited and submitted again later."""
    change = _locked_decidable_change(change_id, by, "defer" if defer else "reject", expected_version)
    refuse_unless(bool(comment.strip()), _("Say why in the comment: it is required to reject or defer."))
    change.status = ChangeRequest.Status.DEFERRED if defer else ChangeRequest.Status.REJECTED
    _record_decision(change, by, comment)
    return change


@transaction.atomic
def tolerances_update(*, project_id: int, by: User, cost_percent: Decimal, time_days: int,
                      expected: tuple[Decimal, int]) -> Project:
    project = lock_project(project_id)
    refuse_unless(permissions.can_set_tolerances(by), _("Only a PMO lead sets a project's tolerances."))
    refuse_unless((project.cost_tolerance_percent, project.time_tolerance_days) == expected,
                  _("Someone else changed the tolerances meanwhile; reload to see them."))
    project.cost_tolerance_percent, project.time_tolerance_days = cost_percent, time_days
    project.save()
    forecast_changed.send(sender=Project, project_id=project.pk)
    return project


EXCEPTION_PREFILL = {
    "cause": gettext_noop("Forecast: %(summary)s"),
    "consequences": gettext_noop("If nothing changes, the project ends beyond its agreed tolerance."),
    "options": gettext_noop("1. Recover within the current baseline.\n2. Raise a change request.\n"
                            "3. Stop or re-scope the project."),
    "recommendation": "",
}


@transaction.atomic
def exception_raise(*, project_id: int, kind: str, summary: str) -> ProjectException | None:
    """Flag a forecast beyond tolerance and tell the PMO leads, once: while the flag stays up,
    further checks change nothing. The PM gets a pre-filled report to complete."""
    project = lock_project(project_id)
    if project.exceptions.filter(kind=kind, cleared_at__isnull=True).exists():
        return None
    manager = project.project_manager
    with translation.override(manager.language if manager else None):
        prefill = {name: _(text) % {"summary": summary} if text else "" for name, text in EXCEPTION_PREFILL.items()}
    exception = ProjectException.objects.create(project=project, kind=kind, summary=summary[:300], **prefill)
    events.project_event(events.EventType.EXCEPTION_RAISED, project, exception={
        "id": exception.pk, "kind": exception.kind, "summary": exception.summary})
    link = reverse("projects:exception", args=[project.code, exception.pk])
    for lead in User.objects.filter(groups__name=Role.PMO_LEAD, is_active=True):
        notify_user(lead, link, gettext_lazy("Exception on %(code)s: %(kind)s"), gettext_lazy("%(summary)s"),
                    code=project.code, kind=ProjectException.Kind(kind).label, summary=summary)
    if manager:
        notify_user(manager, link, gettext_lazy("Exception on %(code)s: please complete the exception report"),
                    gettext_lazy("%(summary)s"), code=project.code, summary=summary)
    return exception


def exception_clear(exception: ProjectException, reason: str) -> None:
    exception.cleared_at, exception.cleared_reason = timezone.now(), reason[:300]
    exception.save()


@transaction.atomic
def exceptions_clear(*, project_id: int, kind: str, reason: str) -> bool:
    project = lock_project(project_id)
    cleared = False
    for exception in project.exceptions.filter(kind=kind, cleared_at__isnull=True):
        exception_clear(exception, reason)
        cleared = True
    return cleared


@transaction.atomic
def exception_report_update(*, exception_id: int, by: User, data: dict, expected_version: int) -> ProjectException:
    exception = ProjectException.objects.select_for_update().select_related("project").get(pk=exception_id)
    refuse_unless(permissions.can_complete_exception_report(by, exception.project),
                  _("Only the project manager or deputy completes the exception report."))
    apply_edit(exception, data, expected_version=expected_version,
               stale_message=_("Someone else saved this report meanwhile. Your text is kept below; reload to see "
                               "theirs."))
    exception.save()
    return exception
