from celery import shared_task

from projects.models import Project

from .exceptions import CHECKED_STATUSES, exceptions_check


@shared_task(acks_late=True)
def exceptions_check_project(project_id: int) -> None:
    exceptions_check(project_id)


@shared_task
def exceptions_check_all() -> int:
    """The safety net behind the per-change checks: every active project, one task each."""
    ids = list(Project.objects.filter(status__in=CHECKED_STATUSES, baselines__isnull=False)
               .values_list("pk", flat=True).distinct())
    for project_id in ids:
        exceptions_check_project.delay(project_id)
    return len(ids)
