from django.urls import path

from . import views

app_name = "procurement"

urlpatterns = [
    path("suppliers/", views.supplier_list, name="supplier_list"),
    path("suppliers/new/", views.supplier_create, name="supplier_create"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplier_edit"),
    path("suppliers/<int:pk>/history/", views.supplier_history, name="supplier_history"),
    path("purchase-orders/", views.po_list, name="po_list"),
    path("purchase-orders/export.<str:kind>", views.po_export, name="po_export"),
    path("purchase-orders/new/", views.po_create, name="po_create"),
    path("purchase-orders/<str:number>/", views.po_detail, name="po_detail"),
    path("purchase-orders/<str:number>/edit/", views.po_edit, name="po_edit"),
    path("purchase-orders/<str:number>/decide/", views.po_decide, name="po_decide"),
    path("purchase-orders/<str:number>/cancel/", views.po_cancel, name="po_cancel"),
    path("purchase-orders/<str:number>/receive/", views.po_receive, name="po_receive"),
    path("purchase-orders/<str:number>/invoice/", views.po_invoice, name="po_invoice"),
    path("purchase-orders/<str:number>/invoices/<int:pk>/", views.invoice_decide, name="invoice_decide"),
    path("purchase-orders/<str:number>/pdf/", views.po_pdf, name="po_pdf"),
    path("purchase-orders/<str:number>/history/", views.po_history, name="po_history"),
    path("purchase-orders/<str:number>/<slug:action>/", views.po_action, name="po_action"),
    path("costs/<str:code>/", views.costs, name="costs"),
]
