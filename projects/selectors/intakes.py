"""Reads of intakes: completeness against the project type's template, the filtered list, what a
user may do with one."""

import django_filters
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from projects.lib.workflow import Transition
from projects.models import AttachmentKind, Intake, ProjectType
from projects.permissions import intakes_visible_to
from projects.workflows import INTAKE

# Fields an intake template may require, in form order.
INTAKE_TEMPLATE_FIELDS = [
    "customer", "scope", "deliverables", "d365_opportunity", "d365_quote", "sold_price", "estimated_cost",
    "target_start", "target_end", "sites", "safety_requirements", "security_clearance", "access_requirements",
]


def intake_actions_for_user(user, intake: Intake) -> dict[str, Transition]:
    """Submit (sales, on a draft or returned intake); accept, return, reject (a reviewer, once submitted)."""
    return INTAKE.available(user, intake)


def intake_missing(intake: Intake) -> list[str]:
    """What the intake's template requires and the intake lacks, by label."""
    template = intake.project_type
    missing = [
        capfirst(Intake._meta.get_field(name).verbose_name)
        for name in ["title", *template.required_fields]
        if getattr(intake, name) in (None, "")
    ]
    present = {a.kind for a in intake.attachments.all()}
    labels = dict(AttachmentKind.choices)
    missing += [_("Attachment: %(kind)s") % {"kind": labels[kind]}
                for kind in template.required_attachments if kind not in present]
    return missing


def intake_completeness(intake: Intake) -> tuple[int, list[str]]:
    missing = intake_missing(intake)
    required = 1 + len(intake.project_type.required_fields) + len(intake.project_type.required_attachments)
    return round(100 * (required - len(missing)) / required), missing


class IntakeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Intake.Status.choices)
    project_type = django_filters.ModelChoiceFilter(label=_("Project type"), queryset=None)

    class Meta:
        model = Intake
        fields = ["q", "status", "project_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["project_type"].queryset = ProjectType.objects.all()

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(customer__name__icontains=value))


def intake_list_for_user(user, params) -> IntakeFilter:
    """The review queue shows the oldest submission first; other states newest first."""
    intakes = intakes_visible_to(user).select_related("customer", "project_type", "created_by", "project")
    order = ["submitted_at", "pk"] if params.get("status") == Intake.Status.SUBMITTED else ["-created_at", "-pk"]
    return IntakeFilter(params, queryset=intakes.order_by(*order))
