"""URL helpers shared by the apps' URL configurations."""

from django.urls import path
from django.views.generic import RedirectView


def moved_permanently(route: str, target: str) -> list:
    """An area that moved keeps its old addresses (bookmarks, e-mails, ServiceNow tickets) as permanent
    redirects: `route` (say "<str:code>/quality/") and everything below it go to `target`
    ("/projects/%(code)s/checklists/"), the rest of the path and the query string kept."""
    return [
        path(route, RedirectView.as_view(url=target, permanent=True, query_string=True)),
        path(f"{route}<path:rest>", RedirectView.as_view(url=f"{target}%(rest)s", permanent=True, query_string=True)),
    ]
