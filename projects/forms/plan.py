from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.base import DATE, Select, VersionedForm, set_choices_from
from projects.lib.amounts import TypedAmounts
from projects.models import Activity, Milestone


class ActivityForm(TypedAmounts, VersionedForm):
    class Meta:
        model = Activity
        fields = ["phase", "name", "kind", "planned_start", "planned_end", "effort_hours", "percent_complete",
                  "status"]
        widgets = {"planned_start": DATE, "planned_end": DATE}

    def __init__(self, *args, project, phases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()
        if phases is not None:
            set_choices_from(self.fields["phase"], phases)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("planned_start"), cleaned.get("planned_end")
        if start and end and end < start:
            self.add_error("planned_end", _("The end cannot be before the start."))
        return cleaned


class DependencyForm(forms.Form):
    predecessor = forms.ModelChoiceField(label=_("Predecessor"), queryset=Activity.objects.none(),
                                         widget=Select)
    successor = forms.ModelChoiceField(label=_("Successor"), queryset=Activity.objects.none(), widget=Select)
    lag_days = forms.IntegerField(label=_("Lag (days)"), initial=0, min_value=-30, max_value=365)

    def __init__(self, *args, project, activities=None, **kwargs):
        """`activities`: the project's activities in their usual order, when the page has read them
        already (see set_choices_from)."""
        super().__init__(*args, **kwargs)
        # Only this project's activities: a crafted id of another project's activity is "not a valid choice".
        self.fields["predecessor"].queryset = self.fields["successor"].queryset = project.activities.all()
        if activities is not None:
            set_choices_from(self.fields["predecessor"], activities)
            set_choices_from(self.fields["successor"], activities)


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["phase", "name", "baseline_date", "forecast_date"]
        widgets = {"baseline_date": DATE, "forecast_date": DATE}

    def __init__(self, *args, project, phases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = project.phases.all()
        if phases is not None:
            set_choices_from(self.fields["phase"], phases)
