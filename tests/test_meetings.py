"""Meetings (issue 17, first step): the rules, the state changes, the agenda drafted from the registers
and the minutes that write each register entry exactly once."""

import datetime as dt

import pytest
from django.utils import timezone

from projects.domain import DomainError, StaleEdit
from projects.models import (
    ActionItem,
    AgendaItem,
    ChangeRequest,
    CustomerContact,
    Decision,
    Meeting,
    Milestone,
    Outcome,
    ProjectIssue,
    Risk,
)
from projects.services import meetings, minutes, registers

TODAY = timezone.localdate()


def meeting_data(**changes):
    return {"kind": Meeting.Kind.PROGRESS, "title": "Weekly progress", "date": TODAY, "start_time": dt.time(10, 0),
            "duration_minutes": 60, "place": "Gent, room 2", "online_link": "", "recurrence": Meeting.Recurrence.NONE,
            **changes}


def new_meeting(project, by, users=None, **changes):
    data = meeting_data(**changes)
    data.setdefault("organiser", by)
    return meetings.meeting_create(project_id=project.pk, by=by, data=data, users=users or [by])


def held(meeting, by):
    meetings.meeting_plan(meeting_id=meeting.pk, by=by)
    return meetings.meeting_hold(meeting_id=meeting.pk, by=by)


def test_it_numbers_meetings_per_project_and_gives_each_a_stable_uid(project, pm):
    first, second = new_meeting(project, pm), new_meeting(project, pm)
    assert (first.identifier, second.identifier) == ("M-001", "M-002")
    assert first.uid != second.uid and first.uid.endswith("@pmo")
    assert (first.status, first.sequence) == ("draft", 0)
    assert list(first.attendees.values_list("user", flat=True)) == [pm.pk]


def test_it_raises_the_sequence_on_a_change_of_time_place_or_attendees_only(project, pm, support):
    meeting = new_meeting(project, pm)
    uid = meeting.uid

    def update(version, users=(pm,), **changes):
        return meetings.meeting_update(meeting_id=meeting.pk, by=pm, data=changes, expected_version=version,
                                       users=list(users))

    meeting = update(1, title="Renamed")
    assert meeting.sequence == 0
    meeting = update(2, start_time=dt.time(11, 0))
    assert meeting.sequence == 1
    meeting = update(3, place="Brussels")
    assert meeting.sequence == 2
    meeting = update(4, users=(pm, support))
    assert meeting.sequence == 3
    meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={"name": "Claire", "email": "c@x.example",
                                                                        "language": "fr"})
    meeting.refresh_from_db()
    assert (meeting.sequence, meeting.uid) == (4, uid)


def test_a_stale_edit_is_refused(project, pm):
    meeting = new_meeting(project, pm)
    meetings.meeting_update(meeting_id=meeting.pk, by=pm, data={"title": "A"}, expected_version=1, users=[pm])
    with pytest.raises(StaleEdit):
        meetings.meeting_update(meeting_id=meeting.pk, by=pm, data={"title": "B"}, expected_version=1, users=[pm])
    meeting.refresh_from_db()
    assert meeting.title == "A"


@pytest.mark.parametrize("changes", [{"duration_minutes": 0}, {"start_time": dt.time(23, 30), "duration_minutes": 60}])
def test_a_meeting_ending_before_it_starts_or_the_next_day_is_refused(project, pm, changes):
    with pytest.raises(DomainError):
        new_meeting(project, pm, **changes)
    assert not Meeting.objects.exists()


def test_an_external_attendee_needs_an_email_and_a_contact_without_one_is_refused(project, pm):
    meeting = new_meeting(project, pm)
    with pytest.raises(DomainError):
        meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={"name": "Claire", "email": "",
                                                                            "language": "fr"})
    contact = CustomerContact.objects.create(customer=project.customer, name="No Mail")
    with pytest.raises(DomainError):
        meetings.meeting_update(meeting_id=meeting.pk, by=pm, data={}, expected_version=1, users=[pm],
                                contacts=[contact])
    assert meeting.attendees.count() == 1


