"""Helpers for migrations whose SQL differs per database (triggers: PL/pgSQL on PostgreSQL, SQLite's own
syntax on the embedded default)."""


def per_vendor(statements: dict[str, list[str]]):
    """A RunPython function running the statements listed for the database's vendor, nothing for a
    vendor not listed."""
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql, params=None)
    return run


def on_postgresql(sql: str):
    """`sql` on PostgreSQL only. The project summaries' dirty marks are PL/pgSQL; the embedded SQLite
    default recomputes those figures at read time instead (see reporting.services.summaries)."""
    return per_vendor({"postgresql": [sql]})
