"""The certificate credential: the application authenticates at the provider's token endpoint with a
signed client assertion (private_key_jwt, accounts/client_assertion.py) instead of a client secret.

The provider is the real one of test_oidc.py (django-oauth-toolkit in its own process), taught
private_key_jwt in tests/oidc_provider/client_assertions.py, which checks an assertion as RFC 7523 and
Entra ID's certificate credentials say. The browser tests sign in through it with a certificate-configured
client; the provider's refusals are also shown one by one with assertions made here and posted to its real
token endpoint. Last, the start-up checks of the settings.
"""

import base64
import logging
import os
import re
import subprocess
import sys
import time
import uuid

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from django.core.exceptions import ImproperlyConfigured
from playwright.sync_api import expect

from accounts import client_assertion as assertions
from accounts.client_assertion import (
    JWT_BEARER,
    ClientCredential,
    check_client_authentication,
    client_assertion,
    load_client_credential,
)
from accounts.models import User

from .browser import screenshot
from .conftest import ROOT
from .oidc_provider.harness import Provider, new_certificate_pem, new_key_pem
from .test_oidc import provider, sign_in_at_provider  # noqa: F401 - `provider` is the fixture used below


def write_credential(folder, key_pem=None, certificate_pem=None):
    """A key and its certificate as the files OIDC_CLIENT_PRIVATE_KEY and OIDC_CLIENT_CERTIFICATE name."""
    folder.mkdir(parents=True, exist_ok=True)
    key_pem = key_pem or new_key_pem()
    certificate_pem = certificate_pem or new_certificate_pem(key_pem)
    (folder / "client.key").write_text(key_pem)
    (folder / "client.crt").write_text(certificate_pem)
    return folder / "client.crt", folder / "client.key"


@pytest.fixture
def certificate_client(provider, tmp_path, settings):  # noqa: F811 - pytest's fixture by name
    """The application configured with a certificate (and no secret), the certificate registered at the provider."""
    certificate, key = write_credential(tmp_path / "app")
    provider.register_certificate(certificate.read_text())
    settings.OIDC_RP_CLIENT_SECRET = ""
    settings.OIDC_CLIENT_CERTIFICATE, settings.OIDC_CLIENT_PRIVATE_KEY = str(certificate), str(key)
    return provider


# --- through the browser ----------------------------------------------------------------------------------

def browser(test):
    return pytest.mark.browser(pytest.mark.django_db(transaction=True)(test))


@browser
@pytest.mark.parametrize("algorithm", ["PS256", "RS256"])
def test_a_client_with_a_certificate_signs_in_end_to_end(certificate_client, new_page, settings, algorithm):
    settings.OIDC_CLIENT_ASSERTION_ALGO = algorithm
    page = new_page()
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    assert page.locator("h1").inner_text() == "Welkom, Alice"
    assert User.objects.get(username="alice@example.com").from_directory
    screenshot(page, f"oidc-certificate-sign-in-{algorithm}")


def _refused(page, caplog, reason):
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    assert "/accounts/login/" in page.goto("/").url  # not signed in
    messages = [record.getMessage() for record in caplog.records]
    assert any("invalid_client" in m and reason in m for m in messages), messages


@browser
def test_a_certificate_the_provider_does_not_know_is_refused_with_the_clear_page(
        certificate_client, new_page, settings, tmp_path, caplog):
    """The application holds another key pair than the one whose certificate was uploaded."""
    certificate, key = write_credential(tmp_path / "other")
    settings.OIDC_CLIENT_CERTIFICATE, settings.OIDC_CLIENT_PRIVATE_KEY = str(certificate), str(key)
    page = new_page()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    _refused(page, caplog, "is not the thumbprint of a certificate registered for the client")
    assert not User.objects.filter(username="alice@example.com").exists()
    screenshot(page, "oidc-certificate-refused")


