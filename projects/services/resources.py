"""Engineers (resources), their absences and calendar addresses, and their assignments to activities, with
over-booking refused unless confirmed."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import DomainError, refuse_unless
from projects.lib.amounts import hours
from projects.models import Absence, Activity, Assignment, Resource, new_calendar_token
from projects.selectors.workload import overbooked_weeks


@transaction.atomic
def resource_save(*, resource_id: int | None, by: User, data: dict) -> Resource:
    """Create a resource (resource_id None) or save the edited one."""
    refuse_unless(permissions.can_edit_resources(by), _("You may not edit resources."))
    if resource_id is None:
        return Resource.objects.create(**data)
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    for field, value in data.items():
        setattr(resource, field, value)
    resource.save()
    return resource


@transaction.atomic
def absence_add(*, resource_id: int, by: User, data: dict) -> Absence:
    refuse_unless(permissions.can_edit_resources(by), _("You may not edit resources."))
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    return Absence.objects.create(resource=resource, **data)


@transaction.atomic
def resource_calendar_token_renew(*, resource_id: int, by: User) -> Resource:
    """A new calendar address; the old one stops working at once (a leaked address is revoked)."""
    refuse_unless(permissions.can_edit_resources(by), _("You may not edit resources."))
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    resource.calendar_token = new_calendar_token()
    resource.save()
    return resource


class Overbooking(DomainError):
    """The assignment would book a resource beyond capacity; saving needs an explicit yes."""


@transaction.atomic
def assignment_save(*, activity_id: int, by: User, resource, hours_per_week, allow_overbooking: bool = False
                    ) -> Assignment:
    """Assign a resource to an activity (or change the hours). Over-booking is refused unless
    the person confirms it, and then it is flagged in the workload view."""
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
