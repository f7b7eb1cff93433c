"""The transactional outbox (issue 13, item 6): background work is a row of the change's own
transaction, handed to the broker after commit or, when the broker is down, by the relay until it
takes it; and highlight reports stuck publishing or rendering too long (item 9) end by themselves."""

import datetime as dt
from unittest import mock

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import Notification
from accounts.services import notification_create
from accounts.tasks import send_notification_email
from outbox import services as outbox
from outbox.models import OutboxMessage, OutgoingEmail
from pmo.celery import VISIBILITY_TIMEOUT
from pmo.celery import app as celery_app
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import (
    MAX_RENDERS_BEGUN,
    report_draft_create,
    report_publish,
    report_retry,
    reports_sweep_stuck,
)
from reporting.tasks import render_highlight_report

from .factories import ProjectFactory

REFUSED = OperationalError("Error 111 connecting to 127.0.0.1:6391. Connection refused.")


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _broker_answering():
    outbox._broker_down_until = 0.0
    yield
    outbox._broker_down_until = 0.0


@pytest.fixture
def broker():
    """A broker instead of eager mode; `broker.down = True` makes it refuse every message."""
    state = mock.Mock(down=False, sent=[])

    def apply_async(self, args=None, kwargs=None, **options):
        if state.down:
            raise REFUSED
        state.sent.append((self.name, args))

    celery_app.conf.task_always_eager = False
    with mock.patch("celery.app.task.Task.apply_async", apply_async):
        yield state


@pytest.mark.django_db(transaction=True)
def test_work_queued_in_a_rolled_back_transaction_is_neither_kept_nor_run(pm, broker):
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.enqueue("accounts.tasks.send_notification_email", 12345)
            raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists() and broker.sent == []


@pytest.mark.django_db(transaction=True)
def test_committed_work_is_handed_to_the_broker_right_after_commit_and_marked(pm, broker):
    with transaction.atomic():
        notification = notification_create(recipient=pm, subject="Budget approved")
        assert broker.sent == []
    assert broker.sent == [("accounts.tasks.send_notification_email", [notification.pk])]
    assert OutboxMessage.objects.get().dispatched_at is not None


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_down_the_change_commits_and_the_relay_hands_the_work_over_later(pm, broker):
    broker.down = True
    with transaction.atomic():
        notification = notification_create(recipient=pm, subject="Budget approved")  # no exception
    queued = OutboxMessage.objects.get()
    assert queued.dispatched_at is None and queued.attempts == 1 and "Connection refused" in queued.last_error
    assert queued.next_attempt_at <= timezone.now()  # due again: the relay loop paces itself

    # The next commits of this process do not wait for the refusal again; the rows wait.
    with transaction.atomic():
        notification_create(recipient=pm, subject="Second")
    assert OutboxMessage.objects.pending().count() == 2 and OutboxMessage.objects.get(pk=queued.pk).attempts == 1
    assert outbox.relay_due() == (0, False)  # the relay stops at the first refusal
    assert broker.sent == []

    broker.down = False
    assert outbox.relay_due() == (2, True)
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    assert ids[0] == notification.pk and [args for _name, args in broker.sent] == [[pk] for pk in ids]
    assert not OutboxMessage.objects.pending().exists()
    assert outbox.relay_due() == (0, True)  # marked: never handed over twice by the relay


@pytest.mark.django_db(transaction=True)
def test_the_relay_command_hands_over_what_waits(pm, broker):
    broker.down = True
    with transaction.atomic():
        notification_create(recipient=pm, subject="Budget approved")
    broker.down = False
    call_command("relay_outbox", "--once")
    assert len(broker.sent) == 1 and not OutboxMessage.objects.pending().exists()


def test_a_row_whose_task_no_longer_exists_waits_longer_each_time_and_blocks_nothing(db, broker):
    gone = OutboxMessage.objects.create(task_name="accounts.tasks.renamed_since", args=[1])
    fine = OutboxMessage.objects.create(task_name="accounts.tasks.send_notification_email", args=[2])
    assert outbox.relay_due() == (1, True)
    gone.refresh_from_db()
    assert gone.dispatched_at is None and gone.attempts == 1 and "renamed_since" in gone.last_error
    assert gone.next_attempt_at > timezone.now()
    OutboxMessage.objects.filter(pk=gone.pk).update(next_attempt_at=timezone.now())
    outbox.relay_due()
    gone.refresh_from_db()
    assert gone.attempts == 2 and gone.next_attempt_at > timezone.now() + dt.timedelta(seconds=1.5)
    assert OutboxMessage.objects.get(pk=fine.pk).dispatched_at is not None


def test_a_misspelt_task_is_refused_when_queued(db):
    with pytest.raises(ImportError):
        outbox.enqueue("accounts.tasks.no_such_task", 1)


