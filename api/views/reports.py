"""A project's highlight reports, read-only, behind the reports page's rule: the project's internals (404
otherwise); and a report's PDF, streamed as the page streams it, once a worker has rendered it (404 before).
Drafted, edited and published on the reports page."""

import django_filters
from django.http import FileResponse, Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view

from api.framework.etags import history_etag
from api.framework.filters import ApiFilterSet, with_updated_at
from api.framework.renderers import PdfRenderer
from api.serializers.reports import HighlightReportDetailSerializer, HighlightReportSerializer
from api.views.logs import ProjectEntries
from api.views.projects import CODE
from reporting.models import HighlightReport

ID = OpenApiParameter("id", int, OpenApiParameter.PATH,
                      description="The report's id, as in the reports page's links and the highlight_report.published "
                                  "webhook.")


class HighlightReportFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=HighlightReport.Status.choices)
    variant = django_filters.ChoiceFilter(choices=HighlightReport.Variant.choices)
    week = django_filters.DateFilter()

    class Meta:
        model = HighlightReport
        fields = ["status", "variant", "week", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's highlight reports", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a highlight report", parameters=[CODE, ID]),
)
class HighlightReportViewSet(ProjectEntries):
    queryset = HighlightReport.objects.none()  # for the schema only: get_queryset reads through the permission module
    filterset_class = HighlightReportFilter
    lookup_field, lookup_url_kwarg = "pk", "id"
    entries, related = "highlight_reports", ("published_by",)
    # A report's `version` counts its corrections; rendering and sending change it without an edit.
    etag = staticmethod(history_etag)

    def get_serializer_class(self):
        return HighlightReportDetailSerializer if self.action == "retrieve" else HighlightReportSerializer

    def get_renderers(self):
        return [PdfRenderer()] if self.action == "pdf" else super().get_renderers()

    def get_queryset(self):
        return with_updated_at(super().get_queryset())

    @extend_schema(
        summary="Download a highlight report's PDF", parameters=[CODE, ID], filters=False,
        responses={(200, PdfRenderer.media_type): OpenApiResponse(
            OpenApiTypes.BINARY, description="The PDF, as sent to the distribution list; 404 until it is rendered.")})
    def pdf(self, request, *args, **kwargs):
        report = self.get_object()
        if not report.pdf:
            raise Http404
        response = FileResponse(report.pdf.open("rb"), as_attachment=True, content_type=PdfRenderer.media_type,
                                filename=report.download_name)
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response
