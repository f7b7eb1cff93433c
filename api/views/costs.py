"""A project's costs (the costs page's view: budget, committed, actual, estimate to complete and forecast
per budget line) and its baselines, for whoever sees the project's internals, as those pages."""

from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.filters import ApiFilterSet
from api.serializers.costs import BaselineSerializer, ProjectCostsSerializer
from api.views.projects import CODE
from procurement.selectors.costs import project_costs
from projects import permissions
from projects.models import Baseline


class InternalsOfProject:
    @cached_property
    def project(self):
        # 404 for a project the user may not see, or whose costs they may not see: as the costs page.
        return permissions.get_project_internals_for_user(self.request.user, self.kwargs["code"])


@extend_schema_view(retrieve=extend_schema(summary="Read a project's costs", parameters=[CODE],
                                           responses={200: ProjectCostsSerializer}))
class ProjectCostsView(InternalsOfProject, ApiViewSet):
    serializer_class = ProjectCostsSerializer
    pagination_class = None

    def retrieve(self, request, *args, **kwargs):
        # Figures derived from orders and invoices: no ETag (nothing writes them through here).
        costs = project_costs(self.project)
        return Response(ProjectCostsSerializer({"project": self.project.code, "approved_budget": costs.approved_budget,
                                                "lines": costs.lines, "total": costs.total}).data)


class BaselineFilter(ApiFilterSet):
    class Meta:
        model = Baseline
        fields = ["updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's baselines", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a baseline", parameters=[
        CODE, OpenApiParameter("version", int, OpenApiParameter.PATH, description="The baseline's version.")]),
)
class BaselineViewSet(InternalsOfProject, List, Retrieve, ApiViewSet):
    queryset = Baseline.objects.none()  # for the schema only: get_queryset reads through the permission module
    serializer_class = BaselineSerializer
    filterset_class = BaselineFilter
    lookup_field = "version"

    def get_queryset(self):
        return self.project.baselines.select_related("project", "approved_by", "change_request")
