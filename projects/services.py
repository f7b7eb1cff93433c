"""Every state change of the projects app. Views, admin actions, tasks and imports call these.

Each service is atomic, re-reads the row it changes with select_for_update, checks the state
and the permission, records who and when, and saves with instance.save() so history records it.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.services import notification_create

from . import permissions
from .models import (
    Baseline, BudgetLine, BudgetSubmission, Customer, Intake, IntakeAttachment, IntakeMessage, LevelThreshold,
    Project, ProjectDocument, SequenceCounter,
)
from .selectors import intake_missing
from .signals import forecast_changed, project_closed


class DomainError(Exception):
    """A business rule refused the action; the message is meant for the user."""


class StaleEdit(DomainError):
    pass


def apply_edit(instance, data: dict, *, expected_version: int, stale_message: str) -> None:
    """Refuse an edit made from an older version of the row (someone saved meanwhile), so it is
    never silently overwritten; otherwise set the fields and raise the version. The caller has
    locked the row with select_for_update and saves it."""
    if instance.version != expected_version:
        raise StaleEdit(stale_message)
    for field, value in data.items():
        setattr(instance, field, value)
    instance.version += 1


def refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError(message)


def notify_user(user: User, link: str, subject, body="", **params) -> None:
    """Notify in the recipient's language. Subject and body are lazy message templates, filled
    with `params` (amounts localised) in that language; a plain string (a user's question,
    say) is sent as typed."""
    with translation.override(user.language):
        values = {k: number_format(v, 2, force_grouping=True) if isinstance(v, Decimal) else v
                  for k, v in params.items()}
        texts = [str(t) % values if isinstance(t, Promise) else str(t) for t in (subject, body)]
        notification_create(recipient=user, subject=texts[0], body=texts[1], link=link)


# --- Levels -----------------------------------------------------------------------------

def level_for_budget(amount: Decimal) -> int:
    """The lowest level whose threshold the budget does not exceed (250,000.00 is Level 1)."""
    thresholds = list(LevelThreshold.objects.order_by("level"))
    for threshold in thresholds:
        if threshold.upper_limit is None or amount <= threshold.upper_limit:
            return threshold.level
    return thresholds[-1].level if thresholds else 1


# --- Customers --------------------------------------------------------------------------

@transaction.atomic
def customer_update(*, customer_id: int, by: User, data: dict, expected_version: int) -> Customer:
    """Save a customer unless someone else saved it since the form was opened."""
    customer = Customer.objects.select_for_update().get(pk=customer_id)
    refuse_unless(permissions.can_edit_customer(by), _("You may not edit customers."))
    apply_edit(customer, data, expected_version=expected_version, stale_message=_(
        "Someone else saved this customer meanwhile. Your changes are kept below; reload the page to see theirs."))
    customer.save()
    return customer


# --- Intakes ----------------------------------------------------------------------------

def _locked_intake(intake_id: int) -> Intake:
    return Intake.objects.select_for_update().select_related("created_by", "project_type").get(pk=intake_id)


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
    refuse_unless(permissions.can_edit_intake(by, intake), _("This intake cannot be submitted."))
    missing = intake_missing(intake)
    refuse_unless(not missing, _("Complete the intake before submitting. Missing: %(missing)s.")
                   % {"missing": ", ".join(str(m) for m in missing)})
    intake.status = Intake.Status.SUBMITTED
    intake.submitted_at = timezone.now()
    intake.version += 1
    intake.save()
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
    refuse_unless(permissions.can_review_intake(by, intake), _("Only a submitted intake can be returned."))
    IntakeMessage.objects.create(intake=intake, author=by, body=question)
    intake.status = Intake.Status.RETURNED
    intake.decided_by, intake.decided_at = by, timezone.now()
    intake.version += 1
    intake.save()
    notify_user(intake.created_by, intake.get_absolute_url(), gettext_lazy("Intake returned with a question: %(title)s"),
            question, title=intake.title)
    return intake


@transaction.atomic
def intake_reject(*, intake_id: int, by: User, reason: str) -> Intake:
    intake = _locked_intake(intake_id)
    refuse_unless(permissions.can_review_intake(by, intake), _("Only a submitted intake can be rejected."))
    intake.status = Intake.Status.REJECTED
    intake.rejection_reason = reason
    intake.decided_by, intake.decided_at = by, timezone.now()
    intake.version += 1
    intake.save()
    notify_user(intake.created_by, intake.get_absolute_url(), gettext_lazy("Intake rejected: %(title)s"), reason,
            title=intake.title)
    return intake


def sequence_next(sequence: str, year: int) -> int:
    """Next number of a yearly sequence. The counter row stays locked until the surrounding
    transaction (which creates the numbered object) commits: no gaps, no duplicates."""
    SequenceCounter.objects.get_or_create(sequence=sequence, year=year)
    counter = SequenceCounter.objects.select_for_update().get(sequence=sequence, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def project_code_allocate(year: int) -> str:
    return f"PRJ-{year}-{sequence_next('project', year):04d}"


@transaction.atomic
def intake_accept(*, intake_id: int, by: User, project_manager: User, support_officer: User,
                  deputy_manager: User | None = None) -> Project:
    """Create the project of a submitted intake: code, level from the estimated cost, people, documents."""
    intake = _locked_intake(intake_id)
    refuse_unless(permissions.can_review_intake(by, intake), _("Only a submitted intake can be accepted."))
    refuse_unless(project_manager.has_role(Role.PROJECT_MANAGER), _("The project manager must have that role."))
    refuse_unless(deputy_manager is None or deputy_manager.has_role(Role.PROJECT_MANAGER),
                   _("The deputy must be a project manager."))
    refuse_unless(deputy_manager != project_manager, _("The deputy must be someone other than the project manager."))
    refuse_unless(support_officer.has_role(Role.SUPPORT_OFFICER), _("The support officer must have that role."))
    project = Project.objects.create(
        code=project_code_allocate(timezone.localdate().year), name=intake.title, customer=intake.customer,
        project_type=intake.project_type, level=level_for_budget(intake.estimated_cost or Decimal("0")),
        project_manager=project_manager, deputy_manager=deputy_manager, support_officer=support_officer,
        sales_owner=intake.created_by, start_date=intake.target_start, end_date=intake.target_end,
    )
    from .planning import phases_create_from_template

    phases_create_from_template(project)
    from .quality import checklist_runs_from_project_type

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
    notify_user(intake.created_by, project.get_absolute_url(), gettext_lazy("Intake accepted: project %(code)s"),
            gettext_lazy("%(title)s is now project %(code)s."), title=intake.title, code=project.code)
    for person in {project_manager, deputy_manager} - {None}:
        notify_user(person, project.get_absolute_url(), gettext_lazy("You manage project %(code)s"), project.name,
                code=project.code)
    return project


# --- Budget -----------------------------------------------------------------------------

def _locked_project(project_id: int) -> Project:
    return Project.objects.select_for_update().get(pk=project_id)


@transaction.atomic
def budget_lines_save(*, project_id: int, by: User, formset) -> None:
    """Save the edited budget lines of a project whose budget is not waiting for a decision."""
    project = _locked_project(project_id)
    refuse_unless(permissions.can_edit_budget(by, project), _("The budget cannot be edited now."))
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance.delete()
    for line in formset.save(commit=False):
        line.project = project
        line.save()


def _snapshot(project: Project) -> list[dict]:
    return [
        {"category": line.category, "description": line.description, "amount": str(line.amount)}
        for line in project.budget_lines.all()
    ]


def baseline_create(project: Project, *, budget: Decimal, lines: list[dict], approved_by: User,
                    submission: BudgetSubmission | None = None, change_request=None) -> Baseline:
    """The next baseline version: budget lines, key dates and milestone dates as they are now."""
    last = project.baselines.order_by("-version").first()
    return Baseline.objects.create(
        project=project, version=(last.version + 1) if last else 1, budget=budget, start_date=project.start_date,
        end_date=project.end_date, lines=lines, approved_by=approved_by, submission=submission,
        change_request=change_request,
        milestones=[{"name": m.name, "date": m.baseline_date.isoformat()} for m in project.milestones.all()],
    )


def _baseline_from(submission: BudgetSubmission, approved_by: User) -> Baseline:
    return baseline_create(submission.project, budget=submission.total, lines=submission.lines,
                           approved_by=approved_by, submission=submission)


@transaction.atomic
def budget_submit(*, project_id: int, by: User) -> BudgetSubmission:
    """Level 1: the PM's confirmation sets the baseline. Above: the budget waits for a PMO lead."""
    project = _locked_project(project_id)
    refuse_unless(permissions.can_edit_budget(by, project), _("The budget cannot be submitted now."))
    total = project.budget_lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    refuse_unless(total > 0, _("Add at least one budget line before submitting."))
    level = level_for_budget(total)
    submission = BudgetSubmission.objects.create(
        project=project, total=total, level=level, lines=_snapshot(project), submitted_by=by,
    )
    if project.level != level:
        project.level = level
        project.save()
    if level == 1:
        submission.status = BudgetSubmission.Status.APPROVED
        submission.decided_by, submission.decided_at = by, timezone.now()
        submission.save()
        _baseline_from(submission, by)
        return submission
    for lead in User.objects.filter(groups__name=Role.PMO_LEAD, is_active=True).exclude(pk=by.pk):
        notify_user(lead, reverse("approvals"), gettext_lazy("Budget approval requested: %(code)s"),
                gettext_lazy("%(pm)s asks approval of a budget of EUR %(total)s (Level %(level)s)."),
                code=project.code, pm=str(by), total=total, level=level)
    return submission


