"""Intakes: a CRM drafts one for a won deal, completes it while it is a draft (or returned), and submits
it, through the intake form and services, seen by whom the intake pages show it to."""

import django_filters
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.etags import etag_of, expected_version
from api.framework.filters import ApiFilterSet
from api.framework.idempotency import idempotent
from api.serializers.intakes import IntakeSerializer, IntakeWriteSerializer
from api.views.registers import IDEMPOTENCY_KEY
from projects import permissions
from projects.forms.intakes import IntakeForm
from projects.models import Intake
from projects.selectors.intakes import intake_missing
from projects.services import intakes as services

ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The intake's number, as in /intakes/<id>/.")
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                            description="The ETag of the intake as last read; a stale one gets 412.")


class IntakeFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Intake.Status.choices)

    class Meta:
        model = Intake
        fields = ["status", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List the intakes you may see"),
    retrieve=extend_schema(summary="Read an intake", parameters=[ID]),
    create=extend_schema(summary="Draft an intake", parameters=[IDEMPOTENCY_KEY], request=IntakeWriteSerializer,
                         responses={201: IntakeSerializer}),
    partial_update=extend_schema(summary="Change a draft or returned intake", parameters=[ID, IF_MATCH],
                                 request=IntakeWriteSerializer, responses={200: IntakeSerializer}),
)
class IntakeViewSet(List, Retrieve, ApiViewSet):
    queryset = Intake.objects.none()  # for the schema only
    serializer_class = IntakeSerializer
    filterset_class = IntakeFilter
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def list_allowed(self) -> bool:
        return permissions.can_list_intakes(self.request.user)

    def get_queryset(self):
        return permissions.intakes_visible_to(self.request.user).select_related("project_type", "customer",
                                                                                 "created_by", "project")

    def retrieve(self, request, *args, **kwargs):
        return self._answer(self.get_object())

    def _answer(self, intake, code=status.HTTP_200_OK, **headers):
        intake = self.get_queryset().get(pk=intake.pk)
        data = IntakeSerializer(intake, context={"missing": intake_missing(intake)}).data
        return Response(data, status=code, headers={"ETag": etag_of(intake), **headers})

    @idempotent
    def create(self, request, *args, **kwargs):
        permissions.require(permissions.can_create_intake(request.user))
        values = self.validated(IntakeWriteSerializer(data=request.data))
        intake = services.intake_create(by=request.user, data=self.form_data(IntakeForm, values))
        return self._answer(intake, status.HTTP_201_CREATED, Location=f"{request.path}{intake.pk}/")

    def partial_update(self, request, *args, **kwargs):
        intake = self.get_object()
        permissions.require(permissions.can_edit_intake(request.user, intake))
        values = self.validated(IntakeWriteSerializer(intake, data=request.data, partial=True))
        version = expected_version(request, intake)
        data = self.form_data(IntakeForm, values, instance=intake)
        intake = services.intake_update(intake_id=intake.pk, by=request.user, data=data, expected_version=version)
        return self._answer(intake)

    @extend_schema(summary="Submit a complete intake to the PMO", parameters=[ID], request=None,
                     responses={200: IntakeSerializer})
    def submit(self, request, *args, **kwargs):
        # As the page: anyone who sees the intake may ask; the service says no (422) unless it is theirs to submit.
        intake = self.get_object()
        return self._answer(services.intake_submit(intake_id=intake.pk, by=request.user))
