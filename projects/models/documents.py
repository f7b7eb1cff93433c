from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .base import StoredFile
from .projects import Project


class DocumentCategory(models.TextChoices):
    CONTRACT = "contract", _("Contract and signed order")
    OFFER = "offer", _("Offer")
    BILL_OF_MATERIALS = "bill_of_materials", _("Bill of materials")
    DESIGN = "design", _("Design and engineering")
    ACCEPTANCE = "acceptance", _("Customer acceptance")
    AS_BUILT = "as_built", _("As-built documentation")
    REPORT = "report", _("Report")
    OTHER = "other", _("Other")


class ProjectDocument(StoredFile):
    UPLOAD_FOLDER = "documents"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents",
                                verbose_name=_("project"))
    category = models.CharField(_("category"), max_length=30, choices=DocumentCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["category", "title", "-version"]
        constraints = [models.UniqueConstraint(fields=["project", "category", "title", "version"],
                                               name="unique_document_version")]

    def __str__(self):
        return f"{self.title} (v{self.version})"
