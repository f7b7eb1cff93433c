"""Safety incidents, near misses and their actions."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import refuse_unless
from projects.models import Project, SafetyAction, SafetyIncident
from projects.services.registers import register_entry_create, register_entry_update


def _check_incident(project: Project, data: dict) -> None:
    refuse_unless(data["occurred_on"] <= timezone.localdate(), _("An incident cannot be dated in the future."))


@transaction.atomic
def incident_report(*, project_id: int, by: User, data: dict) -> SafetyIncident:
    return register_entry_create(SafetyIncident, "incident", project_id=project_id, by=by, data=data,
                                 author="reported_by", check=_check_incident)


@transaction.atomic
def incident_update(*, incident_id: int, by: User, data: dict, expected_version: int) -> SafetyIncident:
    incident = register_entry_update(SafetyIncident, entry_id=incident_id, by=by, data=data,
                                     expected_version=expected_version, check=_check_incident)
    refuse_unless(incident.status != SafetyIncident.Status.CLOSED or not incident.actions.filter(done_on=None).exists(),
                  _("Close its actions before closing the incident."))
    incident.save()
    return incident


@transaction.atomic
def safety_action_add(*, incident_id: int, by: User, description: str, owner: User, due_date: dt.date
                      ) -> SafetyAction:
    incident = SafetyIncident.objects.select_for_update().select_related("project").get(pk=incident_id)
    refuse_unless(permissions.can_edit_registers(by, incident.project),
                  _("You may not change this project's registers."))
    refuse_unless(owner.pk in permissions.project_staff_ids(incident.project),
                  _("The owner must be on the project's staff (PM, deputy, support officer)."))
    refuse_unless(incident.status == SafetyIncident.Status.OPEN, _("The incident is closed."))
    return SafetyAction.objects.create(incident=incident, description=description, owner=owner, due_date=due_date)


@transaction.atomic
def safety_action_done(*, action_id: int, by: User) -> SafetyAction:
    action = SafetyAction.objects.select_for_update().select_related("incident__project").get(pk=action_id)
    refuse_unless(permissions.can_edit_registers(by, action.incident.project),
                  _("You may not change this project's registers."))
    if action.done_on is None:
        action.done_on = timezone.localdate()
        action.save()
    return action
