"""Webhooks (issue 15, item 5): every state change of the list records an event in its own transaction;
each subscription that wants it gets a signed POST (Standard Webhooks), verified here by a real receiver
on localhost with the `standardwebhooks` library; failures are retried with back-off, 410 ends the
subscription, a rolled-back change sends nothing. Tasks run in-process (the relay's eager mode); the
real worker's runs are in test_webhooks_worker.py."""

import base64
import datetime as dt
import json
import time

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from standardwebhooks import Webhook

from outbox.models import Event
from outbox.services import record_event
from pmo.demo import load_demo_data
from projects.events import EventType
from projects.services.change_control import exception_raise
from projects.services.closing import project_close
from projects.services.intakes import intake_accept, intake_submit
from projects.services.projects import project_put_on_hold, project_resume
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from webhooks.services.deliveries import delivery_resend, event_body
from webhooks.services.subscriptions import subscription_create
from webhooks.signing import signature
from webhooks.tasks import sweep_due_deliveries

from .factories import ProjectFactory
from .test_closing import _fulfil, closing_project  # noqa: F401 - the closing gate's fixture, fulfilled as there
from .test_intakes import complete_intake  # noqa: F401 - a submittable intake
from .webhook_receiver import Receiver

ALL = list(EventType.values)


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOK_SWEEP_SECONDS = 0
    settings.WEBHOOK_TIMEOUT_SECONDS = 5


def subscribe(receiver, by, event_types=ALL, projects=()):
    subscription = subscription_create(by=by, data={"url": receiver.url, "event_types": event_types,
                                                    "projects": list(projects), "description": "ServiceNow"})
    receiver.secret = subscription.secret
    return subscription


def committed(callbacks_fixture, work):
    """Run `work` in a transaction and then what its commit queues (the relay, in-process)."""
    with callbacks_fixture(execute=True):
        with transaction.atomic():
            return work()


def retry_until(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "the deliveries did not settle"
        time.sleep(0.05)
        sweep_due_deliveries()


def test_the_signature_is_the_standard_webhooks_one():
    secret = "whsec_" + base64.b64encode(b"k" * 24).decode()
    body = '{"type":"project.status_changed"}'
    expected = Webhook(secret).sign("msg_1", dt.datetime.fromtimestamp(1767225600, dt.timezone.utc), body)
    assert signature(secret, "msg_1", 1767225600, body) == expected
    assert signature(secret, "msg_1", 1767225600, body + " ") != expected


def test_a_status_change_reaches_the_receiver_signed_with_its_webhook_id(
        receiver, pm, pmolead, django_capture_on_commit_callbacks):
    project = ProjectFactory(project_manager=pm, status="planning")
    subscription = subscribe(receiver, pmolead)
    assert subscription.secret.startswith("whsec_") and len(base64.b64decode(subscription.secret[6:])) == 24
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))

    [post] = receiver.received
    delivery = WebhookDelivery.objects.get()
    assert post.verified and post.webhook_id == delivery.webhook_id and post.answered == 200
    assert post.body["type"] == "project.status_changed"
    assert post.body["data"]["project"] == {
        "code": project.code, "name": project.name, "status": "on_hold", "level": project.level,
        "start_date": "2026-01-05", "end_date": "2026-12-18"}
    assert post.body["data"]["previous_status"] == "planning"
    assert dt.datetime.fromisoformat(post.body["timestamp"]) <= timezone.now()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == ("delivered", 1, 200)
    assert delivery.last_duration_ms is not None and WebhookAttempt.objects.get().response_code == 200


def test_a_receiver_with_another_secret_cannot_verify(receiver, pm, pmolead, django_capture_on_commit_callbacks):
    project = ProjectFactory(project_manager=pm, status="planning")
    subscribe(receiver, pmolead)
    receiver.secret = "whsec_" + base64.b64encode(b"x" * 24).decode()
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    assert [post.verified for post in receiver.received] == [False]


