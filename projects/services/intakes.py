"""Intakes: sales hands a won deal over; a support officer returns, rejects or accepts it into a project."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from projects import events, permissions
from projects.domain import apply_edit, notify_user, refuse_unless, sequence_next
from projects.models import PROJECT_CODE_PREFIX, Intake, IntakeAttachment, IntakeMessage, Project, ProjectDocument
from projects.selectors.intakes import intake_missing
from projects.services.budget import level_for_budget
from projects.services.plan import phases_create_from_template
from projects.services.quality import checklist_runs_from_project_type
from projects.workflows import INTAKE


def _locked_intake(intake_id: int) -> Intake:
    return Intake.objects.select_for_update().select_related("created_by", "project_type").get(pk=intake_id)


@transaction.atomic
def intake_create(*, by: User, data: dict) -> Intake:
    """A draft intake by sales; it is completed and submitted later."""
    refuse_unless(permissions.can_create_intake(by), _("You may not create intakes."))
    return Intake.objects.create(created_by=by, **data)


@transaction.atomic
def intake_update(*, intake_id: int, by: User, data: dict, expected_version: int) -> Intake:
    """Save a draft or returned intake unless someone else saved it since the form was opened."""
    intake = _locked_intake(intake_id)
    refuse_unless(permissions.can_edit_intake(by, intake), _("This intake can no longer be edited."))
    apply_edit(intake, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this intake meanwhile. Your changes are kept below; reload the page to see theirs."))
    intake.save()
    return intake


@transaction.atomic
def intake_attachment_add(*, intake_id: int, by: User, kind: str, upload, content_type: str) -> IntakeAttachment:
    intake = _locked_intake(intake_id)
    refuse_unless(permissions.can_edit_intake(by, intake), _("This intake can no longer be edited."))
    return IntakeAttachment.objects.create(
        intake=intake, kind=kind, file=upload, original_name=upload.name[:255], content_type=content_type,
        size=upload.size, uploaded_by=by,
    )


@transaction.atomic
def intake_attachment_remove(*, attachment_id: int, by: User) -> None:
    attachment = IntakeAttachment.objects.select_related("intake").get(pk=attachment_id)
    intake = _locked_intake(attachment.intake_id)
    refuse_unless(permissions.can_edit_intake(by, intake), _("This intake can no longer be edited."))
    stored = attachment.file
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(save=False))


@transaction.atomic
def intake_submit(*, intake_id: int, by: User) -> Intake:
    """Hand a complete intake to the PMO; an incomplete one is refused with what is missing."""
    intake = _locked_intake(intake_id)
    INTAKE.check("submit", by, intake)
    missing = intake_missing(intake)
    refuse_unless(not missing, _("Complete the intake before submitting. Missing: %(missing)s.")
                   % {"missing": ", ".join(str(m) for m in missing)})
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = timezone.now()
    intake.version += 1
    intake.save()
    events.intake_submitted(intake)
    link = intake.get_absolute_url()
    for officer in User.objects.filter(groups__name=Role.SUPPORT_OFFICER, is_active=True):
        notify_user(officer, link, gettext_lazy("Intake submitted: %(title)s"),
                    gettext_lazy("%(sales)s handed over a won deal for review."), title=intake.title, sales=str(by))
    return intake


@transaction.atomic
def intake_message_post(*, intake_id: int, by: User, body: str) -> IntakeMessage:
    intake = _locked_intake(intake_id)
    refuse_unless(permissions.can_post_intake_message(by, intake), _("You may not write on this intake."))
    return IntakeMessage.objects.create(intake=intake, author=by, body=body)


@transaction.atomic
def intake_return(*, intake_id: int, by: User, question: str) -> Intake:
    """Send a submitted intake back to sales with a question; sales edits and resubmits."""
    intake = _locked_intake(intake_id)
    INTAKE.check("return", by, intake)
    IntakeMessage.objects.create(intake=intake, author=by, body=question)
    intake.status = Intake.Status.RETURNED
    intake.decided_by, intake.decided_at = by, timezone.now()
    intake.version += 1
    intake.save()
    notify_user(intake.created_by, intake.get_absolute_url(),
                gettext_lazy("Intake returned with a question: %(title)s"), question, title=intake.title)
    return intake


@transaction.atomic
def intake_reject(*, intake_id: int, by: User, reason: str) -> Intake:
    intake = _locked_intake(intake_id)
    INTAKE.check("reject", by, intake)
    intake.status = Intake.Status.REJECTED
    intake.rejection_reason = reason
    intake.decided_by, intake.decided_at = by, timezone.now()
    intake.version += 1
    intake.save()
    notify_user(intake.created_by, intake.get_absolute_url(), gettext_lazy("Intake rejected: %(title)s"), reason,
                title=intake.title)
    return intake


def project_code_allocate(year: int) -> str:
    return f"{PROJECT_CODE_PREFIX}{year}-{sequence_next('project', year):04d}"


@transaction.atomic
def intake_accept(*, intake_id: int, by: User, project_manager: User, support_officer: User,
                  deputy_manager: User | None = None) -> Project:
    """Create the project of a submitted intake: code, level from the estimated cost, people, documents."""
    intake = _locked_intake(intake_id)
    INTAKE.check("accept", by, intake)
    refuse_unless(project_manager.has_role(Role.PROJECT_MANAGER), _("The project manager must have that role."))
    refuse_unless(deputy_manager is None or deputy_manager.has_role(Role.PROJECT_MANAGER),
                   _("The deputy must be a project manager."))
    refuse_unless(deputy_manager != project_manager, _("The deputy must be someone other than the project manager."))
    refuse_unless(support_officer.has_role(Role.SUPPORT_OFFICER), _("The support officer must have that role."))
    project = Project(
        code=project_code_allocate(timezone.localdate().year), name=intake.title, customer=intake.customer,
        project_type=intake.project_type, level=level_for_budget(intake.estimated_cost or Decimal("0")),
        project_manager=project_manager, deputy_manager=deputy_manager, support_officer=support_officer,
        sales_owner=intake.created_by, start_date=intake.target_start, end_date=intake.target_end,
        contract_value=intake.sold_price or Decimal("0"),
    )
    project._change_reason = _("Contract value: the sold price of the intake")
    project.save()
    phases_create_from_template(project)
    checklist_runs_from_project_type(project)
    category_of = {"signed_order": "contract", "offer": "offer", "bill_of_materials": "bill_of_materials"}
    for attachment in intake.attachments.all():
        # The document refers to the same stored file; accepted intakes are never edited again.
        ProjectDocument.objects.create(
            project=project, category=category_of.get(attachment.kind, "other"),
            title=f"{attachment.get_kind_display()}: {attachment.original_name}", file=attachment.file.name,
            original_name=attachment.original_name, content_type=attachment.content_type, size=attachment.size,
            uploaded_by=attachment.uploaded_by,
        )
    intake.status = Intake.Status.ACCEPTED
    intake.project = project
    intake.decided_by, intake.decided_at = by, timezone.now()
    intake.version += 1
    intake.save()
    events.project_event(events.EventType.INTAKE_ACCEPTED, project, intake=events.intake_fields(intake))
    notify_user(intake.created_by, project.get_absolute_url(), gettext_lazy("Intake accepted: project %(code)s"),
                gettext_lazy("%(title)s is now project %(code)s."), title=intake.title, code=project.code)
    for person in {project_manager, deputy_manager} - {None}:
        notify_user(person, project.get_absolute_url(), gettext_lazy("You manage project %(code)s"), project.name,
                    code=project.code)
    return project
