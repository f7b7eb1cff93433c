"""The project's registers (PRINCE2 / PMBOK). One service per change; derived values are never typed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from projects import permissions
from projects.domain import apply_edit, refuse_unless, sequence_next
from projects.models import ActionItem, Decision, Lesson, Project, ProjectIssue, Risk

STALE = gettext_noop("Someone else saved %(risk)s meanwhile. Your changes are kept below; reload to see theirs.")


def register_entry_create(model, sequence: str, *, project_id: int, by: User, data: dict, author: str, check=None,
                          check_permission: bool = True):
    """A new numbered entry (R-001, I-001, ...); the project row is locked while the number is taken."""
    project = Project.objects.select_for_update().get(pk=project_id)
    if check_permission:
        refuse_unless(permissions.can_edit_registers(by, project), _("You may not change this project's registers."))
    if check:
        check(project, data)
    return model.objects.create(project=project, number=sequence_next(f"{sequence}:{project.pk}", 0),
                                **{author: by}, **data)


def register_entry_update(model, *, entry_id: int, by: User, data: dict, expected_version: int, check=None):
    """Apply an edit to a locked entry unless it is stale; the caller saves."""
    entry = model.objects.select_for_update().select_related("project").get(pk=entry_id)
    refuse_unless(permissions.can_edit_registers(by, entry.project), _("You may not change this project's registers."))
    apply_edit(entry, data, expected_version=expected_version, stale_message=_(STALE) % {"risk": entry.identifier})
    if check:
        check(entry.project, data)
    return entry


def _check_owner(project: Project, data: dict) -> None:
    refuse_unless(data["owner"].pk in permissions.project_staff_ids(project),
                  _("The owner must be on the project's staff (PM, deputy, support officer)."))


def _check_risk(project: Project, data: dict) -> None:
    _check_owner(project, data)
    refuse_unless(data.get("actionee") is None or data["actionee"].pk in permissions.project_staff_ids(project),
                  _("The actionee must be on the project's staff."))
    allowed = Risk.THREAT_RESPONSES if data["kind"] == Risk.Kind.THREAT else Risk.OPPORTUNITY_RESPONSES
    refuse_unless(data["response_category"] in allowed,
                  _("%(response)s is not a possible response to this kind of risk (%(kind)s).")
                  % {"response": Risk.Response(data["response_category"]).label, "kind": Risk.Kind(data["kind"]).label})


@transaction.atomic
def risk_create(*, project_id: int, by: User, data: dict) -> Risk:
    return register_entry_create(Risk, "risk", project_id=project_id, by=by, data=data, author="author",
                                 check=_check_risk)


@transaction.atomic
def risk_update(*, risk_id: int, by: User, data: dict, expected_version: int) -> Risk:
    risk = register_entry_update(Risk, entry_id=risk_id, by=by, data=data, expected_version=expected_version,
                                 check=_check_risk)
    risk.save()
    return risk


@transaction.atomic
def issue_raise(*, project_id: int, by: User, data: dict, check_permission: bool = True) -> ProjectIssue:
    """The one way to raise an issue, from the register or from elsewhere in the product (a
    checklist's "not OK", say, which passes check_permission=False for its own rule)."""
    return register_entry_create(ProjectIssue, "issue", project_id=project_id, by=by, data=data, author="raised_by",
                                 check=_check_owner, check_permission=check_permission)


@transaction.atomic
def issue_update(*, issue_id: int, by: User, data: dict, expected_version: int) -> ProjectIssue:
    """Closing an issue dates its closure; reopening it clears the date."""
    issue = register_entry_update(ProjectIssue, entry_id=issue_id, by=by, data=data, expected_version=expected_version,
                                  check=_check_owner)
    issue.closed_on = None if issue.is_open else (issue.closed_on or timezone.localdate())
    issue.save()
    return issue


def _check_decision(project: Project, data: dict) -> None:
    refuse_unless(data["decided_on"] <= timezone.localdate(),
                  _("A decision is logged once taken: its date cannot be in the future."))


@transaction.atomic
def decision_record(*, project_id: int, by: User, data: dict) -> Decision:
    return register_entry_create(Decision, "decision", project_id=project_id, by=by, data=data, author="recorded_by",
                                 check=_check_decision)


@transaction.atomic
def decision_update(*, decision_id: int, by: User, data: dict, expected_version: int) -> Decision:
    decision = register_entry_update(Decision, entry_id=decision_id, by=by, data=data,
                                     expected_version=expected_version, check=_check_decision)
    decision.save()
    return decision


@transaction.atomic
def action_create(*, project_id: int, by: User, data: dict) -> ActionItem:
    return register_entry_create(ActionItem, "action", project_id=project_id, by=by, data=data, author="raised_by",
                                 check=_check_owner)


@transaction.atomic
def action_update(*, action_id: int, by: User, data: dict, expected_version: int) -> ActionItem:
    """Marking an action done dates its completion; reopening it clears the date."""
    action = register_entry_update(ActionItem, entry_id=action_id, by=by, data=data, expected_version=expected_version,
                                   check=_check_owner)
    done = action.status == ActionItem.Status.DONE
    action.completed_on = (action.completed_on or timezone.localdate()) if done else None
    action.save()
    return action


@transaction.atomic
def lesson_log(*, project_id: int, by: User, data: dict) -> Lesson:
    return register_entry_create(Lesson, "lesson", project_id=project_id, by=by, data=data, author="logged_by")


@transaction.atomic
def lesson_update(*, lesson_id: int, by: User, data: dict, expected_version: int) -> Lesson:
    lesson = register_entry_update(Lesson, entry_id=lesson_id, by=by, data=data, expected_version=expected_version)
    lesson.save()
    return lesson
