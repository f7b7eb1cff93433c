"""Reads of the plan: the plan page, the Gantt data and the critical path."""

import datetime as dt
from collections import defaultdict, deque

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import Activity, Dependency, Project


def critical_path(activities: list[Activity], links: list[Dependency]) -> set[int]:
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


def plan_for_project(project: Project) -> dict:
    """The plan page's data in five queries, whatever the number of activities."""
    activities = list(project.activities.select_related("phase"))
    links = list(Dependency.objects.filter(predecessor__project=project).select_related("predecessor", "successor"))
    milestones = list(project.milestones.select_related("phase"))
    baseline = project.current_baseline
    today = timezone.localdate()
    # As in schedule_figures: an unfinished activity past its planned end finishes today at the earliest.
    forecast_end = max((a.planned_end if a.status == a.Status.DONE or a.planned_end >= today else today
                        for a in activities), default=None)
    baseline_end = baseline.end_date if baseline else project.end_date
    return {
        "phases": list(project.phases.all()), "activities": activities, "links": links, "milestones": milestones,
        "critical": critical_path(activities, links), "forecast_end": forecast_end, "baseline_end": baseline_end,
        "slip_days": (forecast_end - baseline_end).days if forecast_end and baseline_end else None,
        "slipped_milestones": [m for m in milestones if m.slip_days > 0],
    }


def gantt_data(project: Project) -> dict:
    """Tasks for the Gantt view: activities with their dependencies, critical ones marked, and
    milestones as one-day tasks."""
    plan = plan_for_project(project)
    predecessors = {}
    for link in plan["links"]:
        predecessors.setdefault(link.successor_id, []).append(str(link.predecessor_id))
    tasks = [{
        "id": str(a.pk), "name": a.name, "start": a.planned_start.isoformat(), "end": a.planned_end.isoformat(),
        "progress": a.percent_complete, "dependencies": ",".join(predecessors.get(a.pk, [])), "version": a.version,
        "custom_class": "bar-critical" if a.pk in plan["critical"] else "",
    } for a in plan["activities"]]
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
