"""Meeting invitations calendars understand (issue 17, item 3): every message is parsed back with the
`icalendar` package: METHOD, a stable UID, a growing SEQUENCE, the Europe/Brussels VTIMEZONE, each
attendee's address and the language of the e-mail; nothing for a draft or a rolled-back change; a
broker outage delays and loses nothing; the calendar feed holds the same events."""

import datetime as dt
import zoneinfo
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from outbox import services as outbox
from outbox.models import OutboxMessage
from pmo.celery import app as celery_app
from projects.models import Meeting, MeetingInvitation, Resource
from projects.services import meetings, minutes
from projects.tasks import send_meeting_invitation

from .test_outbox import REFUSED

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
DAY = dt.date(2027, 7, 6)  # summer time: 10:00 in Brussels is 08:00 UTC


@pytest.fixture
def people(pm, support):
    pm.language, support.language = "en", "nl"
    pm.save()
    support.save()
    return pm, support


def make_meeting(project, pm, support, **changes):
    data = {"kind": Meeting.Kind.PROGRESS, "title": "Weekly progress", "date": DAY, "start_time": dt.time(10, 0),
            "duration_minutes": 60, "place": "Gent, room 2", "online_link": "https://meet.example/abc",
            "recurrence": Meeting.Recurrence.NONE, "organiser": pm, **changes}
    meeting = meetings.meeting_create(project_id=project.pk, by=pm, data=data, users=[pm, support])
    meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={
        "name": "Claire Dubois", "email": "claire@customer.example", "language": "fr"})
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Progress")
    minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "Permit for the tram",
                                                                   "minutes_planned": 10})
    meeting.refresh_from_db()
    return meeting


def sent(callbacks, call):
    """Run a service as a request would: its commit hooks (the outbox's hand-over, eager here) run."""
    mail.outbox.clear()
    with callbacks(execute=True):
        result = call()
    return result


def parsed(message):
    """The calendar part of an e-mail, parsed; checks it is there twice, as Outlook expects."""
    alternatives = [alt for alt in message.alternatives if alt.mimetype == "text/calendar"]
    attachments = [att for att in message.attachments if att.mimetype == "text/calendar"]
    assert len(alternatives) == 1 and len(attachments) == 1 and alternatives[0].content == attachments[0].content
    return Calendar.from_ical(alternatives[0].content)


def event_of(calendar):
    (event,) = calendar.walk("VEVENT")
    return event


def by_address(messages):
    return {message.to[0]: message for message in messages}


def attendees(event):
    value = event.get("attendee")
    value = value if isinstance(value, list) else [value]
    return {str(a).removeprefix("mailto:"): a.params for a in value}


