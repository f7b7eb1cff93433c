"""Every role signs in, sees its home page, switches language and signs out, in Chromium."""

import pytest
from playwright.sync_api import expect

from accounts.roles import Role

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = {
    "sales": Role.SALES, "support": Role.SUPPORT_OFFICER, "pm": Role.PROJECT_MANAGER,
    "engmgr": Role.ENGINEERING_MANAGER, "pmolead": Role.PMO_LEAD, "finance": Role.FINANCE,
    "admin": Role.ADMINISTRATOR,
}


@pytest.mark.parametrize("username", ROLES)
def test_every_role_signs_in_sees_home_and_switches_language(page, username):
    user = UserFactory(username=username, first_name=username.title(), roles=[ROLES[username]],
                       is_staff=username == "admin", is_superuser=username == "admin")
    pm = user if username == "pm" else UserFactory(username="other-pm", roles=[Role.PROJECT_MANAGER])
    ProjectFactory(name="Fibre backbone", project_manager=pm, support_officer=user if username == "support" else None,
                   sales_owner=user if username == "sales" else None)

    sign_in(page, username)
    assert page.locator("h1").inner_text() == f"Welcome, {username.title()}"
    expect(page.locator("main").get_by_text(str(ROLES[username].label)).first).to_be_visible()
    if username in ("sales", "pm", "support"):
        expect(page.get_by_role("link", name="PRJ-2026").first.or_(page.get_by_text("Fibre backbone"))
               .first).to_be_visible()
    screenshot(page, f"home-{username}-en")

    page.get_by_role("button", name="NL", exact=True).click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "nl"
    expect(page.get_by_role("heading", name="Mijn projecten")).to_be_visible()
    screenshot(page, f"home-{username}-nl")

    page.get_by_role("button", name="FR", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Mes projets")).to_be_visible()
    user.refresh_from_db()
    assert user.language == "fr"

    page.locator("#user-menu").click()
    page.get_by_role("button", name="Déconnexion").click()
    page.wait_for_url("**/accounts/login/**")
    page.goto("/")
    assert "/accounts/login/" in page.url


def test_project_pages_and_history_for_a_pm(page):
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    project = ProjectFactory(name="Access control", project_manager=pm)
    project.name = "Access control terminals"
    project.save()
    sign_in(page, "pm")
    page.get_by_role("link", name="Projects").click()
    page.get_by_role("link", name=project.code).click()
    expect(page.get_by_role("heading", name=f"{project.code} · Access control terminals")).to_be_visible()
    screenshot(page, "project-detail-pm")
    page.get_by_role("link", name="History").click()
    expect(page.get_by_text("Access control terminals").first).to_be_visible()
    screenshot(page, "project-history-pm")


def test_a_wrong_password_is_refused_on_the_page(page):
    UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "pm")
    page.fill("input[name=password]", "not-it")
    page.click("form button[type=submit]:has-text('Sign in')")
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()
    assert page.input_value("input[name=username]") == "pm"
    screenshot(page, "login-refused")