def test_a_receiver_answering_500_three_times_then_200_gets_it_with_one_webhook_id(
        receiver, pm, pmolead, django_capture_on_commit_callbacks):
    receiver.answers = [500, 500, 500, 200]
    project = ProjectFactory(project_manager=pm, status="planning")
    subscribe(receiver, pmolead)
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending" and delivery.last_response_code == 500
    retry_until(lambda: WebhookDelivery.objects.filter(status="delivered").exists())

    assert [p.answered for p in receiver.received] == [500, 500, 500, 200]
    assert {p.webhook_id for p in receiver.received} == {delivery.webhook_id}
    assert all(p.verified for p in receiver.received)
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.last_response_code) == (4, 200)
    assert sorted(delivery.attempt_log.values_list("response_code", flat=True)) == [200, 500, 500, 500]


def test_retries_back_off_exponentially_and_stop_after_the_window(
        receiver, pm, pmolead, settings, django_capture_on_commit_callbacks):
    from webhooks.services.deliveries import retry_delay  # the schedule itself, at production settings

    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_MAX_SECONDS = 60, 4 * 3600
    assert [retry_delay(n) for n in (1, 2, 3, 9, 12)] == [60, 120, 240, 4 * 3600, 4 * 3600]
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_RETRY_WINDOW_SECONDS = 0.05, 0.5
    receiver.answers = [503]
    project = ProjectFactory(project_manager=pm, status="planning")
    subscribe(receiver, pmolead)
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    retry_until(lambda: WebhookDelivery.objects.filter(status="failed").exists())
    delivery = WebhookDelivery.objects.get()
    assert 2 <= delivery.attempts == len(receiver.received) and delivery.last_error == "HTTP 503"

    receiver.answers = [200]  # the receiver is mended; the PMO lead sends it again
    receiver.received.clear()
    committed(django_capture_on_commit_callbacks, lambda: delivery_resend(delivery_id=delivery.pk, by=pmolead))
    delivery.refresh_from_db()
    assert delivery.status == "delivered"
    assert [(p.webhook_id, p.verified) for p in receiver.received] == [(delivery.webhook_id, True)]


def test_a_410_ends_the_subscription(receiver, pm, pmolead, django_capture_on_commit_callbacks):
    receiver.answers = [410]
    project = ProjectFactory(project_manager=pm, status="planning")
    subscription = subscribe(receiver, pmolead)
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    subscription.refresh_from_db()
    assert not subscription.active and "410" in subscription.deactivated_reason
    assert WebhookDelivery.objects.get().status == "failed"
    committed(django_capture_on_commit_callbacks, lambda: project_resume(project_id=project.pk, by=pm))
    assert len(receiver.received) == 1 and WebhookDelivery.objects.count() == 1
    assert subscription.history.first().active is False


def test_a_rolled_back_change_records_and_sends_nothing(receiver, pm, pmolead, django_capture_on_commit_callbacks):
    project = ProjectFactory(project_manager=pm, status="planning")
    subscribe(receiver, pmolead)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            project_put_on_hold(project_id=project.pk, by=pm)
            raise RuntimeError("the request failed after the change")
    assert not Event.objects.exists() and not WebhookDelivery.objects.exists() and receiver.received == []
    project.refresh_from_db()
    assert project.status == "planning"


def test_only_the_chosen_events_and_projects_are_sent(receiver, pm, pmolead, django_capture_on_commit_callbacks):
    chosen, other = (ProjectFactory(project_manager=pm, status="planning") for _ in range(2))
    subscribe(receiver, pmolead, event_types=[EventType.PROJECT_STATUS_CHANGED], projects=[chosen])
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=other.pk, by=pm))
    committed(django_capture_on_commit_callbacks, lambda: exception_raise(
        project_id=chosen.pk, kind="cost", summary="Forecast 12 % above budget"))
    assert receiver.received == []
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=chosen.pk, by=pm))
    assert [p.body["data"]["project"]["code"] for p in receiver.received] == [chosen.code]


def test_a_fan_out_handed_over_twice_delivers_once(receiver, pmolead):
    from webhooks.services.deliveries import event_fan_out  # the task's service, called as a second relay would

    subscribe(receiver, pmolead)
    event = record_event("exception.raised", {"exception": {"id": 1}})
    assert event_fan_out(event_id=event.pk) == 1
    assert event_fan_out(event_id=event.pk) == 0
    assert WebhookDelivery.objects.count() == 1


