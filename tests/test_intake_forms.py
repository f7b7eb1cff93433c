"""The intake form guides: the template's required fields are marked, and a customer is added
without leaving it (a dialog with JavaScript, a round trip that carries the typed values without)."""

import json
import re

from django.urls import reverse

from projects.models import Customer, Intake, ProjectType

from .factories import CustomerFactory, IntakeFactory

NEW_CUSTOMER = {"name": "Port of Antwerp", "vat_number": "BE0202239951", "language": "nl",
                "contact-name": "An Peeters", "contact-email": "an@port.example", "contact-phone": ""}
HTMX = {"HTTP_HX_REQUEST": "true"}


def _typed_intake(**changes):
    """What sales has typed on a new intake so far, before adding the customer."""
    return {"project_type": ProjectType.objects.get(name="Software delivery").pk, "title": "Fibre to the port",
            "customer": "", "scope": "Twelve cabinets", "deliverables": "", "d365_opportunity": "OPP-77",
            "d365_quote": "", "sold_price": "125000", "estimated_cost": "", "target_start": "2027-03-01",
            "target_end": "", "sites": "Quay 1", "safety_requirements": "", "security_clearance": "",
            "access_requirements": "", "version": "", **changes}


def _label_and_input(html: str, name: str) -> tuple[str, str]:
    label = re.search(rf'<label\s+for="id_{name}"[^>]*>(.*?)</label>', html, re.S).group(0)
    field = re.search(rf'<(?:input|select|textarea)[^>]*id="id_{name}"[^>]*>', html).group(0)
    return label, field


