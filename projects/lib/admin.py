"""What the admin of every app shares."""

from simple_history.admin import SimpleHistoryAdmin


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Business objects change only through the services, which enforce the rules and record who
    decided; the admin shows them and their history. Reference data keeps an editable admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
