"""The API accepts the identity provider's access tokens, beside its own API tokens.

The provider is the real one of tests/oidc_provider (django-oauth-toolkit in its own process): its token
endpoint issues the tokens of the happy path (client credentials for a system; the password grant as the
test's shortcut to a person's delegated token), as JWTs signed with the key of its JWKS
(tests/oidc_provider/access_tokens.py). Bad tokens come from that same endpoint with the `access_tamper`
switch (a foreign key, another audience, expired) or are crafted here, signed with the provider's own key
where the point is a claim (issuer, expiry missing, algorithm): each is 401 problem details and a log line.
"""

import base64
import json
import logging
import time

import jwt
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from accounts.models import RoleMapping, ServicePrincipal, User
from accounts.roles import Role

from .api_client import Api, make_token, risk_body
from .oidc_provider.harness import Provider, new_key_pem

AUDIENCE = "api://pmo-test"
URL = "/api/v1/projects/"


BOB = {"email": "bob@example.com", "given_name": "Bob", "family_name": "Janssens",
       "preferred_username": "bob@example.com"}


def _directory() -> dict:
    from .oidc_provider.harness import ALICE

    return {"users": {"alice": dict(ALICE), "bob": dict(BOB)}, "tamper": None, "access_tamper": None,
            "api_audience": AUDIENCE, "clients": {"pmo-sync": {"roles": ["Api.Read"]}}}


@pytest.fixture(scope="module")
def _provider_process(tmp_path_factory):
    """One provider process for the module (starting one takes seconds); each test gets a fresh directory."""
    provider = Provider(tmp_path_factory.mktemp("provider"), "http://127.0.0.1:9")
    provider.directory = _directory()
    provider.save()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def provider(_provider_process, db, settings):
    provider = _provider_process
    provider.directory = _directory()
    provider.save()
    if provider.popen.poll() is not None:  # a test stopped it
        provider.start()
    settings.OIDC_DISCOVERY_URL = f"{provider.url}/o/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "pmo", "pmo-secret"
    settings.OIDC_API_AUDIENCE = AUDIENCE
    return provider


@pytest.fixture
def sync_account(db):
    """The local service account the administrator maps the provider's `pmo-sync` application to."""
    user = User.objects.create_user("servicenow-sync", first_name="ServiceNow sync")
    user.groups.add(Group.objects.get(name=Role.PMO_LEAD))
    ServicePrincipal.objects.create(principal_id="pmo-sync", user=user, name="ServiceNow sync")
    return user


def refused(response, caplog, reason: str):
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["detail"] == "This access token is not valid, has expired or is not for this API."
    lines = [r.getMessage() for r in caplog.records if r.name == "api.auth"]
    assert any(reason in line for line in lines), lines
    return True


def test_a_system_reads_with_the_providers_client_credentials_token(provider, sync_account, project):
    token = provider.access_token()
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["azp"], claims["aud"], claims["roles"]) == ("pmo-sync", AUDIENCE, ["Api.Read"])
    assert "scp" not in claims and not token.startswith("pmo_")
    response = Api(token).get(URL)
    assert response.status_code == 200, response.content
    assert [p["code"] for p in response.json()["results"]] == [project.code]  # a PMO lead's view
    # Api.Read reads only
    written = Api(token).post(f"{URL}{project.code}/risks/", risk_body())
    assert written.status_code == 403
    assert "may only read" in written.json()["detail"]


def test_a_system_with_the_write_app_role_writes_as_its_service_account(provider, pm, project):
    ServicePrincipal.objects.create(principal_id="pmo-sync", user=pm, name="Planning tool")  # the project's PM
    provider.directory["clients"]["pmo-sync"]["roles"] = ["Api.ReadWrite"]
    provider.save()
    response = Api(provider.access_token()).post(f"{URL}{project.code}/risks/", risk_body())
    assert response.status_code == 201, response.content
    assert response.json()["author"] == "pm"


