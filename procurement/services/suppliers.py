"""Suppliers."""

from django.db import transaction
from django.utils.translation import gettext as _

from procurement.models import Supplier
from projects.domain import apply_edit


@transaction.atomic
def supplier_update(*, supplier_id: int, data: dict, expected_version: int):
    supplier = Supplier.objects.select_for_update().get(pk=supplier_id)
    apply_edit(supplier, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this supplier meanwhile. Your changes are kept below; reload the page to see theirs."))
    supplier.save()
    return supplier
