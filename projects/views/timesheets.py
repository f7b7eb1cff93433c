"""The timesheet pages: my week, the timesheets to decide, one timesheet with its decision pages and
history, and finance's cost rates and locked months."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from projects import permissions_timesheets as perms
from projects.domain import DomainError
from projects.forms.timesheets import ApproveForm, CostRateForm, MonthLockForm, ReturnForm, WeekForm
from projects.lib.history import render_history
from projects.models import DAY_LABELS
from projects.selectors import timesheets as selectors
from projects.services import timesheets as services
from projects.workflows_timesheets import TIMESHEET


def _refusal_to_form(form, error: DomainError) -> None:
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


def _tabs(user) -> dict:
    return {"mine": perms.can_enter_timesheets(user), "decide": perms.can_approve_timesheets_at_all(user),
            "finance": perms.can_keep_cost_rates(user)}


@require_http_methods(["GET", "POST"])
def my_timesheet(request):
    """The signed-in person's week: their assigned activities pre-filled as rows; save, or save and submit."""
    resource = perms.resource_of(request.user)
    if resource is None:
        raise PermissionDenied
    week_start = selectors.parse_week(request.GET.get("week"), timezone.localdate())
    source = request.POST if request.method == "POST" else request.GET
    extra = [int(x) for x in source.getlist("add") if x.isdigit()][:20]
    rows = selectors.week_rows(resource, week_start, extra)
    form = WeekForm(request.POST if request.method == "POST" else None, rows=rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.timesheet_week_save(resource_id=resource.pk, week_start=week_start, by=request.user,
                                         hours=form.hours())
            if request.POST.get("action") == "submit":
                services.timesheet_week_submit(resource_id=resource.pk, week_start=week_start, by=request.user)
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Week submitted for approval.") if request.POST.get("action") == "submit"
                             else _("Hours saved."))
            return redirect(f"{request.path}?week={selectors.week_label(week_start)}")
    sheets = {row.sheet.pk: row.sheet for row in rows if row.sheet}
    days = [week_start + timezone.timedelta(days=i) for i in range(7)]
    return render(request, "projects/timesheet_week.html", {
        "form": form, "grid": form.grid(), "days": list(zip(DAY_LABELS, days)), "sheets": sheets.values(),
        "week": selectors.week_label(week_start), "extra": extra, "editable": any(row.editable for row in rows),
        "previous": selectors.week_label(week_start - timezone.timedelta(days=7)),
        "next": selectors.week_label(week_start + timezone.timedelta(days=7)),
        "addable": selectors.addable_activities(resource, rows), "locked": services.locked_month_of_week(week_start),
        "tabs": _tabs(request.user), "tab": "mine"})


@require_safe
def timesheet_approvals(request):
    if not perms.can_approve_timesheets_at_all(request.user):
        raise PermissionDenied
    return render(request, "projects/timesheet_approvals.html", {
        "timesheets": selectors.timesheets_to_decide_list_for(request.user)[:200],
        "tabs": _tabs(request.user), "tab": "decide"})


@require_safe
def timesheet_detail(request, pk):
    sheet = perms.get_timesheet_for_user(request.user, pk)
    return render(request, "projects/timesheet_detail.html", {
        "sheet": sheet, "lines": selectors.timesheet_lines(sheet), "day_labels": DAY_LABELS,
        "actions": TIMESHEET.available(request.user, sheet), "tabs": _tabs(request.user)})


@require_http_methods(["GET", "POST"])
def timesheet_decide(request, pk, action):
    """GET asks for confirmation (and the reason of a return); POST calls the service."""
    if action not in ("approve", "return"):
        raise Http404
    sheet = perms.get_timesheet_for_user(request.user, pk)
    if not perms.can_decide_timesheet(request.user, sheet):
        raise PermissionDenied
    form_class = ApproveForm if action == "approve" else ReturnForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                if action == "approve":
                    services.timesheet_approve(timesheet_id=sheet.pk, by=request.user,
                                               expected_version=form.cleaned_data["version"])
                else:
                    services.timesheet_return(timesheet_id=sheet.pk, by=request.user,
                                              reason=form.cleaned_data["reason"],
                                              expected_version=form.cleaned_data["version"])
            except DomainError as error:
                _refusal_to_form(form, error)
            else:
                messages.success(request, _("Timesheet approved.") if action == "approve"
                                 else _("Timesheet returned."))
                return redirect("timesheets:approvals")
    else:
        form = form_class(initial={"version": sheet.version})
        refusal = TIMESHEET.refusal(action, request.user, sheet)
        if refusal:
            messages.error(request, refusal)
            return redirect("timesheets:detail", sheet.pk)
    return render(request, "projects/timesheet_decide.html", {
        "sheet": sheet, "lines": selectors.timesheet_lines(sheet), "day_labels": DAY_LABELS, "form": form,
        "label": TIMESHEET[action].label, "tabs": _tabs(request.user)})


@require_safe
def timesheet_history(request, pk):
    sheet = perms.get_timesheet_for_user(request.user, pk)
    return render_history(request, records=sheet.history.all(), title=_("History of %(sheet)s") % {"sheet": sheet},
                          back_url=f"/timesheets/{sheet.pk}/")


@require_safe
def cost_rate_list(request):
    if not perms.can_keep_cost_rates(request.user):
        raise PermissionDenied
    return render(request, "projects/cost_rate_list.html", {
        "rates": selectors.cost_rate_list(), "tabs": _tabs(request.user), "tab": "rates"})


@require_http_methods(["GET", "POST"])
def cost_rate_edit(request, pk=None):
    if not perms.can_keep_cost_rates(request.user):
        raise PermissionDenied
    rate = perms.get_cost_rate_for_user(request.user, pk) if pk else None
    form = CostRateForm(request.POST if request.method == "POST" else None, instance=rate)
    if request.method == "POST" and form.is_valid():
        try:
            services.cost_rate_save(by=request.user, data=form.values(), rate_id=rate and rate.pk,
                                    expected_version=form.cleaned_data.get("version"))
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Cost rate saved."))
            return redirect("timesheets:rates")
    return render(request, "projects/cost_rate_form.html", {"form": form, "rate": rate, "tabs": _tabs(request.user),
                                                            "tab": "rates"})


@require_safe
def cost_rate_history(request, pk):
    rate = perms.get_cost_rate_for_user(request.user, pk)
    return render_history(request, records=rate.history.all(), title=_("History of %(rate)s") % {"rate": rate},
                          back_url="/timesheets/rates/")


@require_http_methods(["GET", "POST"])
def month_locks(request):
    if not perms.can_lock_months(request.user):
        raise PermissionDenied
    form = MonthLockForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.month_lock(month=form.cleaned_data["month"], by=request.user)
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("Month locked."))
            return redirect("timesheets:locks")
    return render(request, "projects/month_lock_list.html", {
        "form": form, "locks": selectors.month_lock_list(), "tabs": _tabs(request.user), "tab": "locks"})
