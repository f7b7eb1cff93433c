from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self):
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from accounts.models import User
        from projects.selectors.projects import project_manager_choices_forget

        # Who is a project manager, and the names shown for them (the project list's filter).
        for signal in (post_save, post_delete):
            signal.connect(project_manager_choices_forget, sender=User, dispatch_uid="pm-choices-user")
            signal.connect(project_manager_choices_forget, sender=Group, dispatch_uid="pm-choices-group")
        m2m_changed.connect(project_manager_choices_forget, sender=User.groups.through, dispatch_uid="pm-choices")