def test_the_demo_records_its_events_without_margins(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo_data(password="demo-pass-1", today=timezone.localdate())
    types = set(Event.objects.values_list("event_type", flat=True))
    assert {"budget.approved", "change_request.decided", "highlight_report.published", "purchase_order.approved",
            "purchase_order.sent", "purchase_order.received", "purchase_order.invoiced"} <= types
    order = Event.objects.filter(event_type="purchase_order.approved").first()
    assert set(order.payload) == {"project", "purchase_order"}
    assert set(order.payload["purchase_order"]) == {"number", "status", "supplier", "net_total", "currency",
                                                    "delivery_date"}
    assert order.project_id and not any("margin" in json.dumps(e.payload) or "sold_price" in json.dumps(e.payload)
                                        for e in Event.objects.all())


def test_intake_submitted_accepted_and_the_closing_validated_are_recorded(
        complete_intake, sales, support, pm, pmolead, closing_project, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = tmp_path
    intake_submit(intake_id=complete_intake.pk, by=sales)
    project = intake_accept(intake_id=complete_intake.pk, by=support, project_manager=pm, support_officer=support)
    _fulfil(closing_project, pm, support, pmolead)
    project_close(project_id=closing_project.pk, by=support)
    events = {e.event_type: e for e in Event.objects.all()}
    assert events["intake.submitted"].payload["intake"]["title"] == complete_intake.title
    assert events["intake.submitted"].project_id is None
    assert events["intake.accepted"].payload["project"]["code"] == project.code
    assert events["project.closing_validated"].payload["project"]["status"] == "closed"
    assert events["project.closing_validated"].project_id == closing_project.pk


def test_the_body_is_the_same_bytes_on_every_attempt(db):
    event = record_event("exception.raised", {"b": 1, "a": "é"}, project_id=3)
    assert event_body(event) == event_body(Event.objects.get(pk=event.pk))
    assert json.loads(event_body(event)) == {"type": "exception.raised", "timestamp": event.created_at.isoformat(),
                                             "data": {"a": "é", "b": 1}}


# --- Addresses ------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://files.example/x", "javascript:alert(1)",
                                 "gopher://127.0.0.1:6379/_FLUSHALL", "http://user:pw@receiver.example/hook"])
def test_only_http_and_https_addresses_are_accepted(client, pmolead, url):
    client.force_login(pmolead)
    response = client.post(reverse("webhooks:create"), {"url": url, "event_types": ["budget.approved"]})
    assert response.status_code == 200 and "is-invalid" in response.content.decode()
    assert not WebhookSubscription.objects.exists()


def test_private_addresses_can_be_refused_at_delivery(receiver, pm, pmolead, settings,
                                                      django_capture_on_commit_callbacks):
    settings.WEBHOOK_BLOCK_PRIVATE_ADDRESSES = True
    project = ProjectFactory(project_manager=pm, status="planning")
    subscribe(receiver, pmolead)
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    delivery = WebhookDelivery.objects.get()
    assert receiver.received == [] and "private address" in delivery.last_error and delivery.status == "pending"


def test_a_redirect_is_not_followed(pm, pmolead, django_capture_on_commit_callbacks):
    target = Receiver()
    bouncer = Receiver(answers=[307])
    try:
        project = ProjectFactory(project_manager=pm, status="planning")
        subscribe(bouncer, pmolead)
        committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
        assert target.received == [] and WebhookDelivery.objects.get().last_error == "HTTP 307"
    finally:
        target.stop()
        bouncer.stop()


# --- Pages ----------------------------------------------------------------------------------------

def test_the_pmo_lead_subscribes_and_sees_the_secret_once(client, pmolead, project):
    client.force_login(pmolead)
    response = client.post(reverse("webhooks:create"), {
        "url": "https://servicenow.example/api/pmo", "description": "ServiceNow",
        "event_types": ["budget.approved", "purchase_order.sent"], "project_codes": f" {project.code.lower()}, "})
    subscription = WebhookSubscription.objects.get()
    assert response["Location"] == reverse("webhooks:edit", args=[subscription.pk])
    assert (subscription.event_types, list(subscription.projects.all()), subscription.created_by) == (
        ["budget.approved", "purchase_order.sent"], [project], pmolead)
    assert subscription.secret in client.get(response["Location"]).content.decode()
    again = client.get(response["Location"]).content.decode()
    assert subscription.secret not in again and "https://servicenow.example/api/pmo" in again
    assert not hasattr(subscription.history.first(), "secret")


