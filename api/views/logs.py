"""A project's registers and logs beside its risks: issues and action items (read, raised and changed
through their pages' forms and services), decisions, lessons, change requests and safety incidents (read).
Every one behind the register pages' rule: the project's internals (404 otherwise), and the register
keepers' rule to write (403)."""

import django_filters
from django.db.models import F, Prefetch, Sum
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.etags import etag_of, expected_version
from api.framework.filters import ApiFilterSet
from api.framework.idempotency import idempotent
from api.serializers.logs import (
    ActionItemSerializer,
    ActionItemWriteSerializer,
    ChangeRequestSerializer,
    DecisionSerializer,
    IssueSerializer,
    IssueWriteSerializer,
    LessonSerializer,
    SafetyIncidentSerializer,
)
from api.views.projects import CODE
from api.views.registers import IDEMPOTENCY_KEY
from projects import permissions
from projects.forms.registers import ActionItemForm, IssueForm
from projects.models import ActionItem, ChangeRequest, Decision, Lesson, ProjectIssue, SafetyAction, SafetyIncident
from projects.services import registers


def number_parameter(example: str) -> OpenApiParameter:
    return OpenApiParameter("number", int, OpenApiParameter.PATH,
                            description=f"The entry's number ({example}).")


def if_match(what: str) -> OpenApiParameter:
    return OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                            description=f"The ETag of the {what} as last read; a stale one gets 412.")


class ProjectEntries(List, Retrieve, ApiViewSet):
    """The numbered entries of one project (`entries`, the related name on Project), for whoever sees the
    project's internals, as the register pages; written by the register keepers."""

    lookup_field = "number"
    entries: str
    related: tuple = ()

    @cached_property
    def project(self):
        # 404 for a project the user may not see, or whose registers they may not see: as the register pages.
        return permissions.get_project_internals_for_user(self.request.user, self.kwargs["code"])

    def get_queryset(self):
        return getattr(self.project, self.entries).select_related("project", *self.related)

    def answer(self, entry, code=status.HTTP_200_OK, **headers):
        entry = self.get_queryset().get(pk=entry.pk)
        return Response(self.get_serializer(entry).data, status=code, headers={"ETag": etag_of(entry), **headers})

    def create_with(self, request, write_serializer, form_class, service):
        permissions.require(permissions.can_edit_registers(request.user, self.project))
        values = self.validated(write_serializer(data=request.data))
        data = self.form_data(form_class, values, project=self.project)
        entry = service(project_id=self.project.pk, by=request.user, data=data)
        return self.answer(entry, status.HTTP_201_CREATED, Location=f"{request.path}{entry.number}/")

    def update_with(self, request, write_serializer, form_class, service):
        entry = self.get_object()
        permissions.require(permissions.can_edit_registers(request.user, self.project))
        # The body is checked before If-Match: an invalid request is 400 whatever the version it names.
        values = self.validated(write_serializer(entry, data=request.data, partial=True))
        version = expected_version(request, entry)
        data = self.form_data(form_class, values, instance=entry, project=self.project)
        return self.answer(service(entry.pk, by=request.user, data=data, expected_version=version))


class IssueFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ProjectIssue.Status.choices)
    type = django_filters.ChoiceFilter(choices=ProjectIssue.Type.choices)
    priority = django_filters.ChoiceFilter(choices=ProjectIssue.Priority.choices)

    class Meta:
        model = ProjectIssue
        fields = ["status", "type", "priority", "updated_since"]


ISSUE = number_parameter("I-004 is 4")


@extend_schema_view(
    list=extend_schema(summary="List a project's issues", parameters=[CODE]),
    retrieve=extend_schema(summary="Read an issue", parameters=[CODE, ISSUE]),
    create=extend_schema(summary="Raise an issue", parameters=[CODE, IDEMPOTENCY_KEY], request=IssueWriteSerializer,
                         responses={201: IssueSerializer}),
    partial_update=extend_schema(summary="Change an issue", parameters=[CODE, ISSUE, if_match("issue")],
                                 request=IssueWriteSerializer, responses={200: IssueSerializer}),
)
class IssueViewSet(ProjectEntries):
    queryset = ProjectIssue.objects.none()  # for the schema only: get_queryset reads through the permission module
    serializer_class = IssueSerializer
    filterset_class = IssueFilter
    entries, related = "issues", ("owner", "raised_by")

    @idempotent
    def create(self, request, *args, **kwargs):
        return self.create_with(request, IssueWriteSerializer, IssueForm, registers.issue_raise)

    def partial_update(self, request, *args, **kwargs):
        return self.update_with(request, IssueWriteSerializer, IssueForm,
                                lambda pk, **kw: registers.issue_update(issue_id=pk, **kw))


class ActionItemFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=ActionItem.Status.choices)
    owner = django_filters.CharFilter(field_name="owner__username", help_text="The owner's username.")

    class Meta:
        model = ActionItem
        fields = ["status", "owner", "updated_since"]


ACTION = number_parameter("A-012 is 12")


@extend_schema_view(
    list=extend_schema(summary="List a project's action items", parameters=[CODE]),
    retrieve=extend_schema(summary="Read an action item", parameters=[CODE, ACTION]),
    create=extend_schema(summary="Add an action item", parameters=[CODE, IDEMPOTENCY_KEY],
                         request=ActionItemWriteSerializer, responses={201: ActionItemSerializer}),
    partial_update=extend_schema(summary="Change an action item", parameters=[CODE, ACTION, if_match("action item")],
                                 request=ActionItemWriteSerializer, responses={200: ActionItemSerializer}),
)
class ActionItemViewSet(ProjectEntries):
    queryset = ActionItem.objects.none()
    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    entries, related = "actions", ("owner", "raised_by")

    @idempotent
    def create(self, request, *args, **kwargs):
        return self.create_with(request, ActionItemWriteSerializer, ActionItemForm, registers.action_create)

    def partial_update(self, request, *args, **kwargs):
        return self.update_with(request, ActionItemWriteSerializer, ActionItemForm,
                                lambda pk, **kw: registers.action_update(action_id=pk, **kw))


class DecisionFilter(ApiFilterSet):
    class Meta:
        model = Decision
        fields = ["updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's decisions", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a decision", parameters=[CODE, number_parameter("D-003 is 3")]),
)
class DecisionViewSet(ProjectEntries):
    queryset = Decision.objects.none()
    serializer_class = DecisionSerializer
    filterset_class = DecisionFilter
    entries, related = "decisions", ("change_request", "recorded_by")


class LessonFilter(ApiFilterSet):
    class Meta:
        model = Lesson
        fields = ["updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's lessons", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a lesson", parameters=[CODE, number_parameter("L-002 is 2")]),
)
class LessonViewSet(ProjectEntries):
    queryset = Lesson.objects.none()
    serializer_class = LessonSerializer
    filterset_class = LessonFilter
    entries, related = "lessons", ("logged_by",)


class ChangeRequestFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ChangeRequest.Status.choices)

    class Meta:
        model = ChangeRequest
        fields = ["status", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's change requests", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a change request", parameters=[CODE, number_parameter("CR-005 is 5")]),
)
class ChangeRequestViewSet(ProjectEntries):
    queryset = ChangeRequest.objects.none()
    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    entries, related = "change_requests", ("owner", "raised_by", "submitted_by", "decided_by")

    def get_queryset(self):
        # The cost change and the baseline it produced, as the change register's export shows them.
        return super().get_queryset().annotate(cost_change=Sum("costs__delta"), baseline_version=F("baseline__version"))


class SafetyIncidentFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=SafetyIncident.Status.choices)
    kind = django_filters.ChoiceFilter(choices=SafetyIncident.Kind.choices)

    class Meta:
        model = SafetyIncident
        fields = ["status", "kind", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's safety incidents", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a safety incident", parameters=[CODE, number_parameter("S-001 is 1")]),
)
class SafetyIncidentViewSet(ProjectEntries):
    queryset = SafetyIncident.objects.none()
    serializer_class = SafetyIncidentSerializer
    filterset_class = SafetyIncidentFilter
    entries, related = "safety_incidents", ("reported_by",)

    def get_queryset(self):
        return super().get_queryset().prefetch_related(
            Prefetch("actions", SafetyAction.objects.select_related("owner").order_by("due_date", "pk")))
