from django.contrib import admin

from projects.lib.admin import ReadOnlyAdmin

from .models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierInvoice


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "vat_number", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "vat_number")
    exclude = ("version",)


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "project", "supplier", "status", "net_total")
    list_filter = ("status",)
    list_select_related = ("project", "supplier")
    search_fields = ("number", "project__code", "supplier__name")


admin.site.register(PurchaseOrderLine, ReadOnlyAdmin)
admin.site.register(GoodsReceipt, ReadOnlyAdmin)
admin.site.register(SupplierInvoice, ReadOnlyAdmin)
