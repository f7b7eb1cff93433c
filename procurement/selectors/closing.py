"""Procurement's condition of the closing gate."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from procurement.models import PurchaseOrder
from projects.selectors.closing import Condition


def purchase_orders_finished(project) -> Condition:
    unfinished = list(project.purchase_orders.exclude(status__in=PurchaseOrder.FINISHED).order_by("number")
                      .values_list("number", flat=True)[:11])
    return Condition(_("Every purchase order received and invoiced, or cancelled"), not unfinished,
                     reverse("procurement:costs", args=[project.code]),
                     ", ".join(unfinished[:10]) + (" …" if len(unfinished) > 10 else ""))
