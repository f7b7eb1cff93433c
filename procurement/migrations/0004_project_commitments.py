"""Each project's committed total and current budget, kept exact by triggers (see ProjectCommitment).

Triggers rather than the services: a queryset update(), bulk_create (seeding) or the admin changes
orders too, and a total kept by only some writers would drift. The statuses that count are
PurchaseOrder.COMMITTED as of this migration; a change to that set needs a migration rewriting
procurement_commitment_orders() (tests/test_waiting_orders.py checks the two agree)."""

import django.db.models.deletion
from django.db import migrations, models

from projects.lib.migrations import per_vendor


COMMITTED = "('approved', 'sent', 'partly_received', 'received', 'invoiced', 'closed')"


def _delta(rows, sign):
    return f"SELECT project_id, {sign}net_total AS delta FROM {rows} WHERE status IN {COMMITTED}"


def _add(deltas):
    return f"""
        INSERT INTO procurement_projectcommitment (project_id, committed)
        SELECT project_id, sum(delta) FROM ({deltas}) AS d
        WHERE EXISTS (SELECT 1 FROM projects_project p WHERE p.id = d.project_id)
        GROUP BY project_id HAVING sum(delta) <> 0 ORDER BY project_id
        ON CONFLICT (project_id) DO UPDATE SET committed = procurement_projectcommitment.committed + EXCLUDED.committed;"""


def _budget(touched):
    return f"""
        INSERT INTO procurement_projectcommitment (project_id, budget)
        SELECT id, COALESCE((SELECT b.budget FROM projects_baseline b WHERE b.project_id = t.id
                             ORDER BY b.version DESC LIMIT 1), 0)
        FROM (SELECT DISTINCT project_id AS id FROM ({touched}) AS u) AS t
        WHERE EXISTS (SELECT 1 FROM projects_project p WHERE p.id = t.id) ORDER BY id
        ON CONFLICT (project_id) DO UPDATE SET budget = EXCLUDED.budget;"""


def _triggers(table, function):
    return f"""
CREATE TRIGGER {table}_commitment_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_commitment_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_commitment_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


SQL = f"""
CREATE FUNCTION procurement_commitment_orders() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_add(_delta("new_rows", ""))}
    ELSIF TG_OP = 'UPDATE' THEN {_add(_delta("new_rows", "") + " UNION ALL " + _delta("old_rows", "-"))}
    ELSE {_add(_delta("old_rows", "-"))}
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION procurement_commitment_baselines() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN {_budget("SELECT project_id FROM new_rows")}
    ELSIF TG_OP = 'UPDATE' THEN {_budget("SELECT project_id FROM new_rows UNION SELECT project_id FROM old_rows")}
    ELSE {_budget("SELECT project_id FROM old_rows")}
    END IF;
    RETURN NULL;
END $$;
-- A deleted project takes its row with it (a trigger of a row deleted before it may have written it).
CREATE FUNCTION procurement_commitment_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM procurement_projectcommitment WHERE project_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER procurement_commitment_deleted AFTER DELETE ON projects_project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION procurement_commitment_project_deleted();
{_triggers("procurement_purchaseorder", "procurement_commitment_orders")}
{_triggers("projects_baseline", "procurement_commitment_baselines")}
INSERT INTO procurement_projectcommitment (project_id, committed, budget)
SELECT p.id,
       COALESCE((SELECT sum(po.net_total) FROM procurement_purchaseorder po
                 WHERE po.project_id = p.id AND po.status IN {COMMITTED}), 0),
       COALESCE((SELECT b.budget FROM projects_baseline b WHERE b.project_id = p.id ORDER BY b.version DESC LIMIT 1), 0)
FROM projects_project p ORDER BY p.id;
"""

REVERSE_SQL = """
DROP FUNCTION procurement_commitment_orders() CASCADE;
DROP FUNCTION procurement_commitment_baselines() CASCADE;
DROP FUNCTION procurement_commitment_project_deleted() CASCADE;
"""


def _sqlite_refresh(project_id):
    return f"""
    INSERT INTO procurement_projectcommitment (project_id, committed, budget)
    SELECT p.id,
           COALESCE((SELECT sum(po.net_total) FROM procurement_purchaseorder po
                     WHERE po.project_id = p.id AND po.status IN {COMMITTED}), 0),
           COALESCE((SELECT b.budget FROM projects_baseline b WHERE b.project_id = p.id
                     ORDER BY b.version DESC LIMIT 1), 0)
    FROM projects_project p WHERE p.id = {project_id}
    ON CONFLICT (project_id) DO UPDATE SET committed = excluded.committed, budget = excluded.budget;"""


def _sqlite_triggers(table):
    return [
        f"""CREATE TRIGGER {table}_commitment_insert AFTER INSERT ON {table}
            BEGIN {_sqlite_refresh("NEW.project_id")} END;""",
        f"""CREATE TRIGGER {table}_commitment_update AFTER UPDATE ON {table}
            BEGIN {_sqlite_refresh("OLD.project_id")} {_sqlite_refresh("NEW.project_id")} END;""",
        f"""CREATE TRIGGER {table}_commitment_delete AFTER DELETE ON {table}
            BEGIN {_sqlite_refresh("OLD.project_id")} END;""",
    ]


# SQLite, the embedded default, has neither plpgsql nor statement triggers; it has row triggers and one
# writer at a time, so each changed row recomputes its project's figures (bounded by the project's rows).
SQLITE_TRIGGERS = [
    *_sqlite_triggers("procurement_purchaseorder"),
    *_sqlite_triggers("projects_baseline"),
    """CREATE TRIGGER procurement_commitment_deleted AFTER DELETE ON projects_project
        BEGIN DELETE FROM procurement_projectcommitment WHERE project_id = OLD.id; END;""",
]
SQLITE_SQL = SQLITE_TRIGGERS + [
    f"""INSERT INTO procurement_projectcommitment (project_id, committed, budget)
    SELECT p.id,
           COALESCE((SELECT sum(po.net_total) FROM procurement_purchaseorder po
                     WHERE po.project_id = p.id AND po.status IN {COMMITTED}), 0),
           COALESCE((SELECT b.budget FROM projects_baseline b WHERE b.project_id = p.id
                     ORDER BY b.version DESC LIMIT 1), 0)
    FROM projects_project p ORDER BY p.id;""",
]
SQLITE_REVERSE_SQL = [
    f"DROP TRIGGER {table}_commitment_{op};"
    for table in ("procurement_purchaseorder", "projects_baseline") for op in ("insert", "update", "delete")
] + ["DROP TRIGGER procurement_commitment_deleted;"]


class Migration(migrations.Migration):

    dependencies = [
        ('procurement', '0003_purchase_orders_waiting_index'),
        ('projects', '0015_reference_translations'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectCommitment',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='commitment', serialize=False, to='projects.project')),
                ('committed', models.DecimalField(db_default=0, decimal_places=2, max_digits=20)),
                ('budget', models.DecimalField(db_default=0, decimal_places=2, max_digits=14)),
            ],
        ),
        migrations.RunPython(per_vendor({"postgresql": [SQL], "sqlite": SQLITE_SQL}),
                             per_vendor({"postgresql": [REVERSE_SQL], "sqlite": SQLITE_REVERSE_SQL})),
    ]
