"""Reads of the plan: the plan page, the Gantt data and the critical path."""

import datetime as dt
from collections import defaultdict, deque
from typing import NamedTuple

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Activity, Dependency, Project


class Link(NamedTuple):
    """A dependency as the plan's computations and pages read it: ids and lag, no model instances
    (a plan of 500 activities has about as many links)."""

    predecessor_id: int
    successor_id: int
    lag_days: int


class PlanActivity(NamedTuple):
    """An activity as the plan's pages and computations read it: its values, no model instance (a
    plan of 500 activities built 500 instances, a third of the plan page's time)."""

    pk: int
    phase_id: int | None
    name: str
    kind: str
    planned_start: dt.date
    planned_end: dt.date
    effort_hours: object
    percent_complete: int
    status: str
    version: int

    @property
    def duration_days(self) -> int:
        return (self.planned_end - self.planned_start).days + 1

    def __str__(self):  # a form's choice label, as the model's
        return self.name


def _plan_activities(project: Project) -> list[PlanActivity]:
    return [PlanActivity(*row) for row in project.activities.values_list(*PlanActivity._fields)]  # model's order


def critical_path(activities: list[Activity], links: list[Link] | list[Dependency]) -> set[int]:
    """Activities without float: a day's delay on any of them delays the plan's end. Late dates
    come from a backward pass (reverse topological order) against the plan's last end date."""
    if not activities:
        return set()
    by_id = {a.pk: a for a in activities}
    successors, incoming = defaultdict(list), defaultdict(int)
    for link in links:
        successors[link.predecessor_id].append(link)
        incoming[link.successor_id] += 1
    order, ready = [], deque(a.pk for a in activities if not incoming[a.pk])
    while ready:  # Kahn's algorithm; the services keep the graph free of cycles
        node = ready.popleft()
        order.append(node)
        for link in successors[node]:
            incoming[link.successor_id] -= 1
            if not incoming[link.successor_id]:
                ready.append(link.successor_id)
    plan_end = max(a.planned_end for a in activities)
    late_finish = {}
    for node in reversed(order):
        options = [plan_end]
        for link in successors[node]:
            successor = by_id[link.successor_id]
            late_start = late_finish[successor.pk] - dt.timedelta(days=successor.duration_days - 1)
            options.append(late_start - dt.timedelta(days=1 + link.lag_days))
        late_finish[node] = min(options)
    return {pk for pk, finish in late_finish.items() if finish <= by_id[pk].planned_end}


def _topological(activities, links) -> list:
    """Predecessors before successors (Kahn's algorithm); anything in a cycle, which the services
    refuse, comes last rather than not at all."""
    successors, incoming = defaultdict(list), defaultdict(int)
    for link in links:
        successors[link.predecessor_id].append(link.successor_id)
        incoming[link.successor_id] += 1
    by_id = {a.pk: a for a in activities}
    ready = deque(a.pk for a in activities if not incoming[a.pk])
    order = []
    while ready:
        node = ready.popleft()
        order.append(node)
        for successor in successors[node]:
            incoming[successor] -= 1
            if not incoming[successor]:
                ready.append(successor)
    seen = set(order)
    return [by_id[pk] for pk in order if pk in by_id] + [a for a in activities if a.pk not in seen]


def forecast_finishes(activities, links, today: dt.date | None = None) -> dict[int, dt.date]:
    """When each activity will finish as the plan stands today (a forward pass): a done activity
    finished as planned; one in progress finishes today at the earliest; one not started cannot start
    before today nor before its predecessors' forecast finish plus the lag, and keeps its duration.
    `activities` need pk, planned_start, planned_end and status; `links` predecessor_id, successor_id
    and lag_days."""
    today = today or timezone.localdate()
    predecessors = defaultdict(list)
    for link in links:
        predecessors[link.successor_id].append(link)
    finish = {}
    for a in _topological(activities, links):
        if a.status == Activity.Status.DONE:
            finish[a.pk] = a.planned_end
        elif a.status == Activity.Status.IN_PROGRESS:
            finish[a.pk] = max(a.planned_end, today)
        else:
            start = max([a.planned_start, today] + [finish[link.predecessor_id] + dt.timedelta(days=1 + link.lag_days)
                                                    for link in predecessors[a.pk] if link.predecessor_id in finish])
            finish[a.pk] = start + (a.planned_end - a.planned_start)
    return finish


