"""A project's billing page (contract value, billing milestones, totals), its milestone forms and
transitions, and finance's list of milestones ready to invoice across projects."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from projects import permissions_billing as perms
from projects.domain import DomainError
from projects.forms.billing import TRANSITION_FORMS, BillingMilestoneForm
from projects.lib.history import render_history
from projects.selectors.billing import (
    billing_figures,
    billing_milestone_actions_for_user,
    billing_milestones_of,
    billing_ready_list_for_user,
)
from projects.services import billing as services
from projects.workflows_billing import BILLING_MILESTONE

SERVICES = {
    "ready": services.billing_milestone_mark_ready,
    "invoice": services.billing_milestone_invoice,
    "pay": services.billing_milestone_pay,
    "cancel": services.billing_milestone_cancel,
}
DONE = {
    "ready": gettext_lazy("%(id)s is ready to invoice."),
    "invoice": gettext_lazy("Invoice recorded on %(id)s."),
    "pay": gettext_lazy("Payment recorded on %(id)s."),
    "cancel": gettext_lazy("%(id)s cancelled."),
}


@require_safe
def billing(request, code):
    project = perms.get_project_billing_for_user(request.user, code)
    milestones = billing_milestones_of(project)
    rows = [(m, billing_milestone_actions_for_user(request.user, m)) for m in milestones]
    return render(request, "projects/billing_page.html", {
        "project": project, "rows": rows, "figures": billing_figures(project, milestones),
        "can_manage": perms.can_manage_billing(request.user, project),
        "can_view_queue": perms.can_view_billing_queue(request.user)})


def _refusal_to_form(form, error: DomainError) -> None:
    """A refusal about one field shows next to it; any other above the form."""
    field = getattr(error, "field", None)
    form.add_error(field if field in form.fields else None, str(error))


@require_http_methods(["GET", "POST"])
def billing_milestone_edit(request, code, number=None):
    """A new billing milestone, or a planned one edited."""
    project = perms.get_project_billing_for_user(request.user, code)
    if not perms.can_manage_billing(request.user, project):
        raise PermissionDenied
    milestone = perms.get_billing_milestone_for_user(request.user, code, number) if number else None
    if milestone and milestone.status != milestone.Status.PLANNED:
        messages.info(request, _("%(id)s is %(status)s and can no longer be edited.")
                      % {"id": milestone.identifier, "status": milestone.get_status_display().lower()})
        return redirect("projects:billing", project.code)
    form = BillingMilestoneForm(request.POST if request.method == "POST" else None, instance=milestone,
                                project=project)
    if request.method == "POST" and form.is_valid():
        activities = list(form.cleaned_data["activities"])
        try:
            if milestone:
                milestone = services.billing_milestone_update(
                    milestone_id=milestone.pk, by=request.user, data=form.model_values(), activities=activities,
                    expected_version=form.cleaned_data["version"])
            else:
                milestone = services.billing_milestone_create(project_id=project.pk, by=request.user,
                                                              data=form.model_values(), activities=activities)
        except DomainError as error:
            _refusal_to_form(form, error)
        else:
            messages.success(request, _("%(id)s saved.") % {"id": milestone.identifier})
            return redirect("projects:billing", project.code)
    return render(request, "projects/billing_form.html", {
        "project": project, "entry": milestone, "form": form,
        "left": project.contract_value - services.allocated_total(project, exclude_pk=milestone and milestone.pk)})


@require_http_methods(["GET", "POST"])
def billing_milestone_transition(request, code, number, action):
    """GET asks what the transition needs (a reason, the invoice number and date, the payment date);
    POST calls its service, which re-checks the state, the permission and the version."""
    if action not in SERVICES:
        raise Http404
    milestone = perms.get_billing_milestone_for_user(request.user, code, number)
    project = milestone.project
    may = perms.can_record_billing(request.user) if action in ("invoice", "pay") else \
        perms.can_manage_billing(request.user, project)
    if not may:
        raise PermissionDenied
    form_class, arguments = TRANSITION_FORMS[action]
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                SERVICES[action](milestone_id=milestone.pk, by=request.user,
                                 expected_version=form.cleaned_data["version"], **arguments(form.cleaned_data))
            except DomainError as error:
                _refusal_to_form(form, error)
            else:
                messages.success(request, DONE[action] % {"id": milestone.identifier})
                return redirect("projects:billing", project.code)
    else:
        refusal = BILLING_MILESTONE.refusal(action, request.user, milestone)
        if refusal:
            messages.error(request, refusal)
            return redirect("projects:billing", project.code)
        initial = {"version": milestone.version}
        if action == "invoice":
            initial["invoice_date"] = timezone.localdate()
        elif action == "pay":
            initial["paid_on"] = timezone.localdate()
        form = form_class(initial=initial)
    return render(request, "projects/billing_transition.html", {
        "project": project, "milestone": milestone, "form": form, "label": BILLING_MILESTONE[action].label})


@require_safe
def billing_milestone_history(request, code, number):
    milestone = perms.get_billing_milestone_for_user(request.user, code, number)
    return render_history(request, records=milestone.history.all(),
                          title=_("History of %(id)s") % {"id": milestone.identifier},
                          back_url=f"{milestone.project.get_absolute_url()}billing/")


@require_safe
def billing_ready_list(request):
    """Finance's queue: milestones ready to invoice on every project."""
    if not perms.can_view_billing_queue(request.user):
        raise PermissionDenied
    page = Paginator(billing_ready_list_for_user(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "projects/billing_ready_list.html", {
        "page": page, "can_record": perms.can_record_billing(request.user)})
