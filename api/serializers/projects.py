from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import PersonSerializer
from projects.models import Project
from reporting.models import RAG_LEVELS
from reporting.selectors.facts import DIMENSIONS


class CustomerRefSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    vat_number = serializers.CharField(read_only=True)


class RagSerializer(serializers.Serializer):
    """The status colour per dimension, as on the portfolio and in the highlight report."""

    time = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)
    cost = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)
    scope = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)
    quality = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)
    risk = serializers.ChoiceField(choices=RAG_LEVELS, read_only=True)


class ProjectSerializer(serializers.ModelSerializer):
    """A project's header. `phase` is null for those who do not see plans, `rag` for those who do not see
    a project's internals and for projects not under way (the portfolio shows only those)."""

    customer = CustomerRefSerializer(read_only=True)
    project_manager = PersonSerializer(read_only=True, allow_null=True)
    deputy_manager = PersonSerializer(read_only=True, allow_null=True)
    phase = serializers.SerializerMethodField()
    rag = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["code", "name", "customer", "level", "status", "phase", "project_manager", "deputy_manager",
                  "start_date", "end_date", "closed_on", "created_at", "rag"]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_phase(self, project):
        return project.current_phase if self.context.get("sees_plan") else None

    @extend_schema_field(RagSerializer(allow_null=True))
    def get_rag(self, project):
        summary = getattr(project, "summary", None) if self.context.get("sees_internals") else None
        if summary is None or project.status not in Project.UNDER_WAY:
            return None
        return {dimension: RAG_LEVELS[getattr(summary, f"rag_{dimension}")] for dimension in DIMENSIONS}
