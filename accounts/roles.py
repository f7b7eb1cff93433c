"""The roles of PRODUCT.md. Each role is a Django group of the same name (data migration)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALES = "Sales", _("Sales")
    SUPPORT_OFFICER = "Support officer", _("Support officer")
    PROJECT_MANAGER = "Project manager", _("Project manager")
    ENGINEERING_MANAGER = "Engineering manager", _("Engineering manager")
    PMO_LEAD = "PMO lead", _("PMO lead")
    FINANCE = "Finance", _("Finance")
    ADMINISTRATOR = "Administrator", _("Administrator")
