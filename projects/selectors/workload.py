"""Engineers' workload per week across projects."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from projects.models import Absence, Assignment, Resource

ZERO = Decimal("0")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def week_starts(first: dt.date, count: int) -> list[dt.date]:
    start = monday(first)
    return [start + dt.timedelta(weeks=n) for n in range(count)]


@dataclass
class Cell:
    capacity: Decimal = ZERO
    booked: Decimal = ZERO

    @property
    def free(self) -> Decimal:
        return self.capacity - self.booked

    @property
    def over(self) -> bool:
        return self.booked > self.capacity

    @property
    def load(self) -> int:
        return int(100 * self.booked / self.capacity) if self.capacity else (100 if self.booked else 0)


def _weekdays_between(start: dt.date, end: dt.date) -> int:
    return sum(1 for n in range((end - start).days + 1) if (start + dt.timedelta(days=n)).weekday() < 5)


def _overlaps(start: dt.date, end: dt.date, week: dt.date) -> bool:
    return start <= week + dt.timedelta(days=6) and end >= week


def workload(resources: list[Resource], weeks: list[dt.date], extra: list[tuple] = (),
             exclude_assignment_id: int | None = None) -> dict[int, dict[dt.date, Cell]]:
    """Grid of resource x week. `extra` adds hypothetical bookings (resource_id, start, end, hours)
    so a form can warn before saving."""
    ids = [r.pk for r in resources]
    first, last = weeks[0], weeks[-1] + dt.timedelta(days=6)
    grid = {r.pk: {w: Cell(capacity=r.weekly_capacity_hours) for w in weeks} for r in resources}
    capacity = {r.pk: r.weekly_capacity_hours for r in resources}
    for absence in Absence.objects.filter(resource__in=ids, end__gte=first, start__lte=last):
        for week in weeks:
            start, end = max(absence.start, week), min(absence.end, week + dt.timedelta(days=4))
            if start <= end:
                days = _weekdays_between(start, end)
                grid[absence.resource_id][week].capacity -= capacity[absence.resource_id] * days / 5
    bookings = [(a.resource_id, a.activity.planned_start, a.activity.planned_end, a.hours_per_week)
                for a in Assignment.objects.filter(resource__in=ids, activity__planned_end__gte=first,
                                                   activity__planned_start__lte=last)
                .exclude(pk=exclude_assignment_id).select_related("activity")]
    for resource_id, start, end, hours in [*bookings, *extra]:
        for week in weeks:
            if _overlaps(start, end, week):
                grid[resource_id][week].booked += hours
    return grid


def overbooked_weeks(resource: Resource, start: dt.date, end: dt.date, hours: Decimal,
                     exclude_assignment_id: int | None = None) -> list[tuple[dt.date, Cell]]:
    weeks = week_starts(start, ((monday(end) - monday(start)).days // 7) + 1)
    grid = workload([resource], weeks, extra=[(resource.pk, start, end, hours)],
                    exclude_assignment_id=exclude_assignment_id)[resource.pk]
    return [(week, cell) for week, cell in grid.items() if cell.over]


def projects_per_cell(resources: list[Resource], weeks: list[dt.date]) -> dict[tuple[int, dt.date], set[str]]:
    """Which project codes each booking comes from, for the workload grid's tooltips."""
    first, last = weeks[0], weeks[-1] + dt.timedelta(days=6)
    codes = defaultdict(set)
    for a in Assignment.objects.filter(resource__in=[r.pk for r in resources], activity__planned_end__gte=first,
                                       activity__planned_start__lte=last).select_related("activity__project"):
        for week in weeks:
            if _overlaps(a.activity.planned_start, a.activity.planned_end, week):
                codes[(a.resource_id, week)].add(a.activity.project.code)
    return codes
