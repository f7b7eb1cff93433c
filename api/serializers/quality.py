"""A project's checklists (ISO 9001 and ISO 27001 reviews, site-safety inspections, last-minute risk analyses,
closing and hand-over checks) as the quality register and the checklist page show them: runs by their number
(Q-003 is 3), people by username, and for one run its items with their answers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from api.serializers.logs import EntrySerializer, optional_username, username
from projects.models import ChecklistAnswer, ChecklistEvidence, ChecklistRun


def count(help_text) -> serializers.IntegerField:
    return serializers.IntegerField(read_only=True, help_text=help_text)


class ChecklistSerializer(EntrySerializer):
    """A run as the quality register lists it: who produced it (submitted it for sign-off) and who signed
    it off, and how many of its items are answered."""

    submitted_by = optional_username("submitted_by")
    signed_off_by = optional_username("reviewer")
    signed_off_at = serializers.DateTimeField(source="signed_at", read_only=True, allow_null=True)
    items_total = count(_("How many items the checklist has."))
    items_done = count(_("Items answered (OK, not OK or not applicable)."))
    items_open = count(_("Items not answered yet."))
    items_not_ok = count(_("Items answered not OK (each raised an issue)."))
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True,
                                           help_text=_("When the checklist was last saved."))

    class Meta:
        model = ChecklistRun
        fields = ["identifier", "number", "project", "name", "standard", "phase", "template_version",
                  "planned_date", "status", "items_total", "items_done", "items_open", "items_not_ok",
                  "submitted_by", "submitted_at", "signed_off_by", "signed_off_at", "updated_at", "version"]
        read_only_fields = fields


class ChecklistEvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name", read_only=True)
    uploaded_by = username("uploaded_by")

    class Meta:
        model = ChecklistEvidence
        fields = ["name", "content_type", "size", "uploaded_by", "uploaded_at"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.ModelSerializer):
    """An item and its answer (empty while not answered)."""

    answer = serializers.ChoiceField(choices=ChecklistAnswer.Answer.choices, allow_blank=True, read_only=True,
                                     help_text=_("Empty while the item is not answered."))
    answered_by = optional_username("answered_by")
    issue = serializers.CharField(source="issue.identifier", read_only=True, allow_null=True, default=None,
                                  help_text=_("The issue a \"not OK\" answer raised (its identifier)."))
    evidence = ChecklistEvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ChecklistAnswer
        fields = ["position", "text", "guidance", "answer", "comment", "corrective_action", "answered_by",
                  "answered_at", "issue", "evidence"]
        read_only_fields = fields


class ChecklistDetailSerializer(ChecklistSerializer):
    """A run as the checklist page shows it: the register's fields and every item with its answer."""

    items = ChecklistItemSerializer(source="answers", many=True, read_only=True)

    class Meta(ChecklistSerializer.Meta):
        fields = [*ChecklistSerializer.Meta.fields, "items"]
        read_only_fields = fields
