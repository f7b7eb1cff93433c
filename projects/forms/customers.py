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


class FirstContactForm(forms.ModelForm):
    """The contact a new customer is created with: reports and the satisfaction survey go to an e-mail address."""

    prefix = "contact"

    class Meta:
        model = CustomerContact
        fields = ["name", "email", "phone", "receives_reports"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        # The one contact a new customer has is, unless unticked, who its external reports go to.
        self.fields["receives_reports"].initial = True
