"""The portfolio read from project summaries (issue 14): 50 a page, sorted, filtered and counted in
SQL with the same figures portfolio_rows computes, never stale after a write, whatever wrote."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from procurement.services.purchase_orders import purchase_order_approve, purchase_order_create, purchase_order_submit
from projects.models import Activity, Baseline, BudgetLine, ChangeRequest, Project, ProjectIssue
from projects.services.registers import risk_create
from reporting.models import ProjectSummary
from reporting.selectors.portfolio import COLOUR_ORDER, PAGE_SIZE, portfolio_rows
from reporting.services import summaries
from reporting.services.summaries import project_summaries_refresh

from .conftest import needs_postgresql
from .factories import ProjectFactory, SupplierFactory

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _risk(project, by, score=(3, 3)):
    return risk_create(project_id=project.pk, by=by, data={
        "kind": "threat", "category": "other", "cause": "c", "event": "Storm", "effect": "e",
        "inherent_probability": score[0], "inherent_impact": score[1], "residual_probability": score[0],
        "residual_impact": score[1], "cost_impact": Decimal("0"), "proximity": "month", "response_category": "reduce",
        "response": "", "owner": by, "actionee": None, "status": "open", "review_date": TODAY})


def _varied(pm, pm2, count):
    """Projects of every colour: over budget, late, with pending changes, severe issues, high risks."""
    made = []
    for n in range(count):
        project = ProjectFactory(project_manager=pm if n % 2 else pm2, level=1 + n % 3, name=f"Varied {n}",
                                 end_date=TODAY + dt.timedelta(days=30))
        Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm,
                                end_date=TODAY + dt.timedelta(days=30))
        BudgetLine.objects.create(project=project, category="material", description="Kit", amount=Decimal("1000"),
                                  estimate_to_complete=Decimal(500 + 300 * (n % 4)))
        if n % 3 == 0:
            Activity.objects.create(project=project, name="Build", planned_start=TODAY,
                                    planned_end=TODAY + dt.timedelta(days=30 + 10 * (n % 5)))
        if n % 4 == 1:
            ChangeRequest.objects.create(project=project, number=1, title="t", description="d", owner=pm,
                                         raised_by=pm, status="submitted", route="pm")
        if n % 5 == 2:
            ProjectIssue.objects.create(project=project, number=1, title="Spec", description="d",
                                        type="off_specification", severity=4 if n % 2 else 2, owner=pm, raised_by=pm)
        if n % 6 == 3:
            _risk(project, pm, score=(5, 4) if n % 4 else (3, 3))
        made.append(project)
    return made


def _python_order(params):
    """The portfolio as it was computed before the summaries: every row, filtered and sorted in Python."""
    projects = Project.objects.filter(status__in=Project.UNDER_WAY).select_related("customer", "project_manager")
    if params.get("level"):
        projects = projects.filter(level=int(params["level"]))
    if params.get("pm"):
        projects = projects.filter(project_manager=int(params["pm"]))
    if params.get("q"):
        projects = projects.filter(code__icontains=params["q"]) | projects.filter(name__icontains=params["q"])
    rows = portfolio_rows(list(projects.order_by("code")))
    if params.get("rag"):
        rows = [row for row in rows if COLOUR_ORDER[row.worst] >= COLOUR_ORDER[params["rag"]]]
    rows.sort(key=lambda row: (-COLOUR_ORDER[row.worst], row.project.code))
    return rows


def _figures(row):
    return (row.project.pk, row.rag, row.costs.budget, row.costs.committed, row.costs.actual, row.costs.forecast,
            row.cost_variance, row.baseline_end, row.forecast_end, row.late_days, row.exception_labels, row.pending,
            row.top_risk, row.satisfaction)


def _page(client, **params):
    return client.get(reverse("reporting:portfolio"), params).context


def test_the_portfolio_shows_50_a_page(client, pmolead):
    ProjectFactory.create_batch(PAGE_SIZE + 1)
    client.force_login(pmolead)
    first, second = _page(client), _page(client, page=2)
    assert len(first["page"].object_list) == 50 and len(second["page"].object_list) == 1
    assert first["count"] == 51 and first["page"].paginator.num_pages == 2


@pytest.mark.parametrize("params", [{}, {"rag": "amber"}, {"rag": "red"}, {"level": "2"}, {"q": "varied 1"},
                                    {"q": "PRJ", "rag": "amber", "level": "1"}])
def test_sql_sort_and_filters_give_the_rows_python_gave(client, pm, pm2, pmolead, params):
    _varied(pm, pm2, 24)
    ProjectFactory(status=Project.Status.CLOSED, name="Varied closed")
    client.force_login(pmolead)
    context = _page(client, **params)
    expected = _python_order(params)
    assert [_figures(row) for row in context["page"].object_list] == [_figures(row) for row in expected]
    assert context["count"] == len(expected)
    assert params or {row.worst for row in expected} == {"green", "amber", "red"}  # the data covers every colour
    by_pm = _page(client, pm=pm.pk)
    assert [_figures(r) for r in by_pm["page"].object_list] == [_figures(r) for r in _python_order({"pm": pm.pk})]


def test_the_chart_counts_the_filtered_projects_per_dimension_and_colour(client, pm, pm2, pmolead):
    _varied(pm, pm2, 12)
    client.force_login(pmolead)
    series = {s["colour"]: s["data"] for s in _page(client, level="1")["chart"]["series"]}
    rows = _python_order({"level": "1"})
    for colour, data in series.items():
        assert data == [sum(1 for row in rows if row.rag[d] == colour)
                        for d in ("time", "cost", "scope", "quality", "risk")]


def test_a_new_risk_and_an_approved_order_show_at_once(client, pm, pmolead, support):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    Baseline.objects.create(project=project, version=1, budget=Decimal("10000"), approved_by=pm)
    client.force_login(pmolead)
    (row,) = _page(client)["page"].object_list
    assert row.rag["risk"] == "green" and row.costs.committed == 0
    _risk(project, pm, score=(5, 4))
    po = purchase_order_create(project_id=project.pk, by=support, data={
        "supplier": SupplierFactory(), "budget_line": None, "delivery_date": TODAY + dt.timedelta(days=1),
        "delivery_site": "Gent"}, lines=[{"description": "Switch", "quantity": Decimal("1"), "unit": "pc",
                                          "unit_price": Decimal("1200.00"), "vat_rate": 21}])
    purchase_order_submit(po_id=po.pk, by=support)
    (row,) = _page(client)["page"].object_list
    assert row.rag["risk"] == "red" and row.top_risk == 20 and row.pending == 1 and row.costs.committed == 0
    purchase_order_approve(po_id=po.pk, by=pm)
    (row,) = _page(client)["page"].object_list
    assert row.pending == 0 and row.costs.committed == Decimal("1200.00")


def test_a_queryset_update_marks_the_summary_too(client, pm, pmolead):
    """No signal is sent by update(); the trigger marks the summary all the same."""
    needs_postgresql()  # the dirty marks come from PL/pgSQL triggers
    project = ProjectFactory(project_manager=pm)
    Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm)
    line = BudgetLine.objects.create(project=project, category="material", description="Kit",
                                     amount=Decimal("1000"), estimate_to_complete=Decimal("0"))
    client.force_login(pmolead)
    assert _page(client)["page"].object_list[0].rag["cost"] == "green"
    BudgetLine.objects.filter(pk=line.pk).update(estimate_to_complete=Decimal("5000"))
    assert ProjectSummary.objects.get(project=project).dirty is not None
    assert _page(client)["page"].object_list[0].rag["cost"] == "red"
    assert ProjectSummary.objects.get(project=project).dirty is None


def test_a_write_racing_the_refresh_leaves_the_summary_dirty(pm):
    """The refresh read the marker, then a write came before it stored its (older) figures: the row
    must stay dirty, and the next refresh shows the write."""
    needs_postgresql()  # the dirty marks come from PL/pgSQL triggers
    project = ProjectFactory(project_manager=pm)
    project_summaries_refresh()
    ProjectFactory._meta.model.objects.filter(pk=project.pk).update(name="touched")  # marks it dirty
    summary = ProjectSummary.objects.select_related("project").get(project=project)
    read = summary.project
    read.marker = summary.dirty
    _risk(project, pm, score=(5, 4))  # the racing write: a newer marker
    summaries._store([read], TODAY)
    after = ProjectSummary.objects.get(project=project)
    assert after.dirty is not None and after.dirty > summary.dirty
    assert project_summaries_refresh() == 1
    after = ProjectSummary.objects.get(project=project)
    assert after.dirty is None and after.top_risk == 20


def test_figures_computed_yesterday_are_computed_again(client, pm, pmolead):
    project = ProjectFactory(project_manager=pm, end_date=TODAY + dt.timedelta(days=10))
    Activity.objects.create(project=project, name="Build", planned_start=TODAY,
                            planned_end=TODAY + dt.timedelta(days=30))
    client.force_login(pmolead)
    late = _page(client)["page"].object_list[0].late_days
    ProjectSummary.objects.filter(project=project).update(computed_on=TODAY - dt.timedelta(days=1), late_days=999)
    assert _page(client)["page"].object_list[0].late_days == late != 999


def test_a_deleted_project_takes_its_summary(pm):
    project = ProjectFactory(project_manager=pm)
    Activity.objects.create(project=project, name="Build", planned_start=TODAY, planned_end=TODAY)
    project_summaries_refresh()
    project.delete()
    connection.check_constraints()  # the deferred foreign keys, as at commit
    assert not ProjectSummary.objects.filter(project_id=project.pk).exists()


def test_the_portfolio_queries_do_not_grow_with_projects_or_with_what_changed(
        client, pm, pm2, pmolead, django_assert_max_num_queries):
    needs_postgresql()  # SQLite recomputes every project under way on each read (24 queries, any number)
    client.force_login(pmolead)
    for count in (3, 40):
        _varied(pm, pm2, count)
        with django_assert_max_num_queries(26):  # all of them to recompute
            _page(client)
        with django_assert_max_num_queries(10):  # nothing changed: the page alone (and the menu: a resource?)
            _page(client, page=2)


def test_the_home_lists_the_overruns_from_the_summaries(client, pm, pm2, finance):
    projects = _varied(pm, pm2, 8)
    client.force_login(finance)
    over = client.get(reverse("home")).context["over_budget"]
    expected = sorted(((r.costs.budget - r.costs.forecast, r.project.pk, r.costs.overrun)
                       for r in portfolio_rows(projects) if r.costs.over_budget))
    assert [(p.pk, c.overrun) for p, c in over] == [(pk, overrun) for _gap, pk, overrun in expected] and over
