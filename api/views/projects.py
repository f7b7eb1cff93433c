"""Projects, read-only: the list and header the project pages show, to whom they show them."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.filters import ApiFilterSet
from api.selectors.projects import projects_for_api
from api.serializers.projects import ProjectSerializer
from projects import permissions
from projects.models import PROJECT_CODE_PATTERN, Project

CODE = OpenApiParameter("code", str, OpenApiParameter.PATH, description="The project's code, e.g. PRJ-2026-0042.",
                        pattern=f"^{PROJECT_CODE_PATTERN}$")


class ProjectFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Project.Status.choices)
    level = django_filters.MultipleChoiceFilter(choices=Project.Level.choices)
    project_manager = django_filters.CharFilter(field_name="project_manager__username",
                                                help_text="The project manager's username.")

    class Meta:
        model = Project
        fields = ["status", "level", "project_manager", "updated_since"]


@extend_schema_view(list=extend_schema(summary="List the projects you may see"),
                    retrieve=extend_schema(summary="Read a project", parameters=[CODE]))
class ProjectViewSet(List, Retrieve, ApiViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    lookup_field = "code"

    def list_allowed(self) -> bool:
        return permissions.can_list_projects(self.request.user)

    def get_queryset(self):
        return projects_for_api(self.request.user)

    def get_serializer_context(self):
        user = self.request.user
        return {**super().get_serializer_context(), "sees_plan": permissions.sees_all_projects(user),
                "sees_internals": permissions.sees_project_internals(user)}
