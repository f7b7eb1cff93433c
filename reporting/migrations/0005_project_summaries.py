"""Project summaries (the portfolio's rows) and the triggers that mark them dirty.

Triggers rather than Django signals: a queryset update(), bulk_create (the bench and demo seeding),
an admin bulk action or raw SQL sends no signal, and a summary marked by only some writers would be
read stale. A statement-level trigger marks each project a statement touched once, in the writer's
transaction, with a fresh value of one sequence (see ProjectSummary)."""

import django.db.models.deletion
from django.db import migrations, models

from projects.lib.migrations import on_postgresql


# Table -> how a changed row names its project (r is the changed row).
WATCHED = {
    "projects_project": ("r.id", ""),
    "projects_activity": ("r.project_id", ""),
    "projects_dependency": ("a.project_id", "JOIN projects_activity a ON a.id = r.successor_id"),
    "projects_baseline": ("r.project_id", ""),
    "projects_budgetline": ("r.project_id", ""),
    "projects_budgetsubmission": ("r.project_id", ""),
    "projects_risk": ("r.project_id", ""),
    "projects_projectissue": ("r.project_id", ""),
    "projects_changerequest": ("r.project_id", ""),
    "projects_projectexception": ("r.project_id", ""),
    "projects_satisfactionsurvey": ("r.project_id", ""),
    "procurement_purchaseorder": ("r.project_id", ""),
    "procurement_supplierinvoice": ("po.project_id", "JOIN procurement_purchaseorder po ON po.id = r.purchase_order_id"),
}

MARK_FUNCTION = """
CREATE SEQUENCE reporting_summary_dirty;
CREATE FUNCTION reporting_summary_mark(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO reporting_projectsummary (project_id, dirty)
    SELECT id, nextval('reporting_summary_dirty') FROM (SELECT DISTINCT id FROM unnest(ids) AS id) AS touched
    WHERE id IS NOT NULL AND EXISTS (SELECT 1 FROM projects_project p WHERE p.id = touched.id)
    ORDER BY id
    ON CONFLICT (project_id) DO UPDATE SET dirty = EXCLUDED.dirty
$$;
"""

# A deleted project takes its summary with it (the trigger of a row deleted before it may have
# marked it again).
PROJECT_DELETED = """
CREATE FUNCTION reporting_summary_project_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reporting_projectsummary WHERE project_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $$;
CREATE TRIGGER reporting_summary_deleted AFTER DELETE ON projects_project
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION reporting_summary_project_deleted();
"""


def _triggers(table, project, join):
    function = f"reporting_summary_mark_{table}"
    touched = {name: f"SELECT {project} FROM {name} r {join}" for name in ("new_rows", "old_rows")}
    sql = f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reporting_summary_mark(ARRAY({touched["new_rows"]}));
    ELSIF TG_OP = 'UPDATE' THEN
        PERFORM reporting_summary_mark(ARRAY({touched["new_rows"]} UNION {touched["old_rows"]}));
    ELSE
        PERFORM reporting_summary_mark(ARRAY({touched["old_rows"]}));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER {table}_summary_insert AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER {table}_summary_update AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    if table != "projects_project":
        sql += f"""CREATE TRIGGER {table}_summary_delete AFTER DELETE ON {table}
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""
    return sql


# Every existing project starts dirty; `manage.py portfolio_summaries` computes them all.
MARK_SQL = MARK_FUNCTION + PROJECT_DELETED + "".join(_triggers(t, *how) for t, how in WATCHED.items()) + """
INSERT INTO reporting_projectsummary (project_id, dirty) SELECT id, nextval('reporting_summary_dirty')
FROM projects_project ORDER BY id;
"""

UNMARK_SQL = "".join(
    f"DROP FUNCTION reporting_summary_mark_{t}() CASCADE;" for t in WATCHED
) + """
DROP FUNCTION reporting_summary_project_deleted() CASCADE;
DROP FUNCTION reporting_summary_mark(bigint[]);
DROP SEQUENCE reporting_summary_dirty;
"""


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0015_reference_translations'),
        ('reporting', '0004_report_unsent_reason'),
        ('procurement', '0003_purchase_orders_waiting_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='ProjectSummary',
            fields=[
                ('project', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='summary', serialize=False, to='projects.project')),
                ('dirty', models.BigIntegerField(db_default=None, null=True)),
                ('computed_on', models.DateField(db_default=None, null=True)),
                ('budget', models.DecimalField(db_default=0, decimal_places=2, max_digits=16)),
                ('ordered', models.DecimalField(db_default=0, decimal_places=2, max_digits=16)),
                ('actual', models.DecimalField(db_default=0, decimal_places=2, max_digits=16)),
                ('estimate_to_complete', models.DecimalField(db_default=0, decimal_places=2, max_digits=16)),
                ('forecast', models.DecimalField(db_default=0, decimal_places=2, max_digits=16)),
                ('baseline_end', models.DateField(db_default=None, null=True)),
                ('forecast_end', models.DateField(db_default=None, null=True)),
                ('late_days', models.IntegerField(db_default=None, null=True)),
                ('rag_time', models.PositiveSmallIntegerField(db_default=0)),
                ('rag_cost', models.PositiveSmallIntegerField(db_default=0)),
                ('rag_scope', models.PositiveSmallIntegerField(db_default=0)),
                ('rag_quality', models.PositiveSmallIntegerField(db_default=0)),
                ('rag_risk', models.PositiveSmallIntegerField(db_default=0)),
                ('worst', models.PositiveSmallIntegerField(db_default=0)),
                ('exceptions', models.JSONField(db_default=[])),
                ('pending', models.PositiveIntegerField(db_default=0)),
                ('top_risk', models.PositiveIntegerField(db_default=0)),
                ('satisfaction', models.FloatField(db_default=None, null=True)),
            ],
            options={
                'verbose_name': 'project summary',
                'verbose_name_plural': 'project summaries',
                'indexes': [models.Index(condition=models.Q(('dirty__isnull', False)), fields=['dirty'], name='summary_dirty'), models.Index(fields=['computed_on'], name='summary_computed_on')],
            },
        ),
        migrations.RunPython(on_postgresql(MARK_SQL), on_postgresql(UNMARK_SQL)),
    ]