@browser
def test_an_assertion_signed_by_another_key_is_refused_by_the_provider(
        certificate_client, new_page, settings, monkeypatch, caplog, tmp_path):
    """The registered certificate's thumbprint in the header, the signature by another key (a forger who
    knows the public certificate): the provider's signature check refuses it."""
    registered = x509.load_pem_x509_certificate(open(settings.OIDC_CLIENT_CERTIFICATE, "rb").read())
    other_key = load_client_credential(*write_credential(tmp_path / "other")).private_key
    monkeypatch.setattr("accounts.oidc.load_client_credential",
                        lambda *paths: ClientCredential(private_key=other_key, certificate=registered))
    page = new_page()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    _refused(page, caplog, "InvalidSignatureError")
    assert not User.objects.filter(username="alice@example.com").exists()


@browser
def test_a_replayed_assertion_is_refused(certificate_client, new_page, monkeypatch, caplog):
    monkeypatch.setattr(assertions, "new_jti", lambda: "the-same-jti-every-time")
    page = new_page()
    sign_in_at_provider(page)
    page.wait_for_url("**/")
    page.context.clear_cookies()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    _refused(page, caplog, "already used (a replayed assertion)")


@browser
def test_a_key_file_gone_after_start_up_gives_the_refused_page_not_a_500(certificate_client, new_page, settings,
                                                                        caplog):
    os.remove(settings.OIDC_CLIENT_PRIVATE_KEY)
    page = new_page()
    new_page.expected = ["403"]
    with caplog.at_level(logging.WARNING):
        sign_in_at_provider(page)
    expect(page.get_by_role("heading", name="Sign-in refused")).to_be_visible()
    assert any("OIDC_CLIENT_PRIVATE_KEY: cannot read" in r.getMessage() for r in caplog.records)


# --- the assertion the application makes -------------------------------------------------------------------

def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.mark.parametrize("algorithm", ["PS256", "RS256"])
def test_the_assertion_has_the_header_and_claims_entra_documents(tmp_path, algorithm):
    credential = load_client_credential(*write_credential(tmp_path))
    before = int(time.time())
    token = client_assertion(credential, client_id="11111111-2222-3333-4444-555555555555", algorithm=algorithm,
                             audience="https://login.microsoftonline.com/tenant/oauth2/v2.0/token")
    header = jwt.get_unverified_header(token)
    assert header["alg"] == algorithm and header["typ"] == "JWT"
    assert header["x5t#S256"] == _b64url(credential.certificate.fingerprint(hashes.SHA256()))
    assert header["x5t"] == _b64url(credential.certificate.fingerprint(hashes.SHA1()))  # noqa: S303
    claims = jwt.decode(token, credential.certificate.public_key(), algorithms=[algorithm],
                        audience="https://login.microsoftonline.com/tenant/oauth2/v2.0/token")
    assert claims["iss"] == claims["sub"] == "11111111-2222-3333-4444-555555555555"
    assert before <= claims["nbf"] == claims["iat"] <= time.time()
    assert 60 <= claims["exp"] - claims["nbf"] <= 600  # "5-10 minutes after nbf at most"
    uuid.UUID(claims["jti"])
    again = jwt.decode(client_assertion(credential, client_id="c", audience="a", algorithm=algorithm),
                       options={"verify_signature": False})
    assert again["jti"] != claims["jti"]


# --- the provider's refusals, one by one, at its real token endpoint -----------------------------------------

@pytest.fixture(scope="module")
def token_endpoint(tmp_path_factory):
    state = tmp_path_factory.mktemp("provider")
    running = Provider(state, "http://127.0.0.1:9")
    key_pem = new_key_pem()
    certificate, key = write_credential(state / "app", key_pem)
    running.register_certificate(certificate.read_text())
    running.start()
    yield f"{running.url}/o/token/", load_client_credential(str(certificate), str(key))
    running.stop()


def _assertion(credential, audience, *, key=None, headers=None, **claims):
    now = int(time.time())
    body = {"aud": audience, "iss": "pmo", "sub": "pmo", "jti": str(uuid.uuid4()), "nbf": now, "iat": now,
            "exp": now + 300, **claims}
    body = {name: value for name, value in body.items() if value is not None}
    header = credential.headers() if headers is None else headers
    return jwt.encode(body, key or credential.private_key, algorithm="PS256", headers=header)