def test_planning_sends_each_attendee_a_request_in_their_language(project, people,
                                                                  django_capture_on_commit_callbacks):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    assert mail.outbox == [] and not MeetingInvitation.objects.exists()  # a draft sends nothing

    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    messages = by_address(mail.outbox)
    assert set(messages) == {pm.email, support.email, "claire@customer.example"}
    assert messages[pm.email].subject == "Invitation: Weekly progress, 6 July 2027 at 10:00"
    assert messages[support.email].subject == "Uitnodiging: Weekly progress, 6 juli 2027 om 10:00"
    assert messages["claire@customer.example"].subject == "Invitation\u00a0: Weekly progress, 6 juillet 2027 à 10:00"
    assert "Quand\u00a0:" in messages["claire@customer.example"].body
    assert "Permit for the tram" in messages[support.email].body

    for address, message in messages.items():
        calendar = parsed(message)
        assert calendar["METHOD"] == "REQUEST"
        (tz,) = calendar.walk("VTIMEZONE")
        assert tz["TZID"] == "Europe/Brussels"
        event = event_of(calendar)
        assert (str(event["UID"]), event["SEQUENCE"]) == (meeting.uid, meeting.sequence)
        assert event["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert event["DTSTART"].dt == dt.datetime(2027, 7, 6, 10, 0, tzinfo=BRUSSELS)
        assert event["DTSTART"].dt.astimezone(dt.timezone.utc).hour == 8
        assert event["DTEND"].dt == dt.datetime(2027, 7, 6, 11, 0, tzinfo=BRUSSELS)
        # The time zone as written in the message means the same offset as the real one.
        assert tz.to_tz().utcoffset(dt.datetime(2027, 7, 6, 10, 0)) == dt.timedelta(hours=2)
        assert tz.to_tz().utcoffset(dt.datetime(2027, 1, 6, 10, 0)) == dt.timedelta(hours=1)
        assert event["DTSTAMP"].dt.tzinfo is not None
        assert str(event["ORGANIZER"]) == f"mailto:{pm.email}" and event["ORGANIZER"].params["CN"] == str(pm)
        assert str(event["SUMMARY"]) == f"{project.code} Weekly progress"
        assert str(event["LOCATION"]) == "Gent, room 2" and str(event["URL"]) == "https://meet.example/abc"
        assert "Permit for the tram" in str(event["DESCRIPTION"])
        assert str(event["STATUS"]) == "CONFIRMED"
        listed = attendees(event)
        assert set(listed) == set(messages)
        claire = listed["claire@customer.example"]
        assert (claire["RSVP"], claire["PARTSTAT"], claire["ROLE"], claire["CN"]) == (
            "TRUE", "NEEDS-ACTION", "REQ-PARTICIPANT", "Claire Dubois")
        assert listed[pm.email]["ROLE"] == "CHAIR"
        assert address in listed

    # The MIME parts as mail clients read them.
    raw = messages[pm.email].message()
    types = [part.get_content_type() for part in raw.walk()]
    assert types.count("text/calendar") == 2 and "multipart/alternative" in types
    for part in raw.walk():
        if part.get_content_type() == "text/calendar":
            assert part.get_param("method") == "REQUEST" and part.get_content_charset() == "utf-8"
    assert any(part.get_filename() == "invite.ics" for part in raw.walk())

    rows = MeetingInvitation.objects.filter(meeting=meeting)
    assert rows.count() == 3 and all(row.sent_at for row in rows)
    assert {(row.email, row.method, row.sequence, row.language) for row in rows} == {
        (pm.email, "REQUEST", meeting.sequence, "en"), (support.email, "REQUEST", meeting.sequence, "nl"),
        ("claire@customer.example", "REQUEST", meeting.sequence, "fr")}


def test_a_moved_meeting_sends_an_update_with_a_raised_sequence_and_the_same_uid(
        project, people, django_capture_on_commit_callbacks):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    first = {m.to[0]: event_of(parsed(m)) for m in mail.outbox}
    meeting.refresh_from_db()

    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_update(
        meeting_id=meeting.pk, by=pm, data={"start_time": dt.time(14, 30)}, expected_version=meeting.version,
        users=[pm, support]))
    messages = by_address(mail.outbox)
    assert set(messages) == set(first)
    assert messages[pm.email].subject == "Updated invitation: Weekly progress, 6 July 2027 at 14:30"
    assert messages["claire@customer.example"].subject.startswith("Invitation mise à jour\u00a0:")
    for address, message in messages.items():
        calendar = parsed(message)
        event = event_of(calendar)
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == str(first[address]["UID"]) == meeting.uid
        assert event["SEQUENCE"] == first[address]["SEQUENCE"] + 1
        assert event["DTSTART"].dt == dt.datetime(2027, 7, 6, 14, 30, tzinfo=BRUSSELS)

    # A change that is not one of time, place or attendees sends nothing.
    meeting.refresh_from_db()
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_update(
        meeting_id=meeting.pk, by=pm, data={"title": "Weekly progress (fibre)"}, expected_version=meeting.version,
        users=[pm, support]))
    assert mail.outbox == []


def test_a_removed_attendee_gets_a_cancel_for_them_alone_and_the_others_the_update(
        project, people, django_capture_on_commit_callbacks):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    meeting.refresh_from_db()
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_update(
        meeting_id=meeting.pk, by=pm, data={}, expected_version=meeting.version, users=[pm]))
    messages = by_address(mail.outbox)
    cancel = parsed(messages[support.email])
    event = event_of(cancel)
    assert cancel["METHOD"] == "CANCEL" and set(attendees(event)) == {support.email}
    assert "STATUS" not in event  # RFC 5546: STATUS:CANCELLED would cancel the meeting for everyone
    assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == meeting.sequence + 1
    assert messages[support.email].subject.startswith("Niet meer uitgenodigd:")
    for address in (pm.email, "claire@customer.example"):
        update = parsed(messages[address])
        assert update["METHOD"] == "REQUEST" and support.email not in attendees(event_of(update))

    # The external attendee removed from the page: a cancel to her alone.
    claire = meeting.attendees.get(email="claire@customer.example")
    sent(django_capture_on_commit_callbacks, lambda: meetings.attendee_remove(
        meeting_id=meeting.pk, attendee_id=claire.pk, by=pm))
    messages = by_address(mail.outbox)
    assert parsed(messages["claire@customer.example"])["METHOD"] == "CANCEL"
    assert parsed(messages[pm.email])["METHOD"] == "REQUEST" and support.email not in messages


def test_cancelling_a_planned_meeting_sends_a_cancel_to_all_and_a_draft_nothing(
        project, people, django_capture_on_commit_callbacks):
    pm, support = people
    draft = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_cancel(meeting_id=draft.pk, by=pm))
    assert mail.outbox == [] and not MeetingInvitation.objects.exists()

    meeting = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    planned_sequence = Meeting.objects.get(pk=meeting.pk).sequence
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_cancel(
        meeting_id=meeting.pk, by=pm, reason="The customer's site is closed"))
    messages = by_address(mail.outbox)
    assert set(messages) == {pm.email, support.email, "claire@customer.example"}
    for message in messages.values():
        calendar = parsed(message)
        event = event_of(calendar)
        assert calendar["METHOD"] == "CANCEL" and str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == meeting.uid and event["SEQUENCE"] == planned_sequence + 1
        assert len(attendees(event)) == 3
    assert messages["claire@customer.example"].subject.startswith("Annulée\u00a0:")
    assert "The customer's site is closed" in messages[pm.email].body