def late_starts(activities, today: dt.date | None = None) -> int:
    """Activities whose planned start has passed and that have not started."""
    today = today or timezone.localdate()
    return sum(1 for a in activities if a.status == Activity.Status.NOT_STARTED and a.planned_start < today)


def plan_forecast(activities, links) -> dict:
    """The plan's forecast end and how many activities start late: the project page, the plan, the
    highlight report and the portfolio all read it."""
    finishes = forecast_finishes(activities, links)
    return {"forecast_end": max(finishes.values(), default=None), "late_starts": late_starts(activities)}


def plan_for_project(project: Project) -> dict:
    """The plan page's data in five queries, whatever the number of activities; the activities as
    PlanActivity values."""
    activities = _plan_activities(project)
    links = [Link(*row) for row in Dependency.objects.filter(predecessor__project=project).order_by("pk")
             .values_list("predecessor_id", "successor_id", "lag_days")]
    milestones = list(project.milestones.select_related("phase"))
    baseline = project.current_baseline
    forecast = plan_forecast(activities, links)
    forecast_end = forecast["forecast_end"]
    baseline_end = baseline.end_date if baseline else project.end_date
    return {
        "phases": list(project.phases.all()), "activities": activities, "links": links, "milestones": milestones,
        "critical": critical_path(activities, links), "forecast_end": forecast_end, "baseline_end": baseline_end,
        "slip_days": (forecast_end - baseline_end).days if forecast_end and baseline_end else None,
        "late_starts": forecast["late_starts"],
        "slipped_milestones": [m for m in milestones if m.slip_days > 0],
    }


def gantt_data(project: Project, page=list) -> dict:
    """Tasks for the Gantt view: activities (those `page` picks from the plan's, in order) with their
    dependencies among them, critical ones marked, and milestones as one-day tasks."""
    plan = plan_for_project(project)
    activities = page(plan["activities"])
    shown = {a.pk for a in activities}
    predecessors = {}
    for link in plan["links"]:
        if link.predecessor_id in shown:  # an arrow from a bar on another page would point at nothing
            predecessors.setdefault(link.successor_id, []).append(str(link.predecessor_id))
    tasks = [{
        "id": str(a.pk), "name": a.name, "start": a.planned_start.isoformat(), "end": a.planned_end.isoformat(),
        "progress": a.percent_complete, "dependencies": ",".join(predecessors.get(a.pk, [])), "version": a.version,
        "custom_class": "bar-critical" if a.pk in plan["critical"] else "",
    } for a in activities]
    tasks += [{
        "id": f"m{m.pk}", "name": f"◆ {m.name}", "start": m.forecast_date.isoformat(),
        "end": m.forecast_date.isoformat(), "progress": 0, "dependencies": "", "version": 0,
        # One class: frappe-gantt passes it to classList.add, which refuses a space.
        "custom_class": "bar-milestone-slipped" if m.slip_days > 0 else "bar-milestone",
    } for m in plan["milestones"]]
    # Baseline beside forecast: a slipped milestone also shows where it was promised.
    tasks += [{
        "id": f"b{m.pk}", "name": f"◇ {m.name} ({_('baseline')})", "start": m.baseline_date.isoformat(),
        "end": m.baseline_date.isoformat(), "progress": 0, "dependencies": "", "version": 0,
        "custom_class": "bar-baseline",
    } for m in plan["milestones"] if m.slip_days > 0]
    return {"tasks": tasks, "forecast_end": plan["forecast_end"]}
