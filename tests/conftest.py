"""Personas (after healthchecks' alice/bob/charlie) and shared helpers.

alice-like owner: `pm` manages `project`; `pm2` is another PM; `outsider` has no role;
`sales` handed `project` over, `sales2` did not; `inactive` has been deactivated.
"""

import os
import subprocess
import sys
import threading
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection

from accounts.roles import Role
from pmo.celery import app as celery_app
from pmo.queues import celery_routing

from .factories import ProjectFactory, UserFactory

# Playwright runs an event loop in the test thread; the ORM calls around it are synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "secret-pass-123"
REQUIRE_ALL = os.environ.get("PMO_REQUIRE_ALL") == "1"

# Under pytest-xdist each process (gw0, gw1, ...) has its own test database but shares the Redis
# database of REDIS_URL: its tasks and the real workers it starts use queues (and a worker name)
# of their own, so that no worker ever takes another process's task.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
CELERY_WORKER_ENV, CELERY_WORKER_ARGS = {}, []
if XDIST_WORKER:
    queue = f"pmo-test-{XDIST_WORKER}"
    celery_app.conf.task_default_queue = queue
    celery_app.conf.task_routes, celery_app.conf.task_queues = celery_routing(f"{queue}-")
    CELERY_WORKER_ENV = {"DJANGO_SETTINGS_MODULE": "tests.celery_worker_settings", "PMO_TEST_CELERY_QUEUE": queue}
    CELERY_WORKER_ARGS = ["--hostname", f"{queue}@%h"]


def needs(condition: bool, reason: str) -> None:
    """Skip a test whose infrastructure is absent locally; in CI (PMO_REQUIRE_ALL=1) fail instead."""
    if condition:
        return
    if REQUIRE_ALL:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def bare_colons(html: str) -> list[str]:
    """The colons of a page's text (styles and tags left out) not preceded by the non-breaking space
    French asks for; a time's colon (10:30) is not punctuation."""
    import re

    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    return [text[max(0, m.start() - 20):m.end()] for m in re.finditer(r"(?<![\u00a0\d]):", text)]


def needs_postgresql() -> None:
    needs(connection.vendor == "postgresql", "needs PostgreSQL (set DATABASE_URL)")


def background_process_environment(settings, tmp_path, redis_url: str, **extra) -> tuple[dict, object, object]:
    """The environment of a worker or relay process that a test starts: this test's database, a media
    folder of its own and a file mailbox (both returned, and the media folder made the test's own)."""
    db = connection.settings_dict
    media, mailbox = tmp_path / "media", tmp_path / "mail"
    media.mkdir()
    mailbox.mkdir()
    settings.MEDIA_ROOT = media
    env = dict(os.environ, DATABASE_URL=f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
               f"{db['NAME']}", REDIS_URL=redis_url, CONN_MAX_AGE="0", MEDIA_ROOT=str(media),
               EMAIL_URL=f"filemail:///{mailbox}", **CELERY_WORKER_ENV, **extra)  # environ drops one leading slash
    return env, media, mailbox


