from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Notification, User


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + ((_("Preferences"), {"fields": ("language",)}),)
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "groups")
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
