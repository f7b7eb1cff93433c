"""Reads of suppliers."""

from django.db.models import Q, QuerySet

from procurement.models import Supplier


def supplier_list(params) -> QuerySet[Supplier]:
    search = params.get("q", "").strip()
    suppliers = Supplier.objects.order_by("name")
    if search:
        suppliers = suppliers.filter(Q(name__icontains=search) | Q(vat_number__icontains=search))
    return suppliers
