"""Highlight reports through a real Celery worker on Redis and PostgreSQL: the week's reports of the
demo projects are generated, published and sent; a worker process killed in the middle of a render
still yields exactly one PDF and one e-mail."""

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pmo.celery import app as celery_app
from pmo.demo import load_demo_data
from projects.models import Activity, Project
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_publish, report_refresh_facts

from .conftest import CELERY_WORKER_ARGS, background_process_environment, needs, needs_postgresql

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def worker(settings, tmp_path):
    """A prefork worker (one child) sharing the test database, media folder and a file mailbox."""
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    needs_postgresql()
    env, media, mailbox = background_process_environment(settings, tmp_path, settings.REDIS_URL)
    celery_app.control.purge()
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pmo", "worker", "--pool=prefork", "--concurrency=1",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat", *CELERY_WORKER_ARGS],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    celery_app.conf.task_always_eager = False
    process.mailbox, process.media, process.lines = mailbox, media, []
    reader = threading.Thread(target=lambda: process.lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        yield process
    finally:
        celery_app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        reader.join(5)
        print("".join(process.lines))


def _wait(condition, worker, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert worker.poll() is None, "the worker process died"
        time.sleep(0.3)
    raise AssertionError("the worker did not finish in time")


def _messages(mailbox: Path, attachment: str = "-W47-") -> list[str]:
    """The e-mails carrying a highlight report (the worker also sends notifications and orders)."""
    return [m for path in mailbox.iterdir() for m in path.read_text().split("\n" + "-" * 79 + "\n")
            if attachment in m and "Content-Type: application/pdf" in m]


def _earlier_weeks(week) -> set[str]:
    """The PDFs of the weeks before, which the demo publishes (rendered in the test's own process)."""
    return {f"{pk}.pdf" for pk in HighlightReport.objects.filter(week__lt=week).values_list("pk", flat=True)}


def test_the_weeks_reports_of_the_demo_projects_are_generated_published_and_sent(worker, settings):
    load_demo_data(password="demo-pass-1", today=TODAY)
    week = week_of(TODAY)
    drafts = HighlightReport.objects.filter(week=week)
    assert drafts.count() == 2 * Project.objects.filter(status__in=Project.UNDER_WAY).count()
    for report in drafts:
        report_publish(report_id=report.pk, by=report.project.support_officer)
    unsent = HighlightReport.objects.filter(week=week, sent_at__isnull=True, unsent_reason="")
    _wait(lambda: not unsent.exists(), worker)
    published = list(HighlightReport.objects.filter(week=week))
    assert {r.status for r in published} == {"published"}
    rendered = {p.name for p in (worker.media / "highlight-reports").iterdir()} - _earlier_weeks(week)
    assert rendered == {f"{r.pk}.pdf" for r in published}
    sent = [r for r in published if r.sent_to]
    assert len(_messages(worker.mailbox)) == len(sent) > 0


def test_a_worker_killed_mid_render_still_yields_one_pdf_and_one_email(worker):
    load_demo_data(password="demo-pass-1", today=TODAY)
    project = Project.objects.get(code="PRJ-2026-0001")
    week = week_of(TODAY)
    # A long report (hundreds of activities this week) so that the render takes seconds.
    Activity.objects.bulk_create([Activity(project=project, name=f"Pull section {n}", planned_start=week,
                                           planned_end=week + dt.timedelta(days=4)) for n in range(2000)])
    report = HighlightReport.objects.get(project=project, week=week, variant="internal")
    report_refresh_facts(report_id=report.pk, by=project.support_officer)
    report_publish(report_id=report.pk, by=project.support_officer)

    # Once this report's render has begun (the task commits render_started_at first), kill the pool process
    # half a second into it: the demo's other reports are rendered by the same worker before it, so a
    # "received" line in the log does not say which render is running.
    _wait(lambda: HighlightReport.objects.filter(pk=report.pk, render_started_at__isnull=False).exists(), worker)
    time.sleep(0.5)
    children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout.split()
    assert children, "no pool process to kill"
    os.kill(int(children[0]), signal.SIGKILL)

    _wait(lambda: HighlightReport.objects.filter(pk=report.pk, sent_at__isnull=False).exists(), worker)
    log = "".join(worker.lines)
    assert re.search(r"signal 9|SIGKILL|WorkerLostError", log), "the kill did not hit a running task"
    assert log.index("render_highlight_report") < log.index("SIGKILL") < log.rindex("succeeded")
    report.refresh_from_db()
    assert report.status == "published" and report.sent_to
    rendered = {p.name for p in (worker.media / "highlight-reports").iterdir()} - _earlier_weeks(week)
    assert rendered == {f"{report.pk}.pdf"}
    assert len(_messages(worker.mailbox, report.download_name)) == 1
