"""Reads of quality checklists: what a user may do with a run now."""

from projects.lib.workflow import Transition
from projects.models import ChecklistRun
from projects.workflows import CHECKLIST_RUN


def checklist_run_actions_for_user(user, run: ChecklistRun) -> dict[str, Transition]:
    """Submit (who fills the project's checklists, while the run is open); sign off (a reviewer who
    filled none of it, once submitted and its findings are closed or accepted)."""
    return CHECKLIST_RUN.available(user, run)
