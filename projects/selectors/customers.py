"""Reads of customers."""

from django.db.models import Q, QuerySet

from projects.models import Customer


def customer_list(params) -> QuerySet[Customer]:
    search = params.get("q", "").strip()
    customers = Customer.objects.order_by("name")
    if search:
        customers = customers.filter(Q(name__icontains=search) | Q(vat_number__icontains=search))
    return customers
