from rest_framework import serializers

from api.serializers.base import StrictWriteSerializer, person_field
from projects.forms.registers import RiskForm
from projects.models import Risk


class RiskSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    identifier = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True)
    inherent_score = serializers.IntegerField(read_only=True)
    expected_value = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    severity = serializers.ChoiceField(choices=["low", "medium", "high"], read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    actionee = serializers.CharField(source="actionee.username", read_only=True, allow_null=True, default=None)
    author = serializers.CharField(source="author.username", read_only=True)

    class Meta:
        model = Risk
        fields = ["identifier", "number", "project", *RiskForm.Meta.fields, "score", "inherent_score",
                  "expected_value", "severity", "author", "registered_at", "version"]
        read_only_fields = fields


class RiskWriteSerializer(StrictWriteSerializer):
    """The fields of the risk page's form, no more: the number, author, score and version are the system's."""

    owner = person_field()
    actionee = person_field(required=False, allow_null=True)

    class Meta:
        model = Risk
        fields = RiskForm.Meta.fields