def test_in_eager_mode_the_work_runs_right_after_commit(pm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(recipient=pm, subject="Intake returned")
        assert mail.outbox == []
    assert [m.subject for m in mail.outbox] == ["Intake returned"]
    assert OutboxMessage.objects.get().dispatched_at is not None


def test_an_eager_task_that_fails_is_logged_not_raised_into_the_request(pm, django_capture_on_commit_callbacks,
                                                                        caplog):
    with mock.patch.object(send_notification_email, "run", side_effect=ValueError("template missing")):
        with django_capture_on_commit_callbacks(execute=True):
            notification_create(recipient=pm, subject="Intake returned")
    assert "template missing" in caplog.text


def test_old_handed_over_rows_are_purged(db):
    old = OutboxMessage.objects.create(task_name="x.y", dispatched_at=timezone.now() - dt.timedelta(days=8))
    waiting = OutboxMessage.objects.create(task_name="x.y", created_at=timezone.now() - dt.timedelta(days=30))
    assert outbox.outbox_purge() == 1
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [waiting.pk] != [old.pk]


def test_a_queued_email_with_an_attachment_goes_once(db, settings, django_capture_on_commit_callbacks):
    path = default_storage.save("packs/pack.pdf", ContentFile(b"%PDF-1.7"))
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.email_enqueue(subject="Hand-over", body="Attached", to=["smo@example.com"],
                                     attachments=[{"name": "pack.pdf", "path": path, "type": "application/pdf"}])
    assert [(m.subject, m.to, m.attachments[0][0]) for m in mail.outbox] == [("Hand-over", ["smo@example.com"],
                                                                              "pack.pdf")]
    assert outbox.email_send(email_id=email.pk) is False  # handed over twice: sent once
    assert len(mail.outbox) == 1 and OutgoingEmail.objects.get().sent_at is not None


# --- Highlight reports: the time limit, the sweeper, Retry -------------------------------------

@pytest.fixture
def report(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    report, _new = report_draft_create(project_id=project.pk, week=week_of(timezone.localdate()), variant="internal")
    return report


def _page(client, user, report) -> str:
    client.force_login(user)
    return client.get(reverse("reporting:report", args=[report.project.code, report.pk])).content.decode()


def test_the_render_task_has_a_soft_and_a_hard_time_limit_below_the_redelivery_timeout(settings):
    assert render_highlight_report.soft_time_limit == settings.HIGHLIGHT_REPORT_RENDER_SECONDS
    assert render_highlight_report.soft_time_limit < render_highlight_report.time_limit < VISIBILITY_TIMEOUT


def test_a_render_past_its_time_limit_fails_cleanly_and_the_page_says_so_with_retry(
        client, pm, support, report, django_capture_on_commit_callbacks):
    with mock.patch("reporting.lib.pdf.render_report_pdf", side_effect=SoftTimeLimitExceeded()):
        with django_capture_on_commit_callbacks(execute=True):
            report_publish(report_id=report.pk, by=pm)
    report.refresh_from_db()
    assert (report.status, report.render_failure, bool(report.pdf)) == ("failed", "timeout", False)
    page = _page(client, support, report)
    assert "The PDF could not be made: it took longer than 2 minutes." in page
    assert reverse("reporting:retry", args=[report.project.code, report.pk]) in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:retry", args=[report.project.code, report.pk]))
    report.refresh_from_db()
    assert (report.status, report.render_failure, bool(report.pdf)) == ("published", "", True)


def _stuck(report, **fields):
    """Publishing since before the hard limit (plus margin): its task was lost."""
    long_ago = timezone.now() - dt.timedelta(seconds=render_highlight_report.time_limit + 61)
    HighlightReport.objects.filter(pk=report.pk).update(status="publishing", published_at=long_ago,
                                                        render_queued_at=long_ago, **fields)


def test_the_sweeper_queues_again_a_report_stuck_publishing_and_leaves_a_recent_one(
        pm, report, django_capture_on_commit_callbacks):
    recent = report_draft_create(project_id=ProjectFactory(project_manager=pm).pk, week=report.week,
                                 variant="internal")[0]
    HighlightReport.objects.filter(pk=recent.pk).update(status="publishing", render_queued_at=timezone.now())
    _stuck(report)
    with django_capture_on_commit_callbacks(execute=True):
        assert reports_sweep_stuck() == 1
    report.refresh_from_db()
    assert report.status == "published" and report.pdf and report.render_attempts == 1
    assert HighlightReport.objects.get(pk=recent.pk).status == "publishing"
    assert reports_sweep_stuck() == 0


def test_a_report_stuck_publishing_offers_retry_and_retry_renders_it(
        client, pm, support, report, django_capture_on_commit_callbacks):
    HighlightReport.objects.filter(pk=report.pk).update(status="publishing", render_queued_at=timezone.now())
    retry = reverse("reporting:retry", args=[report.project.code, report.pk])
    assert retry not in _page(client, support, report)  # still within the time a render may take
    _stuck(report)
    page = _page(client, support, report)
    assert "The PDF has not been made in the time it should take" in page and retry in page
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    report.refresh_from_db()
    assert report.status == "published" and report.pdf


def test_a_render_that_began_too_often_without_ending_fails_as_too_long(
        client, support, report, django_capture_on_commit_callbacks):
    _stuck(report, render_attempts=MAX_RENDERS_BEGUN, render_started_at=timezone.now() - dt.timedelta(hours=1))
    with mock.patch("reporting.lib.pdf.render_report_pdf") as render:
        with django_capture_on_commit_callbacks(execute=True):
            assert reports_sweep_stuck() == 1
        render.assert_not_called()
    report.refresh_from_db()
    assert (report.status, report.render_failure) == ("failed", "timeout")
    assert "it took longer than 2 minutes" in _page(client, support, report)
    with django_capture_on_commit_callbacks(execute=True):
        report_retry(report_id=report.pk, by=support)  # a new publishing counts from zero
    report.refresh_from_db()
    assert report.status == "published" and report.render_attempts == 1


def test_the_admin_lists_queued_work_read_only(client, admin_user):
    OutboxMessage.objects.create(task_name="accounts.tasks.send_notification_email", args=[1], attempts=3,
                                 last_error="OperationalError: Connection refused")
    client.force_login(admin_user)
    page = client.get(reverse("admin:outbox_outboxmessage_changelist"))
    assert page.status_code == 200 and "accounts.tasks.send_notification_email" in page.content.decode()
    assert client.get(reverse("admin:outbox_outboxmessage_add")).status_code == 403
