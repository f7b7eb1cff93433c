"""A highlight report's facts and status colours (RAG), computed from the data."""

import datetime as dt
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from procurement.models import PurchaseOrder
from procurement.selectors.costs import project_costs
from projects.lib.workdays import working_days_between
from projects.models import Activity, ChangeRequest, Meeting, Outcome, Project, ProjectIssue, Risk
from projects.selectors.projects import schedule_figures

DIMENSIONS = ("time", "cost", "scope", "quality", "risk")


DIMENSION_LABELS = {"time": _("Time"), "cost": _("Cost"), "scope": _("Scope"), "quality": _("Quality"),
                    "risk": _("Risk")}


COLOURS = {"green": _("Green"), "amber": _("Amber"), "red": _("Red")}


# Why a dimension has its colour: shown in the report beside it, in the report's language. The
# risk reasons name Risk.MEDIUM_SCORE and Risk.HIGH_SCORE in words: published reports store only
# the codes and parameters, and must read the same years later.
REASONS = {
    "no_schedule": _("No plan or baseline end date yet."),
    "no_plan": _("No activities planned yet, so no forecast end to compare with the baseline end."),
    "no_baseline": _("No baseline end date yet to compare the forecast end with."),
    "late_starts": ngettext_lazy("Forecast end on time, but %(count)s activity past its planned start has not started.",
                                 "Forecast end on time, but %(count)s activities past their planned start have not "
                                 "started.", "count"),
    "on_time": _("Forecast end on or before the baseline end."),
    "late_within": _("Forecast end %(days)s working days late, within the tolerance of %(tolerance)s."),
    "late_beyond": _("Forecast end %(days)s working days late, beyond the tolerance of %(tolerance)s."),
    "no_budget": _("No approved budget yet."),
    "within_budget": _("Forecast cost within the approved budget."),
    "over_within": _("Forecast cost over budget, within the tolerance of %(percent)s %%."),
    "over_beyond": _("Forecast cost beyond the tolerance of %(percent)s %%."),
    # The customer's variant: the same colour, a reason that names no internal cost.
    "customer:within_budget": _("Costs as planned."),
    "customer:over_within": _("Costs under watch, within tolerance."),
    "customer:over_beyond": _("Costs beyond tolerance: corrective action is under way."),
    "no_pending_change": _("No change request waiting for a decision."),
    "pending_changes": ngettext_lazy("%(count)s change request waiting for a decision.",
                                     "%(count)s change requests waiting for a decision.", "count"),
    "no_quality_issue": _("No open off-specification."),
    "quality_issues": _("%(count)s open off-specification(s)."),
    "severe_quality_issue": _("An open off-specification of severity 4 or 5."),
    "low_risks": _("No open risk scores 8 or more."),
    "medium_risks": _("Open risks score up to %(score)s."),
    "high_risks": ngettext_lazy("%(count)s open risk scores 15 or more.", "%(count)s open risks score 15 or more.",
                                "count"),
}


TOP = 5


def rag_reason_text(rag: dict, customer: bool = False) -> str:
    """Why a dimension has its colour, in the active language (counts in their plural form); for the
    customer, the customer-safe wording where there is one."""
    template = REASONS.get(f"customer:{rag['code']}") if customer else None
    template = template or REASONS[rag["code"]]
    return str(template % rag["params"] if rag["params"] else template)


