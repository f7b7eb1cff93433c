"""Reads of budgets: what a user may decide on a budget submission."""

from projects.lib.workflow import Transition
from projects.models import BudgetSubmission
from projects.workflows import BUDGET_SUBMISSION


def budget_submission_actions_for_user(user, submission: BudgetSubmission) -> dict[str, Transition]:
    """Approve and reject: a PMO lead other than the submitter, while the submission waits."""
    return BUDGET_SUBMISSION.available(user, submission)