def test_the_fields_of_the_project_types_template_are_marked_required(client, sales):
    security = ProjectType.objects.get(name="Security system")
    intake = IntakeFactory(created_by=sales, project_type=security, d365_opportunity="", security_clearance="")
    client.force_login(sales)
    html = client.get(reverse("intakes:edit", args=[intake.pk])).content.decode()
    for name in ["d365_opportunity", "d365_quote", "customer", "security_clearance", "title"]:
        label, field = _label_and_input(html, name)
        assert 'class="asteriskField"' in label and " required" in field, name
    label, field = _label_and_input(html, "deliverables")  # required by Security system: yes (common)
    assert " required" in field
    small = ProjectType.objects.get(name="Small administrative project")
    intake.project_type = small
    intake.save()
    html = client.get(reverse("intakes:edit", args=[intake.pk])).content.decode()
    label, field = _label_and_input(html, "d365_opportunity")
    assert "asteriskField" not in label and " required" not in field
    # The page's script marks them again when another type is chosen: it gets each type's list.
    data = json.loads(re.search(r'id="intake-required-fields"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert data["types"][str(security.pk)] == security.required_fields and "d365_quote" in data["fields"]


def test_a_draft_may_still_leave_the_marked_fields_empty(client, sales):
    client.force_login(sales)
    response = client.post(reverse("intakes:create"), _typed_intake())
    intake = Intake.objects.get()
    assert response.status_code == 302 and intake.d365_quote == "" and intake.customer is None
    html = client.get(reverse("intakes:edit", args=[intake.pk])).content.decode()
    assert " required" in _label_and_input(html, "d365_quote")[1]  # marked, and listed as missing on the intake
    assert "D365 quote" in client.get(intake.get_absolute_url()).content.decode()


def test_the_dialog_shows_errors_with_the_values_kept_and_saves_nothing(client, sales):
    client.force_login(sales)
    dialog = client.get(reverse("customers:create"), **HTMX)
    html = dialog.content.decode()
    assert dialog.templates[0].name == "projects/_customer_dialog.html" and "<html" not in html
    assert 'hx-post="/customers/new/"' in html and 'id="new-customer-contact-email"' in html
    assert dialog["Vary"] and "HX-Request" in dialog["Vary"]
    response = client.post(reverse("customers:create"), {**NEW_CUSTOMER, "vat_number": "BE0202239952"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "fails its check digits" in html
    assert 'value="Port of Antwerp"' in html and 'value="an@port.example"' in html
    assert not Customer.objects.exists()


def test_the_dialog_creates_the_customer_with_its_contact_and_tells_the_page_which_to_choose(client, sales):
    client.force_login(sales)
    response = client.post(reverse("customers:create"), NEW_CUSTOMER, **HTMX)
    customer = Customer.objects.get()
    assert response.status_code == 204
    assert json.loads(response["HX-Trigger"]) == {"pmo:customer-created": {
        "id": customer.pk, "name": "Port of Antwerp", "message": "Customer Port of Antwerp created."}}
    assert [(c.name, c.email) for c in customer.contacts.all()] == [("An Peeters", "an@port.example")]


def test_without_javascript_the_customer_page_carries_the_intake_and_comes_back_to_it(client, sales):
    client.force_login(sales)
    typed = _typed_intake()
    page = client.post(reverse("customers:create"), {**typed, "add_customer": "1"})
    html = page.content.decode()
    assert page.templates[0].name == "projects/customer_form.html" and not page.context["form"].errors
    assert '<input type="hidden" name="intake-title" value="Fibre to the port">' in html
    carried = {f"intake-{name}": value for name, value in typed.items()}
    refused = client.post(reverse("customers:create"), {**carried, "from_intake": "1", **NEW_CUSTOMER,
                                                         "contact-email": ""})
    assert refused.context["contact_form"].errors and 'name="intake-scope" value="Twelve cabinets"' in \
        refused.content.decode()
    back = client.post(reverse("customers:create"), {**carried, "from_intake": "1", **NEW_CUSTOMER})
    customer = Customer.objects.get()
    html = back.content.decode()
    assert back.templates[0].name == "projects/intake_form.html"
    assert 'action="/intakes/new/"' in html and 'value="Fibre to the port"' in html and "Quay 1" in html
    assert f'<option value="{customer.pk}" selected>Port of Antwerp</option>' in html
    assert "Customer Port of Antwerp created." in html
    client.post(reverse("intakes:create"), {**typed, "customer": customer.pk})
    intake = Intake.objects.get()
    assert (intake.title, intake.customer, intake.scope, intake.d365_opportunity) == (
        "Fibre to the port", customer, "Twelve cabinets", "OPP-77")


def test_without_javascript_an_existing_intake_keeps_its_version_and_may_go_back_without_a_customer(
        client, sales, sales2):
    intake = IntakeFactory(created_by=sales, customer=None)
    client.force_login(sales)
    typed = _typed_intake(title="Renamed deal", version=str(intake.version))
    url = reverse("customers:create") + f"?intake={intake.pk}"
    carried = {f"intake-{name}": value for name, value in typed.items()}
    back = client.post(url, {**carried, "from_intake": "1", "back_to_intake": "1"})
    html = back.content.decode()
    assert f'action="/intakes/{intake.pk}/edit/"' in html and 'value="Renamed deal"' in html
    assert not Customer.objects.exists()
    client.post(url, {**carried, "from_intake": "1", **NEW_CUSTOMER})
    saved = client.post(reverse("intakes:edit", args=[intake.pk]),
                        {**typed, "customer": Customer.objects.get().pk})
    intake.refresh_from_db()
    assert saved.status_code == 302 and intake.title == "Renamed deal" and intake.customer.name == "Port of Antwerp"
    client.force_login(sales2)  # another salesperson cannot reach someone else's intake this way
    assert client.post(url, {**carried, "from_intake": "1", "back_to_intake": "1"}).status_code == 404
    assert client.post(reverse("customers:create") + "?intake=x", {**carried, "from_intake": "1",
                                                                   "back_to_intake": "1"}).status_code == 404


def test_the_intake_form_offers_the_dialog_and_its_no_javascript_fallback(client, sales):
    CustomerFactory(name="Stad Gent")
    client.force_login(sales)
    html = client.get(reverse("intakes:create")).content.decode()
    assert 'id="customer-dialog"' in html and 'aria-labelledby="customer-dialog-title"' in html
    assert 'name="add_customer"' in html and 'formaction="/customers/new/"' in html
    assert 'target="_blank"' not in html
