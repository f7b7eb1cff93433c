from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from projects.selectors.closing import register

        from .closing import purchase_orders_finished

        register(purchase_orders_finished)
