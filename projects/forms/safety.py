from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects import permissions
from projects.forms.base import DATE
from projects.forms.registers import RegisterForm
from projects.models import SafetyIncident


class SafetyIncidentForm(RegisterForm):
    class Meta:
        model = SafetyIncident
        fields = ["occurred_on", "site", "kind", "severity", "description", "people_involved", "status"]
        widgets = {"occurred_on": DATE, "description": forms.Textarea(attrs={"rows": 3}),
                   "people_involved": forms.Textarea(attrs={"rows": 2})}


class SafetyActionForm(forms.Form):
    description = forms.CharField(label=_("Action"), max_length=300)
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(pk__in=permissions.project_staff_ids(project))
