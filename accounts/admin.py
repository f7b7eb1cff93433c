from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import DirectoryGroup, Notification, RoleMapping, ServicePrincipal, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        (_("Preferences"), {"fields": ("language",)}),
        (_("Directory"), {"fields": ("from_directory", "scim_external_id")}),
    )
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "from_directory")
    list_filter = ("is_active", "is_staff", "from_directory", "groups")
    # Kept out of the editable form: the two dates are the system's record, and the admin's dual
    # list boxes and split date-time inputs carry unlabelled controls (WCAG 2.1: 1.3.1, 4.1.2).
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ()


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("subject", "recipient", "created_at", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("subject", "recipient__username")
    readonly_fields = ("created_at", "read_at", "emailed_at")


@admin.register(RoleMapping)
class RoleMappingAdmin(SimpleHistoryAdmin):
    """The administrator's table: which directory value (Entra app role value or group object id) gives which role."""

    list_display = ("external_value", "role")
    list_select_related = ("role",)
    search_fields = ("external_value",)
    list_filter = ("role",)


@admin.register(DirectoryGroup)
class DirectoryGroupAdmin(admin.ModelAdmin):
    """Groups the directory provisions through SCIM: read here, changed by the directory only."""

    list_display = ("name", "scim_external_id")
    search_fields = ("name", "scim_external_id")
    readonly_fields = ("name", "scim_id", "scim_external_id", "scim_display_name", "members")

    def has_add_permission(self, request):
        return False


@admin.register(ServicePrincipal)
class ServicePrincipalAdmin(SimpleHistoryAdmin):
    """Which system the identity provider vouches for acts as which local service account on the API."""

    list_display = ("name", "principal_id", "user")
    list_select_related = ("user",)
    search_fields = ("name", "principal_id", "user__username")
