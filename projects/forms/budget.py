from django import forms

from projects.lib.amounts import TypedAmounts
from projects.models import BudgetLine


class BudgetLineForm(TypedAmounts, forms.ModelForm):
    """One row of the budget grid: fields without labels, so the widgets carry Bootstrap's classes."""

    class Meta:
        model = BudgetLine
        fields = ["category", "description", "amount"]
        widgets = {
            "category": forms.Select(attrs={"class": "form-select"}),
            "description": forms.TextInput(attrs={"class": "form-control"}),
            "amount": forms.TextInput(attrs={"class": "form-control text-end"}),
        }


BudgetLineFormSet = forms.modelformset_factory(BudgetLine, form=BudgetLineForm, extra=2, can_delete=True)
