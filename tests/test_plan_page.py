"""The plan page prints its long lists without the template engine (projects.lib.rows): what it
prints must be what the template printed, in every language, escaped the same."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from projects.forms.base import Select
from projects.lib.rows import date_formatter, one_decimal_at_most, printed
from projects.lib.urls import link_maker
from projects.models import Activity, Dependency, Phase

from .factories import ProjectFactory

D = dt.date


def _without_tokens(page: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", page)


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
@pytest.mark.parametrize("format_name", ["SHORT_DATE_FORMAT", "DATE_FORMAT", "YEAR_MONTH_FORMAT", "MONTH_DAY_FORMAT"])
def test_the_date_formatter_prints_what_date_format_prints(language, format_name):
    days = [D(2026, 1, 1) + dt.timedelta(days=n) for n in range(0, 400, 7)]
    with translation.override(language):
        formatter = date_formatter(format_name)
        assert [formatter(day) for day in days] == [date_format(day, format_name) for day in days]


def test_a_format_the_formatter_does_not_know_is_left_to_django():
    moment = dt.datetime(2027, 3, 4, 9, 5)
    with translation.override("nl"):
        assert date_formatter("DATETIME_FORMAT")(moment) == date_format(moment, "DATETIME_FORMAT")


def test_numbers_print_as_the_template_prints_them():
    with translation.override("nl"):
        effort = one_decimal_at_most()
        assert (effort(Decimal("12.5")), effort(Decimal("12.0")), effort(Decimal("0"))) == ("12,5", "12", "0")
        assert printed()(40) == "40"
    assert printed()("<b> & 'q'") == "&lt;b&gt; &amp; &#x27;q&#x27;"


def test_a_link_maker_for_an_int_key_gives_the_reversed_url():
    make = link_maker("projects:activity_edit", "PRJ-2026-0001", key=int)
    assert make(17) == reverse("projects:activity_edit", args=["PRJ-2026-0001", 17])


@pytest.mark.parametrize(("choices", "value", "attrs"), [
    ([("", "---"), (1, 'a<b"'), ("group <g>", [(2, "x"), (3, "y")])], 1,
     {"id": "id_n", "required": True, "class": "c", "data-x": 'a"b', "off": False}),
    ([("", "---"), (1, mark_safe("<i>safe</i>")), (2, "two")], "2", {}),
    ([], "", None),
])
def test_the_long_select_prints_what_django_prints(choices, value, attrs):
    assert Select(choices=choices).render("n", value, attrs) == forms.Select(choices=choices).render("n", value, attrs)


def test_the_plan_table_escapes_names_and_marks_the_critical_chain(client, pm):
    project = ProjectFactory(project_manager=pm, status="planning")
    phase = Phase.objects.create(project=project, name="Build <now>")
    first = Activity.objects.create(project=project, phase=phase, name="<script>alert(1)</script>",
                                    planned_start=D(2027, 1, 4), planned_end=D(2027, 1, 8),
                                    effort_hours=Decimal("12.5"))
    second = Activity.objects.create(project=project, name="Test 'it'", planned_start=D(2027, 1, 12),
                                     planned_end=D(2027, 1, 13))
    Dependency.objects.create(predecessor=first, successor=second, lag_days=3)
    client.force_login(pm)
    page = client.get(reverse("projects:plan", args=[project.code])).content.decode()
    again = client.get(reverse("projects:plan", args=[project.code])).content.decode()  # the add forms cached
    assert _without_tokens(again) == _without_tokens(page)
    assert "<script>alert" not in page
    assert ('<tr class="table-warning">\n    <td>Build &lt;now&gt;</td><td>&lt;script&gt;alert(1)&lt;/script&gt; '
            '<span class="badge text-bg-warning">critical</span></td>') in page
    assert '<td class="text-nowrap">04/01/2027</td><td class="text-nowrap">08/01/2027</td>' in page
    assert '<td class="text-end">5</td><td class="text-end">12.5</td><td class="text-end">0</td>' in page
    assert "<li>&lt;script&gt;alert(1)&lt;/script&gt; → Test &#x27;it&#x27; (lag 3 d)</li>" in page
    edit = reverse("projects:activity_edit", args=[project.code, second.pk])
    assert f'<a href="{edit}">Edit</a> · ' in page
    assert page.count(f'<option value="{second.pk}">Test &#x27;it&#x27;</option>') == 2  # predecessor, successor


def test_the_plan_page_for_the_engineering_manager_does_not_query_per_activity(
        client, pm, engmgr, django_assert_max_num_queries):
    project = ProjectFactory(project_manager=pm, status="planning")
    phase = Phase.objects.create(project=project, name="Build")
    Activity.objects.create(project=project, phase=phase, name="A0", planned_start=D(2027, 1, 4),
                            planned_end=D(2027, 1, 5))
    client.force_login(engmgr)
    url = reverse("projects:plan", args=[project.code])
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    previous = None
    for n in range(1, 60):
        current = Activity.objects.create(project=project, phase=phase if n % 2 else None, name=f"A{n}",
                                          planned_start=D(2027, 1, 4) + dt.timedelta(days=2 * n),
                                          planned_end=D(2027, 1, 5) + dt.timedelta(days=2 * n))
        if previous:
            Dependency.objects.create(predecessor=previous, successor=current, lag_days=n % 3)
        previous = current
    with django_assert_max_num_queries(len(few)):
        page = client.get(url).content.decode()
    assert page.count(">Assignments</a> · ") == 60


def test_a_large_plan_is_shown_a_page_at_a_time_with_its_critical_path_worked_out_over_all(client, pm):
    """250 activities in a chain: the table and the Gantt data show 100 at a time, dependencies among
    what is shown, and the critical path (every activity of a chain) and the forecast end of the whole."""
    from projects.views.plan import PLAN_PAGE_SIZE

    project = ProjectFactory(project_manager=pm, status="planning")
    activities = Activity.objects.bulk_create([
        Activity(project=project, name=f"Step {n:03}", planned_start=D(2027, 1, 4) + dt.timedelta(days=n),
                 planned_end=D(2027, 1, 4) + dt.timedelta(days=n)) for n in range(250)])
    Dependency.objects.bulk_create([Dependency(predecessor=a, successor=b, lag_days=0)
                                    for a, b in zip(activities, activities[1:])])
    client.force_login(pm)
    plan_url = reverse("projects:plan", args=[project.code])
    third = client.get(plan_url, {"page": 3}).content.decode()
    shown = re.findall(r"<td>(Step \d{3})", third)
    assert shown == [f"Step {n:03}" for n in range(2 * PLAN_PAGE_SIZE, 250)]
    assert third.count("critical</span>") == 50
    assert "Activities 201 to 250 of 250" in third
    assert "<li>Step 199 → Step 200</li>" in third and "Step 198 → Step 199" not in third
    gantt = client.get(reverse("projects:gantt_json", args=[project.code]), {"page": 2}).json()
    bars = [t for t in gantt["tasks"] if t["id"].isdigit()]
    assert [t["name"] for t in bars] == [f"Step {n:03}" for n in range(100, 200)]
    assert bars[0]["dependencies"] == "" and bars[1]["dependencies"] == str(activities[100].pk)
    assert all(t["custom_class"] == "bar-critical" for t in bars)
    assert gantt["forecast_end_label"] == date_format(D(2027, 1, 4) + dt.timedelta(days=249), "DATE_FORMAT")
    chart = client.get(reverse("projects:gantt", args=[project.code]), {"page": 2}).content.decode()
    assert f'{reverse("projects:gantt_json", args=[project.code])}?page=2"' in chart
    assert "Page 2 of 3" in chart
