"""Reads of budgets: what a user may decide on a budget submission."""

from projects.lib.workflow import Transition
from projects.models import BudgetSubmission
from projects.workflows import BUDGET_SUBMISSION, budget_already_decided


def budget_submission_actions_for_user(user, submission: BudgetSubmission) -> dict[str, Transition]:
    """Approve and reject: a PMO lead other than the submitter, while the submission waits."""
    return BUDGET_SUBMISSION.available(user, submission)


def budget_submission_decided(submission: BudgetSubmission) -> str | None:
    """Who decided the submission and when, once it no longer waits; None while it waits."""
    if BUDGET_SUBMISSION.state(submission) in BUDGET_SUBMISSION["approve"].sources:
        return None
    return budget_already_decided(submission)
