"""Thin tasks: ids in, services do the work. Rendering and sending are idempotent, so a message
delivered again after a worker died does no harm."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.utils import timezone

from outbox.services import enqueue
from projects.models import Project
from reporting.models import HighlightReport, render_time_limits
from reporting.selectors.facts import week_of
from reporting.services.handover import handover_pack_make
from reporting.services.reports import (
    report_render,
    report_render_begin,
    report_render_failed,
    report_send,
    reports_sweep_stuck,
    weekly_drafts,
)
from reporting.services.summaries import project_summaries_refresh
from reporting.services.tolerances import exceptions_check

logger = logging.getLogger(__name__)
SOFT_LIMIT, HARD_LIMIT = render_time_limits()


@shared_task(acks_late=True)
def exceptions_check_project(project_id: int) -> None:
    exceptions_check(project_id)


@shared_task
def project_summaries_refresh_all() -> int:
    """After midnight: the figures that move with the date (days late, late starts), recomputed for
    every project under way before the first reader of the day would have to."""
    return project_summaries_refresh(everything=True)


@shared_task
def exceptions_check_all() -> int:
    """The safety net behind the per-change checks: every active project, one task each."""
    ids = list(Project.objects.filter(status__in=Project.UNDER_WAY, baselines__isnull=False)
               .values_list("pk", flat=True).distinct())
    with transaction.atomic():
        for project_id in ids:
            enqueue("reporting.tasks.exceptions_check_project", project_id)
    return len(ids)


@shared_task
def weekly_highlight_reports() -> int:
    """Friday's run: this week's drafts for every active project."""
    return weekly_drafts(week_of(timezone.localdate()))


@shared_task
def sweep_stuck_reports() -> int:
    return reports_sweep_stuck()


# The soft limit ends a render that runs away (a huge text: WeasyPrint's time grows faster than
# linearly) with a clean failure the report page explains; the hard limit kills the worker process
# if even that does not stop it, and the sweeper then finds the report stuck.
@shared_task(bind=True, autoretry_for=(OSError,), retry_backoff=True, retry_backoff_max=300, max_retries=4,
             soft_time_limit=SOFT_LIMIT, time_limit=HARD_LIMIT)
def render_highlight_report(self, report_id: int) -> bool:
    try:
        if not report_render_begin(report_id=report_id, first_delivery=not self.request.retries):
            return False
        return report_render(report_id=report_id)
    except SoftTimeLimitExceeded:
        logger.warning("highlight report %s: render stopped after %s s", report_id, SOFT_LIMIT)
        report_render_failed(report_id=report_id, error=f"render stopped after {SOFT_LIMIT} s",
                             failure=HighlightReport.Failure.TIMEOUT)
        return False
    except OSError:
        if self.request.retries >= self.max_retries:
            report_render_failed(report_id=report_id, error="storage or network error after retries")
        raise
    except Exception as error:  # a bug or bad data: no use retrying; show it with a retry button
        report_render_failed(report_id=report_id, error=f"{type(error).__name__}: {error}")
        raise


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_highlight_report(report_id: int) -> bool:
    return report_send(report_id=report_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def make_handover_pack(project_id: int, by_id: int) -> None:
    handover_pack_make(project_id=project_id, by_id=by_id)
