import datetime as dt
from dataclasses import dataclass
from typing import Callable

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from projects import permissions
from projects.domain import DomainError
from projects.forms.base import save_versioned
from projects.forms.registers import ActionItemForm, DecisionLogForm, IssueForm, LessonForm, RiskForm
from projects.lib.exports import xlsx_response
from projects.lib.history import render_history
from projects.models import ActionItem, ChangeRequest, Project, ProjectIssue, Risk
from projects.selectors.registers import risk_heat_map
from projects.services import registers

# The meeting whose minutes wrote an entry, read with the list (a link back beside the entry's title).
FROM_MEETING = "meeting_outcome__item__meeting"


def _filtered_risks(project, params):
    risks = project.risks.select_related("owner", FROM_MEETING)
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
    project = permissions.get_project_internals_for_user(request.user, code)
    page = Paginator(_filtered_risks(project, request.GET), 50).get_page(request.GET.get("page"))
    return render(request, "projects/risk_list.html", {
        "project": project, "page": page, "heat_map": risk_heat_map(project), "today": timezone.localdate(),
        "can_edit": permissions.can_edit_registers(request.user, project),
        "cell": (request.GET.get("residual_probability"), request.GET.get("residual_impact")),
    })


def register_edit(request, code, number, *, entries, form_class, create, update, template, created, saved, back,
                   extra=None):
    """New or edited register entry (risk, issue, ...): stale edits refused, typed values kept. `extra`
    is more context, or a function of the entry that returns it."""
    project = permissions.get_project_internals_for_user(request.user, code)
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
    if callable(extra):
        extra = extra(entry)
    return render(request, template, {"project": project, "entry": entry, "risk": entry, "form": form,
                                      **(extra or {})})


@require_http_methods(["GET", "POST"])
def risk_edit(request, code, number=None):
    return register_edit(
        request, code, number, entries="risks", form_class=RiskForm, create=registers.risk_create,
        update=lambda pk, **kw: registers.risk_update(risk_id=pk, **kw), template="projects/risk_form.html",
        created=_("%(id)s registered."), saved=_("Risk saved."), back="projects:risks")


@require_http_methods(["GET", "POST"])
def issue_edit(request, code, number=None):
    return register_edit(
        request, code, number, entries="issues", form_class=IssueForm, create=registers.issue_raise,
        update=lambda pk, **kw: registers.issue_update(issue_id=pk, **kw), template="projects/issue_form.html",
        created=_("%(id)s registered."), saved=_("Issue saved."), back="projects:issues")


