from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.quality import ChecklistItemForm, ChecklistStartForm
from projects.lib.files import stored_file_response
from projects.lib.history import render_history
from projects.models import ChecklistAnswer, ChecklistEvidence, ChecklistRun
from projects.selectors.quality import checklist_run_actions_for_user
from projects.services import quality


@require_http_methods(["GET", "POST"])
def quality_register(request, code):
    """The runs of the project's checklists: method, producer, reviewer, planned and actual dates, result."""
    project = permissions.get_project_internals_for_user(request.user, code)
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
    project = permissions.get_project_internals_for_user(request.user, code)
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
    files = request.FILES if post is not None else None
    forms = [(answer, ChecklistItemForm(post, files, prefix=f"item-{answer.position}",
                                        initial={"answer": answer.answer, "comment": answer.comment,
                                                 "corrective_action": answer.corrective_action}))
             for answer in answers]
    error = None
    if post is not None and all(form.is_valid() for _answer, form in forms):
        try:
            save = quality.checklist_save_and_submit if "submit" in request.POST else quality.checklist_answers_save
            raised = save(
                run_id=run.pk, by=request.user, expected_version=int(request.POST.get("version", 0)),
                answers={a.position: {k: f.cleaned_data[k] for k in ("answer", "comment", "corrective_action")}
                         for a, f in forms},
                evidence={a.position: (f.cleaned_data["evidence"], f.cleaned_data["evidence"].checked_content_type)
                          for a, f in forms if f.cleaned_data.get("evidence")})
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
        "findings": run.open_findings() if run.status == ChecklistRun.Status.SUBMITTED else [],
        "actions": checklist_run_actions_for_user(request.user, run),
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
