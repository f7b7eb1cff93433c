"""Meetings: details and attendees, the state changes (declared in projects.workflows.MEETING), the
series and the attendance. The agenda and the minutes' outcomes are in projects.services.minutes.

Every change of a meeting's time, place or attendees raises its `sequence` (what a calendar needs to
replace an invitation it holds); the invitations themselves (projects.services.invitations) go out
from here, in the change's transaction: on planning, on a change of a planned meeting, on its cancel."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from projects import permissions
from projects.domain import DomainError, apply_edit, refuse_unless, sequence_next
from projects.models import CustomerContact, Meeting, MeetingAttendee, Project
from projects.services import invitations, minutes_publish
from projects.workflows import MEETING

STALE = gettext_noop("Someone else saved %(id)s meanwhile. Your changes are kept below; reload to see theirs.")
# What an invitation tells: a change of any of these is a new SEQUENCE.
SCHEDULE_FIELDS = ("date", "start_time", "duration_minutes", "place", "online_link")


def lock_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().select_related("project").get(pk=meeting_id)


def refuse_unless_organiser(by: User, project: Project) -> None:
    refuse_unless(permissions.can_organise_meetings(by, project), _("You may not organise this project's meetings."))


def check_meeting_times(data: dict) -> None:
    """A meeting ends after it starts, on the same day (the forms say it next to the field first)."""
    duration = data.get("duration_minutes") or 0
    refuse_unless(duration >= 1, _("A meeting lasts at least one minute: its end cannot be before its start."))
    ends = dt.datetime.combine(data["date"], data["start_time"]) + dt.timedelta(minutes=duration)
    refuse_unless(ends.date() == data["date"], _("The meeting must end on the day it starts."))


def _sync_attendees(meeting: Meeting, users: list[User], contacts: list[CustomerContact]) -> bool:
    """Make the internal attendees `users` and the picked customer contacts `contacts` (other external
    attendees stay); returns whether the list changed."""
    changed = False
    current = {a.user_id: a for a in meeting.attendees.filter(user__isnull=False)}
    wanted = {u.pk for u in users}
    for user_id, attendee in current.items():
        if user_id not in wanted:
            attendee.delete()
            changed = True
    for user in users:
        if user.pk not in current:
            MeetingAttendee.objects.create(meeting=meeting, user=user, language=user.language)
            changed = True
    picked = {a.contact_id: a for a in meeting.attendees.filter(contact__isnull=False)}
    wanted_contacts = {c.pk for c in contacts}
    for contact_id, attendee in picked.items():
        if contact_id not in wanted_contacts:
            attendee.delete()
            changed = True
    emails = set(meeting.attendees.filter(user__isnull=True).values_list("email", flat=True))
    for contact in contacts:
        if contact.pk in picked:
            continue
        refuse_unless(bool(contact.email), _("%(name)s has no e-mail address: add one to the contact first.")
                      % {"name": contact.name})
        if contact.email in emails:
            continue  # already invited by hand under the same address
        MeetingAttendee.objects.create(meeting=meeting, contact=contact, name=contact.name, email=contact.email,
                                       language=meeting.project.customer.language)
        changed = True
    return changed


@transaction.atomic
def meeting_create(*, project_id: int, by: User, data: dict, users: list[User] = (),
                   contacts: list[CustomerContact] = ()) -> Meeting:
    """A new draft meeting, numbered per project (M-001); the project row is locked while the number is taken."""
    project = Project.objects.select_for_update().get(pk=project_id)
    refuse_unless_organiser(by, project)
    check_meeting_times(data)
    meeting = Meeting.objects.create(project=project, number=sequence_next(f"meeting:{project.pk}", 0),
                                     created_by=by, **data)
    _sync_attendees(meeting, list(users), list(contacts))
    return meeting


@transaction.atomic
def meeting_update(*, meeting_id: int, by: User, data: dict, expected_version: int, users: list[User] = (),
                   contacts: list[CustomerContact] = ()) -> Meeting:
    """Details change until the meeting is held; a change of time, place or attendees raises the sequence."""
    meeting = lock_meeting(meeting_id)
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status in Meeting.DETAILS_EDITABLE,
                  _("%(id)s is %(status)s: its details no longer change.")
                  % {"id": meeting.identifier, "status": meeting.get_status_display()})
    before = {name: getattr(meeting, name) for name in SCHEDULE_FIELDS}
    invited = invitations.invitees_of(meeting)
    apply_edit(meeting, data, expected_version=expected_version, stale_message=_(STALE) % {"id": meeting.identifier})
    check_meeting_times({name: getattr(meeting, name) for name in ("date", "start_time", "duration_minutes")})
    moved = any(getattr(meeting, name) != value for name, value in before.items())
    if _sync_attendees(meeting, list(users), list(contacts)) or moved:
        meeting.sequence += 1
        invitations.invitations_after_change(meeting, invited)
    meeting.save()
    return meeting


def _editable_attendees(meeting: Meeting, by: User) -> None:
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status in Meeting.DETAILS_EDITABLE,
                  _("%(id)s is %(status)s: its attendees no longer change.")
                  % {"id": meeting.identifier, "status": meeting.get_status_display()})


@transaction.atomic
def attendee_add_external(*, meeting_id: int, by: User, data: dict) -> MeetingAttendee:
    """Someone without an account, invited by name and e-mail in their language."""
    meeting = lock_meeting(meeting_id)
    _editable_attendees(meeting, by)
    refuse_unless(bool(data.get("name")) and bool(data.get("email")),
                  _("An external attendee needs a name and an e-mail address."))
    refuse_unless(not meeting.attendees.filter(user__isnull=True, email__iexact=data["email"]).exists(),
                  _("%(email)s is already invited.") % {"email": data["email"]})
    invited = invitations.invitees_of(meeting)
    attendee = MeetingAttendee.objects.create(meeting=meeting, **data)
    meeting.sequence += 1
    invitations.invitations_after_change(meeting, invited)
    meeting.save()
    return attendee


@transaction.atomic
def attendee_remove(*, meeting_id: int, attendee_id: int, by: User) -> None:
    meeting = lock_meeting(meeting_id)
    _editable_attendees(meeting, by)
    invited = invitations.invitees_of(meeting)
    meeting.attendees.get(pk=attendee_id).delete()
    meeting.sequence += 1
    invitations.invitations_after_change(meeting, invited)
    meeting.save()


def _transition(meeting_id: int, by: User, name: str) -> Meeting:
    meeting = lock_meeting(meeting_id)
    MEETING.check(name, by, meeting)
    meeting.status = MEETING[name].target
    return meeting


@transaction.atomic
def meeting_plan(*, meeting_id: int, by: User) -> Meeting:
    """A draft with attendees becomes planned: everyone invited gets the invitation."""
    meeting = _transition(meeting_id, by, "plan")
    meeting.save()
    invitations.invitations_request(meeting)
    return meeting


@transaction.atomic
def meeting_hold(*, meeting_id: int, by: User) -> Meeting:
    """From its day on, a planned meeting is held: its minutes are being written."""
    meeting = _transition(meeting_id, by, "hold")
    meeting.held_at = timezone.now()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_publish(*, meeting_id: int, by: User, base_url: str = "") -> Meeting:
    """The minutes of a held meeting, with every attendee's attendance, are published and then frozen;
    a worker renders their PDFs and e-mails each attendee the variant they may read. `base_url` is the
    site's address the customer's confirmation link starts with."""
    meeting = _transition(meeting_id, by, "publish")
    meeting.published_at = timezone.now()
    meeting.save()
    minutes_publish.minutes_deliveries_create(meeting, base_url)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting_id: int, by: User, reason: str = "") -> Meeting:
    """A meeting not yet held may be cancelled; the calendar's copy needs a new sequence. A planned one
    was sent out: its attendees get the cancel (a draft was never sent, so nothing goes out)."""
    was_planned = lock_meeting(meeting_id).status == Meeting.Status.PLANNED  # locked: _transition reads it again
    meeting = _transition(meeting_id, by, "cancel")
    meeting.cancel_reason = reason
    meeting.sequence += 1
    meeting.save()
    if was_planned:
        invitations.invitations_cancel(meeting)
    return meeting


@transaction.atomic
def invitations_resend(*, meeting_id: int, by: User) -> int:
    """The current invitation to whoever has not had it (an address added to a user since, a contact's
    address fixed): idempotent, one address never gets the same sequence twice. Returns how many."""
    meeting = lock_meeting(meeting_id)
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status == Meeting.Status.PLANNED,
                  _("Invitations go out for a planned meeting; %(id)s is %(status)s.")
                  % {"id": meeting.identifier, "status": meeting.get_status_display()})
    return invitations.invitations_request(meeting)


def next_in_series(meeting: Meeting) -> Meeting | None:
    return meeting.next_meetings.exclude(status=Meeting.Status.CANCELLED).order_by("date").first()


@transaction.atomic
def meeting_plan_next(*, meeting_id: int, by: User) -> Meeting:
    """The next meeting of a series: a draft one or two weeks later with the same details and attendees,
    each of which may then be changed for that meeting alone."""
    meeting = lock_meeting(meeting_id)
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.in_series, _("%(id)s is not part of a series.") % {"id": meeting.identifier})
    refuse_unless(meeting.status != Meeting.Status.CANCELLED,
                  _("%(id)s was cancelled: plan the next meeting from another one of the series.")
                  % {"id": meeting.identifier})
    following = next_in_series(meeting)
    if following is not None:
        raise DomainError(_("%(next)s already follows %(id)s.") % {"next": following.identifier,
                                                                   "id": meeting.identifier})
    copied = {name: getattr(meeting, name) for name in ("kind", "title", "start_time", "duration_minutes", "place",
                                                          "online_link", "organiser", "recurrence")}
    following = Meeting.objects.create(
        project=meeting.project, number=sequence_next(f"meeting:{meeting.project_id}", 0), created_by=by,
        previous=meeting, date=meeting.date + dt.timedelta(days=Meeting.RECURRENCE_DAYS[meeting.recurrence]),
        **copied)
    for attendee in meeting.attendees.all():
        MeetingAttendee.objects.create(meeting=following, user=attendee.user, contact=attendee.contact,
                                       name=attendee.name, email=attendee.email, language=attendee.language)
    return following


@transaction.atomic
def attendance_record(*, meeting_id: int, by: User, attendance: dict[int, str]) -> Meeting:
    """Who came, was excused or was absent: written in the minutes, so once the meeting is held."""
    meeting = lock_meeting(meeting_id)
    refuse_unless_organiser(by, meeting.project)
    refuse_unless(meeting.status == Meeting.Status.HELD,
                  _("Attendance is recorded in the minutes of a held meeting; %(id)s is %(status)s.")
                  % {"id": meeting.identifier, "status": meeting.get_status_display()})
    for attendee in meeting.attendees.all():
        value = attendance.get(attendee.pk)
        if value is not None and value != attendee.attendance:
            refuse_unless(value in MeetingAttendee.Attendance.values, _("Unknown attendance."))
            attendee.attendance = value
            attendee.save()
    return meeting
