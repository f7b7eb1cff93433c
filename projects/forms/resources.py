from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from projects.forms.base import DATE, users_with_role
from projects.lib.amounts import TypedAmounts
from projects.models import Absence, Resource


class ResourceForm(TypedAmounts, forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["name", "user", "team_manager", "skills", "home_site", "weekly_capacity_hours", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team_manager"].queryset = users_with_role(Role.ENGINEERING_MANAGER)


class AbsenceForm(forms.ModelForm):
    class Meta:
        model = Absence
        fields = ["start", "end", "reason"]
        widgets = {"start": DATE, "end": DATE}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return cleaned


class AssignmentForm(TypedAmounts, forms.Form):
    resource = forms.ModelChoiceField(label=_("Resource"), queryset=Resource.objects.filter(active=True))
    hours_per_week = forms.DecimalField(label=_("Hours per week"), max_digits=4, decimal_places=1,
                                        min_value=Decimal("0.5"), max_value=Decimal("60"))
    confirm_overbooking = forms.BooleanField(label=_("Book even if over-booked"), required=False)
