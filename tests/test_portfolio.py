"""The PMO lead's portfolio: status per dimension from the data, filters, export, constant queries."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from projects.models import Activity, BudgetLine, ChangeRequest, Project, ProjectException
from projects.services.budget import budget_submit
from projects.services.registers import risk_create

from .factories import ProjectFactory

TODAY = timezone.localdate()


def _project(pm, support, amount="100000", **fields):
    project = ProjectFactory(project_manager=pm, support_officer=support, end_date=TODAY + dt.timedelta(days=60),
                             **fields)
    BudgetLine.objects.create(project=project, category="material", description="Kit", amount=Decimal(amount),
                              estimate_to_complete=Decimal("0"))
    budget_submit(project_id=project.pk, by=pm)
    return project


def _fill(pm, support, count):
    for _ in range(count):
        project = _project(pm, support)
        Activity.objects.create(project=project, name="Build", planned_start=TODAY,
                                planned_end=TODAY + dt.timedelta(days=70))
        risk_create(project_id=project.pk, by=pm, data={
            "kind": "threat", "category": "other", "cause": "c", "event": "Storm", "effect": "e",
            "inherent_probability": 3, "inherent_impact": 3, "residual_probability": 3, "residual_impact": 3,
            "cost_impact": Decimal("0"), "proximity": "month", "response_category": "reduce", "response": "",
            "owner": pm, "actionee": None, "status": "open", "review_date": TODAY})
        ChangeRequest.objects.create(project=project, number=1, title="t", description="d", owner=pm,
                                     raised_by=support, status="submitted", route="pm")
        ProjectException.objects.create(project=project, kind="time", summary="late")


def test_the_portfolio_shows_each_dimension_and_its_queries_do_not_grow(
        client, pm, support, pmolead, django_assert_num_queries, django_assert_max_num_queries):
    _fill(pm, support, 2)
    client.force_login(pmolead)
    with django_assert_max_num_queries(26) as small:  # +1: approved labour (costs_by_project)
        client.get(reverse("reporting:portfolio"))
    _fill(pm, support, 10)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("reporting:portfolio"))
    row = response.context["page"].object_list[0]
    # 70 days of work end ~7 working days after the baseline end (60 days): amber; a pending change: amber
    assert row.rag == {"time": "amber", "cost": "green", "scope": "amber", "quality": "green", "risk": "amber"}
    assert row.exception_labels == ["Time"] and row.pending == 1 and row.top_risk == 9
    assert response.context["count"] == 12
    assert response.context["chart"]["series"][1]["data"] == [12, 0, 12, 0, 12]  # amber per dimension


def test_filters_and_export(client, pm, pm2, support, pmolead):
    calm = _project(pm, support, name="Calm")
    over = _project(pm2, support, name="Overrun")
    BudgetLine.objects.filter(project=over).update(estimate_to_complete=Decimal("150000"))
    ProjectFactory(project_manager=pm, status=Project.Status.CLOSED)
    client.force_login(pmolead)
    assert [r.project for r in client.get(reverse("reporting:portfolio")).context["page"].object_list] == [over, calm]
    red = client.get(reverse("reporting:portfolio"), {"rag": "red"}).context["page"].object_list
    assert [(r.project, r.rag["cost"]) for r in red] == [(over, "red")]
    assert [r.project for r in client.get(reverse("reporting:portfolio"), {"pm": pm.pk}).context["page"].object_list] \
        == [calm]
    rows = list(load_workbook(BytesIO(client.get(reverse("reporting:portfolio_export"), {"q": "Overrun"}).content))
                .active.values)
    assert rows[0][:2] == ("Project", "Name") and rows[1][0] == over.code and rows[1][7] == "Red"
    assert len(rows) == 2
