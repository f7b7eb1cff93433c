"""The highlight report's state machine, declared once: draft -> publishing -> published (or
failed, or stuck publishing past the render's time limit, then retried); a published report is
corrected by a new version, never changed. The services check it; the report page shows the
transitions it makes available."""

from django.utils.translation import gettext_lazy as _

from projects import permissions
from projects.lib.workflow import Transition, Workflow, when
from reporting.models import HighlightReport

R = HighlightReport.Status


_editable = when(lambda user, report: permissions.can_edit_report(user, report, report.deadline),
                 _("This report can no longer be edited by you."))


def _latest_version(user, report):
    latest = report.project.highlight_reports.filter(week=report.week, variant=report.variant) \
        .order_by("-version").first()
    return None if latest.pk == report.pk else _("A newer version of this report exists already.")


def _managed(message):
    return when(lambda user, report: permissions.can_manage_reports(user, report.project), message)


HIGHLIGHT_REPORT = Workflow([
    # Editing the narrative is not a change of state, but it has the same rule as publishing.
    Transition("edit", _("Save"), frozenset({R.DRAFT}), R.DRAFT, _("This report can no longer be edited by you."),
               (_editable,)),
    Transition("refresh", _("Save and take the facts again"), frozenset({R.DRAFT}), R.DRAFT,
               _("This report can no longer be edited by you."), (_editable,)),
    Transition("publish", _("Save, publish and send"), frozenset({R.DRAFT}), R.PUBLISHING,
               _("This report can no longer be edited by you."), (_editable,)),
    Transition("retry", _("Retry"), frozenset({R.FAILED, R.PUBLISHING}), R.PUBLISHING,
               _("Only a report whose rendering failed can be retried."),
               (_managed(_("Only a report whose rendering failed can be retried.")),
                when(lambda user, report: report.status == R.FAILED or report.stuck,
                     _("Only a report whose rendering failed can be retried.")))),
    Transition("correct", _("Correct (new version)"), frozenset({R.PUBLISHED}), None,
               _("Only a published report can be corrected."),
               (_managed(_("Only a published report can be corrected.")), _latest_version)),
])
