"""Reads of meetings: a project's list, its next and last meeting, a meeting's agenda with its outcomes,
a person's meetings of the week and minutes to publish, the list across projects."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from projects.lib.workflow import Transition
from projects.models import AgendaItem, AgendaSection, Meeting, Outcome, Project
from projects.workflows import MEETING


def meeting_list_for_project(project: Project):
    """The project's meetings, newest first, with the organiser and the number of attendees: a
    constant number of queries for any page."""
    return (project.meetings.select_related("organiser").annotate(attendee_count=Count("attendees"))
            .order_by("-date", "-start_time", "-number"))


def next_and_last_meeting(project: Project) -> tuple[Meeting | None, Meeting | None]:
    today = timezone.localdate()
    meetings = project.meetings.only("project_id", "number", "title", "kind", "date", "start_time", "status")
    upcoming = meetings.filter(status__in=Meeting.UPCOMING, date__gte=today).order_by("date", "start_time").first()
    last = meetings.filter(status__in=Meeting.PAST).order_by("-date", "-start_time").first()
    return upcoming, last


@dataclass
class Agenda:
    sections: list[AgendaSection]
    planned_minutes: int
    duration: int
    items: list[AgendaItem] = field(default_factory=list)

    @property
    def over_by(self) -> int:
        return max(0, self.planned_minutes - self.duration)


def meeting_agenda(meeting: Meeting) -> Agenda:
    """Sections, their items (with what each is about) and each item's outcomes (with the entry it wrote),
    in four queries whatever the agenda's size."""
    outcomes = Outcome.objects.select_related("owner", "decision", "action", "risk", "issue",
                                              "change_request").order_by("pk")
    items = (AgendaItem.objects.select_related(*AgendaItem.LINKS).prefetch_related(Prefetch("outcomes", outcomes))
             .order_by("position", "pk"))
    sections = list(meeting.sections.prefetch_related(Prefetch("items", items)).order_by("position", "pk"))
    all_items = [item for section in sections for item in section.items.all()]
    planned = sum(item.minutes_planned for item in all_items)
    return Agenda(sections=sections, planned_minutes=planned, duration=meeting.duration_minutes, items=all_items)


def planned_minutes(meeting: Meeting) -> int:
    return meeting.items.aggregate(total=Sum("minutes_planned"))["total"] or 0


def meeting_actions_for_user(user, meeting: Meeting) -> dict[str, Transition]:
    """The state changes the user may take on the meeting now (the buttons of its page)."""
    return MEETING.available(user, meeting)


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def meetings_this_week_for(user, limit: int):
    """The meetings of this week (Monday to Sunday) the user organises or attends, not cancelled: one query."""
    monday, sunday = week_bounds(timezone.localdate())
    return list(Meeting.objects.filter(Q(organiser=user) | Q(attendees__user=user), date__range=(monday, sunday))
                .exclude(status=Meeting.Status.CANCELLED).select_related("project").distinct()
                .order_by("date", "start_time", "pk")[:limit])


def minutes_to_publish_for(user, limit: int):
    """Held meetings the user organised: their minutes wait to be published. One query."""
    return list(Meeting.objects.filter(organiser=user, status=Meeting.Status.HELD).select_related("project")
                .order_by("date", "start_time", "pk")[:limit])


def meetings_across_projects(projects, status: str = ""):
    """Every meeting of the given projects, newest first, optionally of one state (for the paginator)."""
    meetings = Meeting.objects.filter(project__in=projects).select_related("project", "organiser")
    if status:
        meetings = meetings.filter(status=status)
    return meetings.order_by("-date", "-start_time", "pk")