def test_a_picked_customer_contact_is_invited_in_the_customers_language(project, pm):
    project.customer.language = "fr"
    project.customer.save()
    contact = CustomerContact.objects.create(customer=project.customer, name="Claire", email="claire@x.example")
    meeting = meetings.meeting_create(project_id=project.pk, by=pm, data={**meeting_data(), "organiser": pm},
                                      users=[pm], contacts=[contact])
    external = meeting.attendees.get(user__isnull=True)
    assert (external.name, external.email, external.language, external.contact) == (
        "Claire", "claire@x.example", "fr", contact)


def test_the_states_go_draft_planned_held_published(project, pm):
    meeting = new_meeting(project, pm)
    meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    meeting = meetings.meeting_hold(meeting_id=meeting.pk, by=pm)
    assert meeting.status == "held" and meeting.held_at
    with pytest.raises(DomainError, match="Record whether each attendee came"):
        meetings.meeting_publish(meeting_id=meeting.pk, by=pm)
    attendee = meeting.attendees.get()
    meetings.attendance_record(meeting_id=meeting.pk, by=pm, attendance={attendee.pk: "came"})
    meeting = meetings.meeting_publish(meeting_id=meeting.pk, by=pm)
    assert meeting.status == "published" and meeting.published_at
    assert meeting.history.count() >= 4


@pytest.mark.parametrize(("status", "action", "message"), [
    ("draft", "hold", "Only a planned meeting can be held; M-001 is Draft."),
    ("draft", "publish", "Only the minutes of a held meeting can be published; M-001 is Draft."),
    ("held", "cancel", "Only a meeting not yet held can be cancelled; M-001 is Held."),
    ("planned", "plan", "Only a draft meeting can be planned; M-001 is Planned."),
    ("cancelled", "plan", "Only a draft meeting can be planned; M-001 is Cancelled."),
])
def test_a_refused_transition_says_why(project, pm, status, action, message):
    meeting = new_meeting(project, pm)
    Meeting.objects.filter(pk=meeting.pk).update(status=status)
    service = {"plan": meetings.meeting_plan, "hold": meetings.meeting_hold, "publish": meetings.meeting_publish,
               "cancel": meetings.meeting_cancel}[action]
    with pytest.raises(DomainError) as refused:
        service(meeting_id=meeting.pk, by=pm)
    assert str(refused.value) == message
    meeting.refresh_from_db()
    assert meeting.status == status


def test_a_meeting_is_planned_with_attendees_and_held_from_its_day(project, pm):
    meeting = new_meeting(project, pm, date=TODAY + dt.timedelta(days=3))
    meeting.attendees.all().delete()
    with pytest.raises(DomainError, match="at least one attendee"):
        meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    meetings.meeting_update(meeting_id=meeting.pk, by=pm, data={}, expected_version=1, users=[pm])
    meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    with pytest.raises(DomainError, match="it can be marked as held from that day"):
        meetings.meeting_hold(meeting_id=meeting.pk, by=pm)


def test_cancelling_raises_the_sequence_and_keeps_the_reason(project, pm):
    meeting = new_meeting(project, pm)
    meeting = meetings.meeting_cancel(meeting_id=meeting.pk, by=pm, reason="Customer on holiday")
    assert (meeting.status, meeting.sequence, meeting.cancel_reason) == ("cancelled", 1, "Customer on holiday")


def test_someone_who_does_not_organise_is_refused_by_the_services(project, pm, pm2, finance):
    meeting = new_meeting(project, pm)
    for person in (pm2, finance):
        with pytest.raises(DomainError, match="may not organise"):
            meetings.meeting_plan(meeting_id=meeting.pk, by=person)
        with pytest.raises(DomainError):
            new_meeting(project, person)


def test_the_next_meeting_of_a_series_copies_the_attendees_and_may_differ_once(project, pm, support):
    meeting = new_meeting(project, pm, users=[pm, support], recurrence=Meeting.Recurrence.BIWEEKLY)
    meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={"name": "Claire", "email": "c@x.example",
                                                                        "language": "fr"})
    following = meetings.meeting_plan_next(meeting_id=meeting.pk, by=pm)
    assert (following.date, following.previous, following.status, following.recurrence) == (
        meeting.date + dt.timedelta(days=14), meeting, "draft", "biweekly")
    assert following.uid != meeting.uid
    assert sorted(str(a) for a in following.attendees.all()) == sorted(str(a) for a in meeting.attendees.all())
    with pytest.raises(DomainError, match="already follows"):
        meetings.meeting_plan_next(meeting_id=meeting.pk, by=pm)
    # A one-off change: this meeting of the series elsewhere, without the support officer.
    meetings.meeting_update(meeting_id=following.pk, by=pm, data={"place": "On site"}, expected_version=1,
                            users=[pm])
    assert meeting.attendees.filter(user=support).exists()
    meeting.refresh_from_db()
    assert meeting.place == "Gent, room 2"


