from django import forms

from accounts.models import User
from projects import permissions
from projects.forms.base import DATE, VersionedForm
from projects.lib.amounts import TypedAmounts
from projects.models import ActionItem, Decision, Lesson, ProjectIssue, Risk


class RegisterForm(VersionedForm):
    """A register entry of one project: owners (and actionees) are chosen from its staff."""

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(pk__in=permissions.project_staff_ids(project))
        for name in ("owner", "actionee"):
            if name in self.fields:
                self.fields[name].queryset = staff
        if "severity" in self.fields and not self._meta.model._meta.get_field("severity").choices:
            # A 1-5 scale (issues, change requests); incidents have their own named severities.
            self.fields["severity"].widget = forms.Select(choices=[(n, n) for n in range(1, 6)])


class RiskForm(TypedAmounts, RegisterForm):
    class Meta:
        model = Risk
        fields = ["kind", "category", "cause", "event", "effect", "inherent_probability", "inherent_impact",
                  "residual_probability", "residual_impact", "cost_impact", "proximity", "response_category",
                  "response", "owner", "actionee", "status", "review_date", "customer_visible"]
        widgets = {"review_date": DATE, **{name: forms.Textarea(attrs={"rows": 2})
                                           for name in ("cause", "event", "effect", "response")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("inherent_probability", "inherent_impact", "residual_probability", "residual_impact"):
            self.fields[name].widget = forms.Select(choices=[(n, n) for n in range(1, 6)])


class IssueForm(RegisterForm):
    class Meta:
        model = ProjectIssue
        fields = ["type", "title", "description", "priority", "severity", "owner", "status", "due_date",
                  "customer_visible"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class DecisionLogForm(RegisterForm):
    class Meta:
        model = Decision
        fields = ["decided_on", "title", "rationale", "decided_by"]
        widgets = {"decided_on": DATE, "rationale": forms.Textarea(attrs={"rows": 3})}


class ActionItemForm(RegisterForm):
    class Meta:
        model = ActionItem
        fields = ["title", "description", "owner", "due_date", "status"]
        widgets = {"due_date": DATE, "description": forms.Textarea(attrs={"rows": 2})}


class LessonForm(RegisterForm):
    class Meta:
        model = Lesson
        fields = ["event", "effect", "cause", "recommendation"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("event", "effect", "cause", "recommendation")}
