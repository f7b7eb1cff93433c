"""The registers and logs of a project beside its risks (issues, action items, decisions, lessons, change
requests, safety incidents): what their pages show, people by username, entries by their number."""

from rest_framework import serializers

from api.serializers.base import StrictWriteSerializer, person_field
from projects.forms.registers import ActionItemForm, IssueForm
from projects.models import ActionItem, ChangeRequest, Decision, Lesson, ProjectIssue, SafetyAction, SafetyIncident


def username(source, **kwargs):
    return serializers.CharField(source=f"{source}.username", read_only=True, **kwargs)


def optional_username(source):
    return username(source, allow_null=True, default=None)


class EntrySerializer(serializers.ModelSerializer):
    """The fields every numbered entry has."""

    project = serializers.CharField(source="project.code", read_only=True)
    identifier = serializers.CharField(read_only=True)


class IssueSerializer(EntrySerializer):
    owner = username("owner")
    raised_by = username("raised_by")

    class Meta:
        model = ProjectIssue
        fields = ["identifier", "number", "project", *IssueForm.Meta.fields, "closed_on", "raised_by", "raised_at",
                  "updated_at", "version"]
        read_only_fields = fields


class IssueWriteSerializer(StrictWriteSerializer):
    """The issue page's form's fields: the number, who raised it, the closure date and version are the system's."""

    owner = person_field()

    class Meta:
        model = ProjectIssue
        fields = IssueForm.Meta.fields


class ActionItemSerializer(EntrySerializer):
    owner = username("owner")
    raised_by = username("raised_by")

    class Meta:
        model = ActionItem
        fields = ["identifier", "number", "project", *ActionItemForm.Meta.fields, "completed_on", "raised_by",
                  "raised_at", "version"]
        read_only_fields = fields


class ActionItemWriteSerializer(StrictWriteSerializer):
    """The action page's form's fields: the completion date follows the status (the service sets it)."""

    owner = person_field()

    class Meta:
        model = ActionItem
        fields = ActionItemForm.Meta.fields


class DecisionSerializer(EntrySerializer):
    change_request = serializers.CharField(source="change_request.identifier", read_only=True, allow_null=True,
                                           default=None)
    recorded_by = username("recorded_by")

    class Meta:
        model = Decision
        fields = ["identifier", "number", "project", "decided_on", "title", "rationale", "decided_by",
                  "change_request", "recorded_by", "recorded_at", "version"]
        read_only_fields = fields


class LessonSerializer(EntrySerializer):
    logged_by = username("logged_by")

    class Meta:
        model = Lesson
        fields = ["identifier", "number", "project", "event", "effect", "cause", "recommendation", "logged_by",
                  "logged_at", "version"]
        read_only_fields = fields


class ChangeRequestSerializer(EntrySerializer):
    """A change request as its page shows it; `cost_change` is the sum of its cost lines (EUR)."""

    owner = username("owner")
    raised_by = username("raised_by")
    submitted_by = optional_username("submitted_by")
    decided_by = optional_username("decided_by")
    cost_change = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    baseline_version = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ChangeRequest
        fields = ["identifier", "number", "project", "title", "description", "priority", "severity", "owner",
                  "due_date", "cost_change", "time_impact_days", "scope_impact", "quality_impact", "risk_impact",
                  "options", "recommendation", "status", "route", "raised_by", "raised_at", "updated_at",
                  "submitted_by", "submitted_at", "decided_by", "decided_at", "decision_comment",
                  "baseline_version", "version"]
        read_only_fields = fields


class SafetyActionSerializer(serializers.ModelSerializer):
    owner = username("owner")

    class Meta:
        model = SafetyAction
        fields = ["description", "owner", "due_date", "done_on"]
        read_only_fields = fields


class SafetyIncidentSerializer(EntrySerializer):
    reported_by = username("reported_by")
    actions = SafetyActionSerializer(many=True, read_only=True)

    class Meta:
        model = SafetyIncident
        fields = ["identifier", "number", "project", "occurred_on", "site", "kind", "severity", "description",
                  "people_involved", "status", "reported_by", "reported_at", "actions", "version"]
        read_only_fields = fields
