import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.domain import DomainError
from projects.models import Risk
from projects.services.registers import risk_create, risk_update

from .factories import ProjectFactory


@pytest.fixture
def risky(pm, support):
    return ProjectFactory(project_manager=pm, support_officer=support)


def _data(owner, **changes):
    data = {"kind": "threat", "category": "supplier", "cause": "Single fibre supplier",
            "event": "Cable delivery is late", "effect": "Installation slips two weeks",
            "inherent_probability": 4, "inherent_impact": 4, "residual_probability": 3, "residual_impact": 4,
            "cost_impact": Decimal("20000"), "proximity": "month", "response_category": "reduce",
            "response": "Second supplier quoted", "owner": owner, "actionee": None, "status": "open",
            "review_date": timezone.localdate() + dt.timedelta(days=14)}
    data.update(changes)
    return data


def test_score_and_expected_value_are_derived(pm, risky):
    risk = risk_create(project_id=risky.pk, by=pm, data=_data(pm))
    assert (risk.identifier, risk.score, risk.inherent_score) == ("R-001", 12, 16)
    assert risk.expected_value == Decimal("10000.00")  # 50 % of EUR 20,000
    assert risk_create(project_id=risky.pk, by=pm, data=_data(pm)).identifier == "R-002"


def test_the_owner_must_be_on_the_project_staff(pm, pm2, risky):
    with pytest.raises(DomainError, match="owner must be on the project's staff"):
        risk_create(project_id=risky.pk, by=pm, data=_data(pm2))
    assert not Risk.objects.exists()


def test_an_opportunity_cannot_be_avoided(pm, risky):
    with pytest.raises(DomainError, match=r"Avoid is not a possible response to this kind of risk \(Opportunity\)"):
        risk_create(project_id=risky.pk, by=pm, data=_data(pm, kind="opportunity", response_category="avoid"))


def test_probability_outside_1_to_5_and_a_typed_score_are_refused_or_ignored(client, pm, risky):
    client.force_login(pm)
    form_data = {k: (v.pk if hasattr(v, "pk") else ("" if v is None else v)) for k, v in _data(pm).items()}
    response = client.post(reverse("projects:risk_create", args=[risky.code]),
                           dict(form_data, residual_probability="7", score="25", cost_impact="20.000,00"))
    assert "less than or equal to 5" in response.content.decode()
    assert 'Cable delivery is late' in response.content.decode()
    assert not Risk.objects.exists()
    client.post(reverse("projects:risk_create", args=[risky.code]), dict(form_data, score="25"))
    assert Risk.objects.get().score == 12


def test_another_pm_cannot_edit_the_register(client, pm2, risky):
    client.force_login(pm2)
    assert client.get(reverse("projects:risk_create", args=[risky.code])).status_code == 403
    with pytest.raises(DomainError):
        risk_create(project_id=risky.pk, by=pm2, data=_data(pm2))


def test_the_heat_map_counts_open_risks_and_its_cells_filter_the_list(client, pm, risky):
    risk_create(project_id=risky.pk, by=pm, data=_data(pm))
    risk_create(project_id=risky.pk, by=pm, data=_data(pm, residual_probability=5, residual_impact=5))
    risk_create(project_id=risky.pk, by=pm, data=_data(pm, status="closed"))
    client.force_login(pm)
    response = client.get(reverse("projects:risks", args=[risky.code]))
    cells = {(p, i): (n, band) for row in response.context["heat_map"] for p, i, n, band in row}
    assert cells[(3, 4)] == (1, "medium") and cells[(5, 5)] == (1, "high") and cells[(1, 1)] == (0, "low")
    filtered = client.get(reverse("projects:risks", args=[risky.code]),
                          {"residual_probability": 5, "residual_impact": 5}).context["page"].object_list
    assert [r.number for r in filtered] == [2]


def test_risks_past_review_stand_out_on_the_project_and_the_owners_home(client, pm, risky):
    risk = risk_create(project_id=risky.pk, by=pm,
                                 data=_data(pm, review_date=timezone.localdate() - dt.timedelta(days=1)))
    client.force_login(pm)
    assert risk.identifier in client.get(risky.get_absolute_url()).content.decode()
    assert client.get(reverse("home")).context["risks_to_review"] == [risk]


def test_a_stale_risk_edit_is_refused(pm, risky):
    risk = risk_create(project_id=risky.pk, by=pm, data=_data(pm))
    risk_update(risk_id=risk.pk, by=pm, data=_data(pm, residual_impact=2), expected_version=1)
    with pytest.raises(DomainError, match="meanwhile"):
        risk_update(risk_id=risk.pk, by=pm, data=_data(pm, residual_impact=5), expected_version=1)


def test_the_risk_list_query_count_does_not_grow(client, pm, risky, django_assert_max_num_queries):
    risk_create(project_id=risky.pk, by=pm, data=_data(pm))
    client.force_login(pm)
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("projects:risks", args=[risky.code]))
    for _ in range(30):
        risk_create(project_id=risky.pk, by=pm, data=_data(pm))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("projects:risks", args=[risky.code]))


def test_the_register_exports_with_formulas_neutralised(client, pm, risky):
    from io import BytesIO

    from openpyxl import load_workbook

    risk_create(project_id=risky.pk, by=pm, data=_data(pm, event="=HYPERLINK(\"x\")"))
    client.force_login(pm)
    rows = list(load_workbook(BytesIO(client.get(reverse("projects:risk_export", args=[risky.code])).content))
                .active.iter_rows(values_only=True))
    assert rows[1][4] == "'=HYPERLINK(\"x\")" and rows[1][10] == 12
