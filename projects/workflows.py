"""The state machines of the projects app, each declared once: from which states a transition is
taken, to which, who may take it (projects.permissions) and what the user reads when refused.

The services check them (`WORKFLOW.check(name, by, obj)`) before they change anything; the pages
show the transitions `WORKFLOW.available(user, obj)` returns (through the `*_actions_for_user`
selectors), so a button shows exactly when the service accepts.
"""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from projects import permissions
from projects.lib.workflow import STATE, Transition, Workflow, when
from projects.models import BudgetSubmission, ChangeRequest, ChecklistRun, Intake, Meeting, Project

# --- Project lifecycle: initiation -> planning -> execution -> closing, on hold, cancelled --------

P = Project.Status


def _cannot_go(target):
    """"A project in Execution cannot go to Planning." (target: a status, or a function of the project)."""
    def message(project):
        to = target(project) if callable(target) else target
        return _("A project in %(status)s cannot go to %(target)s.") % {
            "status": project.get_status_display(), "target": P(to).label}
    return message


def resume_target(project: Project) -> str:
    """A project on hold resumes where it was put on hold."""
    return project.status_before_hold or P.INITIATION


_may_change_status = when(permissions.can_change_project_status, _("You may not change this project's status."))


def _has_baseline(user, project):
    """Execution needs a baseline: the PM's confirmation at Level 1, the PMO lead's approval above."""
    if project.status == P.PLANNING and project.current_baseline is None:
        return _("The budget must be approved (a baseline set) before the project enters execution.")
    return None


def _lifecycle(name, label, sources, target, *checks):
    return Transition(name, label, frozenset(sources), None if callable(target) else target, _cannot_go(target),
                      checks or (_may_change_status, STATE))


PROJECT = Workflow([
    _lifecycle("plan", _("Start planning"), {P.INITIATION}, P.PLANNING),
    _lifecycle("execute", _("Start execution"), {P.PLANNING}, P.EXECUTION, _has_baseline, _may_change_status, STATE),
    _lifecycle("close-out", _("Start closing"), {P.EXECUTION}, P.CLOSING),
    _lifecycle("hold", _("Put on hold"), Project.RUNNING, P.ON_HOLD),
    _lifecycle("resume", _("Resume"), {P.ON_HOLD}, resume_target),
    _lifecycle("cancel", _("Cancel the project"), {*Project.RUNNING, P.ON_HOLD}, P.CANCELLED),
])


# --- Intake: sales submits; a support officer returns, rejects or accepts -------------------------

def _reviewed(name, label, target, refused):
    return Transition(name, label, frozenset({Intake.Status.SUBMITTED}), target, refused,
                      (when(permissions.can_review_intake, refused),))


INTAKE = Workflow([
    Transition("submit", _("Submit to the PMO"), frozenset(Intake.EDITABLE), Intake.Status.SUBMITTED,
               _("This intake cannot be submitted."),
               (when(permissions.can_edit_intake, _("This intake cannot be submitted.")),)),
    _reviewed("accept", _("Accept and create the project"), Intake.Status.ACCEPTED,
              _("Only a submitted intake can be accepted.")),
    _reviewed("return", _("Return to sales with a question"), Intake.Status.RETURNED,
              _("Only a submitted intake can be returned.")),
    _reviewed("reject", _("Reject"), Intake.Status.REJECTED, _("Only a submitted intake can be rejected.")),
])


# --- Budget submission: a PMO lead other than the submitter approves or rejects ------------------

B = BudgetSubmission.Status


def decided_when(moment) -> str:
    """A decision's moment as the reader writes it: '02/12/2026 14:05'."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else ""


def budget_already_decided(submission) -> str:
    return _("This budget was already decided (%(decision)s) by %(who)s at %(when)s.") % {
        "decision": submission.get_status_display().lower(), "who": submission.decided_by,
        "when": decided_when(submission.decided_at)}


_may_decide_budget = when(permissions.can_decide_budget,
                          _("You may not decide on this budget: a PMO lead other than the submitter decides."))


BUDGET_SUBMISSION = Workflow([
    Transition("approve", _("Approve"), frozenset({B.PENDING}), B.APPROVED, budget_already_decided,
               (_may_decide_budget,)),
    Transition("reject", _("Reject"), frozenset({B.PENDING}), B.REJECTED, budget_already_decided,
               (_may_decide_budget,)),
])


# --- Change request: submitted, then approved, deferred or rejected by whom its route names -------

C = ChangeRequest.Status


def change_not_waiting(change) -> str:
    """Why a request cannot be decided: someone decided it, or it changed since the decider opened it."""
    if change.decided_by:
        return _("%(id)s was already decided (%(status)s) by %(who)s at %(when)s.") % {
            "id": change.identifier, "status": change.get_status_display().lower(), "who": change.decided_by,
            "when": decided_when(change.decided_at)}
    return _("%(id)s changed since you opened it; reload the page.") % {"id": change.identifier}


def _may_approve_change(user, change):
    """The route is the one of this moment: the caller routes the request against today's baseline."""
    if permissions.can_decide_change(user, change):
        return None
    return _("You may not decide %(id)s: %(why)s.") % {
        "id": change.identifier, "why": change.route_reason or _("the requester never decides their own change")}


