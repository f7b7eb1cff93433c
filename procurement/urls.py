from django.urls import path

from procurement.views.costs import costs
from procurement.views.purchase_orders import (
    invoice_decide,
    po_action,
    po_cancel,
    po_create,
    po_decide,
    po_detail,
    po_edit,
    po_export,
    po_history,
    po_invoice,
    po_list,
    po_pdf,
    po_receive,
)
from procurement.views.suppliers import supplier_create, supplier_edit, supplier_history, supplier_list

app_name = "procurement"

urlpatterns = [
    path("suppliers/", supplier_list, name="supplier_list"),
    path("suppliers/new/", supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/edit/", supplier_edit, name="supplier_edit"),
    path("suppliers/<int:pk>/history/", supplier_history, name="supplier_history"),
    path("purchase-orders/", po_list, name="po_list"),
    path("purchase-orders/export.<str:kind>", po_export, name="po_export"),
    path("purchase-orders/new/", po_create, name="po_create"),
    path("purchase-orders/<str:number>/", po_detail, name="po_detail"),
    path("purchase-orders/<str:number>/edit/", po_edit, name="po_edit"),
    path("purchase-orders/<str:number>/decide/", po_decide, name="po_decide"),
    path("purchase-orders/<str:number>/cancel/", po_cancel, name="po_cancel"),
    path("purchase-orders/<str:number>/receive/", po_receive, name="po_receive"),
    path("purchase-orders/<str:number>/invoice/", po_invoice, name="po_invoice"),
    path("purchase-orders/<str:number>/invoices/<int:pk>/", invoice_decide, name="invoice_decide"),
    path("purchase-orders/<str:number>/pdf/", po_pdf, name="po_pdf"),
    path("purchase-orders/<str:number>/history/", po_history, name="po_history"),
    path("purchase-orders/<str:number>/<slug:action>/", po_action, name="po_action"),
    path("costs/<str:code>/", costs, name="costs"),
]
