"""API tokens: shown once, stored hashed, scoped, expiring, revocable, dead with their user; the browser's
session works too (with CSRF); per-token rate limits."""

import datetime as dt
import hashlib
import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from api.models import ApiToken

from .api_client import Api, make_token
from .conftest import needs

URL = "/api/v1/projects/"
PAGE = "/accounts/api-tokens/"


def test_a_token_is_shown_once_and_stored_only_as_its_hash(client, pm):
    client.force_login(pm)
    made = client.post(PAGE, {"name": "ServiceNow", "scope": "read",
                              "expires_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat()})
    assert made.status_code == 200
    secret = made.context["secret"]
    assert secret.startswith("pmo_") and len(secret) > 40 and secret in made.content.decode()
    token = ApiToken.objects.get(user=pm)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(ApiToken.objects.values_list()))
    assert secret.startswith(token.prefix) and len(token.prefix) == 12
    again = client.get(PAGE).content.decode()
    assert secret not in again and token.prefix in again
    assert Api(secret).get(URL).status_code == 200


def test_a_bad_expiry_is_refused_with_a_message_and_nothing_made(client, pm):
    client.force_login(pm)
    page = client.post(PAGE, {"name": "x", "scope": "read", "expires_on": timezone.localdate().isoformat()})
    assert "The expiry date must be after today" in page.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("header", ["Bearer pmo_wrong", "Bearer", "Bearer a b", "Token abc"])
def test_a_wrong_token_gets_401_problem_details(header, pm):
    response = Client().get(URL, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["status"] == 401


def test_an_expired_token_stops(pm):
    secret = make_token(pm)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert Api(secret).get(URL).status_code == 401


def test_a_revoked_token_stops_at_once_and_only_its_owner_revokes_it(client, pm, pm2):
    secret = make_token(pm)
    token = ApiToken.objects.get()
    client.force_login(pm2)
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 404
    assert Api(secret).get(URL).status_code == 200
    client.force_login(pm)
    assert client.post(f"{PAGE}{token.pk}/revoke/").status_code == 302
    assert Api(secret).get(URL).status_code == 401
    assert "Revoked" in client.get(PAGE).content.decode()


def test_the_admin_revokes_tokens(client, admin_user, pm):
    secret = make_token(pm)
    client.force_login(admin_user)
    listing = client.get("/admin/api/apitoken/")
    assert listing.status_code == 200 and "test" in listing.content.decode()
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [ApiToken.objects.get().pk]})
    assert Api(secret).get(URL).status_code == 401


def test_a_deactivated_users_tokens_stop_at_once(pm):
    secret = make_token(pm)
    assert Api(secret).get(URL).status_code == 200
    pm.is_active = False
    pm.save()
    assert Api(secret).get(URL).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(pm):
    secret = make_token(pm)
    Api(secret).get(URL)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    Api(secret).get(URL)
    assert ApiToken.objects.get().last_used_at == first
    ApiToken.objects.update(last_used_at=first - dt.timedelta(minutes=2))
    Api(secret).get(URL)
    assert ApiToken.objects.get().last_used_at > first


def test_a_service_account_token_from_the_command_line(finance, project):
    out = io.StringIO()
    call_command("api_token", "finance", "--name", "Dynamics 365", "--scope", "read", stdout=out)
    secret = out.getvalue().strip()
    assert Api(secret).get(f"{URL}{project.code}/").status_code == 200
    assert Api(secret).post(f"{URL}{project.code}/risks/", {}).status_code == 403


def test_the_browsers_session_works_and_its_writes_need_the_csrf_token(pm, project):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(pm)
    assert browser.get(URL).status_code == 200
    refused = browser.post(f"{URL}{project.code}/risks/", "{}", content_type="application/json")
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    browser.get(PAGE)  # sets the CSRF cookie, as any page does
    allowed = browser.post(f"{URL}{project.code}/risks/", "{}", content_type="application/json",
                           headers={"X-CSRFToken": browser.cookies["csrftoken"].value})
    assert allowed.status_code == 400  # past CSRF: the empty body is invalid


def test_an_anonymous_caller_gets_401_not_the_sign_in_page():
    response = Client().get(URL)
    assert response.status_code == 401 and response["Content-Type"] == "application/problem+json"


def test_over_the_rate_limit_a_token_gets_429_with_retry_after(pm, settings):
    settings.API_RATE_LIMIT = "3/min"
    secret, other = make_token(pm), make_token(pm, name="other")
    answers = [Api(secret).get(URL).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    limited = Api(secret).get(URL)
    assert limited.status_code == 429 and 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Content-Type"] == "application/problem+json"
    assert Api(other).get(URL).status_code == 200  # per token


def test_the_rate_limit_is_counted_in_redis_across_processes(pm, settings):
    """With REDIS_URL the counter lives in Redis: another process (a second web worker) reads the same count."""
    needs(bool(settings.REDIS_URL), "needs Redis (set REDIS_URL)")
    settings.API_RATE_LIMIT = "2/hour"
    secret = make_token(pm)
    assert [Api(secret).get(URL).status_code for _ in range(2)] == [200, 200]
    prefix = ApiToken.objects.get().prefix
    code = ("import django, time; django.setup(); from django.core.cache import caches; "
            f"print(caches['api'].get('rate:{prefix}:3600:' + str(int(time.time() // 3600))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "DJANGO_SETTINGS_MODULE": "pmo.settings"})
    assert out.stdout.strip() == "2"
    assert Api(secret).get(URL).status_code == 429
