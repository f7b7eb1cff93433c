"""Customers: edits by sales and support officers."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects import permissions
from projects.domain import apply_edit, refuse_unless
from projects.models import Customer, CustomerContact, Project


@transaction.atomic
def customer_create(*, by: User, data: dict, contact: dict | None = None) -> Customer:
    """A new customer, recorded with who created it, with its first contact in the same transaction."""
    refuse_unless(permissions.can_edit_customer(by), _("You may not edit customers."))
    customer = Customer.objects.create(created_by=by, **data)
    if contact:
        CustomerContact.objects.create(customer=customer, **contact)
    return customer


@transaction.atomic
def customer_update(*, customer_id: int, by: User, data: dict, expected_version: int) -> Customer:
    """Save a customer unless someone else saved it since the form was opened."""
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    refuse_unless(permissions.can_edit_customer(by), _("You may not edit customers."))
    apply_edit(customer, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this customer meanwhile. Your changes are kept below; reload the page to see theirs."))
    customer.save()
    return customer


@transaction.atomic
def customer_contact_add(*, customer_id: int, by: User, data: dict, for_project: Project | None = None
                         ) -> CustomerContact:
    """A contact of a customer, added by those who edit customers, or, for the customer of a project
    (its satisfaction survey, say), by those who manage that project's reports."""
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    refuse_unless(permissions.can_add_customer_contact(by, customer, project=for_project),
                  _("You may not edit customers."))
    return CustomerContact.objects.create(customer=customer, **data)


@transaction.atomic
def customer_contact_set_receives_reports(*, contact_id: int, by: User, receives: bool) -> CustomerContact:
    """Choose whether a contact gets the customer's external highlight reports (only with an e-mail address)."""
    contact = CustomerContact.objects.select_for_update().get(pk=contact_id)
    refuse_unless(permissions.can_edit_customer(by), _("You may not edit customers."))
    refuse_unless(not receives or bool(contact.email),
                  _("A contact who receives highlight reports needs an e-mail address."))
    contact.receives_reports = receives
    contact.save()
    return contact
