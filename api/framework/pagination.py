"""Cursor pagination: a page's position is an opaque cursor over a stable order (the primary key),
so rows written meanwhile never shift a page and no COUNT runs."""

from rest_framework.pagination import CursorPagination


class StableCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