def _locked_pending_submission(submission_id: int) -> BudgetSubmission:
    submission = BudgetSubmission.objects.select_for_update().select_related("project", "submitted_by").get(
        pk=submission_id)
    if submission.status != BudgetSubmission.Status.PENDING:
        raise DomainError(_("This budget was already decided by %(who)s.") % {"who": submission.decided_by})
    return submission


@transaction.atomic
def budget_approve(*, submission_id: int, by: User, comment: str = "") -> Baseline:
    """A PMO lead approves a budget above Level 1, never their own; the next baseline is set."""
    submission = _locked_pending_submission(submission_id)
    refuse_unless(permissions.can_decide_budget(by, submission),
                   _("You may not decide on this budget: a PMO lead other than the submitter decides."))
    submission.status = BudgetSubmission.Status.APPROVED
    submission.decided_by, submission.decided_at, submission.comment = by, timezone.now(), comment
    submission.save()
    baseline = _baseline_from(submission, by)
    notify_user(submission.submitted_by, submission.project.get_absolute_url(), gettext_lazy("Budget approved: %(code)s"),
            comment, code=submission.project.code)
    return baseline


@transaction.atomic
def budget_reject(*, submission_id: int, by: User, comment: str) -> BudgetSubmission:
    """A rejected budget goes back to the PM with the PMO lead's comment."""
    submission = _locked_pending_submission(submission_id)
    refuse_unless(permissions.can_decide_budget(by, submission),
                   _("You may not decide on this budget: a PMO lead other than the submitter decides."))
    refuse_unless(bool(comment.strip()), _("Say why the budget is rejected."))
    submission.status = BudgetSubmission.Status.REJECTED
    submission.decided_by, submission.decided_at, submission.comment = by, timezone.now(), comment
    submission.save()
    notify_user(submission.submitted_by, reverse("projects:budget", args=[submission.project.code]),
            gettext_lazy("Budget rejected: %(code)s"), comment, code=submission.project.code)
    return submission


