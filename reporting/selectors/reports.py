"""Reads of highlight reports: what a user may do with one now."""

from projects.lib.workflow import Transition
from reporting.models import HighlightReport
from reporting.workflows import HIGHLIGHT_REPORT


def highlight_report_actions_for_user(user, report: HighlightReport) -> dict[str, Transition]:
    """Edit, refresh and publish (a draft: the PM until the deadline, then the support officer);
    retry a failed rendering and correct a published report (who manages the project's reports)."""
    return HIGHLIGHT_REPORT.available(user, report)
