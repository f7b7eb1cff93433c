from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import localize
from django.utils.translation import gettext_lazy as _

from projects.forms.base import DATE, VersionedForm, clean_unique_vat
from projects.lib.amounts import TypedAmounts, money
from projects.models import MAX_AMOUNT

from .models import PurchaseOrder, PurchaseOrderLine, Supplier, cents

CENT = Decimal("0.01")


class SupplierForm(VersionedForm):
    class Meta:
        model = Supplier
        fields = ["name", "kind", "vat_number", "address", "contact_name", "contact_email", "language",
                  "payment_terms_days", "active"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def clean_vat_number(self):
        return clean_unique_vat(self, _("Supplier %(name)s already has VAT number %(vat)s."))


class PurchaseOrderForm(VersionedForm):
    class Meta:
        model = PurchaseOrder
        fields = ["supplier", "budget_line", "delivery_date", "delivery_site", "notes"]
        widgets = {"delivery_date": DATE, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.supplier_id if self.instance.pk else None
        self.fields["supplier"].queryset = Supplier.objects.filter(active=True) | Supplier.objects.filter(pk=current)
        self.fields["budget_line"].queryset = project.budget_lines.all()

    def clean_delivery_date(self):
        date = self.cleaned_data["delivery_date"]
        if date < timezone.localdate():
            raise forms.ValidationError(_("The delivery date is in the past."), code="past")
        return date

    def model_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class PurchaseOrderLineForm(TypedAmounts, forms.Form):
    description = forms.CharField(label=_("Description"), max_length=300)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=12, decimal_places=2,
                                  validators=[MinValueValidator(CENT), MaxValueValidator(Decimal("1000000"))])
    unit = forms.CharField(label=_("Unit"), max_length=20, initial="pc")
    unit_price = forms.DecimalField(label=_("Unit price (EUR)"), max_digits=12, decimal_places=2,
                                    validators=[MinValueValidator(CENT), MaxValueValidator(MAX_AMOUNT)])
    vat_rate = forms.TypedChoiceField(label=_("VAT rate"), coerce=int, choices=PurchaseOrderLine.VatRate.choices,
                                      initial=21)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select" if name == "vat_rate" else "form-control"

    def clean(self):
        cleaned = super().clean()
        quantity, price = cleaned.get("quantity"), cleaned.get("unit_price")
        if quantity and price and cents(quantity * price) > settings.PMO_MAX_ORDER_TOTAL:
            self.add_error("unit_price", order_too_large(cents(quantity * price), _(
                "This line comes to EUR %(total)s, more than a purchase order may total (EUR %(max)s). Check the "
                "quantity and the unit price, or split the purchase over several orders.")))
        return cleaned


def order_too_large(total: Decimal, message) -> forms.ValidationError:
    return forms.ValidationError(message % {"total": money(total), "max": money(settings.PMO_MAX_ORDER_TOTAL)},
                                 code="order_too_large")


class BasePurchaseOrderLineFormSet(forms.BaseFormSet):
    def clean(self):
        """The order's total is bounded here, before the lines reach the database (which stores 14 digits)."""
        super().clean()
        if any(form.errors for form in self.forms):
            return
        total = sum((cents(line["quantity"] * line["unit_price"]) for line in line_values(self)), Decimal("0"))
        if total > settings.PMO_MAX_ORDER_TOTAL:
            raise order_too_large(total, _(
                "This order comes to EUR %(total)s, more than a purchase order may total (EUR %(max)s). Check the "
                "quantities and the unit prices, or split the purchase over several orders."))


PurchaseOrderLineFormSet = forms.formset_factory(PurchaseOrderLineForm, formset=BasePurchaseOrderLineFormSet, extra=3,
                                                 min_num=1, validate_min=True)


def line_values(formset) -> list[dict]:
    return [form.cleaned_data for form in formset if form.cleaned_data and not form.cleaned_data.get("DELETE")]


def initial_lines(po: PurchaseOrder) -> list[dict]:
    return [{"description": line.description, "quantity": line.quantity, "unit": line.unit,
             "unit_price": line.unit_price, "vat_rate": line.vat_rate} for line in po.lines.all()]


class ReceiptForm(TypedAmounts, forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DATE)

    def __init__(self, *args, lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("received_on", timezone.localdate())
        self.lines = lines
        for line in lines:
            self.fields[f"line_{line.pk}"] = forms.DecimalField(
                label=line.description, required=False, max_digits=12, decimal_places=2,
                min_value=Decimal("0"), widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control"}),
                help_text=_("%(open)s of %(ordered)s %(unit)s still open")
                % {"open": localize(line.open_quantity.normalize()), "ordered": localize(line.quantity.normalize()),
                   "unit": line.unit})
        self.type_amounts()

    def clean_received_on(self):
        date = self.cleaned_data["received_on"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("Goods cannot be received in the future."), code="future")
        return date

    def quantities(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data.get(f"line_{line.pk}") or Decimal("0") for line in self.lines}


class InvoiceForm(TypedAmounts, forms.Form):
    supplier_reference = forms.CharField(label=_("Supplier's invoice number"), max_length=50)
    invoice_date = forms.DateField(label=_("Invoice date"), widget=DATE)
    net_amount = forms.DecimalField(label=_("Net amount (EUR)"), max_digits=14, decimal_places=2,
                                    validators=[MinValueValidator(CENT), MaxValueValidator(MAX_AMOUNT)])

    def clean_invoice_date(self):
        date = self.cleaned_data["invoice_date"]
        if date > timezone.localdate():
            raise forms.ValidationError(_("An invoice cannot be dated in the future."), code="future")
        return date


class EstimatesForm(TypedAmounts, forms.Form):
    """One estimate-to-complete field per budget line of the project."""

    def __init__(self, *args, budget_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.budget_lines = list(budget_lines)
        for line in self.budget_lines:
            self.fields[f"etc_{line.pk}"] = forms.DecimalField(
                label=str(line), max_digits=14, decimal_places=2, initial=line.estimate_to_complete,
                validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
                widget=forms.TextInput(attrs={"inputmode": "decimal",
                                              "class": "form-control form-control-sm text-end"}))
        self.type_amounts()

    def estimates(self) -> dict[int, Decimal]:
        return {line.pk: self.cleaned_data[f"etc_{line.pk}"] for line in self.budget_lines}
