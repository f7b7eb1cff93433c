import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from openpyxl import Workbook

from . import permissions, registers
from .exports import neutralise
from .forms import IssueForm, RiskForm, save_versioned
from .services import DomainError
from .history import render_history
from .models import ProjectIssue, Risk
from .selectors import risk_heat_map


def _register_project(request, code):
    project = permissions.get_project_for_user(request.user, code)
    if not permissions.can_view_project_internals(request.user, project):
        raise Http404
    return project


def _filtered_risks(project, params):
    risks = project.risks.select_related("owner")
    status = params.get("status", "open")
    if status in Risk.Status.values:
        risks = risks.filter(status=status)
    for name in ("residual_probability", "residual_impact"):
        if params.get(name, "").isdigit():
            risks = risks.filter(**{name: int(params[name])})
    if params.get("review") == "overdue":
        risks = risks.filter(review_date__lt=timezone.localdate())
    return risks.order_by("number")


@require_safe
def risk_list(request, code):
    project = _register_project(request, code)
    page = Paginator(_filtered_risks(project, request.GET), 50).get_page(request.GET.get("page"))
    return render(request, "projects/risk_list.html", {
        "project": project, "page": page, "heat_map": risk_heat_map(project), "today": timezone.localdate(),
        "can_edit": permissions.can_edit_registers(request.user, project),
        "cell": (request.GET.get("residual_probability"), request.GET.get("residual_impact")),
    })


def _register_edit(request, code, number, *, entries, form_class, create, update, template, created, saved, back):
    """New or edited register entry (risk, issue): stale edits refused, typed values kept."""
    project = _register_project(request, code)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    entry = get_object_or_404(getattr(project, entries), number=number) if number else None
    staff = permissions.project_staff_ids(project)
    form = form_class(request.POST if request.method == "POST" else None, instance=entry, project=project,
                      initial={} if entry else {"owner": request.user.pk if request.user.pk in staff else None})
    if entry is None:
        if request.method == "POST" and form.is_valid():
            try:
                new = create(project_id=project.pk, by=request.user, data=form.model_values())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, created % {"id": new.identifier})
                return redirect(back, project.code)
    elif save_versioned(request, form, lambda data, version: update(
            entry.pk, by=request.user, data=data, expected_version=version), saved):
        return redirect(back, project.code)
    return render(request, template, {"project": project, "entry": entry, "risk": entry, "form": form})


@require_http_methods(["GET", "POST"])
def risk_edit(request, code, number=None):
    return _register_edit(
        request, code, number, entries="risks", form_class=RiskForm, create=registers.risk_create,
        update=lambda pk, **kw: registers.risk_update(risk_id=pk, **kw), template="projects/risk_form.html",
        created=_("%(id)s registered."), saved=_("Risk saved."), back="projects:risks")


@require_http_methods(["GET", "POST"])
def issue_edit(request, code, number=None):
    return _register_edit(
        request, code, number, entries="issues", form_class=IssueForm, create=registers.issue_raise,
        update=lambda pk, **kw: registers.issue_update(issue_id=pk, **kw), template="projects/issue_form.html",
        created=_("%(id)s registered."), saved=_("Issue saved."), back="projects:issues")


@require_safe
def issue_list(request, code):
    project = _register_project(request, code)
    issues = project.issues.select_related("owner").order_by("number")
    if request.GET.get("status", "open") == "open":
        issues = issues.filter(status__in=[ProjectIssue.Status.OPEN, ProjectIssue.Status.IN_PROGRESS])
    if request.GET.get("type") in ProjectIssue.Type.values:
        issues = issues.filter(type=request.GET["type"])
    page = Paginator(issues, 50).get_page(request.GET.get("page"))
    return render(request, "projects/issue_list.html", {
        "project": project, "page": page, "today": timezone.localdate(), "types": ProjectIssue.Type.choices,
        "can_edit": permissions.can_edit_registers(request.user, project)})


@require_safe
def issue_history(request, code, number):
    project = _register_project(request, code)
    issue = get_object_or_404(project.issues, number=number)
    return render_history(request, records=issue.history.all(),
                          title=_("History of %(risk)s") % {"risk": issue.identifier},
                          back_url=f"{project.get_absolute_url()}issues/")


@require_safe
def risk_history(request, code, number):
    project = _register_project(request, code)
    risk = get_object_or_404(project.risks, number=number)
    return render_history(request, records=risk.history.all(),
                          title=_("History of %(risk)s") % {"risk": risk.identifier},
                          back_url=f"{project.get_absolute_url()}risks/")


@require_safe
def risk_export(request, code):
    project = _register_project(request, code)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"{project.code} risks")
    sheet.append(["id", "kind", "category", "cause", "event", "effect", "P inherent", "I inherent", "P residual",
                  "I residual", "score", "cost at stake", "expected value", "proximity", "response category",
                  "response", "owner", "actionee", "status", "review date"])
    for r in project.risks.select_related("owner", "actionee").order_by("number"):
        sheet.append([r.identifier, r.kind, r.category, neutralise(r.cause), neutralise(r.event), neutralise(r.effect),
                      r.inherent_probability, r.inherent_impact, r.residual_probability, r.residual_impact, r.score,
                      r.cost_impact, r.expected_value, r.proximity, r.response_category, neutralise(r.response),
                      str(r.owner), str(r.actionee or ""), r.status, r.review_date])
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(out.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-risks.xlsx"'
    return response
