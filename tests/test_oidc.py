"""Sign-in through a real OpenID Connect provider on localhost, in Chromium.

The provider is django-oauth-toolkit's OIDC provider in its own process (tests/oidc_provider): discovery,
JWKS, authorization code with PKCE, its own sign-in page, RS256 ID tokens with a key generated here. The
refused-token cases are issued by that same provider through its real flow, with the tampering switch of
tests/oidc_provider/validator.py (a foreign key under the real kid, another audience, an old expiry, another
nonce); a replayed state is the browser going back to a callback URL it already used.
"""

import json
import logging

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from accounts.models import RoleMapping, User
from accounts.roles import Role

from .browser import screenshot
from .oidc_provider.harness import Provider, new_key_pem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_PASSWORD = "provider-pass"


@pytest.fixture
def provider(live_server, tmp_path, settings):
    provider = Provider(tmp_path, live_server.url)
    provider.start()
    settings.OIDC_DISCOVERY_URL = f"{provider.url}/o/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "pmo", "pmo-secret"
    settings.OIDC_PROVIDER_NAME = "Test provider"
    for value, role in (("PMO.ProjectManager", Role.PROJECT_MANAGER), ("9f1c-finance-group-id", Role.FINANCE)):
        RoleMapping.objects.create(external_value=value, role=Group.objects.get_or_create(name=role)[0])
    yield provider
    provider.stop()


def sign_in_at_provider(page, username="alice"):
    """From our sign-in page through the provider's and back; returns the callback URL the browser used."""
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if "/accounts/oidc/callback/" in r.url else None)
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Sign in with Test provider").click()
    page.get_by_role("heading", name="Test identity provider").wait_for()  # the provider's own page
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PROVIDER_PASSWORD)
    page.get_by_role("button", name="Provider sign in").click()
    page.wait_for_load_state()
    return callbacks[-1] if callbacks else None


def test_first_sign_in_creates_the_user_and_a_changed_role_applies_at_the_next_sign_in(provider, new_page):
    page = new_page()
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    alice = User.objects.get(username="alice@example.com")
    assert (alice.first_name, alice.last_name, alice.email, alice.language) == (
        "Alice", "Peeters", "alice@example.com", "nl")
    assert alice.from_directory and not alice.has_usable_password()
    assert set(alice.groups.values_list("name", flat=True)) == {Role.PROJECT_MANAGER}
    assert page.locator("h1").inner_text() == "Welkom, Alice"
    screenshot(page, "oidc-first-sign-in")

    provider.directory["users"]["alice"]["roles"] = []
    provider.directory["users"]["alice"]["groups"] = ["9f1c-finance-group-id"]
    provider.save()
    page.context.clear_cookies()  # signed out here and at the provider
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    assert set(alice.groups.values_list("name", flat=True)) == {Role.FINANCE}
    assert User.objects.filter(username__iexact="alice@example.com").count() == 1


def test_a_directory_user_with_no_mapped_role_sees_only_a_page_that_says_so(provider, new_page):
    provider.directory["users"]["alice"]["roles"] = ["Some.Other.App.Role"]
    provider.save()
    page = new_page()
    new_page.expected = ["403"]
    sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Je hebt nog geen rol in deze toepassing")).to_be_visible()
    screenshot(page, "oidc-no-role")
    for path in ("/", "/projects/", "/approvals/"):
        assert page.goto(path).status == 403
        expect(page.get_by_role("heading", name="Je hebt nog geen rol in deze toepassing")).to_be_visible()


@pytest.mark.parametrize("tamper", ["bad_signature", "wrong_audience", "expired", "wrong_nonce"])
def test_a_bad_id_token_is_refused_with_a_clear_page_and_a_log_line(provider, new_page, tamper, caplog):
    provider.directory["tamper"] = tamper
    provider.save()
    page = new_page()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    screenshot(page, f"oidc-refused-{tamper}")
    assert not User.objects.filter(username="alice@example.com").exists()
    assert "/accounts/login/" in page.goto("/").url  # not signed in
    expected = {"bad_signature": "InvalidSignatureError", "wrong_audience": "InvalidAudienceError",
                "expired": "ExpiredSignatureError", "wrong_nonce": "Nonce verification failed"}[tamper]
    assert any(expected in record.getMessage() for record in caplog.records), [r.getMessage() for r in caplog.records]


def test_a_replayed_state_is_refused(provider, new_page, caplog):
    page = new_page()
    new_page.expected = ["403"]
    callback = sign_in_at_provider(page)
    page.wait_for_url("**/")
    assert callback and "state=" in callback
    with caplog.at_level(logging.WARNING):
        response = page.goto(callback)
    assert response.status == 403
    expect(page.get_by_role("heading", name="Aanmelden geweigerd")).to_be_visible()
    assert any("state not found" in record.getMessage() for record in caplog.records)
    # the same callback in another browser (an attacker who copied it) is refused as well
    other = new_page()
    assert other.goto(callback).status == 403
    assert User.objects.filter(username="alice@example.com").count() == 1


