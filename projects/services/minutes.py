"""A meeting's agenda (sections, items, their order, a draft from the registers) and its minutes'
outcomes, which write the decision log, the action items, the risk and the issue registers and draft
change requests through their own services: once, and an edit of the minutes updates the entry it wrote."""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from projects.domain import StaleEdit, apply_edit, refuse_unless
from projects.models import (
    ActionItem,
    AgendaItem,
    AgendaSection,
    ChangeRequest,
    Meeting,
    Outcome,
    ProjectIssue,
    Risk,
)
from projects.services import change_control, registers
from projects.services.meetings import lock_meeting, next_in_series, refuse_unless_organiser

STALE_ITEM = gettext_noop("Someone else saved this agenda item meanwhile. Your changes are kept below; reload to "
                          "see theirs.")
STALE_OUTCOME = gettext_noop("Someone else saved this outcome meanwhile. Your changes are kept below; reload to "
                             "see theirs.")
# Without a next meeting, the agenda looks this far ahead for milestones.
DEFAULT_LOOKAHEAD_DAYS = 14


def _agenda_editable(meeting: Meeting, by: User) -> None:
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status in Meeting.AGENDA_EDITABLE,
                  _("%(id)s is %(status)s: its agenda no longer changes.")
                  % {"id": meeting.identifier, "status": meeting.get_status_display()})


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def section_add(*, meeting_id: int, by: User, title: str, source: str = "") -> AgendaSection:
    meeting = lock_meeting(meeting_id)
    _agenda_editable(meeting, by)
    return AgendaSection.objects.create(meeting=meeting, title=title, source=source,
                                        position=_next_position(meeting.sections.all()))


def _section_of(meeting: Meeting, data: dict) -> dict:
    """An item added to an agenda without sections opens a first one."""
    if data.get("section") is None:
        section = meeting.sections.order_by("position", "pk").first() or AgendaSection.objects.create(
            meeting=meeting, title=_("Agenda"), position=1)
        data = {**data, "section": section}
    return data


def _check_item(meeting: Meeting, data: dict) -> None:
    refuse_unless(data["section"].meeting_id == meeting.pk, _("Choose a section of this meeting's agenda."))
    links = [name for name in AgendaItem.LINKS if data.get(name) is not None]
    refuse_unless(len(links) <= 1, _("An agenda item is about one register entry at most."))
    for name in links:
        refuse_unless(data[name].project_id == meeting.project_id, _("Choose an entry of this project."))


@transaction.atomic
def agenda_item_add(*, meeting_id: int, by: User, data: dict) -> AgendaItem:
    meeting = lock_meeting(meeting_id)
    _agenda_editable(meeting, by)
    data = _section_of(meeting, data)
    _check_item(meeting, data)
    return AgendaItem.objects.create(meeting=meeting, position=_next_position(data["section"].items.all()), **data)


@transaction.atomic
def agenda_item_update(*, item_id: int, by: User, data: dict, expected_version: int) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    meeting = lock_meeting(item.meeting_id)
    _agenda_editable(meeting, by)
    data = _section_of(meeting, data)
    moved_section = data["section"].pk != item.section_id
    apply_edit(item, data, expected_version=expected_version, stale_message=_(STALE_ITEM))
    _check_item(meeting, data)
    if moved_section:
        item.position = _next_position(item.section.items.exclude(pk=item.pk))
    item.save()
    return item


@transaction.atomic
def agenda_item_move(*, item_id: int, by: User, up: bool) -> AgendaItem:
    """One place up or down within its section (the first and the last item stay where they are)."""
    item = AgendaItem.objects.select_for_update().get(pk=item_id)
    meeting = lock_meeting(item.meeting_id)
    _agenda_editable(meeting, by)
    siblings = list(item.section.items.select_for_update().order_by("position", "pk"))
    index = siblings.index(item)
    other = index - 1 if up else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])  # order only: not worth a history record each
    return next(s for s in siblings if s.pk == item.pk)


def lookahead_until(meeting: Meeting) -> dt.date:
    """Milestones up to the next meeting of the series, or two weeks ahead."""
    following = next_in_series(meeting)
    if following is not None:
        return following.date
    return meeting.date + dt.timedelta(days=Meeting.RECURRENCE_DAYS.get(meeting.recurrence, DEFAULT_LOOKAHEAD_DAYS))


