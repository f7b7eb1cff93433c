"""A project's cost view (the costs page's figures) and its baselines."""

from rest_framework import serializers

from projects.models import Baseline

MONEY = {"max_digits": 16, "decimal_places": 2, "read_only": True}


class CostLineSerializer(serializers.Serializer):
    """A budget line as the costs page shows it (EUR): committed is ordered and not yet invoiced; the forecast
    is actual + committed + estimate to complete."""

    label = serializers.CharField(read_only=True)
    budget = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    actual = serializers.DecimalField(**MONEY)
    estimate_to_complete = serializers.DecimalField(**MONEY)
    forecast = serializers.DecimalField(**MONEY)
    over_budget = serializers.BooleanField(read_only=True)


class ProjectCostsSerializer(serializers.Serializer):
    project = serializers.CharField(read_only=True)
    approved_budget = serializers.DecimalField(**MONEY, allow_null=True)
    lines = CostLineSerializer(many=True, read_only=True)
    total = CostLineSerializer(read_only=True)


class BaselineLineSerializer(serializers.Serializer):
    category = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    amount = serializers.DecimalField(**MONEY)


class BaselineMilestoneSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    date = serializers.DateField(read_only=True, allow_null=True)


class BaselineSerializer(serializers.ModelSerializer):
    project = serializers.CharField(source="project.code", read_only=True)
    approved_by = serializers.CharField(source="approved_by.username", read_only=True)
    change_request = serializers.CharField(source="change_request.identifier", read_only=True, allow_null=True,
                                           default=None)
    lines = BaselineLineSerializer(many=True, read_only=True)
    milestones = BaselineMilestoneSerializer(many=True, read_only=True)

    class Meta:
        model = Baseline
        fields = ["version", "project", "budget", "start_date", "end_date", "lines", "milestones", "approved_by",
                  "change_request", "created_at"]
        read_only_fields = fields
