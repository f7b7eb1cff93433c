import os
import subprocess
import sys
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core import mail
from django.db import connection, transaction

from accounts.models import Notification
from accounts.services import notification_create, notification_send_email
from accounts.tasks import send_notification_email
from outbox.models import OutboxMessage
from pmo.celery import VISIBILITY_TIMEOUT
from pmo.celery import app as celery_app

from .conftest import CELERY_WORKER_ARGS, CELERY_WORKER_ENV, needs, needs_postgresql

ROOT = Path(__file__).resolve().parent.parent


def test_the_app_is_configured_for_safe_redelivery():
    conf = celery_app.conf
    assert conf.accept_content == ["json"] and conf.task_serializer == "json"
    assert conf.task_acks_late and conf.task_reject_on_worker_lost
    assert conf.worker_prefetch_multiplier == 1
    assert conf.broker_transport_options["visibility_timeout"] == VISIBILITY_TIMEOUT
    # A message must not be redelivered while its task may still be running.
    assert conf.task_time_limit < VISIBILITY_TIMEOUT
    assert conf.timezone == "Europe/Brussels"
    celery_app.loader.import_default_modules()  # the tasks modules, found as a worker finds them
    for entry in conf.beat_schedule.values():
        assert entry["task"] in celery_app.tasks


def test_a_notification_is_emailed_after_commit(django_capture_on_commit_callbacks, pm):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_create(recipient=pm, subject="Intake returned", body="Question")
        assert mail.outbox == []
    assert len(callbacks) == 1
    assert [m.subject for m in mail.outbox] == ["Intake returned"]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_emailing_twice_sends_once(pm):
    notification = Notification.objects.create(recipient=pm, subject="Report ready")
    assert notification_send_email(notification_id=notification.pk) is True
    assert notification_send_email(notification_id=notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_request_queues_nothing(pm):
    with mock.patch.object(send_notification_email, "apply") as run:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notification_create(recipient=pm, subject="Never sent")
                raise RuntimeError("the request failed after the notification")
        run.assert_not_called()
    assert not Notification.objects.filter(subject="Never sent").exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_request_queues_the_task_with_the_id_only(pm):
    with mock.patch.object(send_notification_email, "apply") as run:
        with transaction.atomic():
            notification = notification_create(recipient=pm, subject="Sent")
        run.assert_called_once_with(args=[notification.pk], kwargs={}, throw=True)
    queued = OutboxMessage.objects.get()
    assert (queued.task_name, queued.args, queued.dispatched_at is not None) == (
        "accounts.tasks.send_notification_email", [notification.pk], True)


@pytest.fixture
def celery_worker_process(settings):
    """A real `celery worker` process on Redis, using the test database."""
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    needs_postgresql()
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=settings.REDIS_URL, CONN_MAX_AGE="0",
               **CELERY_WORKER_ENV)
    celery_app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pmo", "worker", "--pool=solo", "--loglevel=WARNING",
         "--without-gossip", "--without-mingle", "--without-heartbeat", *CELERY_WORKER_ARGS],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    celery_app.conf.task_always_eager = False
    try:
        yield worker
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_notification_email(celery_worker_process, pm):
    with transaction.atomic():
        notification = notification_create(recipient=pm, subject="Budget approved")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        notification.refresh_from_db()
        if notification.emailed_at is not None:
            break
        assert celery_worker_process.poll() is None, "the worker process died"
        time.sleep(0.2)
    assert notification.emailed_at is not None, "the worker did not process the task within 60 s"
