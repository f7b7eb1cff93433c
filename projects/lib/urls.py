"""URL helpers: permanent redirects for the URL configurations, links for the rows of a list."""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import path, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.views.generic import RedirectView

# What stands for the row's key while an address is reversed once for a whole list: a word for a
# <str:...> part, a number no address of this application otherwise holds for an <int:...> part.
_KEYS = {str: "__key__", int: "918273645"}


def moved_permanently(route: str, target: str) -> list:
    """An area that moved keeps its old addresses (bookmarks, e-mails, ServiceNow tickets) as permanent
    redirects: `route` (say "<str:code>/quality/") and everything below it go to `target`
    ("/projects/%(code)s/checklists/"), the rest of the path and the query string kept."""
    return [
        path(route, RedirectView.as_view(url=target, permanent=True, query_string=True)),
        path(f"{route}<path:rest>", RedirectView.as_view(url=f"{target}%(rest)s", permanent=True, query_string=True)),
    ]


def link_maker(viewname: str, *args, key: type = str) -> Callable[[object], str]:
    """reverse(viewname, args=[*args, row_key]) for every row of a list at the cost of one reverse: on a
    list page the links cost more than the rest of the row. `key` is the type of the address's last
    part; a str key (a project code, an order number) holds no slash and is quoted as reverse quotes it."""
    marker = _KEYS[key]
    head, found, tail = reverse(viewname, args=[*args, key(marker)]).partition(marker)
    assert found and marker not in tail, (viewname, args)
    if key is int:
        return lambda pk: f"{head}{pk}{tail}"
    return lambda value: f"{head}{quote(value, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"
