"""SCIM provisioning moves directory users in and out; LOCAL_LOGIN=false; sign-in protection (django-axes)."""

import json

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import DirectoryGroup, RoleMapping, User
from accounts.roles import Role

from .conftest import PASSWORD

TOKEN = "scim-test-token-0123456789abcdef0123456789"
SCIM = "application/scim+json"


@pytest.fixture
def scim(db, client, settings):
    settings.SCIM_BEARER_TOKEN = TOKEN

    def call(method, path, body=None, token=TOKEN):
        kwargs = {"content_type": SCIM, "HTTP_AUTHORIZATION": f"Bearer {token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
        return getattr(client, method)(f"/scim/v2/{path}", **kwargs)

    return call


def _user_body(**extra):
    return {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "bob@example.com",
            "externalId": "a1b2-bob-object-id", "name": {"givenName": "Bob", "familyName": "Janssens"},
            "emails": [{"value": "bob@example.com", "primary": True}], "active": True, **extra}


def _patch(*operations):
    return {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": list(operations)}


def test_scim_moves_a_user_in_gives_roles_through_groups_and_moves_them_out(scim):
    from django.test import Client

    RoleMapping.objects.create(external_value="g-pm-object-id", role=Group.objects.get(name=Role.PROJECT_MANAGER))
    created = scim("post", "Users", _user_body())
    assert created.status_code == 201, created.content
    scim_id = created.json()["id"]
    bob = User.objects.get(username="bob@example.com")
    assert bob.from_directory and bob.is_active and not bob.has_usable_password()
    assert (bob.first_name, bob.last_name, bob.email) == ("Bob", "Janssens", "bob@example.com")
    assert not bob.roles

    group = scim("post", "Groups", {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
                                    "displayName": "PMO project managers", "externalId": "g-pm-object-id",
                                    "members": [{"value": scim_id}]})
    assert group.status_code == 201, group.content
    assert set(bob.groups.values_list("name", flat=True)) == {Role.PROJECT_MANAGER}

    browser = Client()  # Bob's live session
    browser.force_login(bob)
    assert browser.get(reverse("home")).status_code == 200

    patched = scim("patch", f"Users/{scim_id}", _patch({"op": "Replace", "path": "active", "value": "False"}))
    assert patched.status_code == 200, patched.content
    bob.refresh_from_db()
    assert not bob.is_active and bob.groups.count() == 0
    response = browser.get(reverse("home"))  # the next request of the live session
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))

    assert scim("delete", f"Users/{scim_id}").status_code == 204
    assert scim("get", f"Users/{scim_id}").status_code == 404
    bob.refresh_from_db()
    assert not bob.is_active and not bob.from_directory  # kept for the history that names him, out of SCIM
    assert DirectoryGroup.objects.get().members.count() == 1


def test_scim_removing_a_member_takes_the_role_away(scim):
    RoleMapping.objects.create(external_value="g-fin", role=Group.objects.get(name=Role.FINANCE))
    scim_id = scim("post", "Users", _user_body()).json()["id"]
    group_id = scim("post", "Groups", {"displayName": "Finance", "externalId": "g-fin",
                                       "members": [{"value": scim_id}]}).json()["id"]
    bob = User.objects.get(username="bob@example.com")
    assert bob.has_role(Role.FINANCE)
    response = scim("patch", f"Groups/{group_id}", _patch({"op": "remove", "path": "members",
                                                           "value": [{"value": scim_id}]}))
    assert response.status_code == 200, response.content
    assert User.objects.get(pk=bob.pk).groups.count() == 0


def test_scim_sees_and_changes_no_local_account(scim, pm, admin_user):
    listing = scim("get", "Users").json()
    assert listing["totalResults"] == 0
    assert scim("get", f"Users/{pm.scim_id}").status_code == 404
    assert scim("patch", f"Users/{admin_user.scim_id}",
                _patch({"op": "Replace", "path": "active", "value": False})).status_code == 404
    found = scim("get", 'Users?filter=userName eq "pm"').json()
    assert found["totalResults"] == 0
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_scim_refuses_a_missing_or_wrong_token_and_stores_nothing(scim, settings):
    assert scim("post", "Users", _user_body(), token="wrong").status_code == 401
    assert scim("get", "Users", token="").status_code == 401
    settings.SCIM_BEARER_TOKEN = ""
    assert scim("get", "Users", token="").status_code == 401
    assert not User.objects.filter(username="bob@example.com").exists()


def test_scim_refuses_a_user_without_username(scim):
    response = scim("post", "Users", _user_body(userName=""))
    assert response.status_code == 400
    assert not User.objects.filter(from_directory=True).exists()


def test_without_local_login_the_password_form_is_gone_and_a_post_is_refused(client, settings, pm):
    settings.LOCAL_LOGIN = False
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' not in page
    assert reverse("oidc_start") in page
    response = client.post(reverse("login"), {"username": "pm", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    # the admin has no password form of its own: an anonymous visitor is sent to the page above
    admin_post = client.post("/admin/login/", {"username": "pm", "password": PASSWORD})
    assert admin_post.status_code == 302 and admin_post["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_with_local_login_the_form_is_there_and_no_provider_button_without_a_provider(db, client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page and reverse("oidc_start") not in page


def _fail(client, username, address, password="wrong"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_repeated_failures_block_that_username_from_that_address_only(client, settings, pm, sales, caplog):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        _fail(client, "pm", "203.0.113.7")
    blocked = _fail(client, "pm", "203.0.113.7", password=PASSWORD)  # even the right password
    assert blocked.status_code == 429
    assert "Too many failed sign-ins" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("Locking out" in r.getMessage() for r in caplog.records)

    # the same user from another address, and another user from the attacker's address, still sign in
    assert _fail(client, "pm", "198.51.100.2", password=PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert _fail(client, "sales", "203.0.113.7", password=PASSWORD).status_code == 302
    attempt = AccessAttempt.objects.get(username="pm", ip_address="203.0.113.7")
    assert attempt.failures_since_start >= 3


def test_the_administrator_sees_the_attempts_in_the_admin(client, admin_user, pm):
    _fail(client, "pm", "203.0.113.9")
    client.force_login(admin_user)
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "203.0.113.9" in page.content.decode()


def test_break_glass_link_signs_a_superuser_in_once_even_without_local_login(client, settings, admin_user, pm):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.LOCAL_LOGIN = False
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    out = StringIO()
    call_command("break_glass_link", admin_user.username, stdout=out)
    link = out.getvalue().split()[0]
    assert client.get(link).status_code == 200  # a button: a link preview does not use it up
    assert "_auth_user_id" not in client.session
    response = client.post(link)
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200
    client.post(reverse("logout"))
    assert client.post(link).status_code == 410  # once
    assert "_auth_user_id" not in client.session
    with pytest.raises(CommandError):
        call_command("break_glass_link", pm.username, stdout=StringIO())  # superusers only