def _may_decide_change(user, change):
    return None if permissions.can_decide_change(user, change) else _("You may not decide %(id)s.") % {
        "id": change.identifier}


CHANGE_REQUEST = Workflow([
    Transition("submit", _("Submit for decision"), frozenset(ChangeRequest.EDITABLE), C.SUBMITTED,
               lambda change: _("%(id)s was already submitted.") % {"id": change.identifier},
               (when(lambda user, change: permissions.can_edit_registers(user, change.project),
                     _("You may not change this project's registers.")), STATE,
                when(lambda user, change: change.project.current_baseline is not None,
                     _("The project has no baseline yet: set the budget on the budget page instead.")))),
    Transition("approve", _("Approve"), frozenset({C.SUBMITTED}), C.APPROVED, change_not_waiting,
               (_may_approve_change,)),
    Transition("defer", _("Defer"), frozenset({C.SUBMITTED}), C.DEFERRED, change_not_waiting, (_may_decide_change,)),
    Transition("reject", _("Reject"), frozenset({C.SUBMITTED}), C.REJECTED, change_not_waiting, (_may_decide_change,)),
])


# --- Checklist run: filled and submitted by the team, signed off by a reviewer who filled none of it -

Q = ChecklistRun.Status


def _findings_dealt_with(user, run):
    findings = run.open_findings()
    if findings:
        return _("Close or accept its issues first: %(ids)s.") % {"ids": ", ".join(i.identifier for i in findings)}
    return None


CHECKLIST_RUN = Workflow([
    Transition("submit", _("Save and submit for sign-off"), frozenset({Q.OPEN}), Q.SUBMITTED,
               _("This checklist was already submitted."),
               (when(lambda user, run: permissions.can_fill_checklists(user, run.project),
                     _("You may not fill this project's checklists.")), STATE)),
    Transition("sign_off", _("Sign off"), frozenset({Q.SUBMITTED}), Q.SIGNED,
               _("Only a submitted checklist can be signed off."), (
                   when(lambda user, run: permissions.can_review_checklists(user),
                        _("Only a support officer or a PMO lead signs checklists off.")),
                   when(lambda user, run: not permissions.filled_checklist(user, run),
                        _("You filled this checklist: another reviewer signs it off.")),
                   STATE, _findings_dealt_with)),
])


# --- Meeting: draft -> planned -> held -> minutes published, or cancelled before it is held --------

M = Meeting.Status

_may_organise = when(lambda user, meeting: permissions.can_organise_meetings(user, meeting.project),
                     _("You may not organise this project's meetings."))


def _meeting_refusal(template):
    return lambda meeting: template % {"id": meeting.identifier, "status": meeting.get_status_display()}


def _has_attendees(user, meeting):
    return None if meeting.attendees.exists() else _("Invite at least one attendee before planning the meeting.")


def _has_begun(user, meeting):
    if meeting.date > timezone.localdate():
        return _("%(id)s is on %(date)s: it can be marked as held from that day.") % {
            "id": meeting.identifier, "date": date_format(meeting.date, "SHORT_DATE_FORMAT")}
    return None


def _attendance_recorded(user, meeting):
    if meeting.attendees.filter(attendance="").exists():
        return _("Record whether each attendee came before publishing the minutes.")
    return None


MEETING = Workflow([
    Transition("plan", _("Plan the meeting"), frozenset({M.DRAFT}), M.PLANNED,
               _meeting_refusal(_("Only a draft meeting can be planned; %(id)s is %(status)s.")),
               (_may_organise, STATE, _has_attendees)),
    Transition("hold", _("Mark as held"), frozenset({M.PLANNED}), M.HELD,
               _meeting_refusal(_("Only a planned meeting can be held; %(id)s is %(status)s.")),
               (_may_organise, STATE, _has_begun)),
    Transition("publish", _("Publish the minutes"), frozenset({M.HELD}), M.PUBLISHED,
               _meeting_refusal(_("Only the minutes of a held meeting can be published; %(id)s is %(status)s.")),
               (_may_organise, STATE, _attendance_recorded)),
    Transition("cancel", _("Cancel the meeting"), frozenset(Meeting.UPCOMING), M.CANCELLED,
               _meeting_refusal(_("Only a meeting not yet held can be cancelled; %(id)s is %(status)s.")),
               (_may_organise, STATE)),
])
