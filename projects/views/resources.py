import datetime as dt
from decimal import Decimal
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import model_values
from projects.forms.resources import AbsenceForm, AssignmentForm, ResourceForm
from projects.lib.amounts import hours
from projects.lib.ical import resource_calendar
from projects.models import Resource
from projects.selectors.workload import Cell, Workload, week_starts, workload_with_projects
from projects.services import resources as resources_services

WEEKS_SHOWN = 12


RESOURCES_PER_PAGE = 50


@lru_cache(maxsize=4096)
def _load_css_and_text(booked: Decimal, capacity: Decimal) -> tuple[str, str]:
    """A cell's colour and text, escaped: the same for every reader, and few distinct pairs of hours."""
    cell = Cell(capacity=capacity, booked=booked)
    css = "table-danger fw-semibold" if cell.over else ("table-warning" if cell.load > 90 else "")
    text = f"{hours(booked)}/{hours(capacity)}" if (booked or capacity) else ""
    if cell.over:
        text += " !"  # not by colour alone
    return escape(css), escape(text)


def workload_rows_html(resources, grid: Workload) -> SafeString:
    """The grid's table rows, built and escaped here rather than by the template: 200 resources x 26 weeks
    is 5,200 cells, and a template loop over them (or format_html per cell) costs more than the query.
    Most cells repeat (the same hours, the same projects), so each distinct cell is made once, from
    parts escaped once."""
    titles: dict[tuple[str, ...], str] = {}
    cells_html: dict[tuple, str] = {}
    rows = []
    for resource in resources:
        cells = []
        for key in zip(grid.booked[resource.pk], grid.capacity[resource.pk], grid.projects[resource.pk]):
            html = cells_html.get(key)
            if html is None:
                booked, capacity, codes = key
                css, text = _load_css_and_text(booked, capacity)
                if codes not in titles:
                    titles[codes] = escape(", ".join(codes))
                html = cells_html[key] = f'<td class="text-center {css}" title="{titles[codes]}">{text}</td>'
            cells.append(html)
        rows.append(f'<tr><th scope="row">{escape(resource.name)}<div class="small fw-normal text-body-secondary">'
                    f'{escape(resource.home_site)}</div></th>\n    {"".join(cells)}</tr>\n  ')
    return mark_safe("".join(rows))  # every text in it went through escape()


def _bounded(text, default: int, most: int) -> int:
    try:
        return max(1, min(int(text), most))
    except (TypeError, ValueError):
        return default


@require_safe
def workload_view(request):
    if not permissions.can_view_workload(request.user):
        raise PermissionDenied
    try:
        first = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        first = timezone.localdate()
    count = _bounded(request.GET.get("weeks"), WEEKS_SHOWN, 26)
    # At most a screenful of resources a page: the grid's cost follows its rows, whatever the team's size.
    size = _bounded(request.GET.get("size"), RESOURCES_PER_PAGE, RESOURCES_PER_PAGE)
    weeks = week_starts(first, count)
    page = Paginator(Resource.objects.filter(active=True).order_by("name"), size).get_page(request.GET.get("page"))
    resources = list(page.object_list)
    grid = workload_with_projects(resources, weeks)
    return render(request, "projects/workload.html", {
        "weeks": [(_("wk %(number)s") % {"number": week.isocalendar()[1]}, week.strftime("%d/%m")) for week in weeks],
        "rows": workload_rows_html(resources, grid), "page": page,
        "previous": weeks[0] - dt.timedelta(weeks=count), "next": weeks[-1] + dt.timedelta(weeks=1),
        "can_edit": permissions.can_edit_resources(request.user),
    })


@require_safe
def resource_list(request):
    if not permissions.can_view_workload(request.user):
        raise PermissionDenied
    page = Paginator(Resource.objects.select_related("team_manager").order_by("name"), RESOURCES_PER_PAGE) \
        .get_page(request.GET.get("page"))
    return render(request, "projects/resource_list.html", {
        "page": page, "can_edit": permissions.can_edit_resources(request.user)})


@require_http_methods(["GET", "POST"])
def resource_edit(request, pk=None):
    if not permissions.can_edit_resources(request.user):
        raise PermissionDenied
    resource = get_object_or_404(Resource, pk=pk) if pk else None
    form = ResourceForm(request.POST if request.method == "POST" else None, instance=resource)
    absence_form = AbsenceForm(prefix="absence")
    if request.method == "POST" and form.is_valid():
        resource = resources_services.resource_save(resource_id=pk, by=request.user, data=model_values(form))
        messages.success(request, _("%(name)s saved.") % {"name": resource.name})
        return redirect("resource_edit", resource.pk)
    return render(request, "projects/resource_form.html", {
        "form": form, "resource": resource, "absence_form": absence_form,
        "absences": resource.absences.all() if resource else []})


@require_POST
def absence_add(request, pk):
    if not permissions.can_edit_resources(request.user):
        raise PermissionDenied
    resource = get_object_or_404(Resource, pk=pk)
    form = AbsenceForm(request.POST, prefix="absence")
    if form.is_valid():
        resources_services.absence_add(resource_id=resource.pk, by=request.user, data=model_values(form))
        messages.success(request, _("Absence recorded."))
        return redirect("resource_edit", resource.pk)
    return render(request, "projects/resource_form.html", {
        "form": ResourceForm(instance=resource), "resource": resource, "absence_form": form,
        "absences": resource.absences.all()})


@require_POST
def assignment_add(request, code, pk):
    project = permissions.get_project_plan_for_user(request.user, code)
    activity = get_object_or_404(project.activities, pk=pk)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        try:
            resources_services.assignment_save(activity_id=activity.pk, by=request.user,
                                               resource=form.cleaned_data["resource"],
                                               hours_per_week=form.cleaned_data["hours_per_week"],
                                               allow_overbooking=form.cleaned_data["confirm_overbooking"])
        except resources_services.Overbooking as warning:
            messages.warning(request, str(warning))
            request.session["assignment_draft"] = {k: str(v) for k, v in request.POST.items()
                                                   if k in ("resource", "hours_per_week")}
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Assignment saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("projects:activity_edit", project.code, activity.pk)


@require_POST
def assignment_delete(request, code, pk, assignment_pk):
    project = permissions.get_project_plan_for_user(request.user, code)
    activity = get_object_or_404(project.activities, pk=pk)
    assignment = get_object_or_404(activity.assignments, pk=assignment_pk)
    try:
        resources_services.assignment_remove(assignment_id=assignment.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("projects:activity_edit", project.code, pk)


@require_POST
def calendar_token_renew(request, pk):
    """A new calendar address; the old one stops working at once (a leaked address is revoked)."""
    if not permissions.can_edit_resources(request.user):
        raise PermissionDenied
    resource = get_object_or_404(Resource, pk=pk)
    resources_services.resource_calendar_token_renew(resource_id=resource.pk, by=request.user)
    messages.success(request, _("New calendar address made; the old one no longer works."))
    return redirect("resource_edit", resource.pk)


@login_not_required
@require_safe
def calendar_feed(request, token):
    """The resource's assignments for their own calendar; the address itself is the secret."""
    resource = Resource.objects.filter(calendar_token=token, active=True).first()
    if resource is None:
        raise Http404
    response = HttpResponse(resource_calendar(resource), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="assignments.ics"'
    return response