class BackgroundProcess:
    """A process a test starts (python ARGS, from the project folder) with an empty MEDIA_ROOT of its own; its
    output is kept and printed when it is reported."""

    def __init__(self, name: str, args: list[str], env: dict, tmp_path: Path):
        self.name, self.media, self.lines = name, tmp_path / f"media-{name}", []
        self.media.mkdir()
        self.popen = subprocess.Popen([sys.executable, *args], cwd=ROOT, env=dict(env, MEDIA_ROOT=str(self.media)),
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.reader = threading.Thread(target=lambda: self.lines.extend(iter(self.popen.stdout.readline, "")),
                                       daemon=True)
        self.reader.start()

    def alive(self) -> None:
        assert self.popen.poll() is None, f"{self.name} died:\n{''.join(self.lines)}"

    def stop(self) -> None:
        """Ask it to stop; `report` then waits for it."""
        self.popen.terminate()

    def report(self) -> None:
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
        self.reader.join(5)
        print(f"----- {self.name}\n{''.join(self.lines)}")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _flush_by_delete():
    """A transactional test's teardown empties every table with Django's flush: on PostgreSQL one
    TRUNCATE of all ~100 tables, 1-2 s on an idle machine and 4-5 s under load even when they hold a
    handful of rows (each table gets new files). DELETE FROM every table, in one transaction, leaves the same
    empty tables in a fraction of that: all foreign keys are deferred to the commit, the only
    triggers (project summaries) leave nothing behind, and neither way touches the sequences (Django
    resets them only when asked, and then its own TRUNCATE ... RESTART IDENTITY still runs)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET CONSTRAINTS ALL DEFERRED; " + " ".join(f"DELETE FROM {self.quote_name(t)};" for t in tables)]

    with mock.patch.object(DatabaseOperations, "sql_flush", sql_flush):
        yield


@pytest.fixture(autouse=True)
def _tasks_run_in_process():
    """Tests run queued tasks in-process unless they start a real worker."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


REFERENCE_DATA_MIGRATIONS = ("0003_reference_data", "0006_project_type_phases", "0012_checklist_templates",
                             "0015_reference_translations")
# Whether this process's test database holds the reference data, committed. Unknown at start (a
# --reuse-db database may have been flushed last); a transactional test flushes it at teardown.
_reference_data_committed = False


def ensure_reference_data() -> None:
    """Thresholds, project types and checklist templates come from data migrations; load them,
    committed, unless the database still holds them. Call with database access unblocked and
    outside any test transaction (what is loaded inside one would be rolled back with it)."""
    global _reference_data_committed
    if _reference_data_committed:
        return
    import importlib

    from django.apps import apps

    assert not connection.in_atomic_block, "reference data loaded inside a transaction would be rolled back"
    for migration in REFERENCE_DATA_MIGRATIONS:
        importlib.import_module(f"projects.migrations.{migration}").load(apps, None)
    _reference_data_committed = True


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Every database test starts with the reference data. It is loaded once per test database and
    again only after a transactional test, whose teardown flushes every table; a test in a
    transaction (the usual case) rolls its own changes back and leaves the data as it found it."""
    global _reference_data_committed
    if "django_db_setup" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("django_db_setup")
    if not _reference_data_committed:
        with request.getfixturevalue("django_db_blocker").unblock():
            ensure_reference_data()
    request.getfixturevalue("_django_db_helper")
    if not connection.in_atomic_block:
        # A transactional test (TransactionTestCase): it commits, and its teardown flushes.
        _reference_data_committed = False


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _persona(username, *roles, **extra):
    return UserFactory(username=username, roles=list(roles), **extra)


# name -> (username, roles, extra fields) of each persona; fixtures and make_personas() share it.
PERSONAS = {
    "sales": ("sales", [Role.SALES], {}),
    "sales2": ("sales2", [Role.SALES], {}),
    "support": ("support", [Role.SUPPORT_OFFICER], {}),
    "pm": ("pm", [Role.PROJECT_MANAGER], {}),
    "pm2": ("pm2", [Role.PROJECT_MANAGER], {}),
    "engmgr": ("engmgr", [Role.ENGINEERING_MANAGER], {}),
    "pmolead": ("pmolead", [Role.PMO_LEAD], {}),
    "finance": ("finance", [Role.FINANCE], {}),
    "admin": ("admin", [Role.ADMINISTRATOR], {"is_staff": True, "is_superuser": True}),
    "outsider": ("outsider", [], {}),
    "inactive": ("inactive", [Role.PROJECT_MANAGER], {"is_active": False}),
}


def make_persona(name):
    username, roles, extra = PERSONAS[name]
    return _persona(username, *roles, **extra)


def make_personas():
    """The personas of the `personas` fixture, for fixtures wider than one test."""
    return {name: make_persona(name) for name in
            ("sales", "sales2", "support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin", "outsider")}


def make_project(personas):
    """The `project` fixture's project: `pm` manages it, `support` supports it, `sales` handed it over."""
    return ProjectFactory(project_manager=personas["pm"], support_officer=personas["support"],
                          sales_owner=personas["sales"])


@pytest.fixture
def sales(db):
    return make_persona("sales")


@pytest.fixture
def sales2(db):
    return make_persona("sales2")


@pytest.fixture
def support(db):
    return make_persona("support")


@pytest.fixture
def pm(db):
    return make_persona("pm")


@pytest.fixture
def pm2(db):
    return make_persona("pm2")


@pytest.fixture
def engmgr(db):
    return make_persona("engmgr")


@pytest.fixture
def pmolead(db):
    return make_persona("pmolead")


@pytest.fixture
def finance(db):
    return make_persona("finance")


@pytest.fixture
def admin_user(db):
    return make_persona("admin")


@pytest.fixture
def outsider(db):
    return make_persona("outsider")


@pytest.fixture
def inactive(db):
    return make_persona("inactive")


@pytest.fixture
def project(db, pm, pm2, support, sales):
    return make_project({"pm": pm, "support": support, "sales": sales})


@pytest.fixture
def personas(sales, sales2, support, pm, pm2, engmgr, pmolead, finance, admin_user, outsider):
    return {
        "sales": sales, "sales2": sales2, "support": support, "pm": pm, "pm2": pm2, "engmgr": engmgr,
        "pmolead": pmolead, "finance": finance, "admin": admin_user, "outsider": outsider,
    }


@pytest.fixture(scope="session")
def browser():
    from pathlib import Path

    from .browser import CHROMIUM, CHROMIUM_ARGS

    needs(Path(CHROMIUM).exists(), "needs Debian's Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """Opens pages in fresh browser contexts (one per person); console errors (a CSP violation,
    say) fail the test."""
    contexts, errors = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB",
                                      viewport={"width": 1280, "height": 800})
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    open_page.expected = []  # substrings of errors a test provokes on purpose (a refused link's 410, say)
    yield open_page
    for context in contexts:
        context.close()
    errors = [e for e in errors if not any(expected in e for expected in open_page.expected)]
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def page(new_page):
    return new_page()


def sign_in(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]:has-text('Sign in')")
    page.wait_for_url("**/")


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free port of localhost: S3's real HTTP API, nothing patched, so that processes a
    test starts reach it as they would reach MinIO. Returns its endpoint URL."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError:
        needs(False, "needs moto[s3], flask and flask-cors (requirements-dev.txt)")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


class S3Bucket:
    """A bucket on the test's S3 server; `environment` gives a process the same default storage."""

    def __init__(self, endpoint_url: str, name: str):
        import boto3

        self.name = name
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1",
                                   aws_access_key_id="test", aws_secret_access_key="test")
        self.client.create_bucket(Bucket=name)
        self.environment = {"S3_BUCKET": name, "S3_ENDPOINT_URL": endpoint_url, "S3_REGION": "us-east-1",
                            "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test"}

    def objects(self) -> dict[str, bytes]:
        listing = self.client.list_objects_v2(Bucket=self.name).get("Contents", [])
        return {o["Key"]: self.client.get_object(Bucket=self.name, Key=o["Key"])["Body"].read() for o in listing}


@pytest.fixture
def s3_bucket(s3_server, settings, tmp_path):
    """An empty bucket of this test's own, made this process's default storage; MEDIA_ROOT is an empty folder
    that must stay empty."""
    import uuid

    from pmo.storage import s3_storage

    bucket = S3Bucket(s3_server, f"test-{uuid.uuid4().hex}")
    settings.STORAGES = {**settings.STORAGES, "default": s3_storage(
        bucket=bucket.name, endpoint_url=s3_server, region="us-east-1", access_key="test", secret_key="test")}
    settings.MEDIA_ROOT = tmp_path / "media-unused"
    settings.MEDIA_ROOT.mkdir()
    return bucket
