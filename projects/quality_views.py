"""Checklist runs (the quality register) and safety incidents, per project and across projects."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import permissions, quality
from .files import stored_file_response
from .forms import ChecklistItemForm, ChecklistStartForm, SafetyActionForm, SafetyIncidentForm
from .history import render_history
from .models import ChecklistAnswer, ChecklistEvidence, ChecklistRun, SafetyAction, SafetyIncident
from .register_views import _register_edit, _register_project
from .services import DomainError


@require_http_methods(["GET", "POST"])
def quality_register(request, code):
    """The runs of the project's checklists: method, producer, reviewer, planned and actual dates, result."""
    project = _register_project(request, code)
    can_fill = permissions.can_fill_checklists(request.user, project)
    form = ChecklistStartForm(request.POST or None)
    if request.method == "POST":
        if not can_fill:
            raise PermissionDenied
        if form.is_valid():
            run = quality.checklist_run_start(project_id=project.pk, by=request.user,
                                              template_id=form.cleaned_data["template"].pk,
                                              phase=form.cleaned_data["phase"])
            return redirect("projects:checklist", project.code, run.number)
    runs = project.checklist_runs.select_related("submitted_by", "reviewer").annotate(
        not_ok=Count("answers", filter=Q(answers__answer=ChecklistAnswer.Answer.NOT_OK)),
        unanswered=Count("answers", filter=Q(answers__answer=""))).order_by("number")
    return render(request, "projects/quality_register.html", {
        "project": project, "page": Paginator(runs, 50).get_page(request.GET.get("page")), "form": form,
        "can_fill": can_fill})


def _run(request, code, number) -> ChecklistRun:
    project = _register_project(request, code)
    return get_object_or_404(project.checklist_runs.select_related("project", "submitted_by", "reviewer"),
                             number=number)


@require_http_methods(["GET", "POST"])
def checklist(request, code, number):
    """Every item of a run on one page; saved all at once, or not at all."""
    run = _run(request, code, number)
    project = run.project
    can_fill = permissions.can_fill_checklists(request.user, project) and run.status == ChecklistRun.Status.OPEN
    if request.method == "POST" and not can_fill:
        raise PermissionDenied
    answers = list(run.answers.select_related("issue").prefetch_related("evidence"))
    post = request.POST if request.method == "POST" else None
    forms = [(answer, ChecklistItemForm(post, request.FILES if post is not None else None, prefix=f"item-{answer.position}",
                                        initial={"answer": answer.answer, "comment": answer.comment,
                                                 "corrective_action": answer.corrective_action}))
             for answer in answers]
    error = None
    if post is not None and all(form.is_valid() for _answer, form in forms):
        try:
            raised = quality.checklist_answers_save(
                run_id=run.pk, by=request.user, expected_version=int(request.POST.get("version", 0)),
                answers={a.position: {k: f.cleaned_data[k] for k in ("answer", "comment", "corrective_action")}
                         for a, f in forms},
                evidence={a.position: (f.cleaned_data["evidence"], f.cleaned_data["evidence"].checked_content_type)
                          for a, f in forms if f.cleaned_data.get("evidence")})
            if "submit" in request.POST:
                quality.checklist_submit(run_id=run.pk, by=request.user)
        except DomainError as refusal:
            error = str(refusal)
        else:
            messages.success(request, _("Checklist saved.") + (" " + _("Issues raised: %(ids)s.") % {
                "ids": ", ".join(i.identifier for i in raised)} if raised else ""))
            if "submit" in request.POST:
                messages.success(request, _("Submitted for sign-off."))
            return redirect("projects:checklist", project.code, run.number)
    return render(request, "projects/checklist.html", {
        "project": project, "run": run, "forms": forms, "can_fill": can_fill, "error": error,
        "findings": quality.open_findings(run) if run.status == ChecklistRun.Status.SUBMITTED else [],
        "can_sign": run.status == ChecklistRun.Status.SUBMITTED and permissions.can_review_checklists(request.user),
    })


@require_POST
def checklist_sign_off(request, code, number):
    run = _run(request, code, number)
    if not permissions.can_review_checklists(request.user):
        raise PermissionDenied
    try:
        quality.checklist_sign_off(run_id=run.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(id)s signed off.") % {"id": run.identifier})
    return redirect("projects:checklist", code, number)


@require_safe
def checklist_evidence(request, code, number, pk):
    run = _run(request, code, number)
    return stored_file_response(get_object_or_404(ChecklistEvidence, answer__run=run, pk=pk))


@require_safe
def checklist_history(request, code, number):
    run = _run(request, code, number)
    return render_history(request, records=ChecklistAnswer.history.filter(run_id=run.pk),
                          title=_("History of %(risk)s") % {"risk": run.identifier},
                          back_url=f"{run.project.get_absolute_url()}quality/{run.number}/", with_subject=True)


# --- Safety --------------------------------------------------------------------------------

@require_safe
def incident_list(request, code):
    project = _register_project(request, code)
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

    return _register_edit(
        request, code, number, entries="safety_incidents", form_class=SafetyIncidentForm,
        create=quality.incident_report,
        update=lambda pk, **kw: quality.incident_update(incident_id=pk, **kw), template="projects/incident_form.html",
        created=_("%(id)s registered."), saved=_("Incident saved."), back="projects:incidents", extra=actions)


@require_POST
def safety_action_add(request, code, number):
    project = _register_project(request, code)
    incident = get_object_or_404(project.safety_incidents, number=number)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    form = SafetyActionForm(request.POST, project=project)
    if form.is_valid():
        try:
            quality.safety_action_add(incident_id=incident.pk, by=request.user, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Action added."))
    else:
        messages.error(request, " ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()))
    return redirect("projects:incident_edit", project.code, incident.number)


@require_POST
def safety_action_done(request, code, number, pk):
    project = _register_project(request, code)
    action = get_object_or_404(SafetyAction, incident__project=project, incident__number=number, pk=pk)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    quality.safety_action_done(action_id=action.pk, by=request.user)
    messages.success(request, _("Action done."))
    return redirect("projects:incident_edit", project.code, number)


@require_safe
def incident_history(request, code, number):
    project = _register_project(request, code)
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
