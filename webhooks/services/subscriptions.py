"""Subscriptions: created, edited and ended by the PMO lead or an administrator."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.domain import refuse_unless
from projects.events import EventType
from projects.permissions import can_manage_webhooks
from webhooks.addresses import address_problem
from webhooks.models import WebhookSubscription
from webhooks.signing import secret_new


def _check(by: User, data: dict) -> None:
    refuse_unless(can_manage_webhooks(by), _("Only a PMO lead or an administrator manages webhooks."))
    problem = address_problem(data["url"])
    refuse_unless(problem is None, problem or "")
    refuse_unless(bool(data["event_types"]), _("Choose at least one event."))
    refuse_unless(set(data["event_types"]) <= set(EventType.values), _("Unknown event."))


@transaction.atomic
def subscription_create(*, by: User, data: dict) -> WebhookSubscription:
    """A new active subscription with a new secret (shown once, to the person who created it)."""
    _check(by, data)
    subscription = WebhookSubscription.objects.create(
        url=data["url"], description=data.get("description", ""), event_types=list(data["event_types"]),
        secret=secret_new(), created_by=by)
    subscription.projects.set(data.get("projects") or [])
    return subscription


@transaction.atomic
def subscription_update(*, subscription_id: int, by: User, data: dict) -> WebhookSubscription:
    """Another address, events or projects; the secret stays (the receiver keeps verifying)."""
    _check(by, data)
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    subscription.url, subscription.description = data["url"], data.get("description", "")
    subscription.event_types = list(data["event_types"])
    subscription.save()
    subscription.projects.set(data.get("projects") or [])
    return subscription


def subscription_end(subscription: WebhookSubscription, reason: str) -> None:
    """Stop sending to it (the caller holds its lock); deliveries still pending fail when next tried."""
    if subscription.active:
        subscription.active, subscription.deactivated_reason = False, reason[:200]
        subscription.save()


@transaction.atomic
def subscription_deactivate(*, subscription_id: int, by: User) -> WebhookSubscription:
    refuse_unless(can_manage_webhooks(by), _("Only a PMO lead or an administrator manages webhooks."))
    subscription = WebhookSubscription.objects.select_for_update().get(pk=subscription_id)
    refuse_unless(subscription.active, _("This subscription has ended already."))
    subscription_end(subscription, _("Ended by %(name)s") % {"name": by})
    return subscription
