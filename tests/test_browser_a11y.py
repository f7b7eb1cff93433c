"""The Gantt view shows stored names as text and every bar; keyboard users get a skip link and a
visible focus; no page asks for a missing favicon."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import Milestone
from projects.services.plan import activity_create

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory

LINK = "<a href=https://evil.example>x</a>"
IMAGE = "<img src=x onerror=document.title='owned'>"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_gantt_shows_hostile_names_as_text_and_draws_a_slipped_milestone(page, pm):
    project = ProjectFactory(project_manager=pm, status="planning")
    start = dt.date(2027, 1, 4)
    activity = activity_create(project_id=project.pk, by=pm, data={
        "name": LINK, "planned_start": start, "planned_end": start + dt.timedelta(days=4)})
    Milestone.objects.create(project=project, name=IMAGE, baseline_date=start + dt.timedelta(days=7),
                             forecast_date=start + dt.timedelta(days=14))  # slipped by a week

    sign_in(page, "pm")
    page.goto(reverse("projects:gantt", args=[project.code]))
    page.locator(".bar-wrapper").first.wait_for()
    # the activity, the milestone and where the milestone was promised (before: the chart stopped
    # at the slipped milestone's two classes and drew two bars)
    assert page.locator(".bar-wrapper").count() == 3
    assert page.locator(".bar-wrapper.bar-milestone-slipped").count() == 1
    assert page.locator("#gantt a[href^='https://evil']").count() == 0
    assert page.locator("#gantt img").count() == 0
    labels = page.locator("#gantt .bar-label").all_text_contents()
    assert LINK in labels
    assert f"◆ {IMAGE}" in labels
    assert page.title() != "owned"
    page.locator(f".bar-wrapper[data-id='{activity.pk}'] .bar").hover()
    assert page.locator(".popup-wrapper .title").inner_text() == LINK
    assert "4 January 2027 – 8 January 2027 · 0% done" in page.locator(".popup-wrapper .details").inner_text()
    assert page.locator(".today-button").inner_text() == "Today"
    screenshot(page, "gantt-hostile-names")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_keyboard_users_skip_to_the_content_and_see_the_focus(page, pm):
    pm.language = "nl"
    pm.save()
    sign_in(page, "pm")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    assert skip.inner_text() == "Naar de hoofdinhoud"
    assert skip.bounding_box()["width"] > 50  # shown, not only there for screen readers
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"
    screenshot(page, "skip-link-focused")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside the content, with a visible ring
    assert page.evaluate("() => document.activeElement.closest('main') !== null")
    assert page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle") != "none"


def test_favicon_ico_leads_to_the_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
    assert "favicon" in response["Location"]


def test_the_admin_and_the_server_error_page_name_the_icon(client, admin_user):
    from django.template.loader import render_to_string

    assert 'rel="icon"' in render_to_string("500.html")
    client.force_login(admin_user)
    assert 'rel="icon"' in client.get(reverse("admin:index")).content.decode()
