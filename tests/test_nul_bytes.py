"""A NUL character anywhere in a request gets 400 (or 404), never 500: PostgreSQL refuses it in any
string, so before the guard it reached lookups as `ValueError: A string literal cannot contain NUL`.
Swept over every (URL, method) row of the permission matrix, signed in and not."""

import pytest
from django.urls import reverse

from .test_permission_matrix import MATRIX, _matrix_data, objects, personas  # noqa: F401 (fixtures)

ROWS = sorted(MATRIX, key=lambda row: (row[0], row[1] or "", row[2]))
REFUSED = (400, 404)


def _with_nul_in_path(path: str) -> str:
    """'/projects/PRJ-1/' -> '/projects/PRJ-1%00/'; '/planning/calendar/T.ics' -> '.../T%00.ics'."""
    if path.endswith("/"):
        return path[:-1] + "%00/"
    head, _, last = path.rpartition("/")
    if "." in last:
        stem, _, extension = last.rpartition(".")
        return f"{head}/{stem}%00.{extension}"
    return path + "%00"


def _requests(name, kwargs_key, method, objects):  # noqa: F811
    args = objects.get(kwargs_key, []) if kwargs_key else []
    args, query = args if isinstance(args, tuple) else (args, "")
    path = reverse(name, args=args)
    # The query repeats the names the views read (the last value wins), each with a NUL.
    nul_query = "q=x%00y&project=%00&page=1%00&status=%00&week=%00&customer=%00&next=/%00"
    yield "path", _with_nul_in_path(path) + query, {}
    yield "query", f"{path}{query}{'&' if query else '?'}{nul_query}", {}
    if method == "POST":
        yield "form", path + query, {key: "x\x00y" for key in ("name", "title", "q", "comment", "reason", "body",
                                                              "description", "narrative", "csrfmiddlewaretoken")}


@pytest.mark.parametrize(("name", "kwargs_key", "method"), ROWS, ids=[f"{n}-{k or ''}-{m}" for n, k, m in ROWS])
def test_a_nul_byte_is_refused_on_every_address(client, personas, objects, name, kwargs_key, method):  # noqa: F811
    for role in ("anonymous", "admin", "pm"):
        client.logout()
        if role != "anonymous":
            client.force_login(personas[role])
        for part, url, data in _requests(name, kwargs_key, method, objects):
            response = client.get(url) if method == "GET" else client.post(url, data)
            assert response.status_code in REFUSED, f"{role} {method} {url} ({part}): {response.status_code}"


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_refusal_page_says_what_is_wrong(client, personas, signed_in):  # noqa: F811
    if signed_in:
        client.force_login(personas["pm"])
    for url in ("/planning/calendar/%00.ics", "/projects/PRJ%00/", "/customers/?q=acme%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "character that cannot be stored" in response.content.decode()


def test_a_nul_byte_in_a_cookie_is_refused_before_the_session_is_read(client, personas):  # noqa: F811
    client.cookies["sessionid"] = "\x00" * 40
    assert client.get(reverse("home")).status_code == 400