def test_a_meeting_outside_a_series_has_no_next(project, pm):
    meeting = new_meeting(project, pm)
    with pytest.raises(DomainError, match="not part of a series"):
        meetings.meeting_plan_next(meeting_id=meeting.pk, by=pm)


# --- The agenda -----------------------------------------------------------------------------------

@pytest.fixture
def registers_filled(project, pm):
    """One entry of each kind the agenda takes, and one of each it leaves out."""
    def action(title, **extra):
        return registers.action_create(project_id=project.pk, by=pm, data={
            "title": title, "description": "", "owner": pm, "due_date": TODAY + dt.timedelta(days=3), **extra})
    open_action, done_action = action("Order the splice closures"), action("Done one")
    ActionItem.objects.filter(pk=done_action.pk).update(status="done")
    risk_values = {"kind": "threat", "category": "other", "cause": "c", "event": "Permit late", "effect": "e",
                   "inherent_probability": 3, "inherent_impact": 3, "residual_probability": 3, "residual_impact": 3,
                   "response_category": "reduce", "owner": pm}
    overdue_risk = registers.risk_create(project_id=project.pk, by=pm, data={
        **risk_values, "review_date": TODAY - dt.timedelta(days=1)})
    registers.risk_create(project_id=project.pk, by=pm, data={**risk_values, "event": "Reviewed",
                                                              "review_date": TODAY + dt.timedelta(days=10)})
    issue = registers.issue_raise(project_id=project.pk, by=pm, data={
        "type": "problem", "title": "Duct blocked", "description": "d", "owner": pm})
    change = ChangeRequest.objects.create(project=project, number=1, title="Extra cabinet", description="d",
                                          owner=pm, raised_by=pm, status="submitted")
    ChangeRequest.objects.create(project=project, number=2, title="A draft", description="d", owner=pm, raised_by=pm)
    soon = Milestone.objects.create(project=project, name="Ring closed", baseline_date=TODAY + dt.timedelta(days=5),
                                    forecast_date=TODAY + dt.timedelta(days=5))
    Milestone.objects.create(project=project, name="Far away", baseline_date=TODAY + dt.timedelta(days=60),
                             forecast_date=TODAY + dt.timedelta(days=60))
    return {"action": open_action, "risk": overdue_risk, "issue": issue, "change_request": change, "milestone": soon}


def test_the_agenda_is_drafted_from_the_registers_without_duplicates(project, pm, registers_filled):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Opening")
    minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={
        "section": section, "title": "About the closures", "action": registers_filled["action"]})
    added = minutes.agenda_draft_from_registers(meeting_id=meeting.pk, by=pm)
    assert added == 4  # the action is on the agenda already
    linked = {name: set(meeting.items.exclude(**{f"{name}__isnull": True}).values_list(name, flat=True))
              for name in AgendaItem.LINKS}
    assert linked == {name: {entry.pk} for name, entry in registers_filled.items()}
    assert minutes.agenda_draft_from_registers(meeting_id=meeting.pk, by=pm) == 0
    assert meeting.items.count() == 5
    sources = list(meeting.sections.values_list("source", flat=True))
    assert sources == ["", "risks", "changes", "issues", "milestones"]


def test_milestones_are_taken_up_to_the_next_meeting_of_the_series(project, pm):
    meeting = new_meeting(project, pm, recurrence="weekly")
    Milestone.objects.create(project=project, name="In ten days", baseline_date=TODAY + dt.timedelta(days=10),
                             forecast_date=TODAY + dt.timedelta(days=10))
    assert minutes.agenda_draft_from_registers(meeting_id=meeting.pk, by=pm) == 0  # a week ahead only