# --- Project lifecycle ------------------------------------------------------------------

S = Project.Status
ACTIVE = {S.INITIATION, S.PLANNING, S.EXECUTION, S.CLOSING}


def _transition(project: Project, by: User, allowed_from: set, to: str) -> Project:
    refuse_unless(permissions.can_change_project_status(by, project), _("You may not change this project's status."))
    refuse_unless(project.status in allowed_from,
                   _("A project in %(status)s cannot go to %(target)s.")
                   % {"status": project.get_status_display(), "target": S(to).label})
    project.status = to
    project.save()
    return project


@transaction.atomic
def project_start_planning(*, project_id: int, by: User) -> Project:
    return _transition(_locked_project(project_id), by, {S.INITIATION}, S.PLANNING)


@transaction.atomic
def project_start_execution(*, project_id: int, by: User) -> Project:
    """Execution needs a baseline: the PM's confirmation at Level 1, the PMO lead's approval above."""
    project = _locked_project(project_id)
    refuse_unless(project.status != S.PLANNING or project.baselines.exists(),
                   _("The budget must be approved (a baseline set) before the project enters execution."))
    return _transition(project, by, {S.PLANNING}, S.EXECUTION)


@transaction.atomic
def project_start_closing(*, project_id: int, by: User) -> Project:
    return _transition(_locked_project(project_id), by, {S.EXECUTION}, S.CLOSING)


