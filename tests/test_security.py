import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION_ENV = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "pmo.example.com",
    "SECRET_KEY": "p" * 20 + "-production-like-secret-" + "q" * 20,
}


def _manage(*args, env_overrides, env_remove=()):
    # The test process allows async-unsafe ORM calls for Playwright; production must not.
    env = {k: v for k, v in os.environ.items() if k not in {*env_remove, "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_security_headers_on_every_page(client, pm):
    client.force_login(pm)
    response = client.get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.fixture
def static_files_served(settings):
    # What `runserver` does in development; the test client's middleware is built on its first request.
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True


def test_signed_in_pages_are_not_stored_but_static_files_may_be(client, pm, static_files_served):
    client.force_login(pm)
    for url in (reverse("home"), reverse("projects:list"), reverse("notification_list")):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url
    static = client.get("/static/css/pmo.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def test_every_response_switches_off_the_browser_features_no_page_uses(client, pm, static_files_served):
    responses = [client.get(reverse("login")), client.get("/static/css/pmo.css"), client.get("/nowhere/")]
    client.force_login(pm)
    responses += [client.get(reverse("home")), client.get("/projects/PRJ%00/")]
    for response in responses:
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, response
    assert responses[1].status_code == 200


def test_pages_are_served_from_local_static_files_only(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html
    assert "/static/django_htmx/htmx-2.min.js" in html or "htmx" in html
    assert "https://" not in html and "http://" not in html


def test_production_settings_pass_the_deployment_check():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("missing", "message"), [
    ("SECRET_KEY", "SECRET_KEY must be set"),
    ("ALLOWED_HOSTS", "ALLOWED_HOSTS must list"),
])
def test_production_refuses_to_start_without_a_required_setting(missing, message):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = _manage("check", env_overrides=env, env_remove=(missing,))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_the_development_secret_key():
    env = dict(PRODUCTION_ENV, SECRET_KEY="dev-only-insecure-key-never-use-in-production")
    result = _manage("check", env_overrides=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_hsts_is_on():
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, "
        "s.SESSION_COOKIE_SAMESITE, s.SECURE_HSTS_SECONDS > 0, s.SECURE_SSL_REDIRECT)"
    )
    result = _manage("shell", "-c", code, env_overrides=PRODUCTION_ENV)
    assert result.stdout.splitlines()[-1].split() == ["True", "True", "True", "Lax", "True", "True"], result.stderr


def test_demo_data_is_refused_in_production():
    result = _manage("demo_data", env_overrides=dict(PRODUCTION_ENV, DATABASE_URL="sqlite:///:memory:"))
    assert result.returncode != 0
    assert "refused with DEBUG off" in result.stderr
