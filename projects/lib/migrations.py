"""Helpers for migrations that only make sense on PostgreSQL."""


def on_postgresql(sql: str):
    """A RunPython function running `sql` on PostgreSQL and nothing elsewhere. The triggers that keep
    project summaries and commitments are PL/pgSQL; the embedded SQLite default computes those figures
    at read time instead (see reporting.services.summaries and procurement.selectors.costs)."""
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)
    return run
