from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from projects.forms.base import DATE, VersionedForm
from projects.forms.registers import RegisterForm
from projects.lib.amounts import TypedAmounts
from projects.models import MAX_AMOUNT, BudgetLine, ChangeRequest, CostCategory, Project, ProjectException


class ChangeRequestForm(TypedAmounts, RegisterForm):
    class Meta:
        model = ChangeRequest
        fields = ["title", "description", "priority", "severity", "owner", "due_date", "time_impact_days",
                  "price_impact", "milestones", "scope_impact", "quality_impact", "risk_impact", "options",
                  "recommendation"]
        widgets = {"due_date": DATE, "milestones": forms.CheckboxSelectMultiple,
                   **{name: forms.Textarea(attrs={"rows": 2}) for name in (
                       "description", "scope_impact", "quality_impact", "risk_impact", "options", "recommendation")}}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, project=project, **kwargs)
        self.fields["milestones"].queryset = project.milestones.all()
        self.fields["price_impact"].required = False  # left empty (or not sent, by older clients): no price impact

    def clean_price_impact(self):
        return self.cleaned_data["price_impact"] or Decimal("0")

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "milestones"}


class ChangeCostForm(TypedAmounts, forms.Form):
    """One cost impact: an existing budget line, or a new one (category and description)."""

    budget_line = forms.ModelChoiceField(label=_("Budget line"), queryset=BudgetLine.objects.none(), required=False,
                                         empty_label=_("New budget line"),
                                         widget=forms.Select(attrs={"class": "form-select"}))
    category = forms.ChoiceField(label=_("Cost category"), choices=[("", "—"), *CostCategory.choices],
                                 required=False, widget=forms.Select(attrs={"class": "form-select"}))
    description = forms.CharField(label=_("Description"), max_length=200, required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    delta = forms.DecimalField(label=_("Change (EUR)"), max_digits=14, decimal_places=2,
                               min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT,
                               widget=forms.TextInput(attrs={"class": "form-control text-end"}))

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = project.budget_lines.all()

    def clean(self):
        data = super().clean()
        if not data.get("budget_line") and "delta" in data:
            if not data.get("category"):
                self.add_error("category", _("A new budget line needs a cost category."))
            if not data.get("description", "").strip():
                self.add_error("description", _("A new budget line needs a description."))
        if data.get("budget_line") and (data.get("category") or data.get("description", "").strip()):
            self.add_error("budget_line", _("Choose “New budget line” to give a category and description; "
                                            "an existing line keeps its own."))
        if data.get("delta") == 0:
            self.add_error("delta", _("Enter a change other than zero."))
        return data


ChangeCostFormSet = forms.formset_factory(ChangeCostForm, extra=3, can_delete=True, max_num=50, validate_max=True)


def change_costs_initial(change) -> list[dict]:
    return [{"budget_line": c.budget_line_id, "category": c.category, "description": c.description, "delta": c.delta}
            for c in change.costs.all()] if change else []


def change_costs(formset) -> list[dict]:
    """The filled rows of a valid cost formset; empty and deleted rows are dropped."""
    return [form.cleaned_data for form in formset.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")]


class ChangeDecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                              required=False,
                              max_length=5000, help_text=_("Required to reject or defer."))


class TolerancesForm(TypedAmounts, forms.ModelForm):
    """The values the PMO lead started from travel along, so a concurrent change is refused."""

    was_cost = forms.CharField(widget=forms.HiddenInput)
    was_time = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = ["cost_tolerance_percent", "time_tolerance_days"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["was_cost"].initial = self.instance.cost_tolerance_percent
        self.fields["was_time"].initial = self.instance.time_tolerance_days

    def clean_was_cost(self) -> Decimal:
        try:
            return Decimal(self.cleaned_data["was_cost"])
        except ArithmeticError:
            raise ValidationError(_("Reload the page.")) from None


class ExceptionReportForm(VersionedForm):
    class Meta:
        model = ProjectException
        fields = ["cause", "consequences", "options", "recommendation"]
        widgets = {name: forms.Textarea(attrs={"rows": 3})
                   for name in ("cause", "consequences", "options", "recommendation")}
