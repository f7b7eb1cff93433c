"""The timesheet's state machine, declared once: draft -> submitted -> approved, or returned (with a
reason) and submitted again. A week touching a locked month is refused by the services on top."""

from django.utils.translation import gettext_lazy as _

from projects import permissions_timesheets as perms
from projects.lib.workflow import STATE, Transition, Workflow, when
from projects.models import Timesheet

S = Timesheet.Status

_may_submit = when(perms.is_author, _("Only its author submits a timesheet."))
_may_decide = when(perms.can_decide_timesheet,
                   _("Only the project's manager or the person's engineering manager decides this timesheet."))


def _refused(template):
    return lambda t: template % {"week": t.week_label, "status": t.get_status_display().lower()}


TIMESHEET = Workflow([
    Transition("submit", _("Submit"), frozenset(Timesheet.EDITABLE), S.SUBMITTED,
               _refused(_("The timesheet of %(week)s is %(status)s: it cannot be submitted again.")),
               (_may_submit, STATE)),
    Transition("approve", _("Approve"), frozenset({S.SUBMITTED}), S.APPROVED,
               _refused(_("The timesheet of %(week)s is %(status)s: only a submitted one can be approved.")),
               (_may_decide, STATE)),
    Transition("return", _("Return"), frozenset({S.SUBMITTED}), S.RETURNED,
               _refused(_("The timesheet of %(week)s is %(status)s: only a submitted one can be returned.")),
               (_may_decide, STATE)),
])
