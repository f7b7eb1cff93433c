import datetime as dt

from django.urls import reverse

from projects.models import Project

from .factories import ProjectFactory


def test_it_shows_who_changed_what_and_when(client, project, pm, support):
    project.status = Project.Status.CLOSING
    project.project_manager = support
    project._history_user = pm
    project.save()
    client.force_login(pm)
    response = client.get(reverse("projects:history", args=[project.code]))
    entries = response.context["entries"]
    assert entries[0].who == pm
    assert entries[0].kind == "changed"
    changes = {c.label: (c.old, c.new) for c in entries[0].changes}
    assert changes["status"] == ("Execution", "Closing")
    assert changes["project manager"] == (str(pm), str(support))
    assert entries[-1].kind == "created"
    html = response.content.decode()
    assert "Execution" in html and "Closing" in html


def test_user_text_in_history_is_escaped(client, pm, project):
    project.name = "<script>alert(1)</script>"
    project.save()
    client.force_login(pm)
    html = client.get(reverse("projects:history", args=[project.code])).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_change_at_a_page_boundary_is_diffed_against_the_next_page(client, pm, project):
    for day in range(1, 52):  # 51 changes + creation = 52 records, two pages of 50
        project.end_date = dt.date(2027, 1, 1) + dt.timedelta(days=day)
        project.save()
    client.force_login(pm)
    last_on_first_page = client.get(reverse("projects:history", args=[project.code])).context["entries"][-1]
    assert [c.label for c in last_on_first_page.changes] == ["end date"]


def test_the_history_page_query_count_does_not_grow_with_changes(client, pm, django_assert_max_num_queries):
    few, many = ProjectFactory(project_manager=pm), ProjectFactory(project_manager=pm)
    for n in range(40):
        many.name = f"Name {n}"
        many.project_manager = pm if n % 2 else None
        many.save()
    client.force_login(pm)
    with django_assert_max_num_queries(12) as few_queries:
        client.get(reverse("projects:history", args=[few.code]))
    with django_assert_max_num_queries(len(few_queries) + 1):
        client.get(reverse("projects:history", args=[many.code]))


def test_the_budget_history_shows_changes_per_line(client, pm, project):
    from decimal import Decimal

    from projects.models import BudgetLine

    first = BudgetLine.objects.create(project=project, category="travel", description="Hotel", amount=Decimal("100"))
    second = BudgetLine.objects.create(project=project, category="material", description="Switches",
                                       amount=Decimal("900"))
    first.amount = Decimal("150.00")
    first.save()
    second.delete()
    client.force_login(pm)
    entries = client.get(reverse("projects:budget_history", args=[project.code])).context["entries"]
    assert [(e.kind, e.subject) for e in entries] == [
        ("deleted", "Material: Switches"), ("changed", "Travel: Hotel"), ("created", "Material: Switches"),
        ("created", "Travel: Hotel"),
    ]
    assert [(c.label, c.old, c.new) for c in entries[1].changes] == [("amount (EUR)", "100.00", "150.00")]
