from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import permissions, services
from .files import stored_file_response
from .forms import BudgetLineFormSet, DocumentForm
from .history import render_history
from .models import ActionItem, BudgetLine, Intake, Project
from .selectors import project_list_for_user, risks_past_review, schedule_figures

PAGE_SIZE = 25

# action name in the URL -> (service, button label, allowed from)
S = Project.Status
TRANSITIONS = {
    "plan": (services.project_start_planning, gettext_lazy("Start planning"), {S.INITIATION}),
    "execute": (services.project_start_execution, gettext_lazy("Start execution"), {S.PLANNING}),
    "close-out": (services.project_start_closing, gettext_lazy("Start closing"), {S.EXECUTION}),
    "hold": (services.project_put_on_hold, gettext_lazy("Put on hold"), services.ACTIVE),
    "resume": (services.project_resume, gettext_lazy("Resume"), {S.ON_HOLD}),
    "cancel": (services.project_cancel, gettext_lazy("Cancel the project"), services.ACTIVE | {S.ON_HOLD}),
}


def _project_with_internals(request, code) -> Project:
    project = permissions.get_project_for_user(request.user, code)
    if not permissions.can_view_project_internals(request.user, project):
        raise Http404
    return project


@require_safe
def project_list(request):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    project_filter = project_list_for_user(request.user, request.GET)
    page = Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {"filter": project_filter, "page": page})


@require_safe
def project_detail(request, code):
    project = permissions.get_project_for_user(request.user, code)
    internals = permissions.can_view_project_internals(request.user, project)
    actions = []
    if permissions.can_change_project_status(request.user, project):
        has_baseline = project.current_baseline is not None
        actions = [(name, label) for name, (_service, label, allowed) in TRANSITIONS.items()
                   if project.status in allowed and (name != "execute" or has_baseline)]
    return render(request, "projects/project_detail.html", {
        "project": project, "can_view_internals": internals, "actions": actions,
        "baseline": project.current_baseline if internals else None,
        "schedule": schedule_figures(project) if internals else None,
        "risks_past_review": risks_past_review(project=project) if internals else [],
        "exceptions": list(project.exceptions.filter(cleared_at__isnull=True)) if internals else [],
        "overdue_actions": list(project.actions.filter(status=ActionItem.Status.OPEN, due_date__lt=timezone.localdate())
                                .select_related("owner")[:10]) if internals else [],
        "can_set_tolerances": internals and permissions.can_set_tolerances(request.user),
        "satisfaction": project.surveys.filter(answered_at__isnull=False).first() if internals else None,
    })


@require_http_methods(["GET", "POST"])
def project_transition(request, code, action):
    project = permissions.get_project_for_user(request.user, code)
    if action not in TRANSITIONS:
        raise Http404
    if not permissions.can_change_project_status(request.user, project):
        raise PermissionDenied
    service, label, _allowed = TRANSITIONS[action]
    if request.method == "POST":
        try:
            project = service(project_id=project.pk, by=request.user)
        except services.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(code)s is now in %(status)s.")
                             % {"code": project.code, "status": project.get_status_display()})
            return redirect(project)
    return render(request, "projects/project_transition.html", {"project": project, "label": label})


@require_safe
def project_history(request, code):
    project = _project_with_internals(request, code)
    return render_history(
        request, records=project.history.all(), title=_("History of %(code)s") % {"code": project.code},
        back_url=project.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def project_budget(request, code):
    project = _project_with_internals(request, code)
    can_edit = permissions.can_edit_budget(request.user, project)
    lines = project.budget_lines.all()
    total = lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    formset = BudgetLineFormSet(request.POST if request.method == "POST" else None, queryset=lines) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if formset.is_valid():
            try:
                services.budget_lines_save(project_id=project.pk, by=request.user, formset=formset)
            except services.DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Budget lines saved."))
                return redirect("projects:budget", project.code)
    return render(request, "projects/project_budget.html", {
        "project": project, "lines": lines, "formset": formset, "can_edit": can_edit,
        "total": total, "level_of_total": services.level_for_budget(total),
        "intake": Intake.objects.filter(project=project).first(),
        "submissions": project.budget_submissions.select_related("submitted_by", "decided_by"),
        "baselines": project.baselines.select_related("approved_by", "change_request"),
    })


@require_safe
def project_budget_history(request, code):
    project = _project_with_internals(request, code)
    return render_history(
        request, records=BudgetLine.history.filter(project_id=project.pk),
        title=_("Budget history of %(code)s") % {"code": project.code},
        back_url=reverse("projects:budget", args=[project.code]), with_subject=True,
    )


@require_POST
def project_budget_submit(request, code):
    project = _project_with_internals(request, code)
    try:
        submission = services.budget_submit(project_id=project.pk, by=request.user)
    except services.DomainError as error:
        messages.error(request, str(error))
    else:
        if submission.status == submission.Status.APPROVED:
            messages.success(request, _("Budget confirmed: baseline set."))
        else:
            messages.success(request, _("Budget sent to the PMO lead for approval."))
    return redirect("projects:budget", project.code)


@require_http_methods(["GET", "POST"])
def project_documents(request, code):
    project = _project_with_internals(request, code)
    can_upload = permissions.can_upload_document(request.user, project)
    form = DocumentForm(request.POST if request.method == "POST" else None, request.FILES if request.method == "POST" else None) if can_upload else None
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                document = services.document_upload(
                    project_id=project.pk, by=request.user, category=form.cleaned_data["category"],
                    title=form.cleaned_data["title"], upload=upload, content_type=upload.checked_content_type)
            except services.DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(title)s uploaded as version %(version)s.")
                                 % {"title": document.title, "version": document.version})
                return redirect("projects:documents", project.code)
    documents = project.documents.select_related("uploaded_by")
    page = Paginator(documents, 50).get_page(request.GET.get("page"))
    return render(request, "projects/project_documents.html", {"project": project, "page": page, "form": form})


@require_safe
def project_document_download(request, code, pk):
    return stored_file_response(permissions.get_document_for_user(request.user, code, pk))