def test_the_tokens_app_roles_add_the_roles_they_map_to(provider, project, caplog):
    account = User.objects.create_user("reporting-bot")
    ServicePrincipal.objects.create(principal_id="pmo-sync", user=account, name="Reporting")
    assert Api(provider.access_token()).get(URL).status_code == 403  # no role: may not list projects
    RoleMapping.objects.create(external_value="PMO.Lead", role=Group.objects.get(name=Role.PMO_LEAD))
    provider.directory["clients"]["pmo-sync"]["roles"] = ["Api.Read", "PMO.Lead"]
    provider.save()
    response = Api(provider.access_token()).get(URL)
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == [project.code]
    assert not account.groups.exists()  # for that request only: the directory's word, not a stored role


@pytest.mark.parametrize(("tamper", "reason"), [("bad_signature", "InvalidSignatureError"),
                                                ("wrong_audience", "InvalidAudienceError"),
                                                ("expired", "ExpiredSignatureError")])
def test_a_bad_token_from_the_provider_is_refused(provider, sync_account, tamper, reason, caplog):
    provider.directory["access_tamper"] = tamper
    provider.save()
    with caplog.at_level(logging.WARNING):
        assert refused(Api(provider.access_token()).get(URL), caplog, reason)


def _forged(provider, *, key=None, alg="RS256", **changes) -> str:
    """A token with the claims the provider issues, changed, signed with the provider's own key (or `key`)."""
    claims = jwt.decode(provider.access_token(), options={"verify_signature": False})
    header = jwt.get_unverified_header(provider.access_token())
    claims.update(changes)
    for name, value in list(claims.items()):
        if value is None:
            del claims[name]
    return jwt.encode(claims, key or (provider.state / "key.pem").read_text(), algorithm=alg,
                      headers={"kid": header["kid"]})


def _unsigned(provider) -> str:
    claims = jwt.decode(provider.access_token(), options={"verify_signature": False})
    part = lambda d: base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()  # noqa: E731
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(("make", "reason"), [
    (lambda p: _forged(p, iss="https://login.example.net/other-tenant/v2.0"), "InvalidIssuerError"),
    (lambda p: _forged(p, exp=None), 'Token is missing the "exp" claim'),
    (lambda p: _forged(p, azp="someone-else", sub="someone-else"), "no service principal is mapped"),
    (lambda p: _forged(p, roles=["Something.Else"]), "grants neither Api.Read nor Api.ReadWrite"),
    (lambda p: _forged(p, key=new_key_pem()), "InvalidSignatureError"),
    (lambda p: _unsigned(p), "token signed with 'none'"),
    # a symmetric algorithm (the "algorithm confusion" attack): refused before any key is tried
    (lambda p: _forged(p, alg="HS256", key="not-the-key-of-anyone-at-all-32bytes"), "token signed with 'HS256'"),
    (lambda p: "not-a-jwt", "not a JWT"),
    (lambda p: "a.b.c", "not a JWT"),
])
def test_a_crafted_token_is_refused_with_a_log_line(provider, sync_account, make, reason, caplog):
    token = make(provider)
    with caplog.at_level(logging.WARNING):
        assert refused(Api(token).get(URL), caplog, reason)


def test_a_token_mapped_to_a_superuser_or_an_inactive_account_is_refused(provider, sync_account, caplog):
    token = provider.access_token()
    sync_account.is_superuser = True
    sync_account.save()
    with caplog.at_level(logging.WARNING):
        assert refused(Api(token).get(URL), caplog, "may not be used")
    sync_account.is_superuser, sync_account.is_active = False, False
    sync_account.save()
    with caplog.at_level(logging.WARNING):
        assert refused(Api(token).get(URL), caplog, "may not be used")


def test_without_an_api_audience_the_providers_tokens_are_refused(provider, sync_account, settings, caplog):
    token = provider.access_token()
    settings.OIDC_API_AUDIENCE = ""
    with caplog.at_level(logging.WARNING):
        assert refused(Api(token).get(URL), caplog, "OIDC_API_AUDIENCE unset")


