import pytest
from django.urls import reverse

from projects.lib.vat import validate_vat
from projects.models import Customer
from projects.services.customers import customer_update

from .factories import CustomerFactory

CONTACT = {"contact-name": "An Peeters", "contact-email": "an@port.example", "contact-phone": "+32 3 123 45 67"}


@pytest.mark.parametrize("vat", ["BE0403170701", "be 0403.170.701", "NL123456789B01", "FR40303265045", "DE123456789"])
def test_valid_vat_numbers(vat):
    validate_vat(vat)


@pytest.mark.parametrize(("vat", "message"), [
    ("BE0403170702", "fails its check digits"),
    ("BE403170701", "10 digits"),
    ("US123456789", "EU country code"),
    ("NL123456789", "not a valid VAT number format for NL"),
])
def test_invalid_vat_numbers(vat, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        validate_vat(vat)


def test_a_duplicate_vat_number_names_the_first_customer(client, sales):
    CustomerFactory(name="Stad Gent", vat_number="BE0403170701")
    client.force_login(sales)
    response = client.post(reverse("customers:create"), {"name": "City of Ghent", "vat_number": "BE 0403.170.701",
                                                         "language": "nl", **CONTACT})
    assert "Customer Stad Gent already has VAT number BE0403170701." in response.content.decode()
    assert 'value="City of Ghent"' in response.content.decode()
    assert Customer.objects.count() == 1


def test_a_customer_is_saved_with_a_normalised_vat_number_and_its_first_contact(client, sales):
    client.force_login(sales)
    client.post(reverse("customers:create"), {"name": "Port", "vat_number": "be0202.239.951", "language": "nl",
                                              **CONTACT})
    customer = Customer.objects.get()
    assert customer.vat_number == "BE0202239951" and customer.created_by == sales
    assert list(customer.contacts.values_list("name", "email", "phone")) == [
        ("An Peeters", "an@port.example", "+32 3 123 45 67")]


def test_a_new_customer_needs_a_first_contact_with_an_e_mail_address_or_nothing_is_saved(client, sales):
    client.force_login(sales)
    response = client.post(reverse("customers:create"), {"name": "Port", "vat_number": "BE0202239951",
                                                         "language": "fr", "contact-name": "An Peeters"})
    assert response.status_code == 200
    assert response.context["contact_form"].errors == {"email": ["This field is required."]}
    assert 'value="Port"' in response.content.decode() and 'value="An Peeters"' in response.content.decode()
    assert not Customer.objects.exists()


def test_a_stale_customer_edit_is_refused(client, support):
    customer = CustomerFactory(vat_number="BE0403170701")
    customer_update(customer_id=customer.pk, by=support, data={"name": "New name"}, expected_version=1)
    client.force_login(support)
    response = client.post(reverse("customers:edit", args=[customer.pk]), {
        "name": "Late name", "vat_number": "BE0403170701", "language": "nl", "version": 1})
    assert "Someone else saved this customer meanwhile" in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == "New name"


def test_contacts_are_added_with_validation(client, sales):
    customer = CustomerFactory(vat_number="BE0403170701")
    client.force_login(sales)
    response = client.post(reverse("customers:contact_add", args=[customer.pk]),
                           {"name": "An", "email": "not-an-email"})
    assert "Enter a valid email address" in response.content.decode()
    client.post(reverse("customers:contact_add", args=[customer.pk]), {"name": "An Peeters", "email": "an@gent.be"})
    assert list(customer.contacts.values_list("name", flat=True)) == ["An Peeters"]
