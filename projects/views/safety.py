import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.safety import SafetyActionForm, SafetyIncidentForm
from projects.lib.history import render_history
from projects.models import SafetyAction, SafetyIncident
from projects.services import safety
from projects.views.registers import register_edit


@require_safe
def incident_list(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    incidents = project.safety_incidents.select_related("reported_by").annotate(
        open_actions=Count("actions", filter=Q(actions__done_on=None))).order_by("-occurred_on", "-number")
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    figures = project.safety_incidents.filter(occurred_on__gte=year_ago).aggregate(
        incidents=Count("pk", filter=Q(kind=SafetyIncident.Kind.INCIDENT)),
        near_misses=Count("pk", filter=Q(kind=SafetyIncident.Kind.NEAR_MISS)),
        unsafe=Count("pk", filter=Q(kind=SafetyIncident.Kind.UNSAFE)),
        last_incident=Max("occurred_on", filter=Q(kind=SafetyIncident.Kind.INCIDENT)))
    figures["open_actions"] = SafetyAction.objects.filter(incident__project=project, done_on=None).count()
    return render(request, "projects/incident_list.html", {
        "project": project, "page": Paginator(incidents, 50).get_page(request.GET.get("page")), "figures": figures,
        "today": timezone.localdate(), "can_edit": permissions.can_edit_registers(request.user, project)})


@require_http_methods(["GET", "POST"])
def incident_edit(request, code, number=None):
    def actions(entry):
        if entry is None:
            return {}
        return {"actions": entry.actions.select_related("owner"),
                "action_form": SafetyActionForm(project=entry.project) if request.method == "GET" else None}

    return register_edit(
        request, code, number, entries="safety_incidents", form_class=SafetyIncidentForm,
        create=safety.incident_report,
        update=lambda pk, **kw: safety.incident_update(incident_id=pk, **kw), template="projects/incident_form.html",
        created=_("%(id)s registered."), saved=_("Incident saved."), back="projects:incidents", extra=actions)


@require_POST
def safety_action_add(request, code, number):
    project = permissions.get_project_internals_for_user(request.user, code)
    incident = get_object_or_404(project.safety_incidents, number=number)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    form = SafetyActionForm(request.POST, project=project)
    if form.is_valid():
        try:
            safety.safety_action_add(incident_id=incident.pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Action added."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("projects:incident_edit", project.code, incident.number)


@require_POST
def safety_action_done(request, code, number, pk):
    project = permissions.get_project_internals_for_user(request.user, code)
    action = get_object_or_404(SafetyAction, incident__project=project, incident__number=number, pk=pk)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    safety.safety_action_done(action_id=action.pk, by=request.user)
    messages.success(request, _("Action done."))
    return redirect("projects:incident_edit", project.code, number)


@require_safe
def incident_history(request, code, number):
    project = permissions.get_project_internals_for_user(request.user, code)
    incident = get_object_or_404(project.safety_incidents, number=number)
    return render_history(request, records=incident.history.all(),
                          title=_("History of %(risk)s") % {"risk": incident.identifier},
                          back_url=f"{project.get_absolute_url()}safety/")


@require_safe
def safety_overview(request):
    """Safety figures of every project over the last twelve months, worst first, in three grouped queries."""
    if not permissions.can_view_safety_overview(request.user):
        raise PermissionDenied
    year_ago = timezone.localdate() - dt.timedelta(days=365)
    visible = permissions.projects_visible_to(request.user)
    rows = (SafetyIncident.objects.filter(project__in=visible, occurred_on__gte=year_ago).values("project")
            .annotate(incidents=Count("pk", filter=Q(kind=SafetyIncident.Kind.INCIDENT)),
                      near_misses=Count("pk", filter=Q(kind=SafetyIncident.Kind.NEAR_MISS)),
                      unsafe=Count("pk", filter=Q(kind=SafetyIncident.Kind.UNSAFE)),
                      worst=Max("severity"), last=Max("occurred_on"))
            .order_by("-incidents", "-worst", "-last"))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    ids = [row["project"] for row in page.object_list]
    projects = visible.in_bulk(ids)
    open_actions = dict(SafetyAction.objects.filter(incident__project__in=ids, done_on=None)
                        .values_list("incident__project").annotate(n=Count("pk")).order_by())
    totals = SafetyIncident.objects.filter(project__in=visible, occurred_on__gte=year_ago).aggregate(
        incidents=Count("pk", filter=Q(kind=SafetyIncident.Kind.INCIDENT)),
        near_misses=Count("pk", filter=Q(kind=SafetyIncident.Kind.NEAR_MISS)),
        unsafe=Count("pk", filter=Q(kind=SafetyIncident.Kind.UNSAFE)))
    return render(request, "projects/safety_overview.html", {
        "page": page, "rows": [{**row, "project": projects[row["project"]],
                                "open_actions": open_actions.get(row["project"], 0)} for row in page.object_list],
        "totals": totals, "severities": dict(SafetyIncident.Severity.choices)})
