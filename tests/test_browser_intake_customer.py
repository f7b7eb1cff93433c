"""Issue 13, item 17, in Chromium: sales adds a customer from the intake form in a dialog, the new
customer is chosen, and what was typed on the intake is still there; also with JavaScript off."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import Customer, Intake

from .browser import screenshot
from .conftest import sign_in
from .factories import CustomerFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page, selector: str) -> list[str]:
    """axe-core's serious and critical findings within the part of the page this item changed."""
    results = Axe().run(page, context=selector)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def _type_the_intake(page):
    page.goto("/intakes/new/")
    page.select_option("#id_project_type", label="Software delivery")
    page.fill("#id_title", "Fibre to the port")
    page.fill("#id_scope", "Twelve street cabinets on the quay.")
    page.fill("#id_d365_opportunity", "OPP-26-0777")
    page.fill("#id_sold_price", "125000.00")
    page.fill("#id_target_start", "2027-03-01")


def _the_intake_is_as_typed(page):
    assert page.input_value("#id_title") == "Fibre to the port"
    assert page.input_value("#id_scope") == "Twelve street cabinets on the quay."
    assert page.input_value("#id_d365_opportunity") == "OPP-26-0777"
    assert page.input_value("#id_sold_price") == "125000.00"
    assert page.input_value("#id_target_start") == "2027-03-01"


def test_sales_adds_a_customer_in_a_dialog_and_keeps_the_intake(page):
    UserFactory(username="sales", first_name="Sofie", roles=[Role.SALES])
    CustomerFactory(name="Stad Gent", vat_number="BE0403170701")
    sign_in(page, "sales")
    _type_the_intake(page)
    # The project type's template requires the D365 references: marked, as the title is.
    assert page.locator("#id_d365_quote").get_attribute("required") is not None
    assert page.locator('label[for="id_d365_quote"] .asteriskField').count() == 1
    page.select_option("#id_project_type", label="Small administrative project")
    assert page.locator("#id_d365_quote").get_attribute("required") is None
    assert page.locator('label[for="id_d365_quote"] .asteriskField').count() == 0
    page.select_option("#id_project_type", label="Software delivery")
    assert page.locator('label[for="id_d365_quote"] .asteriskField').count() == 1

    page.get_by_role("button", name="Add a customer").click()
    dialog = page.get_by_role("dialog", name="New customer")
    dialog.wait_for()
    expect(page.locator("#new-customer-name")).to_be_focused()  # focus moves into the dialog
    dialog.locator("#new-customer-name").fill("Port of Antwerp")
    dialog.locator("#new-customer-vat_number").fill("BE0202239952")  # a typo in the check digits
    dialog.get_by_role("button", name="Add and choose").click()
    dialog.get_by_text("fails its check digits").wait_for()
    assert dialog.locator("#new-customer-name").input_value() == "Port of Antwerp"
    screenshot(page, "intake-customer-dialog-error")
    assert _serious_violations(page, "#customer-dialog") == []
    dialog.locator("#new-customer-vat_number").fill("BE0202239951")
    dialog.locator("#new-customer-contact-name").fill("An Peeters")
    dialog.locator("#new-customer-contact-email").fill("an@port.example")
    screenshot(page, "intake-customer-dialog")
    dialog.get_by_role("button", name="Add and choose").click()
    dialog.wait_for(state="hidden")

    customer = Customer.objects.get(name="Port of Antwerp")
    assert page.input_value("#id_customer") == str(customer.pk)
    expect(page.get_by_role("status").filter(has_text="Customer Port of Antwerp created.")).to_be_visible()
    expect(page.locator("#id_customer")).to_be_focused()  # and back to the list
    _the_intake_is_as_typed(page)
    assert page.url.endswith("/intakes/new/")
    screenshot(page, "intake-customer-chosen")
    assert _serious_violations(page, "#intake-form") == []
    page.get_by_role("button", name="Save draft").click()
    page.get_by_text("Draft saved.").wait_for()
    intake = Intake.objects.get()
    assert (intake.title, intake.customer, intake.d365_opportunity) == ("Fibre to the port", customer, "OPP-26-0777")
    assert list(customer.contacts.values_list("email", flat=True)) == ["an@port.example"]


def test_without_javascript_the_intake_survives_adding_a_customer(browser, live_server):
    UserFactory(username="sales", first_name="Sofie", roles=[Role.SALES])
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False)
    page = context.new_page()
    try:
        sign_in(page, "sales")
        _type_the_intake(page)
        page.get_by_role("button", name="Add a customer").click()
        page.get_by_role("heading", name="New customer").wait_for()
        page.fill("#id_name", "Port of Antwerp")
        page.fill("#id_vat_number", "BE0202239951")
        page.fill("#id_contact-name", "An Peeters")
        page.fill("#id_contact-email", "an@port.example")
        page.get_by_role("button", name="Save").click()
        page.get_by_text("Customer Port of Antwerp created.").wait_for()
        customer = Customer.objects.get()
        assert page.input_value("#id_customer") == str(customer.pk)
        _the_intake_is_as_typed(page)
        page.get_by_role("button", name="Save draft").click()
        page.get_by_text("Draft saved.").wait_for()
        assert Intake.objects.get().customer == customer
    finally:
        context.close()
