"""A project's plan through the API: activities and milestones for whoever sees plans (the plan page's
rule, 404 otherwise), and an activity's progress changed by the PM through the plan's service."""

import django_filters
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.etags import etag_of, expected_version
from api.framework.filters import ApiFilterSet
from api.serializers.plan import ActivityProgressSerializer, ActivitySerializer, MilestoneSerializer
from api.views.projects import CODE
from projects import permissions
from projects.forms.plan import ActivityForm
from projects.models import Activity, Milestone
from projects.selectors.plan import plan_for_project
from projects.services import plan as plan_services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The activity's id, as in the plan page's links.")


class PlanEntries(List, Retrieve, ApiViewSet):
    @cached_property
    def project(self):
        # The plan page's rule: a project the user sees, and plans they see (the engineering manager does).
        return permissions.get_project_plan_for_user(self.request.user, self.kwargs["code"])


class ActivityFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Activity.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Activity.Kind.choices)

    class Meta:
        model = Activity
        fields = ["status", "kind", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's activities", parameters=[CODE]),
    retrieve=extend_schema(summary="Read an activity", parameters=[CODE, ID]),
    partial_update=extend_schema(
        summary="Report an activity's progress", request=ActivityProgressSerializer,
        responses={200: ActivitySerializer},
        parameters=[CODE, ID, OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                                               description="The ETag of the activity as last read; a stale one "
                                                           "gets 412.")]),
)
class ActivityViewSet(PlanEntries):
    queryset = Activity.objects.none()  # for the schema only: get_queryset reads through the permission module
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilter
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return self.project.activities.select_related("project", "phase")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "critical": self.critical}

    @cached_property
    def critical(self) -> set[int]:
        """The critical path over the whole plan, from the plan page's selector: the same queries whatever
        the page's size."""
        if getattr(self, "swagger_fake_view", False):
            return set()
        return plan_for_project(self.project)["critical"]

    def partial_update(self, request, *args, **kwargs):
        activity = self.get_object()
        permissions.require(permissions.can_edit_plan(request.user, self.project))
        values = self.validated(ActivityProgressSerializer(activity, data=request.data, partial=True))
        version = expected_version(request, activity)
        data = self.form_data(ActivityForm, values, instance=activity, project=self.project)
        plan_services.activity_update(activity_id=activity.pk, by=request.user, data=data, expected_version=version)
        activity = self.get_queryset().get(pk=activity.pk)
        self.__dict__.pop("critical", None)  # the update may have moved successors
        return Response(self.get_serializer(activity).data, headers={"ETag": etag_of(activity)})


class MilestoneFilter(ApiFilterSet):
    class Meta:
        model = Milestone
        fields = ["updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's milestones", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a milestone", parameters=[
        CODE, OpenApiParameter("id", int, OpenApiParameter.PATH, description="The milestone's id.")]),
)
class MilestoneViewSet(PlanEntries):
    queryset = Milestone.objects.none()
    serializer_class = MilestoneSerializer
    filterset_class = MilestoneFilter
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return self.project.milestones.select_related("project", "phase")
