"""A project's lifecycle: initiation -> planning -> execution -> closing, on hold, cancelled
(declared in projects.workflows.PROJECT)."""

from django.db import transaction

from accounts.models import User
from projects import events
from projects.domain import lock_project
from projects.models import Project
from projects.workflows import PROJECT, resume_target

S = Project.Status


def _transition(project: Project, by: User, name: str, to: str) -> Project:
    PROJECT.check(name, by, project)
    previous, project.status = project.status, to
    project.save()
    status_changed(project, previous)
    return project


def status_changed(project: Project, previous: str) -> None:
    events.project_event(events.EventType.PROJECT_STATUS_CHANGED, project, previous_status=previous)


@transaction.atomic
def project_start_planning(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, "plan", S.PLANNING)


@transaction.atomic
def project_start_execution(*, project_id: int, by: User) -> Project:
    """Execution needs a baseline: the PM's confirmation at Level 1, the PMO lead's approval above."""
    return _transition(lock_project(project_id), by, "execute", S.EXECUTION)


@transaction.atomic
def project_start_closing(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, "close-out", S.CLOSING)


@transaction.atomic
def project_put_on_hold(*, project_id: int, by: User) -> Project:
    project = lock_project(project_id)
    PROJECT.check("hold", by, project)
    project.status, project.status_before_hold = S.ON_HOLD, project.status
    project.save()
    status_changed(project, project.status_before_hold)
    return project


@transaction.atomic
def project_resume(*, project_id: int, by: User) -> Project:
    project = lock_project(project_id)
    PROJECT.check("resume", by, project)
    previous = project.status
    project.status, project.status_before_hold = resume_target(project), ""
    project.save()
    status_changed(project, previous)
    return project


@transaction.atomic
def project_cancel(*, project_id: int, by: User) -> Project:
    return _transition(lock_project(project_id), by, "cancel", S.CANCELLED)
