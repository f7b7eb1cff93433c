"""URL helpers: permanent redirects for the URL configurations, links for the rows of a list."""

from collections.abc import Callable
from urllib.parse import quote

from django.urls import path, reverse
from django.utils.http import RFC3986_SUBDELIMS
from django.views.generic import RedirectView

_KEY = "__key__"


def moved_permanently(route: str, target: str) -> list:
    """An area that moved keeps its old addresses (bookmarks, e-mails, ServiceNow tickets) as permanent
    redirects: `route` (say "<str:code>/quality/") and everything below it go to `target`
    ("/projects/%(code)s/checklists/"), the rest of the path and the query string kept."""
    return [
        path(route, RedirectView.as_view(url=target, permanent=True, query_string=True)),
        path(f"{route}<path:rest>", RedirectView.as_view(url=f"{target}%(rest)s", permanent=True, query_string=True)),
    ]


def link_maker(viewname: str) -> Callable[[str], str]:
    """reverse(viewname, args=[key]) for every row of a list at the cost of one reverse: on a list page
    the links cost more than the rest of the row. For keys that hold no slash (a project code, an order
    number), quoted as reverse quotes them."""
    head, tail = reverse(viewname, args=[_KEY]).split(_KEY)
    return lambda key: f"{head}{quote(key, safe=RFC3986_SUBDELIMS + '/~:@')}{tail}"
