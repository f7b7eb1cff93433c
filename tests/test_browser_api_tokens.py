"""The API tokens page in a browser: make a token, see its secret once, revoke it; no serious axe finding
in any language; and the API explorer loads from static files under the site's CSP."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from api.models import ApiToken

from .browser import screenshot
from .conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_a_person_makes_sees_once_and_revokes_a_token(page, pm):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, "pm")
    page.click("#user-menu")
    page.click("text=API tokens")
    page.fill("#id_name", "ServiceNow sync")
    page.select_option("#id_scope", "write")
    page.click("button:has-text('Make token')")
    secret = page.input_value("#new-token")
    assert secret.startswith(ApiToken.objects.get().prefix)
    assert _serious(page) == []
    screenshot(page, "api-tokens-made")
    page.goto("/accounts/api-tokens/")
    assert secret not in page.content()
    page.click("button:has-text('Revoke ServiceNow sync')")
    assert page.locator("td", has_text="Revoked").count() == 1
    assert ApiToken.objects.get().revoked_at is not None
    for language in ("nl", "fr"):
        pm.language = language
        pm.save()
        page.goto("/accounts/api-tokens/")
        assert _serious(page) == []
    screenshot(page, "api-tokens-fr")
    assert errors == []


def test_the_explorer_loads_without_a_cdn_and_without_csp_errors(page, db):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/docs/")
    page.wait_for_selector("text=/api/v1/projects/", timeout=15000)
    screenshot(page, "api-docs")
    base = page.url.split("/api/docs/")[0]
    assert all(url.startswith(base) or url.startswith("data:") for url in requests), requests
    assert errors == []
