"""A page links a reader only to pages they may open: the project page's banners (overdue actions,
risks past their review date) and areas, and the navigation, per role."""

import datetime as dt
import re
from collections import deque

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from pmo.demo import load_demo_data
from projects.models import ActionItem, Activity, Risk

# Links that are not pages to open with GET (forms post to them) or are checked elsewhere.
NOT_PAGES = re.compile(r"^(#|mailto:|/static/|/accounts/logout/|/i18n/|/admin/)")


@pytest.fixture
def flagged(project, pm):
    """`project` with an overdue action and a risk past its review date: both banners show."""
    past = timezone.localdate() - dt.timedelta(days=3)
    ActionItem.objects.create(project=project, number=1, title="Ask for the permit", owner=pm, due_date=past,
                              raised_by=pm)
    Risk.objects.create(project=project, number=1, category="other", cause="c", event="Permit is late", effect="f",
                        inherent_probability=3, inherent_impact=3, residual_probability=2, residual_impact=2,
                        response_category="reduce", owner=pm, review_date=past, author=pm)
    Activity.objects.create(project=project, name="Design", planned_start="2027-01-04", planned_end="2027-01-08")
    return project


def _links(html: str) -> list[str]:
    return sorted({href.replace("&amp;", "&") for href in re.findall(r'href="([^"]+)"', html)
                   if not NOT_PAGES.match(href)})


@pytest.mark.parametrize("role", ["pm", "support", "pmolead", "finance", "engmgr", "admin", "sales"])
def test_every_link_on_the_project_page_opens_for_its_reader(client, personas, flagged, role):
    client.force_login(personas[role])
    page = client.get(flagged.get_absolute_url()).content.decode()
    links = _links(page)
    assert links
    refused = {}
    for link in links:
        status = client.get(link.split("#")[0]).status_code
        if status != 200:
            refused[link] = status
    assert not refused, f"{role} is linked to pages they may not open: {refused}"


@pytest.mark.parametrize("role", ["pmolead", "finance"])
def test_readers_who_may_not_edit_are_linked_to_the_registers_instead(client, personas, flagged, role):
    client.force_login(personas[role])
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert "Overdue actions:" in page and "Risks past their review date:" in page
    assert f'{reverse("projects:actions", args=[flagged.code])}#action-1' in page
    assert f'{reverse("projects:risks", args=[flagged.code])}?review=overdue#risk-1' in page
    assert reverse("projects:action_edit", args=[flagged.code, 1]) not in page
    assert reverse("projects:risk_edit", args=[flagged.code, 1]) not in page
    assert 'id="risk-1"' in client.get(reverse("projects:risks", args=[flagged.code]) + "?review=overdue") \
        .content.decode()
    assert 'id="action-1"' in client.get(reverse("projects:actions", args=[flagged.code])).content.decode()


def test_the_project_manager_is_still_linked_to_the_edit_pages(client, pm, flagged):
    client.force_login(pm)
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert reverse("projects:action_edit", args=[flagged.code, 1]) in page
    assert reverse("projects:risk_edit", args=[flagged.code, 1]) in page


def test_the_engineering_manager_sees_the_plan_and_the_workload_and_no_internals(client, engmgr, flagged):
    client.force_login(engmgr)
    page = client.get(flagged.get_absolute_url()).content.decode()
    assert reverse("projects:plan", args=[flagged.code]) in page
    assert reverse("workload") in page
    for hidden in (reverse("procurement:costs", args=[flagged.code]), reverse("projects:budget", args=[flagged.code]),
                   reverse("reporting:reports", args=[flagged.code]), reverse("projects:risks", args=[flagged.code]),
                   reverse("procurement:po_list"), reverse("customers:list"), "Overdue actions:", "Approved budget"):
        assert hidden not in page
    home = client.get(reverse("home")).content.decode()
    assert reverse("procurement:po_list") not in home and reverse("workload") in home
    # The plan offers the assignments of each activity to the engineering manager.
    plan = client.get(reverse("projects:plan", args=[flagged.code])).content.decode()
    activity = flagged.activities.get()
    assert reverse("projects:activity_edit", args=[flagged.code, activity.pk]) in plan


@pytest.mark.parametrize("username", ["engmgr", "finance", "pmolead"])
def test_following_every_link_of_the_demo_never_meets_a_refusal(client, db, settings, tmp_path, username):
    """From the home page, breadth first, the first 200 pages a reader reaches by links (filters and
    pages of lists left out): none answers 403 or 404."""
    settings.MEDIA_ROOT = tmp_path
    load_demo_data(password="demo-pass-1", today=timezone.localdate())
    client.force_login(User.objects.get(username=username))
    seen, queue, refused = set(), deque([("/", "home")]), {}
    while queue and len(seen) < 200:
        url, source = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code >= 400:
            refused[url] = (response.status_code, source)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        queue.extend((link.split("#")[0], url) for link in _links(response.content.decode())
                     if link.startswith("/") and "?" not in link)
    assert len(seen) > 50 and not refused, refused


def test_a_sales_owner_who_owns_an_overdue_action_is_not_linked_to_registers_from_home(client, sales, pm, flagged):
    ActionItem.objects.create(project=flagged, number=2, title="Call the customer", owner=sales, raised_by=pm,
                              due_date=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(sales)
    home = client.get(reverse("home")).content.decode()
    assert reverse("projects:action_edit", args=[flagged.code, 2]) not in home
    assert all(client.get(link.split("#")[0]).status_code == 200 for link in _links(home))
