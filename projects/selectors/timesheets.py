"""Reads for the timesheet pages: a person's week (their assigned activities as rows, pre-filled), the
timesheets waiting for a decision, the cost rates, the locked months. Query counts do not grow with rows."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from projects import permissions_timesheets as perms
from projects.models import Activity, Assignment, CostRate, MonthLock, Resource, Timesheet, TimesheetLine, week_monday
from projects.services.timesheets import assignable_activities

ZERO = Decimal("0")


@dataclass
class WeekRow:
    activity: Activity
    line: TimesheetLine | None
    sheet: Timesheet | None

    @property
    def editable(self) -> bool:
        return self.sheet is None or self.sheet.status in Timesheet.EDITABLE

    @property
    def hours(self) -> list[Decimal]:
        return self.line.hours if self.line else [ZERO] * 7


def parse_week(text: str | None, today: dt.date) -> dt.date:
    """'2026-W45' -> its Monday; anything else -> this week's Monday."""
    try:
        year, week = (text or "").split("-W")
        return dt.date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return week_monday(today)


def week_label(monday: dt.date) -> str:
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_rows(resource: Resource, week_start: dt.date, extra_ids: list[int]) -> list[WeekRow]:
    """Rows: the activities the person is assigned to whose planned dates touch the week, those they booked
    hours on already this week, and those they added (any activity of a project they are assigned to)."""
    week_end = week_start + dt.timedelta(days=6)
    sheets = list(resource.timesheets.filter(week_start=week_start).select_related("project")
                  .prefetch_related(Prefetch("lines", queryset=TimesheetLine.objects.select_related(
                      "activity", "activity__project"))))
    rows = {}
    for sheet in sheets:
        for line in sheet.lines.all():
            rows[line.activity_id] = WeekRow(line.activity, line, sheet)
    assigned = (Assignment.objects.filter(resource=resource, activity__planned_start__lte=week_end,
                                          activity__planned_end__gte=week_start)
                .select_related("activity", "activity__project"))
    wanted = [a.activity for a in assigned]
    if extra_ids:
        wanted += list(assignable_activities(resource).filter(pk__in=extra_ids))
    by_project = {s.project_id: s for s in sheets}
    for activity in wanted:
        if activity.pk not in rows and activity.project.status not in activity.project.FINISHED:
            rows[activity.pk] = WeekRow(activity, None, by_project.get(activity.project_id))
    return sorted(rows.values(), key=lambda r: (r.activity.project.code, r.activity.planned_start, r.activity.pk))


def addable_activities(resource: Resource, rows: list[WeekRow]):
    return (assignable_activities(resource).exclude(pk__in=[r.activity.pk for r in rows])
            .order_by("project__code", "planned_start", "pk"))


def timesheets_to_decide_list_for(user):
    return (perms.timesheets_to_decide_for(user).select_related("resource", "project")
            .prefetch_related("lines").order_by("week_start", "project__code", "resource__name"))


def timesheet_lines(timesheet: Timesheet):
    return list(timesheet.lines.select_related("activity"))


def cost_rate_list():
    return CostRate.objects.select_related("resource").order_by("resource__name", "skill", "-valid_from")


def month_lock_list():
    return MonthLock.objects.select_related("locked_by")
