"""The project's registers (PRINCE2 / PMBOK). One service per change; derived values are never typed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User

from . import permissions
from .models import Project, ProjectIssue, Risk
from .services import apply_edit, refuse_unless, sequence_next

STALE = gettext_noop("Someone else saved %(risk)s meanwhile. Your changes are kept below; reload to see theirs.")


def _check_risk(project: Project, data: dict) -> None:
    staff = permissions.project_staff_ids(project)
    refuse_unless(data["owner"].pk in staff, _("The owner must be on the project's staff (PM, deputy, support officer)."))
    refuse_unless(data.get("actionee") is None or data["actionee"].pk in staff,
                  _("The actionee must be on the project's staff."))
    allowed = Risk.THREAT_RESPONSES if data["kind"] == Risk.Kind.THREAT else Risk.OPPORTUNITY_RESPONSES
    refuse_unless(data["response_category"] in allowed,
                  _("%(response)s is not a possible response to this kind of risk (%(kind)s).")
                  % {"response": Risk.Response(data["response_category"]).label, "kind": Risk.Kind(data["kind"]).label})


@transaction.atomic
def risk_create(*, project_id: int, by: User, data: dict) -> Risk:
    project = Project.objects.select_for_update().get(pk=project_id)
    refuse_unless(permissions.can_edit_registers(by, project), _("You may not change this project's registers."))
    _check_risk(project, data)
    return Risk.objects.create(project=project, number=sequence_next(f"risk:{project.pk}", 0), author=by, **data)


@transaction.atomic
def risk_update(*, risk_id: int, by: User, data: dict, expected_version: int) -> Risk:
    risk = Risk.objects.select_for_update().select_related("project").get(pk=risk_id)
    refuse_unless(permissions.can_edit_registers(by, risk.project), _("You may not change this project's registers."))
    apply_edit(risk, data, expected_version=expected_version, stale_message=_(STALE) % {"risk": risk.identifier})
    _check_risk(risk.project, data)
    risk.save()
    return risk


def _check_issue(project: Project, data: dict) -> None:
    refuse_unless(data["owner"].pk in permissions.project_staff_ids(project),
                  _("The owner must be on the project's staff (PM, deputy, support officer)."))


@transaction.atomic
def issue_raise(*, project_id: int, by: User, data: dict, check_permission: bool = True) -> ProjectIssue:
    """The one way to raise an issue, from the register or from elsewhere in the product (a
    checklist's "not OK", say, which passes check_permission=False for its own rule)."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if check_permission:
        refuse_unless(permissions.can_edit_registers(by, project), _("You may not change this project's registers."))
    _check_issue(project, data)
    return ProjectIssue.objects.create(project=project, number=sequence_next(f"issue:{project.pk}", 0), raised_by=by,
                                       **data)


@transaction.atomic
def issue_update(*, issue_id: int, by: User, data: dict, expected_version: int) -> ProjectIssue:
    """Closing an issue dates its closure; reopening it clears the date."""
    issue = ProjectIssue.objects.select_for_update().select_related("project").get(pk=issue_id)
    refuse_unless(permissions.can_edit_registers(by, issue.project), _("You may not change this project's registers."))
    apply_edit(issue, data, expected_version=expected_version, stale_message=_(STALE) % {"risk": issue.identifier})
    _check_issue(issue.project, data)
    issue.closed_on = None if issue.is_open else (issue.closed_on or timezone.localdate())
    issue.save()
    return issue
