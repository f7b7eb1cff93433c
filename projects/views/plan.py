import datetime as dt
import hashlib

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import save_versioned
from projects.forms.plan import ActivityForm, DependencyForm, MilestoneForm
from projects.forms.resources import AssignmentForm
from projects.lib.exports import xlsx_response
from projects.lib.history import render_history
from projects.lib.rows import date_formatter
from projects.models import Activity, Assignment
from projects.selectors.plan import gantt_data, plan_for_project
from projects.services import plan as plan_services
from projects.views.plan_rows import activity_rows, link_items


def _plan_project(request, code):
    return permissions.get_project_plan_for_user(request.user, code)


def _editable_plan_project(request, code):
    project = _plan_project(request, code)
    if not permissions.can_edit_plan(request.user, project):
        raise PermissionDenied
    return project


# An unbound add form prints the same for every reader of a plan in a language until its choices
# change, which the key holds; the timeout covers a deployment that changes labels or markup.
ADD_FORM_CACHE_SECONDS = 600


def _add_form_markup(form, choices) -> SafeString:
    """`form|crispy`, cached for an unbound form: crispy cost more than the 500 rows of a plan."""
    if form.is_bound:
        return as_crispy_form(form)
    key = hashlib.sha256(repr((type(form).__name__, get_language(), choices)).encode()).hexdigest()
    return mark_safe(cache.get_or_set(f"plan-add-form:{key}", lambda: str(as_crispy_form(form)),  # noqa: S308
                                      ADD_FORM_CACHE_SECONDS))


# Activities a page of the plan's table (and of the Gantt chart) shows: most plans fit on one; a plan
# of hundreds is read a section at a time, and the page costs the same whatever the plan's size. The
# critical path and the forecast are still worked out over the whole plan.
PLAN_PAGE_SIZE = 100


def _plan_page(request, activities):
    return Paginator(activities, PLAN_PAGE_SIZE).get_page(request.GET.get("page"))


def _render_plan(request, project, **forms):
    can_edit = permissions.can_edit_plan(request.user, project)
    can_assign = permissions.may_assign_resources(request.user, project)
    plan = plan_for_project(project)
    page = _plan_page(request, plan["activities"])
    context = {"project": project, "plan": plan, "can_edit": can_edit, "can_assign": can_assign, "page": page,
               "activity_rows": activity_rows(project, plan, page.object_list, can_edit=can_edit,
                                              can_assign=can_assign),
               "link_items": link_items(plan, page.object_list)}
    if can_edit:
        phases = [(phase.pk, str(phase)) for phase in plan["phases"]]
        activities = [(a.pk, str(a)) for a in plan["activities"]]
        activity_form = forms.get("activity_form") or ActivityForm(project=project, phases=plan["phases"])
        dependency_form = forms.get("dependency_form") or DependencyForm(project=project,
                                                                          activities=plan["activities"])
        milestone_form = forms.get("milestone_form") or MilestoneForm(project=project, phases=plan["phases"])
        context.update({
            "activity_form": activity_form, "dependency_form": dependency_form, "milestone_form": milestone_form,
            "activity_form_markup": _add_form_markup(activity_form, phases),
            "dependency_form_markup": _add_form_markup(dependency_form, activities),
            "milestone_form_markup": _add_form_markup(milestone_form, phases),
        })
    return render(request, "projects/project_plan.html", context)


@require_safe
def plan(request, code):
    return _render_plan(request, _plan_project(request, code))


@require_safe
def gantt(request, code):
    project = _plan_project(request, code)
    page = _plan_page(request, range(project.activities.count()))  # which page exists: the chart loads it
    return render(request, "projects/project_gantt.html", {
        "project": project, "can_edit": permissions.can_edit_plan(request.user, project), "page": page})


@require_safe
def gantt_json(request, code):
    project = _plan_project(request, code)
    data = gantt_data(project, page=lambda activities: _plan_page(request, activities).object_list)
    long_date = date_formatter("DATE_FORMAT")  # a date_format per task cost more than the rest of the view
    data["forecast_end_label"] = long_date(data.pop("forecast_end")) if data["forecast_end"] else "—"
    done = _("%(period)s · %(percent)s%% done")
    for task in data["tasks"]:  # the hover popup's line, in the reader's language
        start, end = (long_date(dt.date.fromisoformat(task[key])) for key in ("start", "end"))
        period = start if start == end else f"{start} – {end}"
        task["period"] = period if task["id"].startswith(("m", "b")) else done % {
            "period": period, "percent": task["progress"]}
    return JsonResponse(data)


@require_POST
def gantt_move(request, code):
    """A bar moved in the Gantt view: validated like any edit; refused moves answer 409 with the reason."""
    project = _editable_plan_project(request, code)
    activity = get_object_or_404(project.activities, pk=request.POST.get("activity") or 0)
    try:
        start = dt.date.fromisoformat(request.POST.get("start", ""))
        end = dt.date.fromisoformat(request.POST.get("end", ""))
        version = int(request.POST.get("version", ""))
    except ValueError:
        return JsonResponse({"message": _("The move could not be read; reload the plan.")}, status=400)
    try:
        moved = plan_services.activity_move(activity_id=activity.pk, by=request.user, start=start, end=end,
                                       expected_version=version)
    except DomainError as error:
        return JsonResponse({"message": str(error)}, status=409)
    message = _("%(activity)s moved.") % {"activity": activity.name}
    if moved:
        message += " " + _("Moved along: %(names)s.") % {"names": ", ".join(a.name for a in moved)}
    return JsonResponse({"message": message})


