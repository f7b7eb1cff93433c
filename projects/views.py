from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import permissions
from .history import render_history
from .selectors import project_list_for_user

PAGE_SIZE = 25


@require_safe
def project_list(request):
    if not permissions.can_list_projects(request.user):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    page = Paginator(project_list_for_user(request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "projects/project_list.html", {"page": page, "search": search})


@require_safe
def project_detail(request, code):
    project = permissions.get_project_for_user(request.user, code)
    context = {
        "project": project,
        "can_view_internals": permissions.can_view_project_internals(request.user, project),
        "can_edit": permissions.can_edit_project(request.user, project),
    }
    return render(request, "projects/project_detail.html", context)


@require_safe
def project_history(request, code):
    project = permissions.get_project_for_user(request.user, code)
    if not permissions.can_view_project_internals(request.user, project):
        raise Http404
    return render_history(
        request, obj=project, title=_("History of %(code)s") % {"code": project.code},
        back_url=project.get_absolute_url(),
    )
