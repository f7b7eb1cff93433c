"""Ready for more machines (issue 14, item 5): two web processes and a worker that share nothing but
PostgreSQL, Redis and an S3 server on localhost (moto's server mode: S3's HTTP API, nothing patched).
Each process has an empty MEDIA_ROOT of its own, which stays empty: a document uploaded through web A is
downloaded through web B with the same bytes, and a highlight report the worker renders is downloaded
through web B."""

import os
import re
import socket
import time
from pathlib import Path

import pytest
import requests
from django.db import transaction
from django.utils import timezone

from pmo.celery import app as celery_app
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_publish

from .conftest import (
    CELERY_WORKER_ARGS,
    PASSWORD,
    BackgroundProcess,
    background_process_environment,
    needs,
    needs_postgresql,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
# A PDF of its own bytes, so that the same bytes coming back can only be this upload.
DOCUMENT = b"%PDF-1.4\n%" + os.urandom(16).hex().encode() + b"\n1 0 obj<<>>endobj\n%%EOF\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Web(BackgroundProcess):
    def __init__(self, name: str, env: dict, tmp_path: Path):
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        super().__init__(name, ["-m", "gunicorn", "pmo.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                "--workers", "1", "--threads", "2", "--graceful-timeout", "3",
                                "--no-control-socket"], env, tmp_path)

    def wait_until_serving(self, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.alive()
            try:
                if requests.get(f"{self.url}/healthz", timeout=10).status_code == 200:
                    return
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or Django still loading
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not answer in time")


@pytest.fixture
def cluster(settings, tmp_path, s3_bucket):
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    needs_postgresql()
    env, _media, _mailbox = background_process_environment(settings, tmp_path, settings.REDIS_URL,
                                                           **s3_bucket.environment)
    celery_app.control.purge()
    web_a, web_b = Web("web-a", env, tmp_path), Web("web-b", env, tmp_path)
    worker = BackgroundProcess("worker", ["-m", "celery", "-A", "pmo", "worker", "--pool=solo", "--loglevel=INFO",
                                "--without-gossip", "--without-mingle", "--without-heartbeat", *CELERY_WORKER_ARGS],
                     env, tmp_path)
    celery_app.conf.task_always_eager = False
    try:
        deadline = time.monotonic() + 30
        web_a.wait_until_serving(deadline)
        web_b.wait_until_serving(deadline)
        yield web_a, web_b, worker
    finally:
        celery_app.conf.task_always_eager = True
        for process in (web_a, web_b, worker):
            process.stop()
        for process in (web_a, web_b, worker):
            process.report()


def _csrf(response) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)


def _signed_in(web: Web, username: str) -> requests.Session:
    browser = requests.Session()
    login = browser.get(f"{web.url}/accounts/login/")
    answer = browser.post(f"{web.url}/accounts/login/", allow_redirects=False, data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": _csrf(login)})
    assert answer.status_code == 302, answer.text
    return browser


def test_a_file_uploaded_through_one_web_process_is_downloaded_through_the_other(cluster, pm, project, s3_bucket,
                                                                                 settings):
    web_a, web_b, worker = cluster
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.ScryptPasswordHasher"]  # one the web processes know
    pm.set_password(PASSWORD)
    pm.save()
    browser = _signed_in(web_a, "pm")  # the session lives in PostgreSQL: web B knows it too

    documents = f"{web_a.url}/projects/{project.code}/documents/"
    answer = browser.post(documents, data={"category": "design", "title": "Network design",
                                           "csrfmiddlewaretoken": _csrf(browser.get(documents))},
                          files={"file": ("design.pdf", DOCUMENT, "application/pdf")}, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    document = project.documents.get()
    download = browser.get(f"{web_b.url}/projects/{project.code}/documents/{document.pk}/")
    assert download.status_code == 200 and download.content == DOCUMENT
    assert s3_bucket.objects()[document.file.name] == DOCUMENT

    # Web A makes the week's drafts; publishing queues the render, which the worker stores in the bucket.
    reports = f"{web_a.url}/projects/{project.code}/reports/"
    answer = browser.post(f"{reports}drafts/", data={"csrfmiddlewaretoken": _csrf(browser.get(reports))},
                          allow_redirects=False)
    assert answer.status_code == 302, answer.text
    report = HighlightReport.objects.get(project=project, week=week_of(timezone.localdate()), variant="internal")
    with transaction.atomic():
        report_publish(report_id=report.pk, by=pm)
    deadline = time.monotonic() + 40
    while not HighlightReport.objects.filter(pk=report.pk, status="published").exists():
        assert time.monotonic() < deadline, "the worker did not render the report in time"
        worker.alive()
        time.sleep(0.2)
    report.refresh_from_db()
    pdf = browser.get(f"{web_b.url}/projects/{project.code}/reports/{report.pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert s3_bucket.objects()[report.pdf.name] == pdf.content

    for process in cluster:  # nothing of it was kept on a process's own disk
        assert list(process.media.iterdir()) == [], process.name
