"""A project's plan: activities (with their place on the critical path, as the plan page marks it) and
milestones (with their slip). Activities have no business number: the plan page addresses them by id too."""

from rest_framework import serializers

from api.serializers.base import StrictWriteSerializer
from projects.models import Activity, Milestone


class ActivitySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True)
    phase = serializers.CharField(source="phase.name", read_only=True, allow_null=True, default=None)
    critical = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = ["id", "project", "phase", "name", "kind", "planned_start", "planned_end", "effort_hours",
                  "percent_complete", "status", "critical", "version"]
        read_only_fields = fields

    def get_critical(self, activity) -> bool:
        return activity.pk in self.context["critical"]


class ActivityProgressSerializer(StrictWriteSerializer):
    """What the API may change of an activity: its progress. Dates, effort and phase are planned on the
    plan page, whose service moves the successors along."""

    class Meta:
        model = Activity
        fields = ["percent_complete", "status"]


class MilestoneSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="pk", read_only=True)
    project = serializers.CharField(source="project.code", read_only=True)
    phase = serializers.CharField(source="phase.name", read_only=True, allow_null=True, default=None)
    slip_days = serializers.IntegerField(read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "project", "phase", "name", "baseline_date", "forecast_date", "slip_days"]
        read_only_fields = fields
