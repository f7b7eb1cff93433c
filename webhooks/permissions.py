"""Look-ups of webhook objects, through the permission module's rule: 404 for everyone else."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from projects.permissions import can_manage_webhooks

from .models import WebhookDelivery, WebhookSubscription


def get_subscription_for_user(user, pk: int) -> WebhookSubscription:
    if not can_manage_webhooks(user):
        raise Http404
    return get_object_or_404(WebhookSubscription.objects.select_related("created_by"), pk=pk)


def get_delivery_for_user(user, subscription_pk: int, pk: int) -> WebhookDelivery:
    subscription = get_subscription_for_user(user, subscription_pk)
    return get_object_or_404(WebhookDelivery, subscription=subscription, pk=pk)
