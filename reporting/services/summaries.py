"""Keeping the project summaries (the portfolio's rows) up to date: triggers mark a summary dirty on
every write it depends on (migration 0005); these functions recompute marked rows with the same
portfolio_rows the figures always came from."""

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from projects.models import Project
from reporting.models import ProjectSummary
from reporting.selectors.portfolio import portfolio_rows, summary_values

# Projects recomputed per round: portfolio_rows' dozen grouped queries, whatever the number.
CHUNK = 500

FIGURES = [f.column for f in ProjectSummary._meta.concrete_fields if f.column not in ("project_id", "dirty")]


def _stale(today):
    """Marked dirty, or computed before today (how late a plan runs moves with the date). Every project
    has a summary row: the trigger on projects adds it with the project. Both conditions have an index."""
    return Q(dirty__isnull=False) | Q(computed_on__lt=today) | Q(computed_on__isnull=True)


def _store(projects: list[Project], today) -> None:
    """Write the recomputed rows in one statement. `dirty` is cleared only where it still holds the
    value read before computing (project.marker): a write committed since, or still open and holding
    the row (the statement waits for it), set a newer value, and the row stays dirty for the next
    reader."""
    rows = portfolio_rows(projects)
    columns = ["project_id", "dirty", *FIGURES]
    casts = {f.column: f.db_type(connection) for f in ProjectSummary._meta.concrete_fields}
    casts["project_id"] = casts["dirty"] = "bigint"
    placeholder = "(" + ", ".join(f"%s::{casts[c]}" for c in columns) + ")"
    params = []
    for project, row in zip(projects, rows, strict=True):
        values = {**summary_values(row), "computed_on": today}
        values["exceptions"] = ProjectSummary._meta.get_field("exceptions").get_db_prep_value(
            values["exceptions"], connection)
        params += [project.pk, project.marker, *(values[c] for c in FIGURES)]
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in FIGURES)
    sql = (f"INSERT INTO {ProjectSummary._meta.db_table} ({', '.join(columns)}) "
           f"VALUES {', '.join([placeholder] * len(projects))} "
           f"ON CONFLICT (project_id) DO UPDATE SET {updates}, dirty = CASE WHEN "
           f"{ProjectSummary._meta.db_table}.dirty IS NOT DISTINCT FROM EXCLUDED.dirty THEN NULL "
           f"ELSE {ProjectSummary._meta.db_table}.dirty END")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _skip(summaries: list[ProjectSummary], today) -> None:
    """Summaries of projects not under way: nothing reads their figures (a project coming back under
    way is marked by its own status change), so they are only dated, with the same compare-and-clear."""
    table = ProjectSummary._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS s SET computed_on = %s, dirty = CASE WHEN s.dirty IS NOT DISTINCT FROM v.marker "
            f"THEN NULL ELSE s.dirty END FROM (VALUES {', '.join(['(%s::bigint, %s::bigint)'] * len(summaries))}) "
            f"AS v(project_id, marker) WHERE s.project_id = v.project_id",
            [today, *(value for summary in summaries for value in (summary.project_id, summary.dirty))])


def project_summaries_refresh(*, everything: bool = False) -> int:
    """Recompute the stale summaries of projects under way (with everything, all of them: the nightly
    round), CHUNK a round; returns how many were recomputed. Safe to run concurrently: two readers
    refreshing the same row write the same figures."""
    today = timezone.localdate()
    if connection.vendor != "postgresql":
        return _refresh_without_triggers(today)
    summaries = ProjectSummary.objects.all() if everything else ProjectSummary.objects.filter(_stale(today))
    summaries = summaries.select_related("project").order_by("project_id")
    done, after = 0, 0
    while True:
        chunk = list(summaries.filter(project_id__gt=after)[:CHUNK])
        under_way = [summary.project for summary in chunk if summary.project.status in Project.UNDER_WAY]
        if under_way:
            for project in under_way:
                project.marker = project.summary.dirty
            _store(under_way, today)
            done += len(under_way)
        if len(under_way) < len(chunk):
            _skip([summary for summary in chunk if summary.project.status not in Project.UNDER_WAY], today)
        if len(chunk) < CHUNK:
            return done
        after = chunk[-1].project_id


def _refresh_without_triggers(today) -> int:
    """SQLite, the embedded demo: no trigger marks a summary dirty, so each read recomputes every
    project under way (a demo's few dozen, a dozen grouped queries) and stores them the portable way."""
    projects = list(Project.objects.filter(status__in=Project.UNDER_WAY).order_by("pk"))
    summaries = [ProjectSummary(project=project, dirty=None, computed_on=today, **summary_values(row))
                 for project, row in zip(projects, portfolio_rows(projects), strict=True)]
    ProjectSummary.objects.bulk_create(summaries, update_conflicts=True, unique_fields=["project"],
                                       update_fields=[column for column in FIGURES])
    return len(summaries)
