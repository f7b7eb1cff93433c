import re

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.events import EventType
from projects.models import Project

from .addresses import address_problem


class SubscriptionForm(forms.Form):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https",
                         help_text=_("Where the events are posted, as JSON (http or https)."))
    description = forms.CharField(label=_("Description"), max_length=200, required=False,
                                  help_text=_("Which system receives them, for the people who look later."))
    event_types = forms.MultipleChoiceField(label=_("Events"), choices=EventType.choices,
                                            widget=forms.CheckboxSelectMultiple)
    # Codes rather than a list to pick from: there are thousands of projects.
    project_codes = forms.CharField(label=_("Projects"), required=False, max_length=2000,
                                    help_text=_("Project codes separated by spaces or commas; empty: every project."))

    def clean_url(self):
        url = self.cleaned_data["url"]
        problem = address_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean_project_codes(self):
        codes = list(dict.fromkeys(c.upper() for c in re.split(r"[\s,;]+", self.cleaned_data["project_codes"]) if c))
        projects = list(Project.objects.filter(code__in=codes))
        unknown = set(codes) - {p.code for p in projects}
        if unknown:
            raise forms.ValidationError(_("No project has the code %(codes)s.") % {"codes": ", ".join(sorted(unknown))})
        return projects

    @classmethod
    def initial_of(cls, subscription) -> dict:
        return {"url": subscription.url, "description": subscription.description,
                "event_types": subscription.event_types,
                "project_codes": " ".join(sorted(p.code for p in subscription.projects.all()))}

    def data_for_service(self) -> dict:
        data = dict(self.cleaned_data)
        data["projects"] = data.pop("project_codes")
        return data
