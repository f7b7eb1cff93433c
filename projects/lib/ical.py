"""iCalendar (RFC 5545) built with the `icalendar` package: a resource's feed (assignments and the
meetings they attend) and the meeting invitations (RFC 5546 iTIP: METHOD:REQUEST and CANCEL).

A meeting is the same event everywhere: its UID is the meeting's uid and its SEQUENCE the meeting's
sequence, so a calendar that holds it from an invitation and from the feed shows it once."""

import datetime as dt
import zoneinfo
from email.utils import parseaddr

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur

from projects.lib.amounts import hours
from projects.models import Meeting, Resource

TZID = "Europe/Brussels"
BRUSSELS = zoneinfo.ZoneInfo(TZID)
PRODID = "-//PMO//Meetings and assignments//EN"
# What a feed shows of a person's meetings: not drafts (nobody is invited yet); a cancelled one stays,
# marked cancelled, so a calendar holding its invitation sees it cancelled rather than left over.
FEED_STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD, Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED)
FEED_DAYS_BACK = 90


def brussels_timezone() -> Timezone:
    """Europe/Brussels as the EU rule (last Sunday of March and October), the compact form Outlook and
    Google write themselves: two yearly rules instead of one RDATE per year (icalendar's own
    `add_missing_timezones` lists each transition until 2038)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("tzname", "CET")
    daylight = TimezoneDaylight()
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("tzname", "CEST")
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


def _calendar(method: str | None = None, name: str = "") -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
    return calendar


def organiser_address(meeting: Meeting) -> tuple[str, str]:
    """(name, e-mail) of the organiser; an organiser without an address speaks through the
    application's sender address, so that ORGANIZER (required in a REQUEST) is never empty."""
    user = meeting.organiser
    name = user.get_full_name() or user.username
    return name, user.email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


def _address(email: str, name: str, **params) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = name
    for key, value in params.items():
        address.params[key.replace("_", "-")] = value
    return address


def meeting_event(meeting: Meeting, *, invitees, stamp: dt.datetime, sequence: int,
                  status: str | None = "CONFIRMED") -> Event:
    """The VEVENT of a meeting; `invitees` are (e-mail, name) pairs listed as ATTENDEE, each asked to
    answer (RSVP=TRUE, PARTSTAT=NEEDS-ACTION). `status` None leaves STATUS out: RFC 5546 3.2.5 wants
    it absent from a CANCEL that uninvites some attendees only (CANCELLED would cancel the meeting)."""
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(dt.timezone.utc))
    event.add("dtstart", meeting.starts.replace(tzinfo=BRUSSELS))
    event.add("dtend", meeting.ends.replace(tzinfo=BRUSSELS))
    event.add("summary", f"{meeting.project.code} {meeting.title}")
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    if meeting.online_link:
        event.add("url", meeting.online_link)
    titles = [item.title for item in meeting.items.all()]  # the agenda's order (AgendaItem.Meta)
    lines = [meeting.project.name]
    if titles:
        lines += ["", _("Agenda") + ":"] + [f"- {title}" for title in titles]
    if meeting.online_link:
        lines += ["", meeting.online_link]
    if status == "CANCELLED" and meeting.cancel_reason:
        lines += ["", meeting.cancel_reason]
    event.add("description", "\n".join(lines))
    organiser_name, organiser_email = organiser_address(meeting)
    event.add("organizer", _address(organiser_email, organiser_name))
    for email, name in invitees:
        role = "CHAIR" if email.lower() == organiser_email.lower() else "REQ-PARTICIPANT"
        event.add("attendee", _address(email, name, cutype="INDIVIDUAL", role=role, partstat="NEEDS-ACTION",
                                       rsvp="TRUE"))
    if status:
        event.add("status", status)
    event.add("transp", "OPAQUE")
    return event


def meeting_invitation(meeting: Meeting, *, method: str, invitees, sequence: int, stamp: dt.datetime,
                       status: str | None = "CONFIRMED") -> str:
    """An iTIP message (METHOD:REQUEST or CANCEL) with the Europe/Brussels VTIMEZONE its times refer to."""
    calendar = _calendar(method)
    calendar.add_component(brussels_timezone())
    calendar.add_component(meeting_event(meeting, invitees=invitees, stamp=stamp, sequence=sequence, status=status))
    return calendar.to_ical().decode()


def _person_meetings(user_id: int):
    since = timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK)
    return (Meeting.objects.filter(Q(attendees__user_id=user_id) | Q(organiser_id=user_id), status__in=FEED_STATUSES,
                                   date__gte=since)
            .distinct().select_related("project", "organiser").prefetch_related("attendees__user", "items")
            .order_by("date", "start_time", "pk"))


def resource_calendar(resource: Resource) -> str:
    """The resource's assignments (all-day, transparent) and, when the resource has a login, the meetings
    that person organises or attends, with the invitations' UID and SEQUENCE."""
    stamp = timezone.now()
    calendar = _calendar(name=resource.name)
    assignments = resource.assignments.select_related("activity__project").filter(
        activity__planned_end__gte=timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK))
    for assignment in assignments:
        activity = assignment.activity
        event = Event()
        event.add("uid", f"assignment-{assignment.pk}@pmo")
        event.add("dtstamp", stamp)
        event.add("dtstart", activity.planned_start)
        event.add("dtend", activity.planned_end + dt.timedelta(days=1))
        event.add("summary", f"{activity.project.code} {activity.name} ({hours(assignment.hours_per_week)} h/week)")
        event.add("description", activity.project.name)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    meetings = list(_person_meetings(resource.user_id)) if resource.user_id else []
    if meetings:
        calendar.add_component(brussels_timezone())
    for meeting in meetings:
        invitees = [(a.user.email if a.user_id else a.email, str(a)) for a in meeting.attendees.all()
                    if (a.user.email if a.user_id else a.email)]
        calendar.add_component(meeting_event(meeting, invitees=invitees, stamp=stamp, sequence=meeting.sequence,
                                             status="CANCELLED" if meeting.status == Meeting.Status.CANCELLED
                                             else "CONFIRMED"))
    return calendar.to_ical().decode()