def agenda_candidates(meeting: Meeting) -> dict[str, list[dict]]:
    """What the registers put on the agenda, by section source, each as the item's values."""
    project, today = meeting.project, timezone.localdate()

    def person(user):
        return user.get_full_name() or user.username if user else ""

    actions = project.actions.filter(status=ActionItem.Status.OPEN).select_related("owner").order_by("due_date",
                                                                                                     "number")
    risks = project.risks.filter(status=Risk.Status.OPEN, review_date__lt=today).select_related("owner")
    changes = project.change_requests.filter(status=ChangeRequest.Status.SUBMITTED).select_related("owner")
    issues = project.issues.filter(status__in=[ProjectIssue.Status.OPEN, ProjectIssue.Status.IN_PROGRESS]
                                   ).select_related("owner")
    milestones = project.milestones.filter(forecast_date__gte=meeting.date, forecast_date__lte=lookahead_until(meeting))
    candidates = {
        AgendaSection.Source.ACTIONS: [{"action": a, "title": str(a)[:200], "presenter": person(a.owner)}
                                       for a in actions],
        AgendaSection.Source.RISKS: [{"risk": r, "title": str(r)[:200], "presenter": person(r.owner)}
                                     for r in risks.order_by("review_date", "number")],
        AgendaSection.Source.CHANGES: [{"change_request": c, "title": str(c)[:200], "presenter": person(c.owner)}
                                       for c in changes.order_by("number")],
        AgendaSection.Source.ISSUES: [{"issue": i, "title": str(i)[:200], "presenter": person(i.owner)}
                                      for i in issues.order_by("number")],
        AgendaSection.Source.MILESTONES: [{"milestone": m, "title": m.name, "presenter": ""}
                                          for m in milestones.order_by("forecast_date")],
        AgendaSection.Source.PREVIOUS: [],
    }
    if meeting.previous_id:
        # What the previous meeting left open: items that came to no outcome and are not about a register
        # entry (those come back from their register while they are open).
        left = meeting.previous.items.filter(outcomes__isnull=True, **{f"{name}__isnull": True
                                                                        for name in AgendaItem.LINKS})
        candidates[AgendaSection.Source.PREVIOUS] = [
            {"carried_from": item, "title": item.title, "presenter": item.presenter, "notes": item.notes,
             "minutes_planned": item.minutes_planned} for item in left.order_by("section__position", "position")]
    return candidates


@transaction.atomic
def agenda_draft_from_registers(*, meeting_id: int, by: User) -> int:
    """Fill the agenda from the registers, in sections of their own; nothing already on the agenda is
    added twice. Returns how many items were added."""
    meeting = lock_meeting(meeting_id)
    _agenda_editable(meeting, by)
    on_agenda = {name: set(meeting.items.exclude(**{f"{name}__isnull": True}).values_list(f"{name}_id", flat=True))
                 for name in (*AgendaItem.LINKS, "carried_from")}
    sections = {s.source: s for s in meeting.sections.exclude(source="")}
    added = 0
    for source, rows in agenda_candidates(meeting).items():
        for values in rows:
            link = next(name for name in (*AgendaItem.LINKS, "carried_from") if name in values)
            if values[link].pk in on_agenda[link]:
                continue
            section = sections.get(source)
            if section is None:
                section = sections[source] = AgendaSection.objects.create(
                    meeting=meeting, source=source, title=str(AgendaSection.Source(source).label),
                    position=_next_position(meeting.sections.all()))
            AgendaItem.objects.create(meeting=meeting, section=section,
                                      position=_next_position(section.items.all()), **values)
            on_agenda[link].add(values[link].pk)
            added += 1
    return added


# --- Minutes: outcomes ------------------------------------------------------------------------------

def _check_outcome(data: dict) -> None:
    """The forms say it next to the field; the service refuses it too."""
    kind = data["kind"]
    if kind in Outcome.OWNED:
        refuse_unless(data.get("owner") is not None, _("This outcome needs an owner."))
    if kind == Outcome.Kind.ACTION:
        refuse_unless(data.get("due_date") is not None, _("An action needs a due date."))


def _entry_values(outcome: Outcome, meeting: Meeting, entry=None) -> dict:
    """The register entry's values: what the minutes say, the rest as the entry has it (or a sensible
    start for a new one, which the register's keeper completes)."""
    details = outcome.details or outcome.title
    if outcome.kind == Outcome.Kind.DECISION:
        return {"decided_on": entry.decided_on if entry else meeting.date, "title": outcome.title,
                "rationale": outcome.details[:5000],
                "decided_by": entry.decided_by if entry else f"{meeting.identifier} {meeting.title}"[:200]}
    if outcome.kind == Outcome.Kind.ACTION:
        return {"title": outcome.title, "description": outcome.details, "owner": outcome.owner,
                "due_date": outcome.due_date, **({"status": entry.status} if entry else {})}
    if outcome.kind == Outcome.Kind.CHANGE_REQUEST:
        kept = ("priority", "severity", "time_impact_days", "scope_impact", "quality_impact", "risk_impact",
                "options", "recommendation")
        return {"title": outcome.title, "description": details, "owner": outcome.owner,
                "due_date": outcome.due_date, **({name: getattr(entry, name) for name in kept} if entry else {})}
    if outcome.kind == Outcome.Kind.ISSUE:
        kept = ("type", "priority", "severity", "status", "customer_visible")
        return {"title": outcome.title, "description": details, "owner": outcome.owner,
                "due_date": outcome.due_date,
                **({name: getattr(entry, name) for name in kept} if entry else
                   {"type": ProjectIssue.Type.PROBLEM, "priority": ProjectIssue.Priority.MEDIUM, "severity": 3})}
    review = outcome.due_date or (entry.review_date if entry else meeting.date + dt.timedelta(days=14))
    if entry:
        kept = ("kind", "category", "cause", "effect", "inherent_probability", "inherent_impact",
                "residual_probability", "residual_impact", "cost_impact", "proximity", "response_category",
                "response", "actionee", "status", "customer_visible")
        return {"event": outcome.title, "owner": outcome.owner, "review_date": review,
                **{name: getattr(entry, name) for name in kept}}
    return {"kind": Risk.Kind.THREAT, "category": Risk.Category.OTHER, "cause": details, "event": outcome.title,
            "effect": details, "inherent_probability": 3, "inherent_impact": 3, "residual_probability": 3,
            "residual_impact": 3, "response_category": Risk.Response.REDUCE, "owner": outcome.owner,
            "review_date": review}


