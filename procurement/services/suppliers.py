"""Suppliers."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from procurement.models import Supplier
from projects import permissions
from projects.domain import apply_edit, refuse_unless


@transaction.atomic
def supplier_create(*, by: User, data: dict) -> Supplier:
    refuse_unless(permissions.can_edit_supplier(by), _("You may not edit suppliers."))
    return Supplier.objects.create(**data)


@transaction.atomic
def supplier_update(*, supplier_id: int, by: User, data: dict, expected_version: int) -> Supplier:
    """Save a supplier unless someone else saved it since the form was opened."""
    supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
    refuse_unless(permissions.can_edit_supplier(by), _("You may not edit suppliers."))
    apply_edit(supplier, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this supplier meanwhile. Your changes are kept below; reload the page to see theirs."))
    supplier.save()
    return supplier
