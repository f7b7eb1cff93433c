"""A project's weekly highlight reports (PRINCE2) as the reports page lists them: by id (the page's address and
the `highlight_report.published` webhook's), the period, status, who published it, the status colour per
dimension, the narrative, and where its PDF is once rendered."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.logs import optional_username
from api.serializers.projects import RagSerializer
from reporting.models import RAG_LEVELS, HighlightReport
from reporting.selectors.facts import DIMENSIONS
from reporting.selectors.reports import report_rag


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(read_only=True)
    end = serializers.DateField(read_only=True)


class HighlightReportSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True)
    iso_week = serializers.CharField(read_only=True, help_text=_("The ISO week reported on, e.g. 2026-W48."))
    period = PeriodSerializer(source="facts.period", read_only=True)
    version = serializers.IntegerField(read_only=True, help_text=_(
        "1, then one more for each correction: a published report never changes."))
    rag = serializers.SerializerMethodField(help_text=_(
        "The status colour per dimension: the project manager's, where they set one, else the computed one."))
    published_by = optional_username("published_by")
    pdf = serializers.SerializerMethodField(help_text=_("Where to fetch the PDF; null until it is rendered."))
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                           help_text=_("When the report was last saved."))

    class Meta:
        model = HighlightReport
        fields = ["id", "project", "week", "iso_week", "period", "variant", "language", "version", "status",
                  "rag", "published_by", "published_at", "rendered_at", "pdf", "sent_at", "created_at",
                  "updated_at"]
        read_only_fields = fields

    @extend_schema_field(RagSerializer)
    def get_rag(self, report) -> dict:
        return {entry["dimension"]: entry["colour"] for entry in self.rag_of(report)}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf(self, report):
        if not report.pdf:
            return None
        return reverse("api:highlight_report_pdf", args=[report.project.code, report.pk])

    def rag_of(self, report) -> list[dict]:
        # Read once per report and serializer: the detail shows the reasons beside the colours.
        cache = self.context.setdefault("rag", {})
        if report.pk not in cache:
            cache[report.pk] = report_rag(report)
        return cache[report.pk]


class RagReasonSerializer(serializers.Serializer):
    dimension = serializers.ChoiceField(choices=DIMENSIONS, read_only=True)
    colour = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)
    computed = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True,
                                       help_text=_("The colour computed from the data."))
    reason = serializers.CharField(read_only=True, help_text=_("Why the data gives the computed colour."))
    override_reason = serializers.CharField(read_only=True, help_text=_(
        "Why the project manager set the colour themselves (empty when they did not)."))


class HighlightReportDetailSerializer(HighlightReportSerializer):
    """One report: the list's fields, the narrative and the reason behind each colour, in the caller's
    language."""

    rag_reasons = serializers.SerializerMethodField()

    class Meta(HighlightReportSerializer.Meta):
        fields = [*HighlightReportSerializer.Meta.fields, "summary", "this_period", "next_period", "rag_reasons"]
        read_only_fields = fields

    @extend_schema_field(RagReasonSerializer(many=True))
    def get_rag_reasons(self, report) -> list[dict]:
        return [{key: str(entry[key]) for key in ("dimension", "colour", "computed", "reason", "override_reason")}
                for entry in self.rag_of(report)]
