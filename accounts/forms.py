from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .sign_in_protection import sign_in_wait_seconds


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False)


class SlowedSignInMixin:
    """A password form that first asks accounts.sign_in_protection whether this (username, address) must
    still wait; then the password is not checked at all."""

    def clean(self):
        username = self.cleaned_data.get("username")
        wait = sign_in_wait_seconds(self.request, username) if username else 0
        if wait:
            raise forms.ValidationError(
                ngettext("Too many failed sign-ins for this username from your address. Wait %(seconds)d second "
                         "and try again.",
                         "Too many failed sign-ins for this username from your address. Wait %(seconds)d seconds "
                         "and try again.", wait),
                code="slowed", params={"seconds": wait})
        return super().clean()


class SignInForm(SlowedSignInMixin, AuthenticationForm):
    pass
