"""Quality checklists: runs from templates, answers, submission, sign-off by another reviewer."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from projects import permissions
from projects.domain import StaleEdit, refuse_unless, sequence_next
from projects.lib.translated import translated
from projects.models import (
    ChecklistAnswer,
    ChecklistEvidence,
    ChecklistRun,
    ChecklistTemplate,
    Project,
    ProjectIssue,
    ProjectTypeChecklist,
)
from projects.services.billing import billing_milestones_ready_check
from projects.services.registers import issue_raise
from projects.workflows import CHECKLIST_RUN

ISSUE_DAYS = 7  # a non-conformity's corrective action is due a week later unless the owner says otherwise


def _run_create(project: Project, template: ChecklistTemplate, phase: dict) -> ChecklistRun:
    """The run copies the template's name and items in every language; `phase` holds the phase's
    keyword arguments (every language of the project type's link, or what the user typed)."""
    run = ChecklistRun.objects.create(
        project=project, number=sequence_next(f"checklist:{project.pk}", 0), template=template,
        template_version=template.version, standard=template.standard, **translated(template, "name"), **phase)
    bulk_create_with_history([  # with history, so the first answer shows as a change from blank
        ChecklistAnswer(run=run, position=n, **translated(item, "text"), **translated(item, "guidance"))
        for n, item in enumerate(template.items.all())], ChecklistAnswer)
    return run


@transaction.atomic
def checklist_runs_from_project_type(project: Project) -> list[ChecklistRun]:
    """The runs a new project gets from its type (called when an intake is accepted)."""
    if not project.project_type_id or project.checklist_runs.exists():
        return []
    links = ProjectTypeChecklist.objects.filter(project_type=project.project_type_id, template__active=True) \
        .select_related("template").order_by("pk")
    return [_run_create(project, link.template, translated(link, "phase")) for link in links]


@transaction.atomic
def checklist_run_start(*, project_id: int, by: User, template_id: int, phase: str = "") -> ChecklistRun:
    """Another run, e.g. a last-minute risk analysis before each site day."""
    project = Project.objects.select_for_update().get(pk=project_id)
    refuse_unless(permissions.can_fill_checklists(by, project), _("You may not fill this project's checklists."))
    template = ChecklistTemplate.objects.get(pk=template_id, active=True)
    return _run_create(project, template, {"phase": phase})


def _locked_run(run_id: int) -> ChecklistRun:
    return ChecklistRun.objects.select_for_update().select_related("project").get(pk=run_id)


@transaction.atomic
def checklist_answers_save(*, run_id: int, by: User, answers: dict[int, dict], evidence: dict, expected_version: int
                           ) -> list[ProjectIssue]:
    """Save every answer of a run at once, or none: a "not OK" or "not applicable" needs a comment,
    a "not OK" also a corrective action; each new "not OK" raises an off-specification issue with its
    corrective action. `answers` maps a position to {answer, comment, corrective_action}; `evidence` a
    position to (upload, type).
    Returns the issues raised."""
    run = _locked_run(run_id)
    project = run.project
    refuse_unless(permissions.can_fill_checklists(by, project), _("You may not fill this project's checklists."))
    refuse_unless(run.status == ChecklistRun.Status.OPEN, _("This checklist was submitted; it can no longer change."))
    if run.version != expected_version:
        raise StaleEdit(_("Someone else saved this checklist meanwhile. Your answers are kept below; reload to see "
                          "theirs."))
    rows = {a.position: a for a in run.answers.all()}
    for position, data in answers.items():
        refuse_unless(position in rows, _("Unknown checklist item."))
        if data["answer"] in (ChecklistAnswer.Answer.NOT_OK, ChecklistAnswer.Answer.NOT_APPLICABLE):
            refuse_unless(bool(data["comment"].strip()), _("Item %(n)s: say why in the comment.") % {"n": position + 1})
        if data["answer"] == ChecklistAnswer.Answer.NOT_OK:
            refuse_unless(bool(data["corrective_action"].strip()),
                          _("Item %(n)s: a not OK needs a corrective action.") % {"n": position + 1})
    raised, now = [], timezone.now()
    for position, data in answers.items():
        row = rows[position]
        changed = (row.answer, row.comment, row.corrective_action) != (data["answer"], data["comment"],
                                                                       data["corrective_action"])
        if not changed:
            continue
        row.answer, row.comment, row.corrective_action = data["answer"], data["comment"], data["corrective_action"]
        row.answered_by, row.answered_at = by, now
        if row.answer == ChecklistAnswer.Answer.NOT_OK and row.issue_id is None:
            row.issue = issue_raise(project_id=project.pk, by=by, check_permission=False, data={
                "type": ProjectIssue.Type.OFF_SPECIFICATION,
                "title": f"{run.identifier} {_(row.text)}"[:200],
                "description": row.comment + (f"\n\n{_('Corrective action')}: {row.corrective_action}"
                                              if row.corrective_action else ""),
                "priority": ProjectIssue.Priority.HIGH, "severity": 3,
                "owner": project.project_manager or by, "status": ProjectIssue.Status.OPEN,
                "due_date": timezone.localdate() + dt.timedelta(days=ISSUE_DAYS)})
            raised.append(row.issue)
        row.save()
    for position, (upload, content_type) in evidence.items():
        refuse_unless(position in rows, _("Unknown checklist item."))
        ChecklistEvidence.objects.create(answer=rows[position], file=upload, original_name=upload.name[:255],
                                         content_type=content_type, size=upload.size, uploaded_by=by)
    run.version += 1
    run.save()
    return raised


@transaction.atomic
def checklist_submit(*, run_id: int, by: User) -> ChecklistRun:
    run = _locked_run(run_id)
    CHECKLIST_RUN.check("submit", by, run)
    refuse_unless(not run.answers.filter(answer="").exists(), _("Answer every item before submitting."))
    run.status, run.submitted_by, run.submitted_at = ChecklistRun.Status.SUBMITTED, by, timezone.now()
    run.version += 1
    run.save()
    return run


@transaction.atomic
def checklist_save_and_submit(*, run_id: int, by: User, answers: dict[int, dict], evidence: dict,
                              expected_version: int) -> list[ProjectIssue]:
    """Save the answers and submit the run in one transaction: a refused submission saves nothing,
    so the page's version stays current and the next save is not taken for someone else's."""
    raised = checklist_answers_save(run_id=run_id, by=by, answers=answers, evidence=evidence,
                                    expected_version=expected_version)
    checklist_submit(run_id=run_id, by=by)
    return raised


@transaction.atomic
def checklist_sign_off(*, run_id: int, by: User) -> ChecklistRun:
    """A reviewer who answered none of it signs a submitted run off once its findings are dealt with."""
    run = _locked_run(run_id)
    CHECKLIST_RUN.check("sign_off", by, run)
    run.status, run.reviewer, run.signed_at = ChecklistRun.Status.SIGNED, by, timezone.now()
    run.version += 1
    run.save()
    billing_milestones_ready_check(project_id=run.project_id)
    return run
