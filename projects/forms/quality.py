from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.base import UploadField
from projects.models import ChecklistAnswer, ChecklistTemplate


class ChecklistItemForm(forms.Form):
    """One item of a checklist run: the answer, why (required for not OK and not applicable), the
    corrective action of a not OK, and optionally a piece of evidence."""

    answer = forms.ChoiceField(label=_("Answer"), choices=ChecklistAnswer.Answer.choices, required=False,
                               widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 1, "class": "form-control form-control-sm"}))
    corrective_action = forms.CharField(label=_("Corrective action"), required=False, max_length=2000,
                                        widget=forms.Textarea(attrs={"rows": 1,
                                                                     "class": "form-control form-control-sm"}))
    evidence = UploadField(label=_("Evidence"), required=False,
                           widget=forms.ClearableFileInput(attrs={"class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        if data.get("answer") in (ChecklistAnswer.Answer.NOT_OK, ChecklistAnswer.Answer.NOT_APPLICABLE) \
                and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why: a comment is required for not OK and not applicable."))
        if data.get("answer") == ChecklistAnswer.Answer.NOT_OK and not data.get("corrective_action", "").strip():
            self.add_error("corrective_action", _("Say what will be done: a not OK needs a corrective action."))
        return data


class ChecklistStartForm(forms.Form):
    template = forms.ModelChoiceField(label=_("Checklist"), queryset=ChecklistTemplate.objects.filter(active=True))
    phase = forms.CharField(label=_("Phase"), max_length=100, required=False)
