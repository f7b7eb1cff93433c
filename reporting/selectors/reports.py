"""Reads of highlight reports: what a user may do with one now, and its status colours."""

from projects.lib.workflow import Transition
from reporting.models import HighlightReport
from reporting.selectors.facts import COLOURS, DIMENSION_LABELS, DIMENSIONS, rag_reason_text
from reporting.workflows import HIGHLIGHT_REPORT


def highlight_report_actions_for_user(user, report: HighlightReport) -> dict[str, Transition]:
    """Edit, refresh and publish (a draft: the PM until the deadline, then the support officer);
    retry a failed rendering and correct a published report (who manages the project's reports)."""
    return HIGHLIGHT_REPORT.available(user, report)


def report_rag(report: HighlightReport) -> list[dict]:
    """The report's colour per dimension, in the active language: the PM's override, with its reason,
    wins over the computed one. The page, the PDF and the API all read it here."""
    rag = []
    for dimension in DIMENSIONS:
        computed = report.facts["rag"][dimension]
        override = report.rag_overrides.get(dimension) or {}
        colour = override.get("colour") or computed["colour"]
        # The customer reads a reason beside every colour, worded without internal cost (stored
        # reports keep only the codes, so those read the customer's wording too).
        reason = rag_reason_text(computed, customer=report.variant == HighlightReport.Variant.EXTERNAL)
        rag.append({
            "dimension": dimension, "label": DIMENSION_LABELS[dimension], "colour": colour,
            "colour_label": COLOURS[colour], "computed": computed["colour"],
            "computed_label": COLOURS[computed["colour"]],
            "reason": reason, "override_reason": override.get("reason", "") if override.get("colour") else "",
        })
    return rag
