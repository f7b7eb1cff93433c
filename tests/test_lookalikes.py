"""Look-alike input: digits of other widths or scripts in VAT numbers, bidirectional controls in names."""

import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from procurement.models import Supplier
from procurement.services.purchase_orders import purchase_order_create, purchase_order_send, purchase_order_submit
from projects.lib.text import plain_digits, strip_bidi_controls
from projects.lib.vat import normalize_vat, validate_vat
from projects.models import Baseline, BudgetLine, Customer

from .factories import CustomerFactory, ProjectFactory, SupplierFactory

FULL_WIDTH = "BE0\uff14\uff11\uff17\uff14\uff19\uff17\uff11\uff10\uff16"  # BE0417497106 in full-width digits
ARABIC_INDIC = "BE\u0660\u0664\u0661\u0667\u0664\u0669\u0667\u0661\u0660\u0666"
FIRST_CONTACT = {"contact-name": "An Peeters", "contact-email": "an@port.example"}  # a new customer comes with one


@pytest.mark.parametrize("typed", [FULL_WIDTH, ARABIC_INDIC, "\uff22\uff25 0417.497.106", "BE0417\u202e497106"])
def test_vat_numbers_are_read_in_plain_digits(typed):
    assert normalize_vat(typed) == "BE0417497106"
    validate_vat(typed)


def test_digits_of_every_script_are_read_and_look_alike_letters_refused():
    assert plain_digits("\u0b67\u0967\uff11\u00b9") == "1111"  # Oriya, Devanagari, full-width, superscript
    with pytest.raises(ValidationError, match="EU country code"):
        validate_vat("\u0412\u04150417497106")  # Cyrillic VE: looks like BE, is not


@pytest.mark.parametrize("typed", [FULL_WIDTH, ARABIC_INDIC])
def test_a_supplier_vat_number_in_full_width_digits_is_caught_as_a_duplicate(client, support, typed):
    SupplierFactory(name="Fluvius Materials", vat_number="BE0417497106")
    client.force_login(support)
    response = client.post(reverse("procurement:supplier_create"), {
        "name": "Other", "kind": "supplier", "vat_number": typed, "contact_email": "a@b.be", "language": "nl",
        "payment_terms_days": 30})
    assert "Supplier Fluvius Materials already has VAT number BE0417497106." in response.content.decode()
    assert Supplier.objects.count() == 1


def test_a_customer_vat_number_in_full_width_digits_is_caught_and_saved_plain(client, sales):
    client.force_login(sales)
    client.post(reverse("customers:create"), {"name": "Port", "vat_number": FULL_WIDTH, "language": "nl",
                                              **FIRST_CONTACT})
    assert Customer.objects.get().vat_number == "BE0417497106"
    response = client.post(reverse("customers:create"), {"name": "Twin", "vat_number": ARABIC_INDIC, "language": "nl",
                                                         **FIRST_CONTACT})
    assert "Customer Port already has VAT number BE0417497106." in response.content.decode()
    assert Customer.objects.count() == 1


@pytest.mark.parametrize("control", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
                                     "\u2069", "\u200e", "\u200f", "\u061c"])
def test_every_bidirectional_control_is_stripped(control):
    assert strip_bidi_controls(f"invoice{control}fdp.exe") == "invoicefdp.exe"


def test_a_right_to_left_override_in_a_supplier_name_does_not_reach_the_supplier_pdf(
        client, support, pm, django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(support)
    response = client.post(reverse("procurement:supplier_create"), {
        "name": "invoice\u202efdp.exe", "kind": "supplier", "vat_number": "BE0477445084",
        "contact_name": "An\u2067 Peeters\u2069", "contact_email": "a@b.be", "language": "en",
        "payment_terms_days": 30, "address": "Straat\u200f 1", "active": "on"})
    assert response.status_code == 302
    supplier = Supplier.objects.get()
    assert (supplier.name, supplier.contact_name, supplier.address) == ("invoicefdp.exe", "An Peeters", "Straat 1")

    project = ProjectFactory(project_manager=pm)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("8000"))
    Baseline.objects.create(project=project, version=1, budget=Decimal("8000.00"), approved_by=pm)
    po = purchase_order_create(project_id=project.pk, by=pm, data={
        "supplier": supplier, "budget_line": None, "delivery_date": "2030-01-07", "delivery_site": "Gent"},
        lines=[{"description": "Switch", "quantity": Decimal("1"), "unit": "pc", "unit_price": Decimal("10"),
                "vat_rate": 21}])
    po = purchase_order_submit(po_id=po.pk, by=pm)
    with django_capture_on_commit_callbacks(execute=True):
        purchase_order_send(po_id=po.pk, by=pm)
    _name, content, _type = mail.outbox[-1].attachments[0]
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    assert "invoicefdp.exe" in text and "An Peeters" in text
    assert "invoiceexe" not in text and not any(ch in text for ch in "\u202e\u2067\u2069\u200f")


def test_names_typed_in_any_form_lose_their_bidirectional_controls(client, sales):
    customer = CustomerFactory(vat_number="BE0403170701")
    client.force_login(sales)
    client.post(reverse("customers:contact_add", args=[customer.pk]),
                {"name": "\u202eAn Peeters", "email": "an@gent.be"})
    client.post(reverse("customers:create"), {"name": "Stad\u202e Gent", "vat_number": "BE0202239951",
                                              "language": "nl", "address": "Botermarkt\u2066 1",
                                              "contact-name": "Jan\u202e Peeters", "contact-email": "jan@gent.be"})
    assert list(customer.contacts.values_list("name", flat=True)) == ["An Peeters"]
    created = Customer.objects.get(name="Stad Gent", address="Botermarkt 1")
    assert list(created.contacts.values_list("name", flat=True)) == ["Jan Peeters"]
