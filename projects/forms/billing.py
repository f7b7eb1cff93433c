from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.forms.base import DATE, VersionedForm
from projects.lib.amounts import TypedAmounts
from projects.models import NOTE_MAX_LENGTH, BillingMilestone


class BillingMilestoneForm(TypedAmounts, VersionedForm):
    """A billing milestone: an amount in euro or a percent of the contract value, never both."""

    class Meta:
        model = BillingMilestone
        fields = ["name", "amount", "percent", "planned_date", "order_reference", "plan_milestone", "activities",
                  "checklist_run", "acceptance_evidence"]
        widgets = {"planned_date": DATE, "acceptance_evidence": forms.Textarea(attrs={"rows": 3}),
                   "activities": forms.SelectMultiple(attrs={"size": 5})}
        help_texts = {
            "amount": _("Or leave empty and give a percent."),
            "percent": _("The amount is computed from the contract value, rounded half up to the cent."),
            "plan_milestone": _("It becomes ready to invoice by itself once this milestone is reached, its "
                                "activities are done and its checklist is signed off."),
        }

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False
        self.fields["plan_milestone"].queryset = project.milestones.all()
        self.fields["activities"].queryset = project.activities.all()
        self.fields["activities"].required = False
        self.fields["checklist_run"].queryset = project.checklist_runs.all()
        if self.instance.pk and self.instance.percent is not None:
            self.initial["amount"] = None  # the amount follows the percent

    def clean(self):
        data = super().clean()
        amount, percent = data.get("amount"), data.get("percent")
        if "amount" in data and "percent" in data:
            if amount is None and percent is None:
                self.add_error("amount", _("Give an amount or a percent of the contract value."))
            elif amount is not None and percent is not None:
                self.add_error("percent", _("Give either an amount or a percent, not both."))
            elif amount is not None and amount <= 0:
                self.add_error("amount", _("Enter an amount above zero."))
        return data

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields if name != "activities"}


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class BillingReasonForm(VersionForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=NOTE_MAX_LENGTH)


class BillingInvoiceForm(VersionForm):
    invoice_number = forms.CharField(label=_("Invoice number (Dynamics 365)"), max_length=40)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DATE)

    def clean_invoice_date(self):
        value = self.cleaned_data["invoice_date"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("An invoice date cannot be in the future."))
        return value


class BillingPaymentForm(VersionForm):
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE)

    def clean_paid_on(self):
        value = self.cleaned_data["paid_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("A payment date cannot be in the future."))
        return value


# The form each transition asks for, and the service's keyword arguments from its cleaned data.
TRANSITION_FORMS = {
    "ready": (BillingReasonForm, lambda data: {"reason": data["reason"]}),
    "cancel": (BillingReasonForm, lambda data: {"reason": data["reason"]}),
    "invoice": (BillingInvoiceForm, lambda data: {"invoice_number": data["invoice_number"],
                                                  "invoice_date": data["invoice_date"]}),
    "pay": (BillingPaymentForm, lambda data: {"paid_on": data["paid_on"]}),
}