CREATE = {
    Outcome.Kind.DECISION: registers.decision_record,
    Outcome.Kind.ACTION: registers.action_create,
    Outcome.Kind.RISK: registers.risk_create,
    Outcome.Kind.ISSUE: registers.issue_raise,
    # A draft change request, without cost impacts: its owner completes it on the change's page.
    Outcome.Kind.CHANGE_REQUEST: lambda **kw: change_control.change_create(**kw, costs=[], milestones=[]),
}
UPDATE = {
    Outcome.Kind.DECISION: lambda entry, **kw: registers.decision_update(decision_id=entry.pk, **kw),
    Outcome.Kind.ACTION: lambda entry, **kw: registers.action_update(action_id=entry.pk, **kw),
    Outcome.Kind.RISK: lambda entry, **kw: registers.risk_update(risk_id=entry.pk, **kw),
    Outcome.Kind.ISSUE: lambda entry, **kw: registers.issue_update(issue_id=entry.pk, **kw),
    Outcome.Kind.CHANGE_REQUEST: lambda entry, **kw: change_control.change_update(
        change_id=entry.pk, **kw, milestones=list(entry.milestones.all()), costs=[
            {"budget_line": c.budget_line, "category": c.category, "description": c.description, "delta": c.delta}
            for c in entry.costs.all()]),
}


def _write_entry(outcome: Outcome, meeting: Meeting, by: User) -> None:
    """Create the outcome's register entry, or update the one it wrote (never a second one)."""
    if outcome.kind == Outcome.Kind.INFORMATION:
        return
    entry = outcome.entry
    if entry is None:
        entry = CREATE[outcome.kind](project_id=meeting.project_id, by=by, data=_entry_values(outcome, meeting))
        setattr(outcome, outcome.kind, entry)
        outcome.save(update_fields=[outcome.kind])
        return
    entry = type(entry).objects.select_for_update().get(pk=entry.pk)
    if outcome.kind == Outcome.Kind.CHANGE_REQUEST and not entry.editable:
        return  # submitted or decided: the request has its own record now, the minutes' edit stays in the minutes
    UPDATE[outcome.kind](entry, by=by, data=_entry_values(outcome, meeting, entry), expected_version=entry.version)


def _minutes_open(meeting: Meeting, by: User) -> None:
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status == Meeting.Status.HELD,
                  _("The minutes are written once the meeting is held and until they are published; %(id)s is "
                    "%(status)s.") % {"id": meeting.identifier, "status": meeting.get_status_display()})


@transaction.atomic
def outcome_record(*, item_id: int, by: User, data: dict) -> Outcome:
    """An outcome of an agenda item; a decision, action, risk or issue writes its register entry."""
    item = AgendaItem.objects.get(pk=item_id)
    meeting = lock_meeting(item.meeting_id)
    _minutes_open(meeting, by)
    _check_outcome(data)
    outcome = Outcome.objects.create(item=item, recorded_by=by, **data)
    _write_entry(outcome, meeting, by)
    return outcome


@transaction.atomic
def outcome_update(*, outcome_id: int, by: User, data: dict, expected_version: int) -> Outcome:
    """An edit of the minutes: the entry the outcome wrote is updated, never written again."""
    outcome = Outcome.objects.select_for_update().select_related("item").get(pk=outcome_id)
    meeting = lock_meeting(outcome.item.meeting_id)
    _minutes_open(meeting, by)
    if data["kind"] != outcome.kind and outcome.entry is not None:
        if outcome.version != expected_version:
            raise StaleEdit(_(STALE_OUTCOME))
        refuse_unless(False, _("This outcome wrote %(id)s: its kind cannot change.")
                      % {"id": outcome.entry.identifier})
    apply_edit(outcome, data, expected_version=expected_version, stale_message=_(STALE_OUTCOME))
    _check_outcome(data)
    outcome.save()
    _write_entry(outcome, meeting, by)
    return outcome
