from decimal import Decimal

import pytest
from django.urls import reverse

from projects.lib.amounts import normalize_amount

from .factories import IntakeFactory


@pytest.mark.parametrize(("typed", "language", "value"), [
    ("48500,50", "nl", "48500.50"), ("48.500,50", "nl", "48500.50"), ("48 500,50", "fr", "48500.50"),
    ("48500.50", "nl", "48500.50"), ("48.500", "nl", "48500"), ("48.500", "en", "48.500"),
    ("48,500.50", "en", "48500.50"), ("48500,50", "en", "48500.50"), ("1.234.567", "fr", "1234567"),
    ("abc", "nl", "abc"),
])
def test_amounts_are_read_as_belgian_users_type_them(typed, language, value):
    assert normalize_amount(typed, language) == value


def test_a_dutch_price_with_a_decimal_comma_is_saved_right(client, sales):
    sales.language = "nl"
    sales.save()
    intake = IntakeFactory(created_by=sales)
    client.force_login(sales)
    data = {f: getattr(intake, f) or "" for f in ("title", "scope", "deliverables", "d365_opportunity", "d365_quote",
                                                   "sites", "safety_requirements", "security_clearance",
                                                   "access_requirements")}
    data.update({"project_type": intake.project_type_id, "customer": intake.customer_id, "sold_price": "48.500,50",
                 "estimated_cost": "31200", "target_start": "2027-01-04", "target_end": "2027-02-01", "version": 1})
    response = client.post(reverse("intakes:edit", args=[intake.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    intake.refresh_from_db()
    assert intake.sold_price == Decimal("48500.50")
    html = client.get(reverse("intakes:edit", args=[intake.pk])).content.decode()
    assert 'inputmode="decimal"' in html and 'type="number"' not in html