def test_a_local_account_of_the_same_name_is_not_taken_over(provider, new_page, caplog):
    local = User.objects.create_user("alice@example.com", password="local-pass-123", is_superuser=True)
    page = new_page()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    assert any("local account" in record.getMessage() for record in caplog.records)
    local.refresh_from_db()
    assert not local.from_directory and local.groups.count() == 0


def test_the_provider_rotating_its_key_is_followed(provider, new_page):
    page = new_page()
    sign_in_at_provider(page)
    page.wait_for_url("**/")  # the JWKS of the first key is now cached
    provider.stop()
    (provider.state / "inactive-1.pem").write_text((provider.state / "key.pem").read_text())
    (provider.state / "key.pem").write_text(new_key_pem())
    provider.start()
    page.context.clear_cookies()
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Welkom, Alice"


def test_the_provider_unreachable_gives_the_refused_page_not_a_500(provider, new_page, caplog):
    provider.stop()
    page = new_page()
    new_page.expected = ["403"]
    page.goto("/accounts/login/")
    with caplog.at_level(logging.WARNING):
        page.get_by_role("link", name="Sign in with Test provider").click()
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    assert any("ConnectionError" in record.getMessage() for record in caplog.records)


def _axe_problems(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"resultTypes": ["violations"]})
    return [f"{page.url}: {v['id']} ({v['impact']})" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical") or v["id"] in {"page-has-heading-one", "label"}]


def test_the_sign_in_pages_of_this_issue_are_accessible(provider, new_page, settings, admin_user):
    """axe-core, 0 serious or critical: the sign-in page with the provider's button, the refused page, the
    no-role page, the lockout page and the break-glass page (the walk of test_browser_walk has no provider)."""
    from io import StringIO

    from django.core.management import call_command

    new_page.expected = ["403", "429"]
    problems = []
    page = new_page()
    page.goto("/accounts/login/")
    problems += _axe_problems(page)
    screenshot(page, "oidc-sign-in-page")

    provider.directory["tamper"] = "expired"
    provider.save()
    sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    problems += _axe_problems(page)

    provider.directory["tamper"] = None
    provider.directory["users"]["alice"]["roles"] = []
    provider.save()
    page.context.clear_cookies()
    sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Je hebt nog geen rol in deze toepassing")).to_be_visible()
    problems += _axe_problems(page)

    other = new_page()
    settings.AXES_FAILURE_LIMIT = 1
    other.goto("/accounts/login/")
    for _ in range(2):
        other.fill("input[name=username]", admin_user.username)
        other.fill("input[name=password]", "wrong")
        other.click("form button[type=submit]:has-text('Sign in')")
        other.wait_for_load_state()
        if other.get_by_role("heading", name="Too many failed sign-ins").count():
            break
        other.goto("/accounts/login/")
    expect(other.get_by_role("heading", name="Too many failed sign-ins")).to_be_visible()
    problems += _axe_problems(other)
    screenshot(other, "sign-in-locked-out")

    out = StringIO()
    call_command("break_glass_link", admin_user.username, stdout=out)
    glass = new_page()
    glass.goto(out.getvalue().split()[0])
    problems += _axe_problems(glass)
    screenshot(glass, "break-glass")
    assert problems == []


def test_scim_deactivating_a_signed_in_directory_user_ends_their_browser_session(provider, new_page, settings):
    from django.test import Client

    page = new_page()
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    alice = User.objects.get(username="alice@example.com")
    settings.SCIM_BEARER_TOKEN = token = "scim-test-token-0123456789abcdef0123456789"
    response = Client().patch(
        f"/scim/v2/Users/{alice.scim_id}", content_type="application/scim+json", HTTP_AUTHORIZATION=f"Bearer {token}",
        data=json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                         "Operations": [{"op": "Replace", "path": "active", "value": "False"}]}))
    assert response.status_code == 200, response.content
    page.goto("/projects/")  # the next request of the live session
    assert "/accounts/login/" in page.url
    new_page.expected = ["403"]
    page.context.clear_cookies()
    for _ in range(6):  # the provider's sign-in no longer lets them in, however often (no lockout of the address)
        sign_in_at_provider(page)
        expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
        page.context.clear_cookies()
    User.objects.filter(pk=alice.pk).update(is_active=True)  # back in the directory: signs in again
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Welkom, Alice"  # the roles of the token again
