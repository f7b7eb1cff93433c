"""Background work on separate queues (issue 14, item 5): mail and notifications, report rendering and
integrations each have a queue and workers of their own, so that a flood of reports never delays an
approval's e-mail."""

import time
from pathlib import Path

import pytest
import redis
from django.db import transaction

from accounts.services import notification_create
from outbox.services import enqueue
from pmo.celery import app as celery_app
from pmo.queues import INTEGRATIONS, MAIL, QUEUE_OF_TASK, REPORTS

from .conftest import CELERY_WORKER_ARGS, BackgroundProcess, background_process_environment, needs, needs_postgresql

ROOT = Path(__file__).resolve().parent.parent
REPORT_TASKS = 200


def _queue_of(task_name: str) -> str:
    return celery_app.amqp.router.route({}, task_name)["queue"].name


def test_every_task_has_the_queue_of_its_kind():
    celery_app.loader.import_default_modules()  # the tasks modules, found as a worker finds them
    ours = {name for name in celery_app.tasks if not name.startswith("celery.")}
    assert ours == set(QUEUE_OF_TASK), "a task without a queue would wait on a queue no worker takes"
    prefix = _queue_of("outbox.tasks.send_email")[:-len(MAIL)]
    assert {_queue_of(name)[len(prefix):] for name in ours} == {MAIL, REPORTS, INTEGRATIONS}
    assert {q.name for q in celery_app.amqp.queues.values()} == {prefix + k for k in (MAIL, REPORTS, INTEGRATIONS)}


def test_an_approval_email_and_a_report_render_go_to_different_queues():
    mail, report = _queue_of("accounts.tasks.send_notification_email"), _queue_of(
        "reporting.tasks.render_highlight_report")
    assert mail.endswith(MAIL) and report.endswith(REPORTS)
    assert _queue_of("outbox.tasks.send_email") == _queue_of("reporting.tasks.send_highlight_report") == mail
    assert _queue_of("procurement.tasks.send_purchase_order").endswith(INTEGRATIONS)


@pytest.fixture
def mail_worker(settings, tmp_path):
    """A real worker that takes the mail queue only, as the `worker` service of docker-compose.yml."""
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    needs_postgresql()
    env, _media, _mailbox = background_process_environment(settings, tmp_path, settings.REDIS_URL)
    celery_app.control.purge()
    worker = BackgroundProcess("mail-worker", [
        "-m", "celery", "-A", "pmo", "worker", "--pool=solo", "--loglevel=INFO",
        f"--queues={_queue_of('outbox.tasks.send_email')}", "--without-gossip", "--without-mingle",
        "--without-heartbeat", *CELERY_WORKER_ARGS], env, tmp_path)
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        celery_app.conf.task_always_eager = True
        celery_app.control.purge()
        worker.stop()
        worker.report()


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_an_approval_email_queued_behind_a_flood_of_reports_is_delivered_while_they_wait(mail_worker, pm, settings):
    with transaction.atomic():
        for report_id in range(1, REPORT_TASKS + 1):  # as many renders as a Friday brings (no worker takes them)
            enqueue("reporting.tasks.render_highlight_report", report_id)
    with transaction.atomic():
        notification = notification_create(recipient=pm, subject="Budget approved")
    deadline = time.monotonic() + 60
    while notification.emailed_at is None and time.monotonic() < deadline:
        mail_worker.alive()
        time.sleep(0.2)
        notification.refresh_from_db()
    assert notification.emailed_at is not None, "the e-mail waited behind the reports"
    broker = redis.Redis.from_url(settings.REDIS_URL)
    assert broker.llen(_queue_of("reporting.tasks.render_highlight_report")) == REPORT_TASKS  # still pending
    assert broker.llen(_queue_of("accounts.tasks.send_notification_email")) == 0


def test_compose_runs_workers_for_every_queue_and_each_only_for_its_own():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    taken = [arg.removeprefix("--queues=") for service in services.values() if "worker" in service.get("command", [])
             for arg in service["command"] if arg.startswith("--queues=")]
    assert sorted(taken) == sorted((MAIL, REPORTS, INTEGRATIONS))
    assert services["worker"]["command"].count("--queues=mail") == 1  # approvals' e-mails have a worker of their own
