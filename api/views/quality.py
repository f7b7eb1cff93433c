"""A project's checklists and their state, read-only, behind the quality register's and the checklist page's
rule: the project's internals (404 otherwise). Filled, submitted and signed off on the checklist page."""

import django_filters
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from api.framework.filters import ApiFilterSet, with_updated_at
from api.serializers.quality import ChecklistDetailSerializer, ChecklistSerializer
from api.views.logs import ProjectEntries, number_parameter
from api.views.projects import CODE
from projects.models import ChecklistAnswer, ChecklistEvidence, ChecklistRun, ChecklistTemplate

OPEN = Q(answers__answer="")
NOT_OK = Q(answers__answer=ChecklistAnswer.Answer.NOT_OK)


class ChecklistFilter(ApiFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ChecklistRun.Status.choices)
    standard = django_filters.MultipleChoiceFilter(choices=ChecklistTemplate.Standard.choices)
    phase = django_filters.CharFilter(help_text=_("The phase's name, as the checklist shows it."))

    class Meta:
        model = ChecklistRun
        fields = ["status", "standard", "phase", "updated_since"]


@extend_schema_view(
    list=extend_schema(summary="List a project's checklists and their state", parameters=[CODE]),
    retrieve=extend_schema(summary="Read a checklist with its items",
                           parameters=[CODE, number_parameter("Q-003 is 3")]),
)
class ChecklistViewSet(ProjectEntries):
    queryset = ChecklistRun.objects.none()  # for the schema only: get_queryset reads through the permission module
    filterset_class = ChecklistFilter
    entries, related = "checklist_runs", ("submitted_by", "reviewer")

    def get_serializer_class(self):
        return ChecklistDetailSerializer if self.action == "retrieve" else ChecklistSerializer

    def get_queryset(self):
        # The quality register's counts, in the list's one query.
        runs = with_updated_at(super().get_queryset()).annotate(
            items_total=Count("answers"), items_open=Count("answers", filter=OPEN),
            items_done=Count("answers", filter=~OPEN), items_not_ok=Count("answers", filter=NOT_OK))
        if self.action == "retrieve":
            evidence = ChecklistEvidence.objects.select_related("uploaded_by")
            runs = runs.prefetch_related(Prefetch(
                "answers", ChecklistAnswer.objects.select_related("answered_by", "issue")
                .prefetch_related(Prefetch("evidence", evidence)).order_by("position")))
        return runs
