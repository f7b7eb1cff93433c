from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .base import NOTE_MAX_LENGTH, StoredFile
from .projects import Project
from .reference import ProjectType
from .registers import ProjectIssue


class ChecklistTemplate(models.Model):
    """A checklist per standard (ISO 9001, ISO 27001, site safety, ...). Runs copy its items, so an
    edit in the admin (which raises the version) never changes a run already made."""

    class Standard(models.TextChoices):
        ISO9001 = "iso9001", _("ISO 9001 quality review")
        ISO27001 = "iso27001", _("ISO 27001 information-security review")
        SAFETY = "safety", _("Site-safety inspection")
        LMRA = "lmra", _("Last-minute risk analysis")
        CLOSING = "closing", _("Closing checklist")
        HANDOVER = "handover", _("SMO hand-over checklist")

    name = models.CharField(_("name"), max_length=150, unique=True)
    standard = models.CharField(_("standard"), max_length=10, choices=Standard.choices)
    version = models.PositiveIntegerField(_("version"), default=1)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist template")
        verbose_name_plural = _("checklist templates")
        ordering = ["standard", "name"]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class ChecklistTemplateItem(models.Model):
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("checklist template"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    text = models.CharField(_("check"), max_length=300)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["template", "position", "pk"]

    def __str__(self):
        return self.text


class ProjectTypeChecklist(models.Model):
    """Which checklists a project of this type gets, and at which phase."""

    project_type = models.ForeignKey(ProjectType, on_delete=models.CASCADE, related_name="checklists",
                                     verbose_name=_("project type"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("checklist template"))
    phase = models.CharField(_("phase"), max_length=100)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist of a project type")
        verbose_name_plural = _("checklists of project types")
        constraints = [models.UniqueConstraint(fields=["project_type", "template", "phase"],
                                               name="unique_checklist_per_type_and_phase")]

    def __str__(self):
        return f"{self.project_type}: {self.template.name} ({self.phase})"


class ChecklistRun(models.Model):
    """One use of a checklist on a project: filled by the project team, signed off by a reviewer
    (support officer or PMO lead) who did not fill it. The quality register lists the runs."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("checklist status", "Open")
        SUBMITTED = "submitted", _("Waiting for sign-off")
        SIGNED = "signed", _("Signed off")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checklist_runs",
                                verbose_name=_("project"))
    number = models.PositiveIntegerField(_("number"))
    template = models.ForeignKey(ChecklistTemplate, on_delete=models.PROTECT, related_name="runs",
                                 verbose_name=_("checklist template"))
    template_version = models.PositiveIntegerField(_("template version"))
    name = models.CharField(_("checklist"), max_length=150)
    standard = models.CharField(_("standard"), max_length=10, choices=ChecklistTemplate.Standard.choices)
    phase = models.CharField(_("phase"), max_length=100, blank=True)
    planned_date = models.DateField(_("planned"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("producer"))
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("reviewer"))
    signed_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist run")
        verbose_name_plural = _("checklist runs")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="unique_checklist_run_number")]

    def __str__(self):
        return f"{self.identifier} {self.name}"

    @property
    def identifier(self) -> str:
        return f"Q-{self.number:03d}"

    def open_findings(self) -> list[ProjectIssue]:
        """The issues its "not OK" items raised that are neither closed nor accepted: they hold the sign-off."""
        return [a.issue for a in self.answers.select_related("issue").filter(issue__isnull=False)
                if a.issue.status not in (ProjectIssue.Status.CLOSED, ProjectIssue.Status.ACCEPTED)]

    def filler_ids(self) -> set[int]:
        """Who answered an item or submitted the run."""
        answered = self.answers.exclude(answered_by=None).values_list("answered_by", flat=True)
        return set(answered) | {self.submitted_by_id}


class ChecklistAnswer(models.Model):
    class Answer(models.TextChoices):
        OK = "ok", _("OK")
        NOT_OK = "not_ok", _("Not OK")
        NOT_APPLICABLE = "na", _("Not applicable")

    run = models.ForeignKey(ChecklistRun, on_delete=models.CASCADE, related_name="answers",
                            verbose_name=_("checklist run"))
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("check"), max_length=300)
    guidance = models.CharField(_("guidance"), max_length=300, blank=True)
    answer = models.CharField(_("answer"), max_length=6, choices=Answer.choices, blank=True)
    comment = models.TextField(_("comment"), max_length=NOTE_MAX_LENGTH, blank=True)
    corrective_action = models.TextField(_("corrective action"), max_length=NOTE_MAX_LENGTH, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("answered by"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    issue = models.ForeignKey(ProjectIssue, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name=_("issue"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["run", "position"]
        constraints = [models.UniqueConstraint(fields=["run", "position"], name="unique_answer_position")]

    def __str__(self):
        return self.text


class ChecklistEvidence(StoredFile):
    UPLOAD_FOLDER = "evidence"

    answer = models.ForeignKey(ChecklistAnswer, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name=_("checklist answer"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["answer", "uploaded_at"]
