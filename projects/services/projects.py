"""A project's lifecycle: initiation -> planning -> execution -> closing, on hold, cancelled."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import lock_project, refuse_unless
from projects.models import Project

S = Project.Status


ACTIVE = {S.INITIATION, S.PLANNING, S.EXECUTION, S.CLOSING}


def _transition(project: Project, by: User, allowed_from: set, to: str) -> Project:
    refuse_unless(permissions.can_change_project_status(by, project), _("You may not change this project's status."))
    refuse_unless(project.status in allowed_from,
                   _("A project in %(status)s cannot go to %(target)s.")
                   % {"status": project.get_status_display(), "target": S(to).label})
    project.status = to
    project.save()
    return project


@transaction.atomic
def project_start_planning(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, {S.INITIATION}, S.PLANNING)


@transaction.atomic
def project_start_execution(*, project_id: int, by: User) -> Project:
    """Execution needs a baseline: the PM's confirmation at Level 1, the PMO lead's approval above."""
    project = lock_project(project_id)
    refuse_unless(project.status != S.PLANNING or project.baselines.exists(),
                   _("The budget must be approved (a baseline set) before the project enters execution."))
    return _transition(project, by, {S.PLANNING}, S.EXECUTION)


@transaction.atomic
def project_start_closing(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, {S.EXECUTION}, S.CLOSING)


@transaction.atomic
def project_put_on_hold(*, project_id: int, by: User) -> Project:
    project = lock_project(project_id)
    project.status_before_hold = project.status
    return _transition(project, by, ACTIVE, S.ON_HOLD)


@transaction.atomic
def project_resume(*, project_id: int, by: User) -> Project:
    project = lock_project(project_id)
    resume_to = project.status_before_hold or S.INITIATION
    project.status_before_hold = ""
    return _transition(project, by, {S.ON_HOLD}, resume_to)


@transaction.atomic
def project_cancel(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, ACTIVE | {S.ON_HOLD}, S.CANCELLED)