def test_the_provider_unreachable_gives_401_not_500(provider, sync_account, caplog):
    token = provider.access_token()
    provider.stop()
    cache.clear()  # nothing cached from an earlier call
    with caplog.at_level(logging.WARNING):
        assert refused(Api(token).get(URL), caplog, "ConnectionError")


def test_the_providers_key_rotation_is_followed_and_an_unknown_key_refetches_at_most_so_often(
        provider, sync_account, caplog):
    assert Api(provider.access_token()).get(URL).status_code == 200  # the JWKS of the first key is cached
    provider.stop()
    (provider.state / "inactive-1.pem").write_text((provider.state / "key.pem").read_text())
    (provider.state / "key.pem").write_text(new_key_pem())
    provider.start()
    assert Api(provider.access_token()).get(URL).status_code == 200  # a new kid: the JWKS is fetched again

    forged = jwt.encode({"sub": "x"}, new_key_pem(), algorithm="RS256", headers={"kid": "made-up"})
    provider.stop()  # if a made-up kid fetched the JWKS again now, it would be a ConnectionError
    with caplog.at_level(logging.WARNING):
        assert refused(Api(forged).get(URL), caplog, "no key 'made-up'")


def test_our_api_tokens_still_work_beside_them(provider, pm):
    assert Api(make_token(pm)).get(URL).status_code == 200
    assert Api("pmo_not-a-token").get(URL).status_code == 401


# --- leavers -------------------------------------------------------------------------------------------

SCIM_TOKEN = "scim-test-token-0123456789abcdef0123456789"


def test_a_leaver_deactivated_by_scim_loses_api_tokens_and_provider_tokens_on_the_next_request(
        provider, settings, client, project):
    settings.SCIM_BEARER_TOKEN = SCIM_TOKEN

    def scim(method, path, body):
        return getattr(client, method)(f"/scim/v2/{path}", json.dumps(body), content_type="application/scim+json",
                                       HTTP_AUTHORIZATION=f"Bearer {SCIM_TOKEN}")

    RoleMapping.objects.create(external_value="g-lead", role=Group.objects.get(name=Role.PMO_LEAD))
    scim_id = scim("post", "Users", {"userName": "bob@example.com", "externalId": "bob-oid", "active": True,
                                     "name": {"givenName": "Bob", "familyName": "Janssens"}}).json()["id"]
    assert scim("post", "Groups", {"displayName": "PMO leads", "externalId": "g-lead",
                                   "members": [{"value": scim_id}]}).status_code == 201
    bob = User.objects.get(username="bob@example.com")
    api_token = make_token(bob)
    access = provider.access_token("pmo-cli", grant_type="password", username="bob", password="provider-pass",
                                   scope="Api.Read")
    assert jwt.decode(access, options={"verify_signature": False})["scp"] == "Api.Read"
    for secret in (api_token, access):
        response = Api(secret).get(URL)
        assert response.status_code == 200, response.content
        assert [p["code"] for p in response.json()["results"]] == [project.code]

    patched = scim("patch", f"Users/{scim_id}", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                                 "Operations": [{"op": "Replace", "path": "active", "value": False}]})
    assert patched.status_code == 200, patched.content
    assert Api(api_token).get(URL).status_code == 401
    response = Api(access).get(URL)  # a token the provider issued before: still signed and unexpired
    assert response.status_code == 401
    assert jwt.decode(access, options={"verify_signature": False})["exp"] > time.time()


def test_a_delegated_token_for_someone_not_from_the_directory_is_refused(provider, caplog):
    User.objects.create_user("alice@example.com")  # a local account of the same name
    access = provider.access_token("pmo-cli", grant_type="password", username="alice", password="provider-pass",
                                   scope="Api.Read")
    with caplog.at_level(logging.WARNING):
        assert refused(Api(access).get(URL), caplog, "no such directory user")