def test_a_resend_sends_the_same_sequence_to_one_address_once(project, people, django_capture_on_commit_callbacks):
    pm, support = people
    support.email = ""  # no address yet: nothing to send to
    support.save()
    meeting = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    assert len(mail.outbox) == 2
    assert sent(django_capture_on_commit_callbacks,
                lambda: meetings.invitations_resend(meeting_id=meeting.pk, by=pm)) == 0
    assert mail.outbox == []
    support.email = "sofie@example.com"
    support.save()
    assert sent(django_capture_on_commit_callbacks,
                lambda: meetings.invitations_resend(meeting_id=meeting.pk, by=pm)) == 1
    assert [m.to for m in mail.outbox] == [["sofie@example.com"]]
    assert sent(django_capture_on_commit_callbacks,
                lambda: meetings.invitations_resend(meeting_id=meeting.pk, by=pm)) == 0
    # The task run twice (a redelivered message) sends once.
    invitation = MeetingInvitation.objects.get(email="sofie@example.com")
    mail.outbox.clear()
    assert send_meeting_invitation.apply(args=[invitation.pk]).get() is False and mail.outbox == []


def test_the_meeting_page_shows_what_was_sent(client, project, people, django_capture_on_commit_callbacks):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    client.force_login(pm)
    url = reverse("projects:meeting_detail", args=[project.code, meeting.number])
    assert "Invitations sent" not in client.get(url).content.decode()
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=meeting.pk, by=pm))
    page = client.get(url).content.decode()
    assert f"Invitations sent: 3, last sequence {meeting.sequence}" in page


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_for_a_rolled_back_change(project, people):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    mail.outbox.clear()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
            raise RuntimeError("the request failed after planning")
    assert mail.outbox == [] and not MeetingInvitation.objects.exists()
    assert not OutboxMessage.objects.exists() and Meeting.objects.get(pk=meeting.pk).status == "draft"


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_invitations_wait_and_go_out_after_the_relay(project, people):
    pm, support = people
    meeting = make_meeting(project, pm, support)
    mail.outbox.clear()
    state = mock.Mock(down=True, handed=[])

    def apply_async(self, args=None, kwargs=None, **options):
        if state.down:
            raise REFUSED
        state.handed.append((self.name, args))

    outbox._broker_down_until = 0.0
    celery_app.conf.task_always_eager = False
    try:
        with mock.patch("celery.app.task.Task.apply_async", apply_async):
            meetings.meeting_plan(meeting_id=meeting.pk, by=pm)  # commits: the broker's refusal is no error
            assert Meeting.objects.get(pk=meeting.pk).status == "planned"
            assert OutboxMessage.objects.pending().count() == 3 and mail.outbox == []
            state.down = False
            outbox._broker_down_until = 0.0
            assert outbox.relay_due() == (3, True)
    finally:
        outbox._broker_down_until = 0.0
    # A worker takes what the relay handed over.
    for name, args in state.handed:
        assert name == "projects.tasks.send_meeting_invitation"
        send_meeting_invitation.apply(args=args)
    assert {m.to[0] for m in mail.outbox} == {pm.email, support.email, "claire@customer.example"}
    assert all(parsed(m)["METHOD"] == "REQUEST" for m in mail.outbox)


def test_the_calendar_feed_holds_the_meetings_with_the_invitations_uid(client, project, people,
                                                                       django_capture_on_commit_callbacks):
    pm, support = people
    resource = Resource.objects.create(name="Sofie", user=support)
    planned = make_meeting(project, pm, support)
    sent(django_capture_on_commit_callbacks, lambda: meetings.meeting_plan(meeting_id=planned.pk, by=pm))
    make_meeting(project, pm, support, title="Still a draft")
    cancelled = make_meeting(project, pm, support, title="Called off")
    meetings.meeting_plan(meeting_id=cancelled.pk, by=pm)
    meetings.meeting_cancel(meeting_id=cancelled.pk, by=pm)
    removed = make_meeting(project, pm, support, title="Without Sofie")
    meetings.meeting_plan(meeting_id=removed.pk, by=pm)
    removed.refresh_from_db()
    meetings.meeting_update(meeting_id=removed.pk, by=pm, data={}, expected_version=removed.version, users=[pm])

    body = client.get(reverse("calendar_feed", args=[resource.calendar_token])).content.decode()
    calendar = Calendar.from_ical(body)
    assert "METHOD" not in calendar  # a feed, not an invitation
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    events = {str(event["UID"]): event for event in calendar.walk("VEVENT")}
    invitation = Calendar.from_ical(MeetingInvitation.objects.filter(meeting=planned).first().ics)
    assert set(events) == {planned.uid, cancelled.uid}
    assert events[planned.uid]["SEQUENCE"] == event_of(invitation)["SEQUENCE"]
    assert events[planned.uid]["DTSTART"].dt == dt.datetime(2027, 7, 6, 10, 0, tzinfo=BRUSSELS)
    assert str(events[planned.uid]["STATUS"]) == "CONFIRMED"
    assert str(events[cancelled.uid]["STATUS"]) == "CANCELLED"
