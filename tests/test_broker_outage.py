"""A broker outage delays background work and loses none (issue 13, item 6).

A Redis of this test's own (not the shared one) is stopped for OUTAGE_SECONDS while people submit
purchase orders and intakes, send orders and publish highlight reports: every request answers
normally, and once Redis is back the relay process hands the queued work over, so that every
e-mail and every PDF exists exactly once. A real prefork worker rides out the outage.
"""

import datetime as dt
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from outbox import services as outbox
from outbox.models import OutboxMessage
from pmo.celery import app as celery_app
from procurement.models import PurchaseOrder, PurchaseOrderDocument
from procurement.services.purchase_orders import purchase_order_create, purchase_order_submit
from projects.models import Activity, Baseline, BudgetLine
from projects.services.intakes import intake_attachment_add
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_draft_create, report_publish
from reporting.tasks import SOFT_LIMIT, render_highlight_report

from .conftest import CELERY_WORKER_ARGS, background_process_environment, needs, needs_postgresql
from .factories import IntakeFactory, ProjectFactory, SupplierFactory, pdf_upload

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
OUTAGE_SECONDS = 30
SEPARATOR = "\n" + "-" * 79 + "\n"


class Redis:
    """A redis-server on a free port, persisted like production's (append-only file), stopped and
    started again on the same port and files."""

    def __init__(self, folder: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.folder, self.process = folder, None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes",
             "--appendfsync", "always", "--dir", str(self.folder)], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise AssertionError("redis-server did not start")

    def stop(self):
        self.process.terminate()  # a clean shutdown: the append-only file keeps what was queued
        self.process.wait(timeout=10)


@pytest.fixture
def redis(tmp_path):
    needs(shutil.which("redis-server") is not None, "needs redis-server")
    needs_postgresql()
    server = Redis(tmp_path)
    server.start()
    # This process (the web side) publishes to it too: a fresh connection pool for the new URL.
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = server.url, None, None
    celery_app.conf.task_always_eager = False
    try:
        yield server
    finally:
        celery_app.conf.broker_url, celery_app._pool, celery_app.amqp._producer_pool = previous, None, None
        outbox._broker_down_until = 0.0
        if server.process.poll() is None:
            server.stop()


def _spawn(args, env, lines):
    process = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True).start()
    return process


@pytest.fixture
def worker_env():
    """Settings of the worker and relay processes beyond the test's own (a test parametrizes it)."""
    return {}


@pytest.fixture
def background(redis, settings, tmp_path, worker_env):
    """A prefork worker and the relay process, on this test's Redis and database."""
    env, media, mailbox = background_process_environment(settings, tmp_path, redis.url, **worker_env)
    lines = []
    processes = [
        _spawn(["-m", "celery", "-A", "pmo", "worker", "--pool=prefork", "--concurrency=2", "--loglevel=INFO",
                "--without-gossip", "--without-mingle", "--without-heartbeat", *CELERY_WORKER_ARGS], env, lines),
        _spawn(["manage.py", "relay_outbox", "--interval", "0.5"], env, lines),
    ]
    try:
        yield mailbox, media, processes
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        print("".join(lines))


