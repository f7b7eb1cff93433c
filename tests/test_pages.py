from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Notification

from .factories import ProjectFactory


def _query_count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_project_list_query_count_does_not_grow_with_rows(client, pmolead, pm, django_assert_max_num_queries):
    ProjectFactory.create_batch(2, project_manager=pm)
    client.force_login(pmolead)
    with django_assert_max_num_queries(10):
        few = _query_count(client, reverse("projects:list"))
    ProjectFactory.create_batch(60, project_manager=pm)
    assert _query_count(client, reverse("projects:list")) == few


def test_project_list_paginates_and_searches(client, pmolead):
    ProjectFactory.create_batch(30)
    target = ProjectFactory(name="Fibre backbone")
    client.force_login(pmolead)
    page = client.get(reverse("projects:list")).context["page"]
    assert len(page.object_list) == 25 and page.paginator.count == 31
    found = client.get(reverse("projects:list"), {"q": "backbone"}).context["page"]
    assert list(found.object_list) == [target]


def test_sales_see_only_the_projects_of_their_deals(client, sales, sales2, project):
    ProjectFactory(sales_owner=sales2)
    client.force_login(sales)
    assert list(client.get(reverse("projects:list")).context["page"].object_list) == [project]


def test_sales_see_the_header_but_no_history_link(client, sales, project):
    client.force_login(sales)
    html = client.get(project.get_absolute_url()).content.decode()
    assert project.name in html
    assert reverse("projects:history", args=[project.code]) not in html


def test_home_shows_my_projects_and_unread_notifications(client, pm, project):
    ProjectFactory()  # another PM's project: not among mine
    Notification.objects.create(recipient=pm, subject="Budget approved for PRJ")
    client.force_login(pm)
    response = client.get(reverse("home"))
    assert [p for p, _costs in response.context["my_projects"]] == [project]
    assert "Budget approved for PRJ" in response.content.decode()
    assert response.context["portfolio"] is None


def test_home_shows_the_portfolio_to_the_pmo_lead(client, pmolead, project):
    client.force_login(pmolead)
    portfolio = {value: count for _, value, count in client.get(reverse("home")).context["portfolio"]}
    assert portfolio["execution"] == 1 and portfolio["closed"] == 0


def test_home_query_count_does_not_grow_with_rows(client, pm, django_assert_max_num_queries):
    ProjectFactory(project_manager=pm)
    client.force_login(pm)
    few = _query_count(client, reverse("home"))
    ProjectFactory.create_batch(30, project_manager=pm)
    Notification.objects.bulk_create([Notification(recipient=pm, subject=f"n{i}") for i in range(30)])
    with django_assert_max_num_queries(few):
        client.get(reverse("home"))


def test_notifications_can_be_marked_read(client, pm):
    Notification.objects.create(recipient=pm, subject="x")
    client.force_login(pm)
    client.post(reverse("notifications_read"))
    assert not pm.notifications.filter(read_at__isnull=True).exists()


def test_friendly_404_page(client, pm):
    client.force_login(pm)
    response = client.get("/projects/PRJ-1999-9999/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_home_lists_what_waits_for_each_role(client, sales, support, pm, pmolead, project):
    from decimal import Decimal

    from projects.models import BudgetSubmission

    from .factories import IntakeFactory

    submitted = IntakeFactory(created_by=sales, status="submitted", title="Badge readers")
    IntakeFactory(created_by=sales, status="returned", title="Patient Wi-Fi")
    BudgetSubmission.objects.create(project=project, total=Decimal("300000"), level=2, submitted_by=pm)
    client.force_login(pmolead)
    assert len(client.get(reverse("home")).context["budgets_to_decide"]) == 1
    client.force_login(support)
    assert client.get(reverse("home")).context["intakes_to_review"] == [submitted]
    client.force_login(sales)
    html = client.get(reverse("home")).content.decode()
    assert "Returned with a question: Patient Wi-Fi" in html
    client.force_login(pm)
    home = client.get(reverse("home")).context
    assert home["budgets_to_decide"] == [] and home["intakes_to_review"] == [] and home["my_open_intakes"] == []


def test_home_shows_costs_to_the_pm_and_overruns_to_finance(client, pm, finance, project, settings, tmp_path):
    from decimal import Decimal

    from procurement.models import PurchaseOrder
    from projects.models import Baseline

    from .factories import SupplierFactory

    Baseline.objects.create(project=project, version=1, budget=Decimal("1000"), approved_by=pm)
    PurchaseOrder.objects.create(number="PO-2026-00001", project=project, supplier=SupplierFactory(), created_by=pm,
                                 delivery_date="2030-01-01", delivery_site="x", status="approved",
                                 net_total=Decimal("1500"))
    client.force_login(pm)
    (shown, costs), = client.get(reverse("home")).context["my_projects"]
    assert shown == project and (costs.budget, costs.committed, costs.forecast) == (1000, 1500, 1500)
    client.force_login(finance)
    (over, costs), = client.get(reverse("home")).context["over_budget"]
    assert over == project and costs.overrun == 500


def test_a_dutch_sales_owner_reads_concept_for_a_draft_intake(client, sales):
    from .factories import IntakeFactory

    IntakeFactory(created_by=sales, status="draft", title="Patient Wi-Fi")
    sales.language = "nl"
    sales.save()
    client.force_login(sales)
    html = client.get(reverse("home")).content.decode()
    assert "Concept aan te vullen: Patient Wi-Fi" in html and "Ontwerp" not in html
