"""The plan: phases, activities with finish-to-start dependencies, milestones."""

import datetime as dt
from collections import defaultdict, deque

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import DomainError, apply_edit, refuse_unless
from projects.lib.translated import translated_lists
from projects.models import Activity, Dependency, Milestone, Phase, Project
from projects.services.billing import billing_milestones_ready_check
from projects.signals import forecast_changed


def phases_create_from_template(project: Project) -> None:
    """A new project starts with its type's phases, named in every language the type names them."""
    if project.project_type and not project.phases.exists():
        Phase.objects.bulk_create([
            Phase(project=project, position=index, **{f"name_{code}": name for code, name in names.items()})
            for index, names in enumerate(translated_lists(project.project_type, "phases"))])


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
                      _("%(activity)s cannot start before %(date)s: %(predecessor)s ends on %(end)s "
                        "(lag %(lag)s days).")
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
    if activity.status == Activity.Status.DONE:
        billing_milestones_ready_check(project_id=activity.project_id)
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


@transaction.atomic
def milestone_reach(*, milestone_id: int, by: User, on: dt.date) -> Milestone:
    """The PM records the milestone reached (on a day not in the future); billing milestones waiting
    for it become ready to invoice when the rest of what they need is there."""
    project_id = Milestone.objects.values_list("project_id", flat=True).get(pk=milestone_id)
    _locked_plan(project_id, by)
    milestone = Milestone.objects.get(pk=milestone_id)
    if milestone.reached_on:
        raise DomainError(_("%(name)s was already reached on %(date)s.")
                          % {"name": milestone.name, "date": date_format(milestone.reached_on, "SHORT_DATE_FORMAT")})
    refuse_unless(on <= timezone.localdate(), _("A milestone cannot be reached in the future."))
    milestone.reached_on = on
    milestone.save()
    billing_milestones_ready_check(project_id=project_id)
    return milestone
