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
from .forms import RiskForm, save_versioned
from .services import DomainError
from .history import render_history
from .models import Risk
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


@require_http_methods(["GET", "POST"])
def risk_edit(request, code, number=None):
    project = _register_project(request, code)
    if not permissions.can_edit_registers(request.user, project):
        raise PermissionDenied
    risk = get_object_or_404(project.risks, number=number) if number else None
    form = RiskForm(request.POST if request.method == "POST" else None, instance=risk, project=project,
                    initial={} if risk else {"owner": request.user.pk if request.user.pk in
                                             permissions.project_staff_ids(project) else None})
    if risk is None:
        if request.method == "POST" and form.is_valid():
            try:
                created = registers.risk_create(project_id=project.pk, by=request.user, data=form.model_values())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("%(risk)s registered.") % {"risk": created.identifier})
                return redirect("projects:risks", project.code)
    elif save_versioned(request, form, lambda data, version: registers.risk_update(
            risk_id=risk.pk, by=request.user, data=data, expected_version=version), _("Risk saved.")):
        return redirect("projects:risks", project.code)
    return render(request, "projects/risk_form.html", {"project": project, "risk": risk, "form": form})


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
