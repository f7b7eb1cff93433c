"""A project's highlight reports: list, edit, publish, PDF."""

from csp.decorators import csp_update
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import permissions
from projects.domain import DomainError
from reporting.forms import ReportForm
from reporting.lib.pdf import render_report_html, report_context
from reporting.models import HighlightReport
from reporting.selectors.facts import DIMENSIONS, week_of
from reporting.selectors.reports import highlight_report_actions_for_user
from reporting.services import reports as reports_services
from reporting.services.handover import servicenow_csv, servicenow_json


def _report(request, code, pk) -> HighlightReport:
    project = permissions.get_project_internals_for_user(request.user, code)
    return get_object_or_404(project.highlight_reports.select_related("project__customer", "published_by"), pk=pk)


@require_safe
def report_list(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    reports = project.highlight_reports.select_related("published_by").order_by("-week", "variant", "-version")
    return render(request, "reporting/report_list.html", {
        "project": project, "page": Paginator(reports, 40).get_page(request.GET.get("page")),
        "can_manage": permissions.can_manage_reports(request.user, project),
        "this_week": week_of(timezone.localdate())})


@require_POST
def report_drafts_create(request, code):
    """This week's drafts now, without waiting for Friday's run."""
    project = permissions.get_project_internals_for_user(request.user, code)
    if not permissions.can_manage_reports(request.user, project):
        raise PermissionDenied
    week = week_of(timezone.localdate())
    for variant in HighlightReport.Variant.values:
        reports_services.report_draft_create(project_id=project.pk, week=week, variant=variant)
    messages.success(request, _("Drafts for week %(week)s are ready.") % {"week": f"{week:%G-W%V}"})
    return redirect("reporting:reports", project.code)


@require_http_methods(["GET", "POST"])
def report_edit(request, code, pk):
    report = _report(request, code, pk)
    actions = highlight_report_actions_for_user(request.user, report)
    if request.method == "POST" and "edit" not in actions:
        raise PermissionDenied
    form = ReportForm(request.POST if request.method == "POST" else None, instance=report)
    if request.method == "POST" and form.is_valid():
        try:
            reports_services.report_update(report_id=report.pk, by=request.user, data=form.narrative(),
                                   overrides=form.overrides(), expected_version=form.cleaned_data["edit_version"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            # The narrative is saved first, so a click on "publish" or "take the facts again" loses nothing.
            follow_up = ("publish" if "publish" in request.POST else "refresh" if "refresh" in request.POST else None)
            return _after_save(request, report, follow_up)
    context = report_context(report)
    return render(request, "reporting/report_edit.html", {
        **context, "project": report.project, "form": form, "actions": actions, "deadline": report.deadline,
        "rag_fields": [(form[f"rag_{d}"], form[f"reason_{d}"], context["rag"][i]) for i, d in enumerate(DIMENSIONS)],
    })


def _after_save(request, report, follow_up):
    try:
        if follow_up == "publish":
            reports_services.report_publish(report_id=report.pk, by=request.user)
            messages.success(request, _("Published: the PDF is being made and will be sent to the distribution list."))
        elif follow_up == "refresh":
            reports_services.report_refresh_facts(report_id=report.pk, by=request.user)
            messages.success(request, _("Report saved; the facts were taken again from the data."))
        else:
            messages.success(request, _("Report saved."))
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("reporting:report", report.project.code, report.pk)


def _act(request, code, pk, action, done):
    report = _report(request, code, pk)
    if not permissions.can_manage_reports(request.user, report.project):
        raise PermissionDenied
    try:
        result = action(report_id=report.pk, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        result = report
    else:
        messages.success(request, done)
    return redirect("reporting:report", report.project.code, result.pk)


@require_POST
def report_retry(request, code, pk):
    return _act(request, code, pk, reports_services.report_retry, _("Rendering started again."))


@require_POST
def report_correct(request, code, pk):
    return _act(request, code, pk, reports_services.report_correct,
                _("A new version was made: correct it and publish it; the published one stays as it was."))


# The preview is the PDF's own HTML (styles inline, as WeasyPrint needs them); it runs no script.
@csp_update({"style-src": ["'unsafe-inline'"]})
@require_safe
def report_preview(request, code, pk):
    return HttpResponse(render_report_html(_report(request, code, pk)))


@require_safe
def report_pdf(request, code, pk):
    report = _report(request, code, pk)
    if not report.pdf:
        raise Http404
    response = FileResponse(report.pdf.open("rb"), as_attachment=True, content_type="application/pdf",
                            filename=report.download_name)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_safe
def servicenow_export(request, code, fmt):
    """The hand-over for ServiceNow: the whole record as JSON, or the transferred items as CSV."""
    project = permissions.get_project_internals_for_user(request.user, code)
    if fmt not in ("json", "csv"):
        raise Http404
    if fmt == "json":
        response = HttpResponse(servicenow_json(project), content_type="application/json; charset=utf-8")
    else:
        response = HttpResponse(servicenow_csv(project), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{project.code}-servicenow.{fmt}"'
    return response