def _wait(condition, processes, seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        assert all(p.poll() is None for p in processes), "the worker or the relay died"
        time.sleep(0.25)
    raise AssertionError("the background work did not finish in time")


def _mails(mailbox: Path) -> list[str]:
    return [m for path in mailbox.iterdir() for m in path.read_text().split(SEPARATOR) if m.strip()]


def _subjects(mails: list[str]) -> list[str]:
    return [re.search(r"^Subject: (.*)$", m, re.M).group(1) for m in mails]


def test_a_broker_outage_under_load_answers_normally_and_loses_no_work(client, pm, support, sales, redis,
                                                                        background):
    mailbox, media, processes = background
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    project = ProjectFactory(project_manager=pm, support_officer=support, sales_owner=sales)
    line = BudgetLine.objects.create(project=project, category="material", description="Switches",
                                     amount=Decimal("90000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("90000.00"), approved_by=pm)
    supplier = SupplierFactory()

    def draft_po(by):
        return purchase_order_create(
            project_id=project.pk, by=by, data={"supplier": supplier, "budget_line": line,
                                                "delivery_date": tomorrow, "delivery_site": "Gent"},
            lines=[{"description": "Switch", "quantity": Decimal("2"), "unit": "pc",
                    "unit_price": Decimal("1000.00"), "vat_rate": 21}])

    by_pm, by_support = [draft_po(pm) for _ in range(3)], [draft_po(support) for _ in range(2)]
    to_send = [purchase_order_submit(po_id=draft_po(pm).pk, by=pm) for _ in range(2)]  # approved at once
    intakes = [IntakeFactory(created_by=sales) for _ in range(2)]
    for intake in intakes:
        for kind in ("signed_order", "offer"):
            intake_attachment_add(intake_id=intake.pk, by=sales, kind=kind, upload=pdf_upload(f"{kind}.pdf"),
                                  content_type="application/pdf")
    reports = [report_draft_create(project_id=p.pk, week=week_of(timezone.localdate()), variant="internal")[0]
               for p in (project, ProjectFactory(project_manager=pm, support_officer=support))]
    # The broker works: what was queued so far is taken by the worker.
    _wait(lambda: not OutboxMessage.objects.pending().exists(), processes, 30)

    assert celery_app.conf.broker_url == redis.url != os.environ.get("REDIS_URL")  # never the shared server
    stopped_at = time.monotonic()
    redis.stop()
    answers = []

    def post(user, url, data=None):
        client.force_login(user)
        started = time.monotonic()
        response = client.post(url, data or {})
        answers.append((url, response.status_code, time.monotonic() - started))

    for po in by_pm:
        post(pm, reverse("procurement:po_action", args=[po.number, "submit"]))
    for po in by_support:
        post(support, reverse("procurement:po_action", args=[po.number, "submit"]))
    for po in to_send:
        post(pm, reverse("procurement:po_action", args=[po.number, "send"]))
    for intake in intakes:
        post(sales, reverse("intakes:submit", args=[intake.pk]))
    for report in reports:
        post(pm, reverse("reporting:report", args=[report.project.code, report.pk]), {
            "summary": "On track", "this_period": "Trenching", "next_period": "Splicing", "edit_version": 1,
            "publish": "1"})
    assert [(url, status) for url, status, _seconds in answers if status != 302] == []
    assert max(seconds for _url, _status, seconds in answers) < 10  # no request waits for the broker
    assert OutboxMessage.objects.pending().count() >= len(answers)  # recorded, waiting for the broker
    assert PurchaseOrder.objects.filter(pk__in=[po.pk for po in by_pm], status="approved").count() == 3

    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
    redis.start()
    back_at = time.monotonic()

    def all_done():
        return (not OutboxMessage.objects.pending().exists()
                and not Notification.objects.filter(emailed_at__isnull=True).exists()
                and HighlightReport.objects.filter(pk__in=[r.pk for r in reports], sent_at__isnull=False).count() == 2
                and PurchaseOrderDocument.objects.filter(emailed_at__isnull=False).count() == 2)

    _wait(all_done, processes, 45)
    print(f"all work done {time.monotonic() - back_at:.1f} s after the broker came back")
    time.sleep(1.5)  # anything handed over twice would show now

    mails = _mails(mailbox)
    subjects = _subjects(mails)
    notifications = list(Notification.objects.values_list("subject", flat=True))
    assert sorted(s for s in subjects if s in notifications) == sorted(notifications)
    assert sum("Purchase order to approve" in s for s in notifications) == 2
    assert sum("Intake submitted" in s for s in notifications) == 2
    for po in to_send:
        assert sum(f'filename="{po.number}.pdf"' in m for m in mails) == 1
        assert PurchaseOrderDocument.objects.filter(purchase_order=po).count() == 1
    for report in reports:
        report.refresh_from_db()
        assert report.status == "published" and report.pdf
        assert sum(report.download_name in m for m in mails) == 1
    assert sorted(p.name for p in (media / "highlight-reports").iterdir()) == sorted(f"{r.pk}.pdf" for r in reports)
    assert len(mails) == len(notifications) + len(to_send) + len(reports)


@pytest.mark.parametrize("worker_env", [{"HIGHLIGHT_REPORT_RENDER_SECONDS": "1"}])
def test_a_render_longer_than_its_time_limit_stops_and_the_report_says_why(client, pm, support, settings,
                                                                            background):
    """Item 9: the soft time limit stops WeasyPrint in a real worker; the report fails cleanly."""
    _mailbox, media, processes = background
    project = ProjectFactory(project_manager=pm, support_officer=support)
    week = week_of(timezone.localdate())
    Activity.objects.bulk_create([Activity(project=project, name=f"Pull section {n}", planned_start=week,
                                           planned_end=week + dt.timedelta(days=4)) for n in range(1000)])
    report = report_draft_create(project_id=project.pk, week=week, variant="internal")[0]
    # The limits travel with the message, from the publisher's settings: here, as in production, the
    # same as the worker's.
    settings.HIGHLIGHT_REPORT_RENDER_SECONDS = 1
    # Celery caches a task's execution options (its limits among them) at the first apply_async: the
    # cache is patched too, so the 1 s limit does not stay with the task for the tests after this one.
    with mock.patch.multiple(render_highlight_report, soft_time_limit=1, time_limit=31, _exec_options=None):
        report_publish(report_id=report.pk, by=pm)
    assert render_highlight_report._get_exec_options()["soft_time_limit"] == SOFT_LIMIT  # the patch left nothing
    _wait(lambda: HighlightReport.objects.filter(pk=report.pk, status="failed").exists(), processes, 60)
    report.refresh_from_db()
    assert report.render_failure == "timeout" and not report.pdf and not report.sent_at
    assert not (media / "highlight-reports").exists() or not list((media / "highlight-reports").iterdir())
    client.force_login(support)
    page = client.get(reverse("reporting:report", args=[project.code, report.pk])).content.decode()
    assert "The PDF could not be made: it took longer than 1 minute." in page  # 1 s, shown in whole minutes
    assert reverse("reporting:retry", args=[project.code, report.pk]) in page
