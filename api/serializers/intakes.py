"""Intakes: what a CRM hands over for a won deal. The project type by name, the customer by VAT number,
sales by username; the status, who decided and the project made from it are the system's."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers.base import StrictWriteSerializer
from projects.forms.intakes import IntakeForm
from projects.models import Customer, Intake, ProjectType


class IntakeSerializer(serializers.ModelSerializer):
    """`missing` is what the project type's template still needs before the intake can be submitted, as
    the intake's page lists it (null in lists)."""

    project_type = serializers.CharField(source="project_type.name", read_only=True)
    customer = serializers.CharField(source="customer.vat_number", read_only=True, allow_null=True, default=None)
    created_by = serializers.CharField(source="created_by.username", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True, allow_null=True, default=None)
    missing = serializers.SerializerMethodField()

    class Meta:
        model = Intake
        fields = ["id", "status", *IntakeForm.Meta.fields, "created_by", "created_at", "submitted_at",
                  "rejection_reason", "project", "version", "missing"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField(), allow_null=True))
    def get_missing(self, intake):
        missing = self.context.get("missing")
        return None if missing is None else [str(m) for m in missing]


class IntakeWriteSerializer(StrictWriteSerializer):
    """The fields of the intake form, no more."""

    project_type = serializers.SlugRelatedField(slug_field="name", queryset=ProjectType.objects.filter(active=True),
                                                help_text=_("The project type's name."))
    customer = serializers.SlugRelatedField(slug_field="vat_number", queryset=Customer.objects.all(), required=False,
                                            allow_null=True, help_text=_("The customer's VAT number."))

    class Meta:
        model = Intake
        fields = IntakeForm.Meta.fields