def _post(url, assertion, **extra):
    data = {"grant_type": "authorization_code", "code": "no-such-code", "redirect_uri": "http://127.0.0.1:9/cb/",
            "code_verifier": "v" * 50, "client_id": "pmo", "client_assertion_type": JWT_BEARER,
            "client_assertion": assertion, **extra}
    return requests.post(url, data=data, timeout=10)


def test_a_valid_assertion_authenticates_the_client(token_endpoint):
    url, credential = token_endpoint
    response = _post(url, _assertion(credential, url))
    # the client passed; the made-up code is what fails (invalid_grant comes after client authentication)
    assert (response.status_code, response.json()["error"]) == (400, "invalid_grant"), response.text


def test_the_same_assertion_twice_is_refused_the_second_time(token_endpoint):
    url, credential = token_endpoint
    assertion = _assertion(credential, url)
    assert _post(url, assertion).json()["error"] == "invalid_grant"
    response = _post(url, assertion)
    assert response.status_code == 401 and "already used" in response.json()["error_description"]


@pytest.mark.parametrize(("case", "reason"), [
    ("another_key", "InvalidSignatureError"),
    ("wrong_audience", "InvalidAudienceError"),
    ("audience_the_issuer", "InvalidAudienceError"),
    ("iss_not_the_client", "InvalidIssuerError"),
    ("sub_another_client", "sub 'pmo-sync' is not the client 'pmo'"),
    ("expired", "ExpiredSignatureError"),
    ("not_yet_valid", "ImmatureSignatureError"),
    ("no_exp", "MissingRequiredClaimError"),
    ("no_jti", "MissingRequiredClaimError"),
    ("no_thumbprint", "no x5t#S256 or x5t header"),
    ("wrong_sha1_thumbprint", "x5t "),
    ("alg_none", "alg 'none'"),
    ("secret_beside_it", "a client secret beside the assertion"),
    ("wrong_assertion_type", "client_assertion_type"),
    ("not_a_jwt", "not a JWT"),
])
def test_the_provider_refuses_a_bad_assertion(token_endpoint, tmp_path, case, reason):
    url, credential = token_endpoint
    now, extra = int(time.time()), {}
    make = {
        "another_key": lambda: _assertion(credential, url, key=load_client_credential(
            *write_credential(tmp_path)).private_key),
        "wrong_audience": lambda: _assertion(credential, "https://login.example.com/other/token"),
        "audience_the_issuer": lambda: _assertion(credential, url.removesuffix("/token/")),
        "iss_not_the_client": lambda: _assertion(credential, url, iss="someone-else"),
        "sub_another_client": lambda: _assertion(credential, url, sub="pmo-sync"),
        "expired": lambda: _assertion(credential, url, exp=now - 120, nbf=now - 600, iat=now - 600),
        "not_yet_valid": lambda: _assertion(credential, url, nbf=now + 600, exp=now + 900),
        "no_exp": lambda: _assertion(credential, url, exp=None),
        "no_jti": lambda: _assertion(credential, url, jti=None),
        "no_thumbprint": lambda: _assertion(credential, url, headers={}),
        "wrong_sha1_thumbprint": lambda: _assertion(credential, url, headers={"x5t": _b64url(b"x" * 20)}),
        "alg_none": lambda: jwt.encode({"aud": url, "iss": "pmo", "sub": "pmo", "jti": "j", "exp": now + 300},
                                       None, algorithm="none", headers=credential.headers()),
        "secret_beside_it": lambda: (extra.update(client_secret="pmo-secret"), _assertion(credential, url))[1],
        "wrong_assertion_type": lambda: (extra.update(client_assertion_type="urn:example:saml"),
                                         _assertion(credential, url))[1],
        "not_a_jwt": lambda: "not.a.jwt",
    }[case]
    response = _post(url, make(), **extra)
    assert response.status_code == 401, response.text
    assert response.json()["error"] == "invalid_client"
    assert reason in response.json()["error_description"], response.json()


# --- the settings -----------------------------------------------------------------------------------------

def _check(**given):
    check_client_authentication(**{"client_id": "pmo", "secret": "", "certificate": "", "private_key": "",
                                   "algorithm": "PS256", **given})


