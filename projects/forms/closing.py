from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import CustomerContact, SatisfactionSurvey


class SatisfactionForm(forms.ModelForm):
    """The customer's answers (through the link) or the PM's record of a call."""

    class Meta:
        model = SatisfactionSurvey
        fields = ["quality", "communication", "timeliness", "site_conduct", "recommend", "comments"]
        widgets = {"comments": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("quality", "communication", "timeliness", "site_conduct"):
            self.fields[name].required = True
            self.fields[name].widget = forms.RadioSelect(choices=[(n, n) for n in range(1, 6)])
        self.fields["recommend"].required = True
        self.fields["recommend"].widget = forms.RadioSelect(choices=[(n, n) for n in range(0, 11)])


class SurveySendForm(forms.Form):
    contact = forms.ModelChoiceField(label=_("Customer contact"), queryset=CustomerContact.objects.none())

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = project.customer.contacts.exclude(email="")
