"""Form helpers shared by every app: versioned forms (stale edits refused), dates, uploads, reasons."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from projects.domain import DomainError
from projects.lib.uploads import validate_upload
from projects.lib.vat import normalize_vat
from projects.lib.widgets import select_html

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class Select(forms.Select):
    """forms.Select for hundreds of options (a plan's activities): Django renders each option through
    a template include, 0.1-0.2 ms apiece; this prints the same markup in Python. (Its name is
    Select too: crispy prints the widget's class name as a CSS class.)"""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(select_html(self.get_context(name, value, attrs)["widget"]))  # noqa: S308 - escaped


class ReadChoices(BaseChoiceIterator):
    """Choices already read, as (value, label) pairs: a field takes them as they are, where a list
    would be normalized pair by pair for the field and again for its widget."""

    def __init__(self, pairs: list[tuple]):
        self.pairs = pairs

    def __iter__(self):
        return iter(self.pairs)


def set_choices_from(field: forms.ModelChoiceField, objects: list) -> None:
    """Choices from objects the page has read already, in the order of the field's queryset: no
    query of its own (the queryset still decides what a submitted form accepts)."""
    blank = [("", field.empty_label)] if field.empty_label is not None else []
    field.choices = ReadChoices(blank + [(item.pk, field.label_from_instance(item)) for item in objects])


class VersionedForm(forms.ModelForm):
    """Carries the version the user started from, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        else:
            self.fields["version"].required = False

    def model_values(self) -> dict:
        return model_values(self)


def posted(request):
    """The submitted data of a POST, None on GET: a form built from it is bound only when posted."""
    return request.POST if request.method == "POST" else None


def model_values(form: forms.ModelForm) -> dict:
    """The cleaned values of the model fields a form edits, for a service to save."""
    return {name: form.cleaned_data[name] for name in form._meta.fields}


def save_versioned(request, form: VersionedForm, update, done_message: str) -> bool:
    """Call `update(data, expected_version)` for a valid form; a refusal (a stale edit, say)
    becomes a form error so the user keeps what they typed. Returns whether it was saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        update(form.model_values(), form.cleaned_data["version"])
    except DomainError as error:
        form.add_error(None, str(error))
        return False
    messages.success(request, done_message)
    return True


def clean_unique_vat(form: forms.ModelForm, duplicate_message: str) -> str:
    """Normalise the VAT number and refuse one that another record of the model already has,
    naming that record."""
    vat = normalize_vat(form.cleaned_data["vat_number"])
    model = form._meta.model
    existing = model.objects.filter(vat_number=vat).exclude(pk=form.instance.pk).first()
    if existing:
        raise ValidationError(duplicate_message % {"name": existing.name, "vat": vat}, code="duplicate")
    return vat


class UploadField(forms.FileField):
    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            upload.checked_content_type = validate_upload(upload)
        return upload


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False,
                              max_length=5000)


def users_with_role(role):
    return User.objects.filter(groups__name=role, is_active=True).order_by("last_name", "first_name")