def test_a_secret_alone_or_a_certificate_with_its_key_alone_is_accepted(tmp_path):
    _check(secret="s3cret")
    certificate, key = write_credential(tmp_path)
    _check(certificate=str(certificate), private_key=str(key))
    _check(certificate=str(certificate), private_key=str(key), algorithm="RS256")


def _encrypted_key(path):
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.BestAvailableEncryption(b"a passphrase")))


@pytest.mark.parametrize(("case", "message"), [
    ("neither", "set exactly one client credential, OIDC_CLIENT_SECRET or OIDC_CLIENT_CERTIFICATE with "
                "OIDC_CLIENT_PRIVATE_KEY."),
    ("both", "not both"),
    ("certificate_without_key", "OIDC_CLIENT_CERTIFICATE and OIDC_CLIENT_PRIVATE_KEY go together"),
    ("no_client_id", "OIDC_CLIENT_ID must be set too"),
    ("key_missing", "OIDC_CLIENT_PRIVATE_KEY: cannot read"),
    ("certificate_missing", "OIDC_CLIENT_CERTIFICATE: cannot read"),
    ("key_not_pem", "is not a PEM private key"),
    ("certificate_not_pem", "is not a PEM certificate"),
    ("key_encrypted", "is encrypted; give the key unencrypted"),
    ("key_of_another_certificate", "is not the key of the certificate"),
    ("algorithm", "OIDC_CLIENT_ASSERTION_ALGO must be one of PS256, RS256, not 'HS256'"),
])
def test_a_wrong_client_credential_setting_is_refused_with_a_message(tmp_path, case, message):
    certificate, key = write_credential(tmp_path)
    given = {"certificate": str(certificate), "private_key": str(key)}
    if case == "neither":
        given = {}
    elif case == "both":
        given["secret"] = "s3cret"
    elif case == "certificate_without_key":
        given["private_key"] = ""
    elif case == "no_client_id":
        given["client_id"] = ""
    elif case == "key_missing":
        given["private_key"] = str(tmp_path / "nowhere.key")
    elif case == "certificate_missing":
        given["certificate"] = str(tmp_path / "nowhere.crt")
    elif case == "key_not_pem":
        key.write_text(certificate.read_text())
    elif case == "certificate_not_pem":
        certificate.write_text(key.read_text())
    elif case == "key_encrypted":
        _encrypted_key(key)
    elif case == "key_of_another_certificate":
        key.write_text(new_key_pem())
    elif case == "algorithm":
        given["algorithm"] = "HS256"
    with pytest.raises(ImproperlyConfigured) as refused:
        _check(**given)
    assert message in str(refused.value)


def _start(env_overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="pmo.settings")
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_start_up_stops_on_an_unreadable_key_and_starts_with_the_readme_credential(tmp_path):
    """The README's openssl command makes the key and certificate; manage.py starts with them, and stops
    with a message naming the setting when the key cannot be read."""
    readme = (ROOT / "README.md").read_text()
    command = re.search(r"^\s*(openssl req -x509 .*)$", readme, re.MULTILINE).group(1)
    subprocess.run(command, shell=True, cwd=tmp_path, check=True, capture_output=True)  # noqa: S602 - the README's
    certificate, key = re.search(r"-out (\S+)", command).group(1), re.search(r"-keyout (\S+)", command).group(1)
    env = {"OIDC_DISCOVERY_URL": "https://login.example.com/t/v2.0/.well-known/openid-configuration",
           "OIDC_CLIENT_ID": "pmo", "OIDC_CLIENT_CERTIFICATE": str(tmp_path / certificate),
           "OIDC_CLIENT_PRIVATE_KEY": str(tmp_path / key)}
    started = _start(env)
    assert started.returncode == 0, started.stderr
    (tmp_path / key).chmod(0)
    refused = _start(env) if os.geteuid() else _start(dict(env, OIDC_CLIENT_PRIVATE_KEY=str(tmp_path / "gone.key")))
    assert refused.returncode != 0
    assert "ImproperlyConfigured: OIDC_CLIENT_PRIVATE_KEY: cannot read" in refused.stderr
