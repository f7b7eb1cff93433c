"""iCalendar (RFC 5545) feed of a resource's assignments, written by hand: a few lines of text."""

import datetime as dt

from django.utils import timezone

from projects.lib.amounts import hours
from projects.models import Resource


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def resource_calendar(resource: Resource) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//PMO//Assignments//EN", "CALSCALE:GREGORIAN",
             f"X-WR-CALNAME:{_escape(resource.name)}"]
    assignments = resource.assignments.select_related("activity__project").filter(
        activity__planned_end__gte=timezone.localdate() - dt.timedelta(days=90))
    for assignment in assignments:
        activity = assignment.activity
        lines += [
            "BEGIN:VEVENT",
            f"UID:assignment-{assignment.pk}@pmo",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{activity.planned_start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{activity.planned_end + dt.timedelta(days=1):%Y%m%d}",
            "SUMMARY:" + _escape(
                f"{activity.project.code} {activity.name} ({hours(assignment.hours_per_week)} h/week)"),
            f"DESCRIPTION:{_escape(activity.project.name)}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"