@transaction.atomic
def project_close(*, project_id: int, by: User) -> Project:
    """The support officer validates the closure once every condition of the closing gate holds;
    the hand-over pack for SMO is then made (reporting listens to project_closed)."""
    from .closing import failing

    project = _locked_project(project_id)
    refuse_unless(permissions.can_validate_closure(by), _("The support officer validates the closure."))
    refuse_unless(project.status == S.CLOSING, _("Only a project in closing can be closed."))
    failed = failing(project)
    refuse_unless(not failed, _("The project cannot close yet: %(what)s.")
                  % {"what": "; ".join(str(c.label) for c in failed)})
    project.status, project.closed_on = S.CLOSED, timezone.localdate()
    project.save()
    project_closed.send(sender=Project, project_id=project.pk, by_id=by.pk)
    return project


@transaction.atomic
def project_put_on_hold(*, project_id: int, by: User) -> Project:
    project = _locked_project(project_id)
    project.status_before_hold = project.status
    return _transition(project, by, ACTIVE, S.ON_HOLD)


@transaction.atomic
def project_resume(*, project_id: int, by: User) -> Project:
    project = _locked_project(project_id)
    resume_to = project.status_before_hold or S.INITIATION
    project.status_before_hold = ""
    return _transition(project, by, {S.ON_HOLD}, resume_to)


@transaction.atomic
def project_cancel(*, project_id: int, by: User) -> Project:
    return _transition(_locked_project(project_id), by, ACTIVE | {S.ON_HOLD}, S.CANCELLED)


# --- Documents --------------------------------------------------------------------------

@transaction.atomic
def document_upload(*, project_id: int, by: User, category: str, title: str, upload, content_type: str) -> ProjectDocument:
    """A document with the title of an existing one becomes its next version."""
    project = _locked_project(project_id)
    refuse_unless(permissions.can_upload_document(by, project), _("You may not add documents to this project."))
    last = project.documents.filter(category=category, title=title).order_by("-version").first()
    return ProjectDocument.objects.create(
        project=project, category=category, title=title, version=(last.version + 1) if last else 1, file=upload,
        original_name=upload.name[:255], content_type=content_type, size=upload.size, uploaded_by=by,
    )


@transaction.atomic
def budget_estimates_update(*, project_id: int, by: User, estimates: dict[int, Decimal]) -> None:
    """The PM's estimate to complete per budget line: a forecast, so no approval and no new baseline."""
    project = _locked_project(project_id)
    refuse_unless(permissions.is_project_manager_of(by, project),
                  _("Only the project manager or deputy updates the estimates to complete."))
    for line in project.budget_lines.filter(pk__in=estimates):
        if line.estimate_to_complete != estimates[line.pk]:
            line.estimate_to_complete = estimates[line.pk]
            line.save()
    forecast_changed.send(sender=BudgetLine, project_id=project.pk)
