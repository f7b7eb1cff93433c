"""A project's risks: read, registered and edited through the risk page's form and services."""

import django_filters
from django.utils.functional import cached_property
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from api.framework.base import ApiViewSet, List, Retrieve
from api.framework.etags import etag_of, expected_version
from api.framework.filters import ApiFilterSet
from api.framework.idempotency import KEY_PATTERN, idempotent
from api.serializers.registers import RiskSerializer, RiskWriteSerializer
from api.views.projects import CODE
from projects import permissions
from projects.forms.registers import RiskForm
from projects.models import Risk
from projects.services import registers

NUMBER = OpenApiParameter("number", int, OpenApiParameter.PATH, description="The risk's number (R-007 is 7).")
IF_MATCH = OpenApiParameter("If-Match", str, OpenApiParameter.HEADER, required=True,
                            description="The ETag of the risk as last read; a stale one gets 412.")
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key", str, OpenApiParameter.HEADER, pattern=KEY_PATTERN,
    description="Any unique string (a UUID): a retry with the same key and body returns the first answer "
                "and registers nothing twice; the same key with another body gets 422.")


class RiskFilter(ApiFilterSet):
    status = django_filters.ChoiceFilter(choices=Risk.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Risk.Kind.choices)
    category = django_filters.ChoiceFilter(choices=Risk.Category.choices)

    class Meta:
        model = Risk
        fields = ["status", "kind", "category", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's risks", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a risk", parameters=[CODE, NUMBER]),
    create=extend_schema(summary="Register a risk", parameters=[CODE, IDEMPOTENCY_KEY], request=RiskWriteSerializer,
                         responses={201: RiskSerializer}),
    partial_update=extend_schema(summary="Change a risk", parameters=[CODE, NUMBER, IF_MATCH],
                                 request=RiskWriteSerializer, responses={200: RiskSerializer}),
)
class RiskViewSet(List, Retrieve, ApiViewSet):
    queryset = Risk.objects.none()  # for the schema only: get_queryset reads through the permission module
    serializer_class = RiskSerializer
    filterset_class = RiskFilter
    lookup_field = "number"

    @cached_property
    def project(self):
        # 404 for a project the user may not see, or whose registers they may not see: as the risk pages.
        return permissions.get_project_internals_for_user(self.request.user, self.kwargs["code"])

    def get_queryset(self):
        return self.project.risks.select_related("project", "owner", "actionee", "author")

    def _answer(self, risk, code=status.HTTP_200_OK, **headers):
        risk = self.get_queryset().get(pk=risk.pk)
        return Response(RiskSerializer(risk).data, status=code, headers={"ETag": etag_of(risk), **headers})

    @idempotent
    def create(self, request, *args, **kwargs):
        permissions.require(permissions.can_edit_registers(request.user, self.project))
        values = self.validated(RiskWriteSerializer(data=request.data))
        data = self.form_data(RiskForm, values, project=self.project)
        risk = registers.risk_create(project_id=self.project.pk, by=request.user, data=data)
        return self._answer(risk, status.HTTP_201_CREATED,
                            Location=f"{request.path}{risk.number}/")

    def partial_update(self, request, *args, **kwargs):
        risk = self.get_object()
        permissions.require(permissions.can_edit_registers(request.user, self.project))
        # The body is checked before If-Match: an invalid request is 400 whatever the version it names.
        values = self.validated(RiskWriteSerializer(risk, data=request.data, partial=True))
        version = expected_version(request, risk)
        data = self.form_data(RiskForm, values, instance=risk, project=self.project)
        risk = registers.risk_update(risk_id=risk.pk, by=request.user, data=data, expected_version=version)
        return self._answer(risk)
