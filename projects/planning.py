"""The plan: activities with finish-to-start dependencies, and milestones. Every change is one
service; a move pushes the dependent activities later, never earlier, keeping their duration."""

import datetime as dt
from collections import defaultdict, deque

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User

from . import permissions
from .models import Activity, Assignment, Dependency, Milestone, Phase, Project, Resource
from .services import DomainError, apply_edit, refuse_unless
from .signals import forecast_changed


def phases_create_from_template(project: Project) -> None:
    if project.project_type and not project.phases.exists():
        Phase.objects.bulk_create([Phase(project=project, name=name, position=index)
                                   for index, name in enumerate(project.project_type.phases)])


def _locked_plan(project_id: int, by: User) -> Project:
    project = Project.objects.select_for_update().get(pk=project_id)  # one plan change at a time
    refuse_unless(permissions.can_edit_plan(by, project), _("You may not change this plan."))
    return project


def _check_dates(start: dt.date, end: dt.date) -> None:
    refuse_unless(end >= start, _("The end cannot be before the start."))


def _check_after_predecessors(activity: Activity) -> None:
    for link in activity.predecessor_links.select_related("predecessor"):
        earliest = link.earliest_successor_start()
        refuse_unless(activity.planned_start >= earliest,
                      _("%(activity)s cannot start before %(date)s: %(predecessor)s ends on %(end)s (lag %(lag)s days).")
                      % {"activity": activity.name, "date": earliest, "predecessor": link.predecessor.name,
                         "end": link.predecessor.planned_end, "lag": link.lag_days})


def _push_successors(activity: Activity) -> list[Activity]:
    """Move every (indirect) successor that would now start too early, keeping its duration."""
    moved, queue = [], deque([activity])
    while queue:
        current = queue.popleft()
        for link in current.successor_links.select_related("successor"):
            successor = link.successor
            earliest = current.planned_end + dt.timedelta(days=1 + link.lag_days)
            if successor.planned_start < earliest:
                shift = earliest - successor.planned_start
                successor.planned_start += shift
                successor.planned_end += shift
                successor.version += 1
                successor.save()
                moved.append(successor)
                queue.append(successor)
    return moved


@transaction.atomic
def activity_create(*, project_id: int, by: User, data: dict) -> Activity:
    project = _locked_plan(project_id, by)
    refuse_unless(data.get("phase") is None or data["phase"].project_id == project.pk,
                  _("That phase belongs to another project."))
    _check_dates(data["planned_start"], data["planned_end"])
    forecast_changed.send(sender=Activity, project_id=project.pk)
    return Activity.objects.create(project=project, **data)


@transaction.atomic
def activity_update(*, activity_id: int, by: User, data: dict, expected_version: int) -> list[Activity]:
    """Change an activity; refused when it would start before a predecessor allows, and its
    successors follow when it ends later. Returns the activities that moved along."""
    activity = Activity.objects.select_related("project").get(pk=activity_id)
    _locked_plan(activity.project_id, by)
    activity = Activity.objects.get(pk=activity_id)
    refuse_unless(data.get("phase") is None or data["phase"].project_id == activity.project_id,
                  _("That phase belongs to another project."))
    apply_edit(activity, data, expected_version=expected_version, stale_message=_(
        "Someone else changed %(activity)s meanwhile; reload the plan.") % {"activity": activity.name})
    _check_dates(activity.planned_start, activity.planned_end)
    _check_after_predecessors(activity)
    activity.save()
    forecast_changed.send(sender=Activity, project_id=activity.project_id)
    return _push_successors(activity)


def activity_move(*, activity_id: int, by: User, start: dt.date, end: dt.date, expected_version: int) -> list[Activity]:
    """A bar moved or stretched in the Gantt view."""
    return activity_update(activity_id=activity_id, by=by, data={"planned_start": start, "planned_end": end},
                           expected_version=expected_version)


def _reaches(graph: dict[int, set[int]], start: int, target: int) -> bool:
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == target:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(graph[node])
    return False


@transaction.atomic
def dependency_add(*, project_id: int, by: User, predecessor_id: int, successor_id: int, lag_days: int = 0
                   ) -> Dependency:
    """Refused across projects, on itself, when it closes a cycle, or when the successor already
    starts too early (move it first)."""
    project = _locked_plan(project_id, by)
    activities = {a.pk: a for a in project.activities.filter(pk__in=[predecessor_id, successor_id])}
    refuse_unless(len(activities) == 2 and predecessor_id != successor_id,
                  _("Choose two different activities of this project."))
    graph = defaultdict(set)
    for pred, succ in Dependency.objects.filter(predecessor__project=project).values_list("predecessor", "successor"):
        graph[pred].add(succ)
    refuse_unless(not _reaches(graph, successor_id, predecessor_id),
                  _("This dependency would close a loop: %(successor)s already leads to %(predecessor)s.")
                  % {"successor": activities[successor_id].name, "predecessor": activities[predecessor_id].name})
    refuse_unless(not Dependency.objects.filter(predecessor_id=predecessor_id, successor_id=successor_id).exists(),
                  _("These activities are already linked."))
    link = Dependency.objects.create(predecessor=activities[predecessor_id], successor=activities[successor_id],
                                     lag_days=lag_days)
    _check_after_predecessors(activities[successor_id])
    return link


@transaction.atomic
def milestone_create(*, project_id: int, by: User, data: dict) -> Milestone:
    project = _locked_plan(project_id, by)
    refuse_unless(data.get("phase") is None or data["phase"].project_id == project.pk,
                  _("That phase belongs to another project."))
    return Milestone.objects.create(project=project, **data)


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


def hours(amount) -> str:
    """38.0 -> '38', 12.5 -> '12.5'."""
    return format(amount.normalize(), "f")


class Overbooking(DomainError):
    """The assignment would book a resource beyond capacity; saving needs an explicit yes."""


@transaction.atomic
def assignment_save(*, activity_id: int, by: User, resource, hours_per_week, allow_overbooking: bool = False
                    ) -> Assignment:
    """Assign a resource to an activity (or change the hours). Over-booking is refused unless
    the person confirms it, and then it is flagged in the workload view."""
    from .workload import overbooked_weeks

    activity = Activity.objects.select_related("project").get(pk=activity_id)
    refuse_unless(permissions.can_edit_assignment(by, activity.project, resource),
                  _("You may not assign %(resource)s here.") % {"resource": resource})
    refuse_unless(resource.active, _("%(resource)s is not active.") % {"resource": resource})
    Resource.objects.select_for_update().get(pk=resource.pk)  # two bookings of one person at once: one waits
    existing = Assignment.objects.filter(activity=activity, resource=resource).first()
    over = overbooked_weeks(resource, activity.planned_start, activity.planned_end, hours_per_week,
                            exclude_assignment_id=existing.pk if existing else None)
    if over and not allow_overbooking:
        raise Overbooking(
            _("%(resource)s would be over-booked in week %(weeks)s. Confirm to book anyway.")
            % {"resource": resource, "weeks": ", ".join(
                f"{week.isocalendar()[1]} ({hours(cell.booked)}/{hours(cell.capacity)} h)" for week, cell in over)})
    assignment, _created = Assignment.objects.update_or_create(
        activity=activity, resource=resource, defaults={"hours_per_week": hours_per_week})
    return assignment


@transaction.atomic
def assignment_remove(*, assignment_id: int, by: User) -> None:
    assignment = Assignment.objects.select_related("activity__project", "resource").get(pk=assignment_id)
    refuse_unless(permissions.can_edit_assignment(by, assignment.activity.project, assignment.resource),
                  _("You may not change this assignment."))
    assignment.delete()
