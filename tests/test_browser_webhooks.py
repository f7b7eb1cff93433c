"""The webhook pages in Chromium: the PMO lead subscribes a receiver, reads the secret once, sees the
deliveries and sends a failed one again (screenshots in tests/screenshots/webhooks-*.png)."""

import pytest

from outbox.services import record_event
from webhooks.models import WebhookDelivery, WebhookSubscription

from .browser import screenshot
from .conftest import PASSWORD, sign_in
from .webhook_receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pmo_lead_subscribes_reads_the_secret_once_and_sends_a_failed_delivery_again(page, pmolead, project):
    receiver = Receiver()
    try:
        sign_in(page, "pmolead", PASSWORD)
        page.click("nav >> text=Webhooks")
        page.click("text=New subscription")
        page.fill("input[name=url]", receiver.url)
        page.fill("input[name=description]", "ServiceNow integration host")
        page.check("label:has-text('Budget approved')")
        page.check("label:has-text('Purchase order sent')")
        page.fill("input[name=project_codes]", project.code)
        screenshot(page, "webhooks-new")
        page.click("button:has-text('Save')")
        subscription = WebhookSubscription.objects.get()
        secret = page.input_value("input[aria-label='Signing secret']")
        assert secret == subscription.secret and secret.startswith("whsec_")
        screenshot(page, "webhooks-secret-once")
        page.reload()
        assert page.locator("input[aria-label='Signing secret']").count() == 0

        receiver.secret, receiver.answers = subscription.secret, [200, 503, 200]
        for n in range(2):  # the first is delivered, the second answered 503 (and given up, as after a day)
            record_event("budget.approved", {"n": n}, project_id=project.pk)
        failed = WebhookDelivery.objects.get(last_response_code=503)
        WebhookDelivery.objects.filter(pk=failed.pk).update(status="failed", attempts=12)
        page.goto("/webhooks/")
        screenshot(page, "webhooks-list")
        page.click("td >> text=Deliveries")
        screenshot(page, "webhooks-deliveries")
        page.click("button:has-text('Send again')")
        page.wait_for_selector(f"text={failed.webhook_id} is sent again.")
        failed.refresh_from_db()
        assert failed.status == "delivered" and failed.attempts == 13
        assert [p.webhook_id for p in receiver.received][1:] == [failed.webhook_id] * 2
        assert all(p.verified for p in receiver.received)
        screenshot(page, "webhooks-sent-again")
    finally:
        receiver.stop()
