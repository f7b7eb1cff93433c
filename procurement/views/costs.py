from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from procurement.forms import EstimatesForm
from procurement.selectors.costs import project_costs
from projects import permissions
from projects.domain import DomainError
from projects.forms.base import posted
from projects.services.budget import budget_estimates_update


@require_http_methods(["GET", "POST"])
def costs(request, code):
    project = permissions.get_project_for_user(request.user, code)
    if not permissions.can_view_project_internals(request.user, project):
        raise Http404
    can_estimate = permissions.is_project_manager_of(request.user, project)
    form = EstimatesForm(posted(request), budget_lines=project.budget_lines.all()) if can_estimate else None
    if request.method == "POST":
        if not can_estimate:
            raise PermissionDenied
        if form.is_valid():
            try:
                budget_estimates_update(project_id=project.pk, by=request.user,
                                                         estimates=form.estimates())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Estimates to complete saved."))
                return redirect("procurement:costs", project.code)
    return render(request, "procurement/project_costs.html", {
        "project": project, "costs": project_costs(project), "estimates_form": form,
        "purchase_orders": project.purchase_orders.select_related("supplier").order_by("-number")[:50],
        "can_draft": permissions.can_draft_purchase_order(request.user, project),
    })
