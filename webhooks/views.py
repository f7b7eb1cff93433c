"""Webhook subscriptions and their deliveries: the PMO lead's and administrators' pages."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects.domain import DomainError
from projects.events import EventType
from projects.permissions import can_manage_webhooks

from .forms import SubscriptionForm
from .models import WebhookDelivery, WebhookSubscription
from .permissions import get_delivery_for_user, get_subscription_for_user
from .services import deliveries, subscriptions

DELIVERIES_PER_PAGE = 50
SECRET_KEY = "webhook-secret-%s"  # the session key that holds a new secret until it is shown once


def _require_manager(user) -> None:
    if not can_manage_webhooks(user):
        raise PermissionDenied


@require_safe
def subscription_list(request):
    _require_manager(request.user)
    rows = WebhookSubscription.objects.select_related("created_by").prefetch_related("projects")
    return render(request, "webhooks/subscription_list.html", {"subscriptions": rows})


@require_http_methods(["GET", "POST"])
def subscription_create(request):
    _require_manager(request.user)
    form = SubscriptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = subscriptions.subscription_create(by=request.user, data=form.data_for_service())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            request.session[SECRET_KEY % subscription.pk] = subscription.secret
            messages.success(request, _("Subscription created."))
            return redirect(subscription)
    return render(request, "webhooks/subscription_form.html", {"form": form, "subscription": None})


@require_http_methods(["GET", "POST"])
def subscription_edit(request, pk):
    subscription = get_subscription_for_user(request.user, pk)
    if request.method == "POST":
        form = SubscriptionForm(request.POST)
        if form.is_valid():
            try:
                subscriptions.subscription_update(subscription_id=pk, by=request.user, data=form.data_for_service())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Subscription saved."))
                return redirect(subscription)
    else:
        form = SubscriptionForm(initial=SubscriptionForm.initial_of(subscription))
    return render(request, "webhooks/subscription_form.html", {
        "form": form, "subscription": subscription,
        # Shown once: the page right after creation reads it and the session forgets it.
        "new_secret": request.session.pop(SECRET_KEY % pk, None)})


@require_http_methods(["GET", "POST"])
def subscription_deactivate(request, pk):
    """GET asks for confirmation; POST ends the subscription."""
    subscription = get_subscription_for_user(request.user, pk)
    if request.method == "POST":
        try:
            subscriptions.subscription_deactivate(subscription_id=pk, by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The subscription has ended: it receives nothing more."))
        return redirect("webhooks:list")
    return render(request, "webhooks/subscription_deactivate.html", {"subscription": subscription})


@require_safe
def delivery_list(request, pk):
    subscription = get_subscription_for_user(request.user, pk)
    rows = WebhookDelivery.objects.filter(subscription=subscription).select_related("event")
    page = Paginator(rows, DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    labels = dict(EventType.choices)
    for delivery in page.object_list:
        delivery.event_label = labels.get(delivery.event.event_type, delivery.event.event_type)
    return render(request, "webhooks/delivery_list.html", {"subscription": subscription, "page": page})


@require_POST
def delivery_resend(request, pk, delivery_pk):
    delivery = get_delivery_for_user(request.user, pk, delivery_pk)
    try:
        deliveries.delivery_resend(delivery_id=delivery.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(id)s is sent again.") % {"id": delivery.webhook_id})
    return redirect("webhooks:deliveries", pk)
