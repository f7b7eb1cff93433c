from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Customer, Project


@admin.register(Customer)
class CustomerAdmin(SimpleHistoryAdmin):
    list_display = ("name", "vat_number", "language")
    search_fields = ("name", "vat_number")


@admin.register(Project)
class ProjectAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "customer", "status", "level", "project_manager")
    list_filter = ("status", "level")
    list_select_related = ("customer", "project_manager")
    search_fields = ("code", "name", "customer__name")
    autocomplete_fields = ("customer",)
    raw_id_fields = ("project_manager", "deputy_manager", "support_officer", "sales_owner")
