"""Approved internal labour in the project summaries: its amount (part of the actual, so committed stays
orders not yet invoiced) and a trigger on timesheets marking their project's summary dirty, as 0005 does
for the other tables portfolio_rows reads (a timesheet's lines get their cost in the transaction that
approves it, which updates the timesheet). Every summary is marked dirty once, to count labour."""

import importlib

from django.db import migrations, models

from projects.lib.migrations import on_postgresql

_triggers = importlib.import_module("reporting.migrations.0005_project_summaries")._triggers

MARK_SQL = _triggers("projects_timesheet", "r.project_id", "") + """
UPDATE reporting_projectsummary SET dirty = nextval('reporting_summary_dirty');
"""
UNMARK_SQL = "DROP FUNCTION reporting_summary_mark_projects_timesheet() CASCADE;"


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0021_timesheets"),
        ("reporting", "0005_project_summaries"),
    ]

    operations = [
        migrations.AddField(
            model_name="projectsummary",
            name="labour",
            field=models.DecimalField(db_default=0, decimal_places=2, max_digits=16),
        ),
        migrations.RunPython(on_postgresql(MARK_SQL), on_postgresql(UNMARK_SQL)),
    ]
