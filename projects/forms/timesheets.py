"""The week form (a cell per activity and day), the cost rate form and the month lock form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.base import DATE
from projects.models import DAY_LABELS, DAYS, HOURS_PER_DAY_MAX, CostRate, Resource
from projects.services.timesheets import cell_name

HOURS_MESSAGE = _("Enter between 0 and 24 hours for a day.")


class HoursField(forms.DecimalField):
    """Hours as typed in any of our languages: a decimal comma (7,5) is read as a point."""

    def to_python(self, value):
        return super().to_python(value.replace(",", ".").strip() if isinstance(value, str) else value)


class WeekForm(forms.Form):
    """Hours per activity (rows) and day (columns); a row of a timesheet already submitted is read-only."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        messages = {"min_value": HOURS_MESSAGE, "max_value": HOURS_MESSAGE, "invalid": HOURS_MESSAGE,
                    "max_decimal_places": _("At most two decimals."), "max_digits": HOURS_MESSAGE}
        for row in rows:
            for day, label, value in zip(DAYS, DAY_LABELS, row.hours):
                self.fields[cell_name(row.activity.pk, day)] = HoursField(
                    label=f"{row.activity.name} · {label}", required=False, min_value=Decimal("0"),
                    max_value=HOURS_PER_DAY_MAX, decimal_places=2, max_digits=4, initial=value,
                    disabled=not row.editable, error_messages=messages,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 4,
                                                  "class": "form-control form-control-sm text-end"}))

    def grid(self):
        """(row, [bound cell per day]) for the template."""
        return [(row, [self[cell_name(row.activity.pk, day)] for day in DAYS]) for row in self.rows]

    def hours(self) -> dict[int, list[Decimal]]:
        """What is typed in the editable rows (an empty cell is 0)."""
        return {row.activity.pk: [self.cleaned_data.get(cell_name(row.activity.pk, day)) or Decimal("0")
                                  for day in DAYS] for row in self.rows if row.editable}


class CostRateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = CostRate
        fields = ["resource", "skill", "hourly_rate", "valid_from", "valid_until"]
        widgets = {"valid_from": DATE, "valid_until": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = Resource.objects.filter(active=True)
        self.fields["resource"].help_text = _("Or leave empty and name a skill.")
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        if not data.get("resource") and not (data.get("skill") or "").strip():
            self.add_error("resource", _("Choose a person or name a skill."))
        return data

    def values(self) -> dict:
        return {f: self.cleaned_data.get(f) for f in self.Meta.fields}


class MonthLockForm(forms.Form):
    month = forms.DateField(label=_("Month to lock"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Why it goes back"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
