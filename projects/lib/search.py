"""Text search that PostgreSQL answers from an index: trigram indexes on the searched columns, prefix
matches on codes, and the search across several columns (of the row or of related rows) as one union
of indexed look-ups.

Django's `icontains` compares UPPER(column::text) LIKE UPPER('%text%') on PostgreSQL. A B-tree cannot
serve a leading wildcard, so without help every search reads the whole table; a GIN index with
pg_trgm's gin_trgm_ops on exactly that expression serves any part of the text, prefix or middle.
Codes (PO-2026-00042) also get a B-tree on the same expression for their start: see code_contains.
On SQLite (the embedded demo) there is no such index: the migrations create nothing and the same
queries scan, which is quick at demo size.
"""

import re

from django.contrib.postgres.operations import TrigramExtension
from django.db.migrations.operations.base import Operation
from django.db.models import Q, QuerySet


class CreateTrigramExtension(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere, forwards and backwards (Django's own checks the
    database only forwards)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def search_index_name(table: str, column: str, kind: str) -> str:
    return f"{table}_{column}_{kind}"


class AddSearchIndexes(Operation):
    """On PostgreSQL only, indexes on UPPER(column) of one model: for `contains`, a GIN trigram index
    (any part of the text); for `prefix`, a B-tree in pattern order (the start of the text, in the same
    time at any table size). They stay out of the migration state on purpose: SQLite rebuilds a table
    from that state when a later migration alters it, and could build neither."""

    reversible = True
    KINDS = {"trgm": "gin (UPPER({column}) gin_trgm_ops)", "prefix": "btree (UPPER({column}) text_pattern_ops)"}

    def __init__(self, model_name: str, contains: list[str] = (), prefix: list[str] = ()):
        self.model_name = model_name
        self.contains = list(contains)
        self.prefix = list(prefix)

    def deconstruct(self):
        return self.__class__.__qualname__, [], {"model_name": self.model_name, "contains": self.contains,
                                                 "prefix": self.prefix}

    def state_forwards(self, app_label, state):
        pass

    def _indexes(self, app_label, state) -> tuple[str, list[tuple[str, str, str]]]:
        """The table and, per index, (name, kind, column)."""
        meta = state.apps.get_model(app_label, self.model_name)._meta
        fields = [("trgm", field) for field in self.contains] + [("prefix", field) for field in self.prefix]
        return meta.db_table, [(search_index_name(meta.db_table, meta.get_field(field).column, kind), kind,
                                meta.get_field(field).column) for kind, field in fields]

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        quote = schema_editor.quote_name
        table, indexes = self._indexes(app_label, to_state)
        for name, kind, column in indexes:
            # Written out: Django renders OpClass in an index only with django.contrib.postgres installed.
            method = self.KINDS[kind].format(column=quote(column))
            schema_editor.execute(f"CREATE INDEX {quote(name)} ON {quote(table)} USING {method}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "postgresql":
            return
        for name, _kind, _column in self._indexes(app_label, from_state)[1]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")

    def describe(self):
        return f"Search indexes on {self.model_name} ({', '.join(self.contains + self.prefix)}), PostgreSQL only"


YEAR_ONWARDS = re.compile(r"\d{4}-\d*")


def code_contains(field: str, text: str, prefix: str) -> Q:
    """`field`, a code made of `prefix`, a year, a dash and a sequence number (PO-2026-00042), contains
    `text`, ignoring case. A text that can only match at the code's start (part of the prefix, the
    prefix and more, or the year and more) becomes a prefix match, which the B-tree answers in the
    same time at any size; with the trigram index, the prefix's trigrams, shared by every row, would
    make the look-up grow with the table. Any other part (a sequence number alone) goes to the trigram
    index."""
    upper = text.upper()
    if prefix.startswith(upper) or upper.startswith(prefix):
        return Q(**{f"{field}__istartswith": upper})
    if YEAR_ONWARDS.fullmatch(upper):
        return Q(**{f"{field}__istartswith": prefix + upper})
    return Q(**{f"{field}__icontains": text})


def matching_any(queryset: QuerySet, *conditions: Q) -> QuerySet:
    """The rows of `queryset` that meet any of `conditions` (on the row or on related rows, such as
    Q(lines__description__icontains=...)). Each condition is looked up on its own and the row ids
    joined in one union, so each part reads its own column's index; one OR across a join (and the
    DISTINCT it needs) would read every row of both tables instead."""
    manager = queryset.model._default_manager
    parts = [manager.filter(condition).order_by().values("pk") for condition in conditions]
    return queryset.filter(pk__in=parts[0].union(*parts[1:], all=True))
