from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.selectors.facts import COLOURS, DIMENSION_LABELS, DIMENSIONS

from .models import HighlightReport


class ReportForm(forms.ModelForm):
    """The PM's narrative, and per dimension an optional colour of their own with the reason."""

    edit_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = HighlightReport
        fields = ["summary", "this_period", "next_period"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ("summary", "this_period", "next_period")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["edit_version"].initial = self.instance.edit_version
        choices = [("", _("As computed")), *[(key, label) for key, label in COLOURS.items()]]
        for dimension in DIMENSIONS:
            override = self.instance.rag_overrides.get(dimension, {})
            self.fields[f"rag_{dimension}"] = forms.ChoiceField(
                label=DIMENSION_LABELS[dimension], choices=choices, required=False, initial=override.get("colour", ""))
            self.fields[f"reason_{dimension}"] = forms.CharField(
                label=_("Why"), required=False, max_length=500, initial=override.get("reason", ""))

    def clean(self):
        data = super().clean()
        for dimension in DIMENSIONS:
            if data.get(f"rag_{dimension}") and not data.get(f"reason_{dimension}", "").strip():
                self.add_error(f"reason_{dimension}", _("Say why you set this colour yourself."))
        return data

    def overrides(self) -> dict:
        return {d: {"colour": self.cleaned_data[f"rag_{d}"], "reason": self.cleaned_data[f"reason_{d}"]}
                for d in DIMENSIONS if self.cleaned_data.get(f"rag_{d}")}

    def narrative(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}