@require_safe
def issue_list(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    issues = project.issues.select_related("owner", FROM_MEETING).order_by("number")
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
    project = permissions.get_project_internals_for_user(request.user, code)
    issue = get_object_or_404(project.issues, number=number)
    return render_history(request, records=issue.history.all(),
                          title=_("History of %(risk)s") % {"risk": issue.identifier},
                          back_url=f"{project.get_absolute_url()}issues/")


@require_safe
def risk_history(request, code, number):
    project = permissions.get_project_internals_for_user(request.user, code)
    risk = get_object_or_404(project.risks, number=number)
    return render_history(request, records=risk.history.all(),
                          title=_("History of %(risk)s") % {"risk": risk.identifier},
                          back_url=f"{project.get_absolute_url()}risks/")


# Columns that are not model fields: their headers.
COMPUTED_HEADERS = {
    "identifier": gettext_lazy("Id"), "score": gettext_lazy("Score"),
    "expected_value": gettext_lazy("Expected value (EUR)"), "cost_change": gettext_lazy("Cost change (EUR)"),
    "route_reason": gettext_lazy("Why"), "baseline_version": gettext_lazy("Baseline"),
}


def _cell(entry, name):
    """A value as the register shows it: labels for choices, names for people, local dates."""
    try:
        field = entry._meta.get_field(name)
    except FieldDoesNotExist:
        return getattr(entry, name)
    if field.choices:
        return str(getattr(entry, f"get_{name}_display")())
    if field.is_relation:
        return str(getattr(entry, name) or "")
    value = getattr(entry, name)
    return timezone.localtime(value).replace(tzinfo=None) if isinstance(value, dt.datetime) and value.tzinfo else value


def register_export(project: Project, name: str, entries, columns: list[str]):
    """A register as an .xlsx sheet in the reader's language, formulas neutralised."""
    model = entries.model
    header = [COMPUTED_HEADERS[c] if c in COMPUTED_HEADERS else capfirst(model._meta.get_field(c).verbose_name)
              for c in columns]
    return xlsx_response(f"{project.code}-{name}.xlsx", f"{project.code} {name}", header,
                         ([_cell(entry, c) for c in columns] for entry in entries))


@require_safe
def risk_export(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    return register_export(project, "risks", project.risks.select_related("owner", "actionee", "author")
                           .order_by("number"), [
        "identifier", "kind", "category", "cause", "event", "effect", "inherent_probability", "inherent_impact",
        "residual_probability", "residual_impact", "score", "cost_impact", "expected_value", "proximity",
        "response_category", "response", "owner", "actionee", "status", "review_date", "customer_visible", "author",
        "registered_at"])


@require_safe
def issue_export(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    return register_export(project, "issues", project.issues.select_related("owner", "raised_by").order_by("number"), [
        "identifier", "type", "title", "description", "priority", "severity", "owner", "status", "raised_by",
        "raised_at", "updated_at", "due_date", "closed_on", "customer_visible"])


@dataclass(frozen=True)
class Log:
    entries: str  # the related name on Project
    form: type
    create: Callable
    update: Callable
    title: Promise
    new: Promise
    saved: Promise
    columns: list
    related: tuple = ()
    ordering: tuple = ("-number",)


LOGS = {
    "decisions": Log(
        "decisions", DecisionLogForm, registers.decision_record,
        lambda pk, **kw: registers.decision_update(decision_id=pk, **kw),
        gettext_lazy("Decision log"), gettext_lazy("New decision"), gettext_lazy("Decision saved."),
        ["identifier", "decided_on", "title", "rationale", "decided_by", "change_request", "recorded_by",
         "recorded_at"],
        ("change_request", "recorded_by", FROM_MEETING), ("-decided_on", "-number")),
    "actions": Log(
        "actions", ActionItemForm, registers.action_create,
        lambda pk, **kw: registers.action_update(action_id=pk, **kw),
        gettext_lazy("Action items"), gettext_lazy("New action"), gettext_lazy("Action saved."),
        ["identifier", "title", "description", "owner", "due_date", "status", "completed_on", "raised_by",
         "raised_at"],
        ("owner", "raised_by", FROM_MEETING)),
    "lessons": Log(
        "lessons", LessonForm, registers.lesson_log,
        lambda pk, **kw: registers.lesson_update(lesson_id=pk, **kw),
        gettext_lazy("Lessons log"), gettext_lazy("New lesson"), gettext_lazy("Lesson saved."),
        ["identifier", "event", "effect", "cause", "recommendation", "logged_by", "logged_at"],
        ("logged_by",)),
}


@require_safe
def log_list(request, code, log):
    project = permissions.get_project_internals_for_user(request.user, code)
    config = LOGS[log]
    entries = getattr(project, config.entries).select_related(*config.related).order_by(*config.ordering)
    if log == "actions" and request.GET.get("status", "open") == "open":
        entries = entries.filter(status=ActionItem.Status.OPEN).order_by("due_date", "number")
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, f"projects/{log}_list.html", {
        "project": project, "page": page, "log": log, "title": config.title, "today": timezone.localdate(),
        "can_edit": permissions.can_edit_registers(request.user, project)})


@require_http_methods(["GET", "POST"])
def log_edit(request, code, log, number=None):
    config = LOGS[log]
    return register_edit(
        request, code, number, entries=config.entries, form_class=config.form, create=config.create,
        update=config.update, template="projects/log_form.html", created=_("%(id)s registered."),
        saved=str(config.saved), back=f"projects:{log}", extra={"config": config, "log": log})


@require_safe
def log_history(request, code, log, number):
    project = permissions.get_project_internals_for_user(request.user, code)
    entry = get_object_or_404(getattr(project, LOGS[log].entries), number=number)
    return render_history(request, records=entry.history.all(),
                          title=_("History of %(risk)s") % {"risk": entry.identifier},
                          back_url=reverse(f"projects:{log}", args=[project.code]))


@require_safe
def log_export(request, code, log):
    project = permissions.get_project_internals_for_user(request.user, code)
    config = LOGS[log]
    entries = getattr(project, config.entries).select_related(*config.related).order_by("number")
    return register_export(project, log, entries, config.columns)


@require_safe
def registers_overview(request):
    """Open high risks, overdue actions and pending change requests of every project, each list
    filtered by project code or owner and paginated: a constant number of queries."""
    if not permissions.can_view_registers_overview(request.user):
        raise PermissionDenied
    code, owner = request.GET.get("project", "").strip(), request.GET.get("owner", "").strip()

    def narrowed(queryset, owner_field="owner"):
        if code:
            queryset = queryset.filter(project__code__icontains=code)
        if owner:
            queryset = queryset.filter(Q(**{f"{owner_field}__first_name__icontains": owner})
                                       | Q(**{f"{owner_field}__last_name__icontains": owner})
                                       | Q(**{f"{owner_field}__username__icontains": owner}))
        return queryset

    visible = permissions.projects_visible_to(request.user)
    today = timezone.localdate()
    risks = narrowed(Risk.objects.filter(project__in=visible, status=Risk.Status.OPEN).annotate(
        residual_score=Risk.SCORE).filter(residual_score__gte=Risk.HIGH_SCORE)
        .select_related("project", "owner").order_by("-residual_score", "review_date", "pk"))
    actions = narrowed(ActionItem.objects.filter(project__in=visible, status=ActionItem.Status.OPEN,
                                                 due_date__lt=today)
                       .select_related("project", "owner").order_by("due_date", "pk"))
    changes = narrowed(ChangeRequest.objects.filter(project__in=visible, status=ChangeRequest.Status.SUBMITTED)
                       .select_related("project", "owner").order_by("submitted_at", "pk"))
    return render(request, "projects/registers_overview.html", {
        "risks": Paginator(risks, 25).get_page(request.GET.get("risks_page")),
        "actions": Paginator(actions, 25).get_page(request.GET.get("actions_page")),
        "changes": Paginator(changes, 25).get_page(request.GET.get("changes_page")),
        "today": today, "code": code, "owner": owner,
    })
