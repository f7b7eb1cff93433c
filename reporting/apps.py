from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from django.db import transaction

        from projects.signals import forecast_changed

        from .tasks import exceptions_check_project

        def check_after_commit(sender, project_id, **kwargs):
            transaction.on_commit(lambda: exceptions_check_project.delay(project_id))

        forecast_changed.connect(check_after_commit, dispatch_uid="reporting-exceptions-check", weak=False)