def test_bad_input_is_refused_with_a_message_and_nothing_saved(client, pmolead):
    client.force_login(pmolead)
    response = client.post(reverse("webhooks:create"), {"url": "https://x.example/", "event_types": [],
                                                        "project_codes": "PRJ-1999-9999"})
    page = response.content.decode()
    assert response.status_code == 200 and "No project has the code PRJ-1999-9999." in page
    assert "This field is required." in page and not WebhookSubscription.objects.exists()


def test_editing_keeps_the_secret_and_ending_stops_the_sending(client, receiver, pm, pmolead,
                                                               django_capture_on_commit_callbacks):
    subscription = subscribe(receiver, pmolead)
    client.force_login(pmolead)
    client.post(reverse("webhooks:edit", args=[subscription.pk]), {
        "url": receiver.url, "event_types": ["project.status_changed"], "project_codes": ""})
    secret = subscription.secret
    subscription.refresh_from_db()
    assert (subscription.event_types, subscription.secret) == (["project.status_changed"], secret)
    assert client.post(reverse("webhooks:deactivate", args=[subscription.pk])).status_code == 302
    subscription.refresh_from_db()
    assert not subscription.active
    project = ProjectFactory(project_manager=pm, status="planning")
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    assert receiver.received == []


def test_a_failed_delivery_is_sent_again_from_its_page(client, receiver, pm, pmolead, admin_user,
                                                       django_capture_on_commit_callbacks):
    receiver.answers = [400]
    project = ProjectFactory(project_manager=pm, status="planning")
    subscription = subscribe(receiver, pmolead)
    committed(django_capture_on_commit_callbacks, lambda: project_put_on_hold(project_id=project.pk, by=pm))
    delivery = WebhookDelivery.objects.get()
    delivery.status = "failed"  # as after a day of retries
    delivery.save()
    client.force_login(admin_user)
    page = client.get(reverse("webhooks:deliveries", args=[subscription.pk])).content.decode()
    assert delivery.webhook_id in page and "Send again" in page and ">400<" in page
    receiver.answers = [200]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("webhooks:resend", args=[subscription.pk, delivery.pk]))
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and [p.answered for p in receiver.received] == [400, 200]
    assert {p.webhook_id for p in receiver.received} == {delivery.webhook_id}
    # A delivered one cannot be sent again: the page says so, nothing is sent.
    response = client.post(reverse("webhooks:resend", args=[subscription.pk, delivery.pk]), follow=True)
    assert "Only a failed delivery can be sent again." in response.content.decode() and len(receiver.received) == 2


@pytest.mark.parametrize("role", ["pm", "support", "finance", "sales", "engmgr", "outsider"])
def test_no_one_else_reaches_the_subscriptions(client, personas, role, receiver):
    subscription = subscribe(receiver, personas["pmolead"])
    client.force_login(personas[role])
    assert client.get(reverse("webhooks:list")).status_code == 403
    assert client.post(reverse("webhooks:create"), {"url": "https://x.example/",
                                                    "event_types": ["budget.approved"]}).status_code == 403
    assert client.get(reverse("webhooks:edit", args=[subscription.pk])).status_code == 404
    assert client.post(reverse("webhooks:deactivate", args=[subscription.pk])).status_code == 404
    assert WebhookSubscription.objects.get().active and WebhookSubscription.objects.count() == 1
    assert "/webhooks/" not in client.get("/").content.decode()


def test_the_deliveries_page_reads_a_bounded_number_of_queries(client, pmolead, receiver,
                                                                django_assert_max_num_queries):
    subscription = subscribe(receiver, pmolead)
    for n in range(60):
        event = record_event("budget.approved", {"n": n})
        WebhookDelivery.objects.create(subscription=subscription, event=event, webhook_id=f"msg_{n}",
                                       status="failed", last_response_code=500, attempts=12)
    client.force_login(pmolead)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("webhooks:deliveries", args=[subscription.pk]))
    assert page.content.decode().count("Send again") == 50
    with django_assert_max_num_queries(12):
        assert client.get(reverse("webhooks:list")).status_code == 200
