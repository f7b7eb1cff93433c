from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.base import UploadField
from projects.models import DocumentCategory


class DocumentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=DocumentCategory.choices)
    title = forms.CharField(label=_("Title"), max_length=200,
                            help_text=_("Use the title of an existing document to upload a new version of it."))
    file = UploadField(label=_("File"))
