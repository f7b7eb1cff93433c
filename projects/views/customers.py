import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import model_values, save_versioned
from projects.forms.customers import CustomerContactForm, CustomerForm, FirstContactForm
from projects.lib.history import render_history
from projects.selectors.customers import customer_list as select_customers
from projects.services import customers
from projects.views.intakes import intake_form_resumed, intake_values_carried

PAGE_SIZE = 25


@require_safe
def customer_list(request):
    if not permissions.can_view_customers(request.user):
        raise PermissionDenied
    page = Paginator(select_customers(request.GET), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/customer_list.html", {
        "page": page, "search": request.GET.get("q", ""), "can_edit": permissions.can_edit_customer(request.user),
    })


@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def customer_create(request):
    """A new customer with its first contact: on its own page, in the intake form's dialog (htmx),
    or, without JavaScript, on a page that carries the intake's typed values and goes back to it."""
    if not permissions.can_edit_customer(request.user):
        raise PermissionDenied
    carried = intake_values_carried(request)
    if carried is not None and "back_to_intake" in request.POST:
        return intake_form_resumed(request, carried)
    # Coming from the intake form, what was posted is the intake's, not a customer yet.
    bound = request.POST if request.method == "POST" and "add_customer" not in request.POST else None
    ids = "new-customer-%s" if request.htmx else "id_%s"  # the dialog shares the intake page's ids
    form, contact_form = CustomerForm(bound, auto_id=ids), FirstContactForm(bound, auto_id=ids)
    if bound is not None and all([form.is_valid(), contact_form.is_valid()]):
        customer = customers.customer_create(by=request.user, data=model_values(form),
                                             contact=model_values(contact_form))
        message = _("Customer %(name)s created.") % {"name": customer.name}
        if request.htmx:  # the intake page's script adds it to the list and chooses it
            created = {"id": customer.pk, "name": customer.name, "message": message}
            return HttpResponse(status=204, headers={"HX-Trigger": json.dumps({"pmo:customer-created": created})})
        messages.success(request, message)
        if carried is not None:
            return intake_form_resumed(request, carried, customer=customer)
        return redirect(customer)
    template = "projects/_customer_dialog.html" if request.htmx else "projects/customer_form.html"
    return render(request, template, {"form": form, "contact_form": contact_form, "carried": carried})


@require_http_methods(["GET", "POST"])
def customer_edit(request, pk):
    customer = permissions.get_customer_for_user(request.user, pk)
    if not permissions.can_edit_customer(request.user):
        raise PermissionDenied
    form = CustomerForm(request.POST if request.method == "POST" else None, instance=customer)
    if save_versioned(request, form, lambda data, version: customers.customer_update(
            customer_id=customer.pk, by=request.user, data=data, expected_version=version), _("Customer saved.")):
        return redirect(customer)
    return render(request, "projects/customer_form.html", {"form": form, "customer": customer})


@require_safe
def customer_detail(request, pk):
    customer = permissions.get_customer_for_user(request.user, pk)
    return render(request, "projects/customer_detail.html", {
        "customer": customer, "contacts": customer.contacts.all(),
        "can_edit": permissions.can_edit_customer(request.user), "contact_form": CustomerContactForm(),
    })


@require_POST
def customer_contact_add(request, pk):
    customer = permissions.get_customer_for_user(request.user, pk)
    if not permissions.can_edit_customer(request.user):
        raise PermissionDenied
    form = CustomerContactForm(request.POST)
    if form.is_valid():
        customers.customer_contact_add(customer_id=customer.pk, by=request.user, data=model_values(form))
        messages.success(request, _("Contact added."))
        return redirect(customer)
    return render(request, "projects/customer_detail.html", {
        "customer": customer, "contacts": customer.contacts.all(), "can_edit": True, "contact_form": form,
    })


@require_POST
def customer_contact_reports(request, pk, contact_pk):
    """Choose a contact as a recipient of the external highlight reports, or no longer."""
    customer = permissions.get_customer_for_user(request.user, pk)
    if not permissions.can_edit_customer(request.user):
        raise PermissionDenied
    contact = get_object_or_404(customer.contacts, pk=contact_pk)
    try:
        contact = customers.customer_contact_set_receives_reports(
            contact_id=contact.pk, by=request.user, receives=request.POST.get("receives") == "1")
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, (_("%(name)s receives the highlight reports.") if contact.receives_reports
                                   else _("%(name)s no longer receives the highlight reports."))
                         % {"name": contact.name})
    return redirect(customer)


@require_safe
def customer_history(request, pk):
    customer = permissions.get_customer_for_user(request.user, pk)
    return render_history(request, records=customer.history.all(),
                          title=_("History of %(name)s") % {"name": customer.name},
                          back_url=customer.get_absolute_url())
