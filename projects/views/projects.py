from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from projects import domain, permissions
from projects.lib.history import render_history
from projects.models import ActionItem
from projects.selectors.meetings import next_and_last_meeting
from projects.selectors.projects import project_actions_for_user, project_list_for_user, schedule_figures
from projects.selectors.registers import risks_past_review
from projects.services import projects
from projects.workflows import PROJECT

PAGE_SIZE = 25

# What the project page shows of a project beside its customer, read with it rather than one query each.
DETAIL_RELATED = ("project_type", "project_manager", "deputy_manager", "support_officer")


# The transition named in the URL -> its service (the workflow says from where, by whom, and the label).
SERVICES = {
    "plan": projects.project_start_planning,
    "execute": projects.project_start_execution,
    "close-out": projects.project_start_closing,
    "hold": projects.project_put_on_hold,
    "resume": projects.project_resume,
    "cancel": projects.project_cancel,
}


@require_safe
def project_list(request):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    project_filter = project_list_for_user(request.user, request.GET)
    page = Paginator(project_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {"filter": project_filter, "page": page})


@require_safe
def project_detail(request, code):
    project = permissions.get_project_for_user(request.user, code, DETAIL_RELATED)
    internals = permissions.can_view_project_internals(request.user, project)
    next_meeting, last_meeting = next_and_last_meeting(project) if permissions.can_view_meetings(
        request.user, project) else (None, None)
    return render(request, "projects/project_detail.html", {
        "project": project, "can_view_internals": internals,
        "can_view_plan": permissions.can_view_plan(request.user, project),
        "can_edit_registers": internals and permissions.can_edit_registers(request.user, project),
        "actions": project_actions_for_user(request.user, project),
        "baseline": project.current_baseline if internals else None,
        "schedule": schedule_figures(project) if internals else None,
        "risks_past_review": risks_past_review(project=project) if internals else [],
        "exceptions": list(project.exceptions.filter(cleared_at__isnull=True)) if internals else [],
        "overdue_actions": list(project.actions.filter(status=ActionItem.Status.OPEN, due_date__lt=timezone.localdate())
                                .select_related("owner")[:10]) if internals else [],
        "can_set_tolerances": internals and permissions.can_set_tolerances(request.user),
        "next_meeting": next_meeting, "last_meeting": last_meeting,
        "satisfaction": project.surveys.filter(answered_at__isnull=False).first() if internals else None,
    })


@require_http_methods(["GET", "POST"])
def project_transition(request, code, action):
    project = permissions.get_project_for_user(request.user, code)
    if action not in SERVICES:
        raise Http404
    if not permissions.can_change_project_status(request.user, project):
        raise PermissionDenied
    label = PROJECT[action].label
    if request.method == "POST":
        try:
            project = SERVICES[action](project_id=project.pk, by=request.user)
        except domain.DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(code)s is now in %(status)s.")
                             % {"code": project.code, "status": project.get_status_display()})
            return redirect(project)
    return render(request, "projects/project_transition.html", {"project": project, "label": label})


@require_safe
def project_history(request, code):
    project = permissions.get_project_internals_for_user(request.user, code)
    return render_history(
        request, records=project.history.all(), title=_("History of %(code)s") % {"code": project.code},
        back_url=project.get_absolute_url(),
    )
