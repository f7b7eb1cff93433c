from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from projects import domain, permissions
from projects.forms.base import posted
from projects.forms.budget import BudgetLineFormSet
from projects.lib.history import render_history
from projects.models import BudgetLine, Intake
from projects.services import budget


@require_http_methods(["GET", "POST"])
def project_budget(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    can_edit = permissions.can_edit_budget(request.user, project)
    lines = project.budget_lines.all()
    total = lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    formset = BudgetLineFormSet(posted(request), queryset=lines) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if formset.is_valid():
            try:
                budget.budget_lines_save(project_id=project.pk, by=request.user, formset=formset)
            except domain.DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Budget lines saved."))
                return redirect("projects:budget", project.code)
    return render(request, "projects/project_budget.html", {
        "project": project, "lines": lines, "formset": formset, "can_edit": can_edit,
        "total": total, "level_of_total": budget.level_for_budget(total),
        "intake": Intake.objects.filter(project=project).first(),
        "submissions": project.budget_submissions.select_related("submitted_by", "decided_by"),
        "baselines": project.baselines.select_related("approved_by", "change_request"),
    })


@require_safe
def project_budget_history(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    return render_history(
        request, records=BudgetLine.history.filter(project_id=project.pk),
        title=_("Budget history of %(code)s") % {"code": project.code},
        back_url=reverse("projects:budget", args=[project.code]), with_subject=True,
    )


@require_POST
def project_budget_submit(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    try:
        submission = budget.budget_submit(project_id=project.pk, by=request.user)
    except domain.DomainError as error:
        messages.error(request, str(error))
    else:
        if submission.status == submission.Status.APPROVED:
            messages.success(request, _("Budget confirmed: baseline set."))
        else:
            messages.success(request, _("Budget sent to the PMO lead for approval."))
    return redirect("projects:budget", project.code)
