"""A real OpenID Connect provider for the tests: django-oauth-toolkit's, in its own process and SQLite
database (tests/oidc_provider/run.py starts it). Its signing key and its directory (users, their claims,
and a `tamper` switch for the refused-token tests) are files the test writes: see validator.py."""

import os
from pathlib import Path

STATE = Path(os.environ["PROVIDER_STATE"])  # the folder of this run: key.pem, directory.json, db.sqlite3
SECRET_KEY = "test-provider-only"
DEBUG = True
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "oauth2_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.oidc_provider.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates",
              "DIRS": [Path(__file__).parent / "templates"], "OPTIONS": {"context_processors": [
                  "django.template.context_processors.request", "django.template.context_processors.csrf"]}}]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": STATE / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USE_TZ = True
# Cookies are not kept apart by port: the application under test runs on the same host.
SESSION_COOKIE_NAME = "provider_session"
CSRF_COOKIE_NAME = "provider_csrf"
LOGIN_URL = "/accounts/login/"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": (STATE / "key.pem").read_text(),
    # a key rotated out still verifies old tokens: its public half stays in the JWKS
    "OIDC_RSA_PRIVATE_KEYS_INACTIVE": [p.read_text() for p in sorted(STATE.glob("inactive-*.pem"))],
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.validator.DirectoryValidator",
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail", "profile": "Profile",
               "Api.Read": "Read the PMO API", "Api.ReadWrite": "Read and write the PMO API"},
    # JWT access tokens like Entra's (tests/oidc_provider/access_tokens.py); refresh tokens stay opaque
    "ACCESS_TOKEN_GENERATOR": "tests.oidc_provider.access_tokens.access_token",
    "REFRESH_TOKEN_GENERATOR": "oauthlib.oauth2.rfc6749.tokens.random_token_generator",
    "ALLOWED_REDIRECT_URI_SCHEMES": ["http", "https"],
    # a certificate credential too, as Entra's discovery document says (tests/oidc_provider/client_assertions.py)
    "OIDC_TOKEN_ENDPOINT_AUTH_METHODS_SUPPORTED": ["client_secret_post", "client_secret_basic", "private_key_jwt"],
}
