from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from projects.forms.base import DATE, UploadField, VersionedForm, users_with_role
from projects.lib.amounts import TypedAmounts
from projects.models import AttachmentKind, Intake, ProjectType
from projects.selectors.intakes import INTAKE_TEMPLATE_FIELDS


class IntakeForm(TypedAmounts, VersionedForm):
    class Meta:
        model = Intake
        fields = [
            "project_type", "title", "customer", "scope", "deliverables", "d365_opportunity", "d365_quote",
            "sold_price", "estimated_cost", "target_start", "target_end", "sites", "safety_requirements",
            "security_clearance", "access_requirements",
        ]
        widgets = {
            "target_start": DATE, "target_end": DATE,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in [
                "scope", "deliverables", "sites", "safety_requirements", "security_clearance", "access_requirements"]},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = ProjectType.objects.filter(active=True)
        self.fields["project_type"].queryset = types
        # For the page's script, which marks the fields of the project type chosen.
        self.required_by_type = {"fields": INTAKE_TEMPLATE_FIELDS,
                                 "types": {str(t.pk): t.required_fields for t in types}}
        chosen = self.data.get(self.add_prefix("project_type")) if self.is_bound else self.initial.get("project_type")
        self.required_to_submit = [name for name in self.required_by_type["types"].get(str(chosen), [])
                                   if name in self.fields]
        for name in self.required_to_submit:
            self.fields[name].required = True

    def full_clean(self):
        # The template's fields are marked required (asterisk, `required`) because submitting needs
        # them, but a draft may leave them empty: the intake page lists what is missing.
        for name in self.required_to_submit:
            self.fields[name].required = False
        try:
            super().full_clean()
        finally:
            for name in self.required_to_submit:
                self.fields[name].required = True

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("target_start"), cleaned.get("target_end")
        if start and end and end < start:
            self.add_error("target_end", _("The target end cannot be before the target start."))
        return cleaned


class IntakeAttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AttachmentKind.choices)
    file = UploadField(label=_("File"))


class IntakeAcceptForm(forms.Form):
    project_manager = forms.ModelChoiceField(label=_("Project manager"), queryset=User.objects.none())
    deputy_manager = forms.ModelChoiceField(label=_("Deputy project manager"), queryset=User.objects.none(),
                                            required=False)
    support_officer = forms.ModelChoiceField(label=_("Support officer"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        managers = users_with_role(Role.PROJECT_MANAGER)
        self.fields["project_manager"].queryset = managers
        self.fields["deputy_manager"].queryset = managers
        self.fields["support_officer"].queryset = users_with_role(Role.SUPPORT_OFFICER)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("deputy_manager") and cleaned.get("deputy_manager") == cleaned.get("project_manager"):
            self.add_error("deputy_manager", _("The deputy must be someone other than the project manager."))
        return cleaned