def _plan_add(request, code, *, form_class, form_name, call, done):
    """Add to the plan; a refused or invalid entry re-renders the plan with the form's errors."""
    project = _editable_plan_project(request, code)
    form = form_class(request.POST, project=project)
    if form.is_valid():
        try:
            call(project, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("projects:plan", project.code)
    return _render_plan(request, project, **{form_name: form})


@require_POST
def activity_create(request, code):
    return _plan_add(request, code, form_class=ActivityForm, form_name="activity_form", done=_("Activity added."),
                     call=lambda project, data: plan_services.activity_create(
                         project_id=project.pk, by=request.user,
                         data={name: data[name] for name in ActivityForm._meta.fields}))


@require_POST
def dependency_create(request, code):
    return _plan_add(request, code, form_class=DependencyForm, form_name="dependency_form",
                     done=_("Dependency added."),
                     call=lambda project, data: plan_services.dependency_add(
                         project_id=project.pk, by=request.user, predecessor_id=data["predecessor"].pk,
                         successor_id=data["successor"].pk, lag_days=data["lag_days"]))


@require_POST
def milestone_create(request, code):
    return _plan_add(request, code, form_class=MilestoneForm, form_name="milestone_form", done=_("Milestone added."),
                     call=lambda project, data: plan_services.milestone_create(project_id=project.pk, by=request.user,
                                                                          data=data))


@require_http_methods(["GET", "POST"])
def activity_edit(request, code, pk):
    """The PM edits the activity; the PM and engineering managers assign people to it."""
    project = _plan_project(request, code)
    activity = get_object_or_404(project.activities, pk=pk)
    can_edit = permissions.can_edit_plan(request.user, project)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    form = ActivityForm(request.POST if request.method == "POST" else None, instance=activity, project=project)
    moved = []

    def update(data, version):
        moved.extend(plan_services.activity_update(activity_id=activity.pk, by=request.user, data=data,
                                              expected_version=version))

    if save_versioned(request, form, update, _("Activity saved.")):
        if moved:
            messages.info(request, _("Moved along: %(names)s.") % {"names": ", ".join(a.name for a in moved)})
        return redirect("projects:plan", project.code)
    draft = request.session.pop("assignment_draft", None)
    return render(request, "projects/activity_form.html", {
        "project": project, "activity": activity, "form": form if can_edit else None,
        "can_assign": permissions.may_assign_resources(request.user, project),
        "assignments": activity.assignments.select_related("resource"),
        "assignment_form": AssignmentForm(initial=draft),
        "overbooking_pending": draft is not None,
    })


@require_safe
def plan_export(request, code):
    """The plan as an Excel sheet; text that a spreadsheet would run as a formula is neutralised."""
    project = _plan_project(request, code)
    plan = plan_for_project(project)
    header = [_("Phase"), _("Activity"), _("Kind"), _("Start"), _("End"), _("Effort (h)"), "%", _("Status"),
              _("critical")]
    phases = {phase.pk: str(phase) for phase in plan["phases"]}
    kinds, statuses = dict(Activity.Kind.choices), dict(Activity.Status.choices)
    return xlsx_response(f"{project.code}-plan.xlsx", project.code, header, (
        [phases.get(a.phase_id, ""), a.name, str(kinds.get(a.kind, a.kind)), a.planned_start, a.planned_end,
         a.effort_hours, a.percent_complete, str(statuses.get(a.status, a.status)), a.pk in plan["critical"]]
        for a in plan["activities"]))


@require_safe
def plan_history(request, code):
    """Who assigned whom, and who linked what: the changes to assignments of the project's plan."""
    project = _plan_project(request, code)
    return render_history(request, records=Assignment.history.filter(activity__project=project),
                          title=_("Assignments of %(code)s") % {"code": project.code},
                          back_url=f"{project.get_absolute_url()}plan/", with_subject=True)


@require_safe
def activity_history(request, code, pk):
    project = _plan_project(request, code)
    activity = get_object_or_404(project.activities, pk=pk)
    return render_history(request, records=activity.history.all(),
                          title=_("History of %(name)s") % {"name": activity.name},
                          back_url=f"{project.get_absolute_url()}plan/")


@require_POST
def milestone_reach(request, code, pk):
    """The PM records a plan milestone reached (billing milestones waiting for it may become ready)."""
    project = _editable_plan_project(request, code)
    milestone = get_object_or_404(project.milestones, pk=pk)
    try:
        on = dt.date.fromisoformat(request.POST.get("on", ""))
    except ValueError:
        messages.error(request, _("Enter the date the milestone was reached."))
        return redirect("projects:plan", project.code)
    try:
        plan_services.milestone_reach(milestone_id=milestone.pk, by=request.user, on=on)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s reached.") % {"name": milestone.name})
    return redirect("projects:plan", project.code)