def week_of(day: dt.date) -> dt.date:
    """The Monday of `day`'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


def _iso(day):
    return day.isoformat() if day else None


def _money(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def _rag(colour: str, code: str, **params) -> dict:
    return {"colour": colour, "code": code, "params": params}


# The status rules per dimension, shared by the report and the portfolio. Each returns the colour
# and why (a reason code with its parameters).
def time_rag(baseline_end, forecast_end, tolerance: int, late_starts: int = 0) -> dict:
    """Late beyond the tolerance (working days) red, within it amber; on time but with activities that
    should have started and have not, amber; otherwise green. Without a plan or a baseline end the
    reason says which of the two is missing."""
    if not (baseline_end and forecast_end):
        return _rag("green", "no_baseline" if forecast_end else "no_plan" if baseline_end else "no_schedule")
    late_days = late_working_days(baseline_end, forecast_end)
    if late_days > 0:
        beyond = late_days > tolerance
        return _rag("red" if beyond else "amber", "late_beyond" if beyond else "late_within",
                    days=late_days, tolerance=tolerance)
    if late_starts:
        return _rag("amber", "late_starts", count=late_starts)
    return _rag("green", "on_time")


def cost_rag(budget, forecast, tolerance_percent) -> dict:
    if not budget:
        return _rag("amber", "no_budget")
    if forecast <= budget:
        return _rag("green", "within_budget")
    beyond = forecast > budget * (1 + tolerance_percent / 100)
    return _rag("red" if beyond else "amber", "over_beyond" if beyond else "over_within",
                percent=f"{tolerance_percent:g}")


def scope_rag(pending_changes: int) -> dict:
    return _rag("amber", "pending_changes", count=pending_changes) if pending_changes else \
        _rag("green", "no_pending_change")


def quality_rag(open_off_specifications: int, worst_severity: int) -> dict:
    if worst_severity >= 4:
        return _rag("red", "severe_quality_issue")
    if open_off_specifications:
        return _rag("amber", "quality_issues", count=open_off_specifications)
    return _rag("green", "no_quality_issue")


def risk_rag(high_risks: int, top_score: int) -> dict:
    if high_risks:
        return _rag("red", "high_risks", count=high_risks)
    if top_score >= Risk.MEDIUM_SCORE:
        return _rag("amber", "medium_risks", score=top_score)
    return _rag("green", "low_risks")


def late_working_days(baseline_end, forecast_end) -> int | None:
    return working_days_between(baseline_end, forecast_end) if baseline_end and forecast_end else None


def report_facts(project: Project, week: dt.date, variant: str) -> dict:
    """Everything the report states, as of now, for the week starting on Monday `week`."""
    internal = variant == "internal"
    end = week + dt.timedelta(days=6)
    next_start, next_end = week + dt.timedelta(days=7), week + dt.timedelta(days=13)
    schedule = schedule_figures(project)
    baseline = project.current_baseline
    totals = project_costs(project).total
    budget = baseline.budget if baseline else None

    activities = list(project.activities.select_related("phase").order_by("planned_start", "pk"))
    current = [a for a in activities if a.planned_start <= end and a.planned_end >= week]
    upcoming = [a for a in activities if a.status != Activity.Status.DONE
                and a.planned_start <= next_end and a.planned_end >= next_start]
    phase = next((a.phase.name for a in activities if a.status != Activity.Status.DONE and a.phase), "")

    risks = project.risks.filter(status=Risk.Status.OPEN).select_related("owner")
    issues = project.issues.filter(status__in=[ProjectIssue.Status.OPEN, ProjectIssue.Status.IN_PROGRESS])
    if not internal:
        risks, issues = risks.filter(customer_visible=True), issues.filter(customer_visible=True)
    risks = sorted(risks, key=lambda r: (-r.score, r.number))
    rank = {ProjectIssue.Priority.HIGH: 0, ProjectIssue.Priority.MEDIUM: 1, ProjectIssue.Priority.LOW: 2}
    issues = sorted(issues.select_related("owner"), key=lambda i: (rank[i.priority], -i.severity, i.number))
    # The customer's variant judges risk and quality by the entries it shows, so its reasons
    # never count internal-only ones.
    off_spec = [i for i in issues if i.type == ProjectIssue.Type.OFF_SPECIFICATION]
    pending = project.change_requests.filter(status=ChangeRequest.Status.SUBMITTED).count()
    changes = list(project.change_requests.filter(
        Q(status=ChangeRequest.Status.SUBMITTED) | Q(decided_at__date__range=(week, end))
        | Q(submitted_at__date__range=(week, end))).annotate(cost=Sum("costs__delta")).order_by("number"))
    rag = {
        "time": time_rag(schedule["baseline_end"], schedule["forecast_end"], project.time_tolerance_days,
                         schedule["late_starts"]),
        "cost": cost_rag(budget, totals.forecast, project.cost_tolerance_percent),
        "scope": scope_rag(pending),
        "quality": quality_rag(len(off_spec), max((i.severity for i in off_spec), default=0)),
        "risk": risk_rag(sum(1 for r in risks if r.severity == "high"), max((r.score for r in risks), default=0)),
    }
    facts = {
        "variant": variant,
        "header": {
            "code": project.code, "name": project.name, "customer": project.customer.name,
            "project_manager": str(project.project_manager or ""), "level": project.level, "phase": phase,
            "status": project.status, "start": _iso(project.start_date), "end": _iso(project.end_date),
            "baseline_end": _iso(schedule["baseline_end"]), "forecast_end": _iso(schedule["forecast_end"]),
            "baseline_version": baseline.version if baseline else None,
        },
        "period": {"start": _iso(week), "end": _iso(end)},
        "rag": rag,
        "this_period": [{"name": a.name, "start": _iso(a.planned_start), "end": _iso(a.planned_end),
                         "percent": a.percent_complete, "status": a.status} for a in current],
        "next_period": [{"name": a.name, "start": _iso(a.planned_start), "end": _iso(a.planned_end)}
                        for a in upcoming],
        "milestones": [{"name": m.name, "baseline": _iso(m.baseline_date), "forecast": _iso(m.forecast_date),
                        "slip": m.slip_days} for m in project.milestones.all()],
        "changes": [{"id": c.identifier, "title": c.title, "status": c.status, "time_days": c.time_impact_days,
                     **({"cost": _money(c.cost or 0)} if internal else {})} for c in changes],
        "risks": [{"id": r.identifier, "event": r.event, "score": r.score, "owner": str(r.owner),
                   "response": r.response} for r in risks[:TOP]],
        "issues": [{"id": i.identifier, "title": i.title, "priority": i.priority, "severity": i.severity,
                    "owner": str(i.owner), "due": _iso(i.due_date)} for i in issues[:TOP]],
        "safety_quality": [{"id": r.identifier, "text": r.event} for r in risks if r.category == Risk.Category.SAFETY]
        + [{"id": i.identifier, "text": i.title} for i in issues if i.type == ProjectIssue.Type.OFF_SPECIFICATION],
    }
    facts["meeting_outcomes"] = meeting_outcomes_of_period(project, week, end, internal)
    if internal:
        facts["costs"] = {"budget": _money(budget) if budget is not None else None,
                          "committed": _money(totals.committed),
                          "actual": _money(totals.actual), "forecast": _money(totals.forecast),
                          "sold_price": _sold_price(project)}
        facts["purchase_orders"] = [
            {"number": po.number, "supplier": po.supplier.name, "status": po.status, "net": _money(po.net_total)}
            for po in PurchaseOrder.objects.filter(project=project, approved_at__date__range=(week, end))
            .select_related("supplier").order_by("number")]
        facts["lessons"] = [{"id": lesson.identifier, "event": lesson.event, "recommendation": lesson.recommendation}
                            for lesson in project.lessons.filter(logged_at__date__range=(week, end))]
        facts["exceptions"] = [{"kind": e.kind, "summary": e.summary}
                               for e in project.exceptions.filter(cleared_at__isnull=True)]
    return facts


def meeting_outcomes_of_period(project: Project, start: dt.date, end: dt.date, internal: bool) -> list[dict]:
    """The decisions and actions of the period, from the minutes of its published meetings (the
    customer's variant without those marked internal): what was decided and handed out, as minuted."""
    outcomes = Outcome.objects.filter(
        item__meeting__project=project, item__meeting__status=Meeting.Status.PUBLISHED,
        item__meeting__date__range=(start, end), kind__in=[Outcome.Kind.DECISION, Outcome.Kind.ACTION],
    ).select_related("item__meeting", "owner", "decision", "action").order_by("item__meeting__date", "pk")
    if not internal:
        outcomes = outcomes.filter(internal=False)
    return [{"meeting": o.item.meeting.identifier, "kind": o.kind, "id": o.entry.identifier if o.entry else "",
             "title": o.title, "owner": str(o.owner or ""), "due": _iso(o.due_date)} for o in outcomes[:TOP * 2]]


def _sold_price(project: Project):
    intake = getattr(project, "intake", None)
    return _money(intake.sold_price) if intake and intake.sold_price is not None else None
