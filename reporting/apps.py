from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from outbox.services import enqueue
        from projects.signals import forecast_changed, project_closed

        def check_after_commit(sender, project_id, **kwargs):
            enqueue("reporting.tasks.exceptions_check_project", project_id)

        def pack_after_commit(sender, project_id, by_id, **kwargs):
            enqueue("reporting.tasks.make_handover_pack", project_id, by_id)

        forecast_changed.connect(check_after_commit, dispatch_uid="reporting-exceptions-check", weak=False)
        project_closed.connect(pack_after_commit, dispatch_uid="reporting-handover-pack", weak=False)
