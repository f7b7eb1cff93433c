"""Webhooks through a real Celery worker on Redis and PostgreSQL (issue 15's "Done when"): a receiver
that answers 500 three times before 200, and a worker process killed in the middle of a delivery, both
end with every event delivered, at least once, with one webhook-id each, every signature verified by
the `standardwebhooks` library, and nothing for a rolled-back change."""

import os
import signal
import subprocess
import time

import pytest
from django.db import transaction

from outbox.services import record_event
from pmo.celery import app as celery_app
from webhooks.models import WebhookDelivery
from webhooks.services.subscriptions import subscription_create

from .conftest import CELERY_WORKER_ARGS, BackgroundProcess, background_process_environment, needs, needs_postgresql
from .webhook_receiver import Receiver

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
EVENTS = 5


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture
def processes():
    started = []
    yield started
    celery_app.conf.task_always_eager = True
    for process in started:
        process.stop()
    for process in started:
        process.report()


def start(processes, settings, tmp_path, *, beat=False, **env):
    """A prefork worker with one child (and beat, when asked) on this test's database and Redis."""
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    needs_postgresql()
    environment, _media, _mailbox = background_process_environment(settings, tmp_path, settings.REDIS_URL, **env)
    celery_app.control.purge()
    worker = BackgroundProcess("worker", [
        "-m", "celery", "-A", "pmo", "worker", "--pool=prefork", "--concurrency=1", "--loglevel=INFO",
        "--without-gossip", "--without-mingle", "--without-heartbeat", *CELERY_WORKER_ARGS], environment, tmp_path)
    processes.append(worker)
    if beat:
        processes.append(BackgroundProcess("beat", [
            "-m", "celery", "-A", "pmo", "beat", "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule")],
            environment, tmp_path))
    celery_app.conf.task_always_eager = False
    return worker


def wait(condition, processes, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        for process in processes:
            process.alive()
        time.sleep(0.2)
    raise AssertionError("the deliveries did not finish in time")


def subscribe_and_record(receiver, pmolead):
    """A subscription to every event, EVENTS committed events and one rolled back."""
    subscription = subscription_create(by=pmolead, data={"url": receiver.url, "event_types": ["exception.raised"]})
    receiver.secret = subscription.secret
    for n in range(EVENTS):
        with transaction.atomic():
            record_event("exception.raised", {"marker": n})
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("exception.raised", {"marker": "rolled back"})
        raise RuntimeError("the change failed")
    return subscription


def assert_each_event_delivered_once_per_webhook_id(receiver):
    assert all(post.verified for post in receiver.received)
    by_event = receiver.ids_by_event()
    assert sorted(by_event) == sorted(f'{{"marker": {n}}}' for n in range(EVENTS))  # nothing rolled back
    assert all(len(ids) == 1 for ids in by_event.values())
    delivered = dict(WebhookDelivery.objects.values_list("event__payload__marker", "webhook_id"))
    assert {f'{{"marker": {n}}}': {delivered[n]} for n in range(EVENTS)} == by_event


def test_a_receiver_answering_500_three_times_then_200_gets_every_event(receiver, pmolead, settings, tmp_path,
                                                                        processes):
    receiver.answers = [500, 500, 500, 200]
    start(processes, settings, tmp_path, WEBHOOK_RETRY_BASE_SECONDS="0.3")
    subscribe_and_record(receiver, pmolead)
    wait(lambda: WebhookDelivery.objects.filter(status="delivered").count() == EVENTS, processes)
    assert_each_event_delivered_once_per_webhook_id(receiver)
    assert [post.answered for post in receiver.received[:4]] == [500, 500, 500, 200]
    assert sum(WebhookDelivery.objects.values_list("attempts", flat=True)) == len(receiver.received) == EVENTS + 3


def test_a_worker_killed_mid_delivery_loses_no_event(receiver, pmolead, settings, tmp_path, processes):
    receiver.slow_first = 4.0  # the first POST hangs, long enough to kill the worker in the middle of it
    worker = start(processes, settings, tmp_path, beat=True, WEBHOOK_TIMEOUT_SECONDS="3",
                   WEBHOOK_SWEEP_SECONDS="1")
    subscribe_and_record(receiver, pmolead)
    wait(lambda: len(receiver.received) >= 1, processes)
    time.sleep(0.5)
    children = subprocess.run(["pgrep", "-P", str(worker.popen.pid)], capture_output=True, text=True).stdout.split()
    assert children, "no pool process to kill"
    os.kill(int(children[0]), signal.SIGKILL)

    wait(lambda: WebhookDelivery.objects.filter(status="delivered").count() == EVENTS, processes)
    log = "".join(worker.lines)
    assert "signal 9" in log or "SIGKILL" in log or "WorkerLostError" in log, "the kill did not hit a running task"
    assert_each_event_delivered_once_per_webhook_id(receiver)
    first = receiver.received[0].webhook_id
    assert [post.webhook_id for post in receiver.received].count(first) == 2  # the killed POST, then again
