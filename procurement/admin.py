from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine, Supplier, SupplierInvoice


@admin.register(Supplier)
class SupplierAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kind", "vat_number", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "vat_number")
    exclude = ("version",)


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Purchasing changes state only through the services, which enforce the authority rules."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "project", "supplier", "status", "net_total")
    list_filter = ("status",)
    list_select_related = ("project", "supplier")
    search_fields = ("number", "project__code", "supplier__name")


admin.site.register(PurchaseOrderLine, ReadOnlyAdmin)
admin.site.register(GoodsReceipt, ReadOnlyAdmin)
admin.site.register(SupplierInvoice, ReadOnlyAdmin)
