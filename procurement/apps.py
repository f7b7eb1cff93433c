from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProcurementConfig(AppConfig):
    name = "procurement"
    verbose_name = _("Procurement")

    def ready(self):
        from procurement.selectors.closing import purchase_orders_finished
        from projects.selectors.closing import register

        register(purchase_orders_finished)
