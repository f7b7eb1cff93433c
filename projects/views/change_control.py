import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import save_versioned
from projects.forms.change_control import (
    ChangeCostFormSet,
    ChangeDecisionForm,
    ChangeRequestForm,
    ExceptionReportForm,
    TolerancesForm,
    change_costs,
    change_costs_initial,
)
from projects.lib.history import render_history
from projects.models import ChangeRequest, CostCategory, Outcome
from projects.selectors.change_control import change_impact, change_request_actions_for_user
from projects.services import change_control
from projects.services.budget import level_for_budget
from projects.views.registers import register_export


def _change(request, code, number) -> ChangeRequest:
    project = permissions.get_project_internals_for_user(request.user, code)
    return get_object_or_404(project.change_requests.select_related("project", "owner", "raised_by", "decided_by"),
                             number=number)


@require_safe
def change_list(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    entries = project.change_requests.select_related("owner", "baseline", "decided_by").order_by("-number")
    if request.GET.get("status") in ChangeRequest.Status.values:
        entries = entries.filter(status=request.GET["status"])
    return render(request, "projects/change_list.html", {
        "project": project, "page": Paginator(entries, 50).get_page(request.GET.get("page")),
        "statuses": ChangeRequest.Status.choices, "can_edit": permissions.can_edit_registers(request.user, project)})


@require_http_methods(["GET", "POST"])
def change_edit(request, code, number=None):
    """A new change request, or a draft or deferred one edited; the cost impacts are rows below."""
    project = permissions.get_project_internals_for_user(request.user, code)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    change = get_object_or_404(project.change_requests, number=number) if number else None
    if change and not change.editable:
        messages.info(request, _("%(id)s is %(status)s and can no longer be edited.")
                      % {"id": change.identifier, "status": change.get_status_display().lower()})
        return redirect("projects:change_detail", project.code, change.number)
    post = request.POST if request.method == "POST" else None
    staff = permissions.project_staff_ids(project)
    form = ChangeRequestForm(post, instance=change, project=project,
                             initial={} if change else {"owner": request.user.pk if request.user.pk in staff else None})
    costs = ChangeCostFormSet(post, prefix="costs", initial=change_costs_initial(change),
                              form_kwargs={"project": project})
    if post is not None and form.is_valid() and costs.is_valid():
        try:
            if change:
                change = change_control.change_update(
                    change_id=change.pk, by=request.user, data=form.model_values(), costs=change_costs(costs),
                    milestones=list(form.cleaned_data["milestones"]), expected_version=form.cleaned_data["version"])
            else:
                change = change_control.change_create(
                    project_id=project.pk, by=request.user, data=form.model_values(), costs=change_costs(costs),
                    milestones=list(form.cleaned_data["milestones"]))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(id)s saved.") % {"id": change.identifier})
            return redirect("projects:change_detail", project.code, change.number)
    return render(request, "projects/change_form.html", {
        "project": project, "entry": change, "form": form, "costs": costs})


@require_safe
def change_detail(request, code, number):
    change = _change(request, code, number)
    project = change.project
    impact = None
    if project.current_baseline and (change.editable or change.status == ChangeRequest.Status.SUBMITTED):
        impact = change_impact(change)  # a decided request is not measured against today's baseline
    return render(request, "projects/change_detail.html", {
        "project": project, "change": change, "impact": impact,
        "costs": change.costs.select_related("budget_line"), "milestones": change.milestones.all(),
        "can_edit": change.editable and permissions.can_edit_registers(request.user, project),
        "actions": change_request_actions_for_user(request.user, change, impact),
        "decision_form": ChangeDecisionForm(initial={"version": change.version}),
        "baseline": getattr(change, "baseline", None),
        # The minutes' outcome that drafted it (the other way round, the meeting page names the request).
        "outcome": Outcome.objects.filter(change_request=change).select_related("item__meeting").first(),
    })


@require_POST
def change_submit(request, code, number):
    change = _change(request, code, number)
    if not permissions.can_edit_registers(request.user, change.project):
        raise PermissionDenied
    try:
        change = change_control.change_submit(change_id=change.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(id)s submitted. Decision by: %(who)s.")
                         % {"id": change.identifier, "who": change.get_route_display()})
    return redirect("projects:change_detail", code, number)


@require_POST
def change_decide(request, code, number):
    """Approve, defer or reject. The service re-checks the route and the version, so a stale page
    or a crafted request is refused with the reason."""
    change = _change(request, code, number)
    project = change.project
    if not permissions.may_attempt_change_decision(request.user, project):
        raise PermissionDenied
    form = ChangeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Reload the page and decide again."))
        return redirect("projects:change_detail", code, number)
    version, comment = form.cleaned_data["version"], form.cleaned_data["comment"]
    try:
        if "approve" in request.POST:
            baseline = change_control.change_approve(change_id=change.pk, by=request.user, expected_version=version,
                                              comment=comment)
            messages.success(request, _("%(id)s approved: baseline %(version)s set.")
                             % {"id": change.identifier, "version": baseline.version})
        else:
            change = change_control.change_reject(change_id=change.pk, by=request.user, expected_version=version,
                                           comment=comment, defer="defer" in request.POST)
            messages.success(request, _("%(id)s %(status)s.")
                             % {"id": change.identifier, "status": change.get_status_display().lower()})
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("projects:change_detail", code, number)


@require_safe
def change_history(request, code, number):
    change = _change(request, code, number)
    return render_history(request, records=change.history.all(),
                          title=_("History of %(risk)s") % {"risk": change.identifier},
                          back_url=f"{change.project.get_absolute_url()}changes/{change.number}/")


@require_safe
def change_export(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    entries = (project.change_requests.select_related("owner", "raised_by", "decided_by")
               .annotate(cost_change=Sum("costs__delta"), baseline_version=F("baseline__version")).order_by("number"))
    return register_export(project, "changes", entries, [
        "identifier", "title", "description", "priority", "severity", "owner", "status", "cost_change",
        "time_impact_days", "scope_impact", "quality_impact", "risk_impact", "options", "recommendation", "route",
        "route_reason", "raised_by", "raised_at", "decided_by", "decided_at", "decision_comment", "baseline_version"])


def _compare(old, new) -> dict:
    """What changed between two baselines: budget lines, key dates and milestones."""
    labels = dict(CostCategory.choices)

    def amounts(baseline):
        return {(line["category"], line["description"]): Decimal(line["amount"]) for line in baseline.lines} \
            if baseline else {}

    before, after = amounts(old), amounts(new)
    lines = []
    for category, description in sorted(set(before) | set(after)):
        was, now = before.get((category, description)), after.get((category, description))
        lines.append((labels.get(category, category), description, was, now, (now or 0) - (was or 0)))
    dates_before = {m["name"]: dt.date.fromisoformat(m["date"]) for m in old.milestones} if old else {}
    dates_after = {m["name"]: dt.date.fromisoformat(m["date"]) for m in new.milestones}
    return {
        "lines": lines,
        "milestones": [(name, dates_before.get(name), dates_after.get(name))
                       for name in sorted(set(dates_before) | set(dates_after))],
        "levels": (level_for_budget(old.budget) if old else None, level_for_budget(new.budget)),
        "budget_delta": new.budget - old.budget if old else None,
    }


@require_safe
def baseline_compare(request, code):
    """Version N beside N-1: what changed, and why (the change request or the budget approval)."""
    project = permissions.get_project_internals_for_user(request.user, code)
    baselines = list(project.baselines.select_related("approved_by", "change_request", "submission"))
    if not baselines:
        return render(request, "projects/baseline_compare.html", {"project": project, "baselines": []})
    by_version = {b.version: b for b in baselines}
    requested = request.GET.get("version", "")
    if requested and not (requested.isdigit() and int(requested) in by_version):
        raise Http404
    new = by_version[int(requested)] if requested else baselines[0]
    old = by_version.get(new.version - 1)
    return render(request, "projects/baseline_compare.html", {
        "project": project, "baselines": baselines, "new": new, "old": old, "diff": _compare(old, new)})


@require_http_methods(["GET", "POST"])
def tolerances(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    if not permissions.can_set_tolerances(request.user):
        raise PermissionDenied
    form = TolerancesForm(request.POST if request.method == "POST" else None, instance=project)
    if request.method == "POST" and form.is_valid():
        try:
            change_control.tolerances_update(
                project_id=project.pk, by=request.user, cost_percent=form.cleaned_data["cost_tolerance_percent"],
                time_days=form.cleaned_data["time_tolerance_days"],
                expected=(form.cleaned_data["was_cost"], form.cleaned_data["was_time"]))
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Tolerances of %(code)s saved.") % {"code": project.code})
            return redirect(project)
    return render(request, "projects/tolerances.html", {"project": project, "form": form})


@require_http_methods(["GET", "POST"])
def exception_report(request, code, pk):
    project = permissions.get_project_internals_for_user(request.user, code)
    exception = get_object_or_404(project.exceptions, pk=pk)
    can_edit = permissions.can_complete_exception_report(request.user, project) and exception.cleared_at is None
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = ExceptionReportForm(request.POST if request.method == "POST" else None, instance=exception)
    if save_versioned(request, form, lambda data, version: change_control.exception_report_update(
            exception_id=exception.pk, by=request.user, data=data, expected_version=version),
            _("Exception report saved.")):
        return redirect("projects:exception", project.code, exception.pk)
    return render(request, "projects/exception_report.html", {
        "project": project, "exception": exception, "form": form, "can_edit": can_edit})
