"""Budgets: lines, submission by level, the PMO lead's decision, baselines and estimates to complete."""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from projects import events, permissions
from projects.domain import lock_project, notify_user, refuse_unless
from projects.models import Baseline, BudgetLine, BudgetSubmission, LevelThreshold, Project
from projects.signals import forecast_changed
from projects.workflows import BUDGET_SUBMISSION


def level_for_budget(amount: Decimal) -> int:
    """The lowest level whose threshold the budget does not exceed (250,000.00 is Level 1)."""
    thresholds = list(LevelThreshold.objects.order_by("level"))
    for threshold in thresholds:
        if threshold.upper_limit is None or amount <= threshold.upper_limit:
            return threshold.level
    return thresholds[-1].level if thresholds else 1


@transaction.atomic
def budget_lines_save(*, project_id: int, by: User, formset) -> None:
    """Save the edited budget lines of a project whose budget is not waiting for a decision."""
    project = lock_project(project_id)
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
    last = project.baselines.current().first()
    return Baseline.objects.create(
        project=project, version=(last.version + 1) if last else 1, budget=budget, start_date=project.start_date,
        end_date=project.end_date, lines=lines, approved_by=approved_by, submission=submission,
        change_request=change_request,
        milestones=[{"name": m.name, "date": m.baseline_date.isoformat()} for m in project.milestones.all()],
    )


def _baseline_from(submission: BudgetSubmission, approved_by: User) -> Baseline:
    """The baseline of an approved budget (the PM's own at Level 1, a PMO lead's above)."""
    baseline = baseline_create(submission.project, budget=submission.total, lines=submission.lines,
                               approved_by=approved_by, submission=submission)
    events.project_event(events.EventType.BUDGET_APPROVED, submission.project, budget={
        "total": str(submission.total), "level": submission.level, "baseline_version": baseline.version})
    return baseline


@transaction.atomic
def budget_submit(*, project_id: int, by: User) -> BudgetSubmission:
    """Level 1: the PM's confirmation sets the baseline. Above: the budget waits for a PMO lead."""
    project = lock_project(project_id)
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


def _locked_submission(submission_id: int, by: User, decision: str) -> BudgetSubmission:
    """The submission, locked, if it still waits and `by` may take `decision` on it (two leads at once: one waits,
    then reads that the other decided)."""
    submission = BudgetSubmission.objects.select_for_update().select_related("project", "submitted_by").get(
        pk=submission_id)
    BUDGET_SUBMISSION.check(decision, by, submission)
    return submission


@transaction.atomic
def budget_approve(*, submission_id: int, by: User, comment: str = "") -> Baseline:
    """A PMO lead approves a budget above Level 1, never their own; the next baseline is set."""
    submission = _locked_submission(submission_id, by, "approve")
    submission.status = BudgetSubmission.Status.APPROVED
    submission.decided_by, submission.decided_at, submission.comment = by, timezone.now(), comment
    submission.save()
    baseline = _baseline_from(submission, by)
    notify_user(submission.submitted_by, submission.project.get_absolute_url(),
                gettext_lazy("Budget approved: %(code)s"), comment, code=submission.project.code)
    return baseline


@transaction.atomic
def budget_reject(*, submission_id: int, by: User, comment: str) -> BudgetSubmission:
    """A rejected budget goes back to the PM with the PMO lead's comment."""
    submission = _locked_submission(submission_id, by, "reject")
    refuse_unless(bool(comment.strip()), _("Say why the budget is rejected."))
    submission.status = BudgetSubmission.Status.REJECTED
    submission.decided_by, submission.decided_at, submission.comment = by, timezone.now(), comment
    submission.save()
    notify_user(submission.submitted_by, reverse("projects:budget", args=[submission.project.code]),
                gettext_lazy("Budget rejected: %(code)s"), comment, code=submission.project.code)
    return submission


@transaction.atomic
def budget_estimates_update(*, project_id: int, by: User, estimates: dict[int, Decimal]) -> None:
    """The PM's estimate to complete per budget line: a forecast, so no approval and no new baseline."""
    project = lock_project(project_id)
    refuse_unless(permissions.is_project_manager_of(by, project),
                  _("Only the project manager or deputy updates the estimates to complete."))
    for line in project.budget_lines.filter(pk__in=estimates):
        if line.estimate_to_complete != estimates[line.pk]:
            line.estimate_to_complete = estimates[line.pk]
            line.save()
    forecast_changed.send(sender=BudgetLine, project_id=project.pk)
