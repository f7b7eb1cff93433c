"""Engineers' workload per week across projects."""

import datetime as dt
from bisect import bisect_left, bisect_right
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


def _positions(weeks: list[dt.date], start: dt.date, end: dt.date) -> range:
    """Positions of the weeks (sorted Mondays) that share a day with start..end, by bisection: a booking
    costs as many steps as the weeks it covers, not one test per week shown."""
    return range(bisect_left(weeks, start - dt.timedelta(days=6)), bisect_right(weeks, end))


@dataclass
class Workload:
    """Capacity, booked hours and the codes of the projects booked, per resource id: one entry per week
    shown, in the order of `weeks`. Lists rather than a Cell per week: the grid of 200 resources x 26
    weeks is 5,200 cells."""

    weeks: list[dt.date]
    capacity: dict[int, list[Decimal]]
    booked: dict[int, list[Decimal]]
    projects: dict[int, list[tuple[str, ...]]]

    def cells(self, resource_id: int) -> dict[dt.date, Cell]:
        return {week: Cell(capacity=capacity, booked=booked) for week, capacity, booked
                in zip(self.weeks, self.capacity[resource_id], self.booked[resource_id])}


def workload_with_projects(resources: list[Resource], weeks: list[dt.date], extra: list[tuple] = (),
                           exclude_assignment_id: int | None = None) -> Workload:
    """Capacity (less absences), bookings and their projects per resource and week, from one query of
    the assignments. `extra` adds hypothetical bookings (resource_id, start, end, hours) so a form can
    warn before saving."""
    ids = [r.pk for r in resources]
    first, last = weeks[0], weeks[-1] + dt.timedelta(days=6)
    weekly = {r.pk: r.weekly_capacity_hours for r in resources}
    capacity = {r.pk: [r.weekly_capacity_hours] * len(weeks) for r in resources}
    booked = {r.pk: [ZERO] * len(weeks) for r in resources}
    codes = {r.pk: [None] * len(weeks) for r in resources}
    for resource_id, start, end in Absence.objects.filter(resource__in=ids, end__gte=first, start__lte=last) \
            .values_list("resource_id", "start", "end"):
        row = capacity[resource_id]
        for n in _positions(weeks, start, end):
            start_in_week, end_in_week = max(start, weeks[n]), min(end, weeks[n] + dt.timedelta(days=4))
            if start_in_week <= end_in_week:
                row[n] -= weekly[resource_id] * _weekdays_between(start_in_week, end_in_week) / 5
    bookings = (Assignment.objects.filter(resource__in=ids, activity__planned_end__gte=first,
                                          activity__planned_start__lte=last)
                .exclude(pk=exclude_assignment_id)
                .values_list("resource_id", "activity__planned_start", "activity__planned_end", "hours_per_week",
                             "activity__project__code"))
    for resource_id, start, end, hours, code in [*bookings, *((*booking, None) for booking in extra)]:
        row, row_codes = booked[resource_id], codes[resource_id]
        for n in _positions(weeks, start, end):
            row[n] += hours
            if code is None:
                continue
            if row_codes[n] is None:
                row_codes[n] = {code}
            else:
                row_codes[n].add(code)
    projects = {pk: [tuple(sorted(cell)) if cell else () for cell in row] for pk, row in codes.items()}
    return Workload(weeks=weeks, capacity=capacity, booked=booked, projects=projects)


def workload(resources: list[Resource], weeks: list[dt.date], extra: list[tuple] = (),
             exclude_assignment_id: int | None = None) -> dict[int, dict[dt.date, Cell]]:
    """Grid of resource x week. `extra` adds hypothetical bookings (resource_id, start, end, hours)
    so a form can warn before saving."""
    grid = workload_with_projects(resources, weeks, extra, exclude_assignment_id)
    return {r.pk: grid.cells(r.pk) for r in resources}


def overbooked_weeks(resource: Resource, start: dt.date, end: dt.date, hours: Decimal,
                     exclude_assignment_id: int | None = None) -> list[tuple[dt.date, Cell]]:
    weeks = week_starts(start, ((monday(end) - monday(start)).days // 7) + 1)
    grid = workload([resource], weeks, extra=[(resource.pk, start, end, hours)],
                    exclude_assignment_id=exclude_assignment_id)[resource.pk]
    return [(week, cell) for week, cell in grid.items() if cell.over]