def test_open_items_of_the_previous_meeting_are_carried_over_once(project, pm):
    meeting = new_meeting(project, pm, recurrence="weekly")
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    left_open = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section,
                                                                            "title": "Access to the roof"})
    closed = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "Closed"})
    held(meeting, pm)
    minutes.outcome_record(item_id=closed.pk, by=pm, data={"kind": "information", "title": "Settled"})
    following = meetings.meeting_plan_next(meeting_id=meeting.pk, by=pm)
    assert minutes.agenda_draft_from_registers(meeting_id=following.pk, by=pm) == 1
    assert minutes.agenda_draft_from_registers(meeting_id=following.pk, by=pm) == 0
    carried = following.items.get()
    assert (carried.title, carried.carried_from, carried.section.source) == ("Access to the roof", left_open,
                                                                             "previous")


def test_agenda_items_move_up_and_down_within_their_section(project, pm):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    a, b, c = (minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": t})
               for t in "abc")
    minutes.agenda_item_move(item_id=c.pk, by=pm, up=True)
    minutes.agenda_item_move(item_id=a.pk, by=pm, up=True)  # the first stays first
    assert list(section.items.order_by("position").values_list("title", flat=True)) == ["a", "c", "b"]
    minutes.agenda_item_move(item_id=a.pk, by=pm, up=False)
    assert list(section.items.order_by("position").values_list("title", flat=True)) == ["c", "a", "b"]


def test_an_item_about_two_entries_is_refused(project, pm, registers_filled):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    with pytest.raises(DomainError, match="one register entry at most"):
        minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={
            "section": section, "title": "x", "risk": registers_filled["risk"], "issue": registers_filled["issue"]})
    assert not meeting.items.exists()


# --- The minutes ----------------------------------------------------------------------------------

@pytest.fixture
def held_item(project, pm):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    item = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "Planning"})
    held(meeting, pm)
    return item


@pytest.mark.parametrize(("kind", "model", "field"), [
    ("decision", Decision, "title"), ("action", ActionItem, "title"), ("risk", Risk, "event"),
    ("issue", ProjectIssue, "title")])
def test_an_outcome_writes_its_register_entry_once_and_an_edit_updates_it(held_item, pm, support, kind, model,
                                                                          field):
    data = {"kind": kind, "title": "Go for the north route", "details": "Cheaper", "owner": pm,
            "due_date": TODAY + dt.timedelta(days=7), "internal": False}
    outcome = minutes.outcome_record(item_id=held_item.pk, by=pm, data=data)
    entry = model.objects.get()
    assert getattr(outcome, kind) == entry and entry.meeting_outcome == outcome  # linked both ways
    assert getattr(entry, field) == "Go for the north route"
    minutes.outcome_update(outcome_id=outcome.pk, by=pm, expected_version=1,
                           data={**data, "title": "Go for the south route", "owner": support})
    assert model.objects.count() == 1
    entry.refresh_from_db()
    assert getattr(entry, field) == "Go for the south route"
    if kind != "decision":
        assert entry.owner == support
    assert entry.history.count() == 2


def test_an_information_writes_nothing(held_item, pm):
    minutes.outcome_record(item_id=held_item.pk, by=pm, data={"kind": "information", "title": "Noted"})
    assert not (Decision.objects.exists() or ActionItem.objects.exists())


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": "action", "title": "Order", "due_date": TODAY}, "needs an owner"),
    ({"kind": "action", "title": "Order", "owner": "pm"}, "needs a due date"),
    ({"kind": "risk", "title": "Late permit"}, "needs an owner"),
])
def test_an_outcome_without_owner_or_due_date_where_needed_saves_nothing(held_item, pm, data, message):
    data = {**data, **({"owner": pm} if data.get("owner") == "pm" else {})}
    with pytest.raises(DomainError, match=message):
        minutes.outcome_record(item_id=held_item.pk, by=pm, data=data)
    assert not (Outcome.objects.exists() or ActionItem.objects.exists() or Risk.objects.exists())


def test_the_kind_of_an_outcome_that_wrote_an_entry_stays(held_item, pm):
    data = {"kind": "decision", "title": "Go", "details": ""}
    outcome = minutes.outcome_record(item_id=held_item.pk, by=pm, data=data)
    with pytest.raises(DomainError, match="its kind cannot change"):
        minutes.outcome_update(outcome_id=outcome.pk, by=pm, data={**data, "kind": "information"},
                               expected_version=1)


def test_minutes_are_written_only_while_the_meeting_is_held(project, pm):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    item = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "x"})
    with pytest.raises(DomainError, match="once the meeting is held"):
        minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "decision", "title": "Go"})
    assert not Decision.objects.exists()
