"""The billing milestone's state machine, declared once (as projects/workflows.py declares the others):
planned -> ready to invoice -> invoiced -> paid, or cancelled before it is invoiced.

"ready" here is the project staff's manual step (with a reason); the automatic one (plan milestone
reached, checklist signed off) is taken by projects.services.billing without a user.
"""

from django.utils.translation import gettext_lazy as _

from projects import permissions_billing as billing
from projects.lib.workflow import STATE, Transition, Workflow, when
from projects.models import BillingMilestone

S = BillingMilestone.Status

_may_manage = when(lambda user, m: billing.can_manage_billing(user, m.project),
                   _("You may not change this project's billing milestones."))
_may_record = when(lambda user, m: billing.can_record_billing(user),
                   _("Only finance records invoices and payments."))


def _refused(template):
    """The wrong-state message: `template` names the milestone (%(id)s) and its state (%(status)s)."""
    return lambda m: template % {"id": m.identifier, "status": m.get_status_display().lower()}


BILLING_MILESTONE = Workflow([
    Transition("ready", _("Mark ready to invoice"), frozenset({S.PLANNED}), S.READY,
               _refused(_("%(id)s is %(status)s: only a planned milestone can be marked ready.")),
               (_may_manage, STATE)),
    Transition("invoice", _("Record the invoice"), frozenset({S.READY}), S.INVOICED,
               _refused(_("%(id)s is not ready to invoice (it is %(status)s).")), (_may_record, STATE)),
    Transition("pay", _("Record the payment"), frozenset({S.INVOICED}), S.PAID,
               _refused(_("%(id)s is %(status)s: only an invoiced milestone can be recorded as paid.")),
               (_may_record, STATE)),
    Transition("cancel", _("Cancel"), frozenset(BillingMilestone.OPEN), S.CANCELLED,
               _refused(_("%(id)s is %(status)s: only a milestone not yet invoiced can be cancelled.")),
               (_may_manage, STATE)),
])
