"""Each project's largest submitted order, kept exact by triggers beside the committed total (0004).

An order waits for the PMO lead when the project's committed total plus the order exceeds its budget;
if even the project's largest submitted order fits, none of its orders does, so the lead's list starts
from the projects flagged beyond_budget (a generated column under a partial index) and reads only
their submitted orders, not all of them. A maximum is not a delta: the trigger recomputes it per
touched project (the index on (project, status) bounds that by the project's orders), and locks the
project's row before reading, so an order committed meanwhile by another transaction is counted."""

from importlib import import_module

from django.db import migrations, models
from django.db.models import ExpressionWrapper, F, Q

from projects.lib.migrations import per_vendor

SUBMITTED = "'submitted'"


def _touched(rows):
    return f"SELECT project_id FROM {rows} WHERE status = {SUBMITTED}"


PG_SQL = f"""
CREATE FUNCTION procurement_commitment_waiting() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    touched bigint[];
BEGIN
    IF TG_OP = 'INSERT' THEN touched := ARRAY({_touched("new_rows")});
    ELSIF TG_OP = 'UPDATE' THEN touched := ARRAY({_touched("new_rows")} UNION {_touched("old_rows")});
    ELSE touched := ARRAY({_touched("old_rows")});
    END IF;
    IF cardinality(touched) = 0 THEN RETURN NULL; END IF;
    INSERT INTO procurement_projectcommitment (project_id)
    SELECT DISTINCT t.id FROM unnest(touched) AS t(id)
    WHERE EXISTS (SELECT 1 FROM projects_project p WHERE p.id = t.id) ORDER BY t.id
    ON CONFLICT (project_id) DO NOTHING;
    -- Lock first, read after: each statement takes a new snapshot, so it sees every order committed
    -- by whoever held the row before us (read before the lock, a concurrent submission could be lost).
    PERFORM 1 FROM procurement_projectcommitment WHERE project_id = ANY(touched) ORDER BY project_id FOR UPDATE;
    UPDATE procurement_projectcommitment c
    SET largest_waiting = (SELECT max(po.net_total) FROM procurement_purchaseorder po
                           WHERE po.project_id = c.project_id AND po.status = {SUBMITTED})
    WHERE c.project_id = ANY(touched);
    RETURN NULL;
END $$;
CREATE TRIGGER procurement_purchaseorder_waiting_insert AFTER INSERT ON procurement_purchaseorder
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION procurement_commitment_waiting();
CREATE TRIGGER procurement_purchaseorder_waiting_update AFTER UPDATE ON procurement_purchaseorder
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION procurement_commitment_waiting();
CREATE TRIGGER procurement_purchaseorder_waiting_delete AFTER DELETE ON procurement_purchaseorder
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION procurement_commitment_waiting();
"""

PG_REVERSE_SQL = "DROP FUNCTION procurement_commitment_waiting() CASCADE;"


def _sqlite_refresh(project_id):
    return f"""
    INSERT INTO procurement_projectcommitment (project_id, largest_waiting)
    SELECT p.id, (SELECT max(po.net_total) FROM procurement_purchaseorder po
                  WHERE po.project_id = p.id AND po.status = {SUBMITTED})
    FROM projects_project p WHERE p.id = {project_id}
    ON CONFLICT (project_id) DO UPDATE SET largest_waiting = excluded.largest_waiting;"""


# SQLite (the embedded default) has row triggers only, and one writer at a time: recompute per row.
SQLITE_SQL = [
    f"""CREATE TRIGGER procurement_purchaseorder_waiting_insert AFTER INSERT ON procurement_purchaseorder
        WHEN NEW.status = {SUBMITTED} BEGIN {_sqlite_refresh("NEW.project_id")} END;""",
    f"""CREATE TRIGGER procurement_purchaseorder_waiting_update AFTER UPDATE ON procurement_purchaseorder
        WHEN {SUBMITTED} IN (OLD.status, NEW.status)
        BEGIN {_sqlite_refresh("OLD.project_id")} {_sqlite_refresh("NEW.project_id")} END;""",
    f"""CREATE TRIGGER procurement_purchaseorder_waiting_delete AFTER DELETE ON procurement_purchaseorder
        WHEN OLD.status = {SUBMITTED} BEGIN {_sqlite_refresh("OLD.project_id")} END;""",
]
SQLITE_REVERSE_SQL = [f"DROP TRIGGER procurement_purchaseorder_waiting_{op};" for op in ("insert", "update", "delete")]

# The orders already waiting; a project without a row yet has no baseline (its trigger would have
# written one) and nothing committed, so the defaults are its figures.
BACKFILL_SQL = f"""
INSERT INTO procurement_projectcommitment (project_id, largest_waiting)
SELECT po.project_id, max(po.net_total) FROM procurement_purchaseorder po
WHERE po.status = {SUBMITTED} GROUP BY po.project_id ORDER BY po.project_id
ON CONFLICT (project_id) DO UPDATE SET largest_waiting = excluded.largest_waiting;
"""


# SQLite adds a stored generated column by rebuilding the table, and refuses to rename the rebuilt one
# while triggers elsewhere name it: 0004's triggers step aside for the rebuild and come back unchanged.
_0004 = import_module("procurement.migrations.0004_project_commitments")


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0005_search_indexes'),
        ('projects', '0015_reference_translations'),
    ]

    operations = [
        migrations.RunPython(per_vendor({"sqlite": _0004.SQLITE_REVERSE_SQL}), per_vendor({"sqlite": _0004.SQLITE_TRIGGERS})),
        migrations.AddField(
            model_name='projectcommitment',
            name='largest_waiting',
            field=models.DecimalField(decimal_places=2, max_digits=14, null=True),
        ),
        migrations.AddField(
            model_name='projectcommitment',
            name='beyond_budget',
            field=models.GeneratedField(
                db_persist=True, output_field=models.BooleanField(),
                expression=ExpressionWrapper(Q(largest_waiting__gt=F('budget') - F('committed')),
                                             output_field=models.BooleanField())),
        ),
        migrations.AddIndex(
            model_name='projectcommitment',
            index=models.Index(condition=Q(beyond_budget=True), fields=['project'], name='commitment_beyond_budget'),
        ),
        migrations.RunPython(per_vendor({"sqlite": _0004.SQLITE_TRIGGERS}), per_vendor({"sqlite": _0004.SQLITE_REVERSE_SQL})),
        migrations.RunPython(
            per_vendor({"postgresql": [PG_SQL, BACKFILL_SQL], "sqlite": SQLITE_SQL + [BACKFILL_SQL]}),
            per_vendor({"postgresql": [PG_REVERSE_SQL], "sqlite": SQLITE_REVERSE_SQL})),
    ]
