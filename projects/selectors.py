from django.db.models import Q, QuerySet

from .models import Project
from .permissions import projects_visible_to


def project_list_for_user(user, *, search: str = "") -> QuerySet[Project]:
    projects = projects_visible_to(user).select_related("customer", "project_manager")
    if search:
        projects = projects.filter(
            Q(code__icontains=search) | Q(name__icontains=search) | Q(customer__name__icontains=search)
        )
    return projects.order_by("-code")
