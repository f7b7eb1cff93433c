from django import forms
from django.utils.translation import gettext_lazy as _

from projects.forms.base import VersionedForm, clean_unique_vat
from projects.models import Customer, CustomerContact


class CustomerForm(VersionedForm):
    class Meta:
        model = Customer
        fields = ["name", "vat_number", "address", "language"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_vat_number(self):
        return clean_unique_vat(self, _("Customer %(name)s already has VAT number %(vat)s."))


class CustomerContactForm(forms.ModelForm):
    class Meta:
        model = CustomerContact
        fields = ["name", "function", "email", "phone", "receives_reports"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("receives_reports") and not cleaned.get("email"):
            self.add_error("email", _("A contact who receives highlight reports needs an e-mail address."))
        return cleaned
