"""The approvals inbox: what waits for the signed-in user's decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from procurement.selectors.purchase_orders import purchase_orders_waiting_for
from projects import permissions
from projects.domain import DomainError
from projects.forms.base import DecisionForm
from projects.selectors.budget import budget_submission_actions_for_user, budget_submission_decided
from projects.services.budget import budget_approve, budget_reject


@require_safe
def approvals(request):
    """What waits for the signed-in user's decision."""
    if not permissions.can_view_approvals(request.user):
        raise PermissionDenied
    budgets = (permissions.budget_submissions_waiting_for(request.user)
               .select_related("project__customer", "submitted_by").order_by("submitted_at"))
    changes = (permissions.changes_waiting_for(request.user)
               .select_related("project", "submitted_by").order_by("submitted_at"))
    return render(request, "reporting/approvals.html", {
        "budgets": budgets, "purchase_orders": purchase_orders_waiting_for(request.user), "changes": changes})


@require_http_methods(["GET", "POST"])
def budget_decision(request, pk):
    submission = get_object_or_404(
        permissions.budget_submissions_of_pmo_leads(request.user).select_related(
            "project__customer", "project__intake", "submitted_by", "decided_by"),
        pk=pk,
    )
    decided = budget_submission_decided(submission)
    if decided:  # another lead was quicker, or the link is old
        messages.error(request, decided)
        return redirect("approvals")
    actions = budget_submission_actions_for_user(request.user, submission)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not actions:
            raise PermissionDenied
        if form.is_valid():
            comment = form.cleaned_data["comment"]
            try:
                if "approve" in request.POST:
                    budget_approve(submission_id=submission.pk, by=request.user, comment=comment)
                    messages.success(request, _("Budget of %(code)s approved.") % {"code": submission.project.code})
                else:
                    budget_reject(submission_id=submission.pk, by=request.user, comment=comment)
                    messages.success(request, _("Budget of %(code)s rejected.") % {"code": submission.project.code})
            except DomainError as error:
                messages.error(request, str(error))
            return redirect("approvals")
    return render(request, "reporting/budget_decision.html", {
        "submission": submission, "form": form, "actions": actions,
    })
