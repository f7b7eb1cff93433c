"""Highlight-report PDFs. WeasyPrint is imported once per worker process (the import costs ~1 s)."""

import datetime as dt
from decimal import Decimal

import weasyprint
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from projects.lib.pdf import NoNetworkURLFetcher
from projects.models import Activity, ChangeRequest, Outcome, ProjectException, ProjectIssue
from reporting.lib.charts import cost_bars, milestone_timeline
from reporting.models import HighlightReport
from reporting.selectors.reports import report_rag


def _date(value):
    return dt.date.fromisoformat(value) if value else None


def report_context(report: HighlightReport) -> dict:
    """What the template shows, in the active language: the facts with dates and amounts typed
    back, the RAG per dimension (reporting.selectors.reports.report_rag) and the charts."""
    facts = report.facts
    rag = report_rag(report)
    costs = facts.get("costs")
    chart = None
    if costs:
        values = {key: Decimal(costs[key]) if costs[key] is not None else None
                  for key in ("budget", "committed", "actual", "forecast")}
        chart = cost_bars(_("Budget, committed, actual and forecast (EUR)"), [
            (_("Budget"), values["budget"]), (_("Committed"), values["committed"]), (_("Actual"), values["actual"]),
            (_("Forecast"), values["forecast"])])
        costs = {**values, "sold_price": Decimal(costs["sold_price"]) if costs.get("sold_price") else None}
        costs["margin"] = costs["sold_price"] - costs["forecast"] if costs["sold_price"] is not None else None
    milestones = [{**m, "baseline": _date(m["baseline"]), "forecast": _date(m["forecast"])}
                  for m in facts["milestones"]]
    return {
        "report": report, "facts": facts, "rag": rag, "costs": costs, "cost_chart": chart,
        "milestone_chart": milestone_timeline(_("Milestones"), facts["milestones"], (_("baseline"), _("forecast"))),
        "milestones": milestones,
        "header": {**facts["header"], **{k: _date(facts["header"][k]) for k in ("start", "end", "baseline_end",
                                                                                 "forecast_end")}},
        "period": {k: _date(v) for k, v in facts["period"].items()},
        "this_period": [{**a, "start": _date(a["start"]), "end": _date(a["end"]),
                         "status_label": Activity.Status(a["status"]).label} for a in facts["this_period"]],
        "changes": [{**c, "status_label": ChangeRequest.Status(c["status"]).label,
                     "cost": Decimal(c["cost"]) if "cost" in c else None} for c in facts["changes"]],
        "issues": [{**i, "priority_label": ProjectIssue.Priority(i["priority"]).label, "due": _date(i["due"])}
                   for i in facts["issues"]],
        "purchase_orders": [{**po, "net": Decimal(po["net"])} for po in facts.get("purchase_orders", [])],
        "exceptions": [{**e, "kind_label": ProjectException.Kind(e["kind"]).label}
                       for e in facts.get("exceptions", [])],
        # Reports made before the minutes fed them have no such fact.
        "meeting_outcomes": [{**o, "kind_label": Outcome.Kind(o["kind"]).label, "due": _date(o["due"])}
                             for o in facts.get("meeting_outcomes", [])],
        "next_period": [{**a, "start": _date(a["start"]), "end": _date(a["end"])} for a in facts["next_period"]],
        "internal": report.variant == HighlightReport.Variant.INTERNAL,
        # Texts placed in CSS strings (page margins): ours, never user text.
        "variant_label": report.get_variant_display(), "page_label": _("Page"), "of_label": _("of"),
    }


def render_report_html(report: HighlightReport) -> str:
    with translation.override(report.language):
        return render_to_string("reporting/highlight_report_pdf.html", report_context(report))


def render_report_pdf(report: HighlightReport) -> bytes:
    return weasyprint.HTML(string=render_report_html(report), url_fetcher=NoNetworkURLFetcher()).write_pdf()
