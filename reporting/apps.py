from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from django.db import transaction

        from projects.signals import forecast_changed, project_closed

        from .tasks import exceptions_check_project, make_handover_pack

        def check_after_commit(sender, project_id, **kwargs):
            transaction.on_commit(lambda: exceptions_check_project.delay(project_id))

        def pack_after_commit(sender, project_id, by_id, **kwargs):
            transaction.on_commit(lambda: make_handover_pack.delay(project_id, by_id), robust=True)

        forecast_changed.connect(check_after_commit, dispatch_uid="reporting-exceptions-check", weak=False)
        project_closed.connect(pack_after_commit, dispatch_uid="reporting-handover-pack", weak=False)
