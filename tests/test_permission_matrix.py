"""Every (URL, method) for every role. A URL pattern without a row here fails the suite."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

ROLES = ["anonymous", "outsider", "sales", "sales2", "support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin"]
SIGNED_IN = ROLES[1:]

# Pages open to anonymous visitors redirect elsewhere than the sign-in page.
PUBLIC = {"healthz", "login", "set_language"}
# Django's admin is guarded by is_staff; it is tested on its own below.
NOT_IN_MATRIX = {"admin"}


def everyone(code, anonymous=302):
    return {role: (anonymous if role == "anonymous" else code) for role in ROLES}


def only(code_for_allowed, allowed, denied_code, anonymous=302):
    return {
        role: anonymous if role == "anonymous" else (code_for_allowed if role in allowed else denied_code)
        for role in ROLES
    }


PORTFOLIO = {"support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin"}

# (url name, kwargs key, method) -> expected status per role
MATRIX = {
    ("home", None, "GET"): everyone(200),
    ("home", None, "POST"): everyone(405),
    ("healthz", None, "GET"): everyone(200, anonymous=200),
    ("login", None, "GET"): everyone(302, anonymous=200),
    ("logout", None, "POST"): everyone(302),
    ("logout", None, "GET"): everyone(405),
    ("password_change", None, "GET"): everyone(200),
    ("password_change_done", None, "GET"): everyone(200),
    ("set_language", None, "POST"): everyone(302, anonymous=302),
    ("set_language", None, "GET"): everyone(405, anonymous=405),
    ("notification_list", None, "GET"): everyone(200),
    ("notification_list", None, "POST"): everyone(405),
    ("notifications_read", None, "POST"): everyone(302),
    ("notifications_read", None, "GET"): everyone(405),
    ("projects:list", None, "GET"): only(200, PORTFOLIO | {"sales", "sales2"}, 403),
    ("projects:list", None, "POST"): everyone(405),
    ("projects:detail", "project", "GET"): only(200, PORTFOLIO | {"sales"}, 404),
    ("projects:detail", "project", "POST"): everyone(405),
    ("projects:history", "project", "GET"): only(200, PORTFOLIO, 404),
}


def _url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in NOT_IN_MATRIX:
                continue
            yield from _url_names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_has_a_row():
    in_matrix = {name for name, _, _ in MATRIX}
    missing = set(_url_names()) - in_matrix
    assert not missing, f"URL patterns without a permission-matrix row: {sorted(missing)}"


CASES = [(name, kw, method, role) for (name, kw, method), codes in MATRIX.items() for role in ROLES]


@pytest.mark.parametrize(("name", "kwargs_key", "method", "role"), CASES, ids=[f"{n}-{m}-{r}" for n, _, m, r in CASES])
def test_permission(client, personas, project, name, kwargs_key, method, role):
    args = {"project": [project.code]}.get(kwargs_key, [])
    url = reverse(name, args=args)
    if role != "anonymous":
        client.force_login(personas[role])
    response = client.get(url) if method == "GET" else client.post(url)
    expected = MATRIX[(name, kwargs_key, method)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if role == "anonymous" and expected == 302 and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_only_staff_reach_the_admin(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == "admin" else 302)
