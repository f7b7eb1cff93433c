"""Highlight reports at portfolio scale: render throughput with two worker processes, the warm
render time, worker memory across the run, and the portfolio page against its own SQL.

Run on demand against a seeded database and Redis (see README, "Benchmarks"):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pmo_bench_reports REDIS_URL=redis://127.0.0.1:6379/14 \\
    .venv/bin/python bench/reports.py [--reports 1000]

Render time against an older version of the code, in one run (no Redis needed):
    git worktree add /tmp/pmo-old <commit> && ln -s "$PWD/.venv" /tmp/pmo-old/.venv
    DATABASE_URL=... .venv/bin/python bench/reports.py --compare /tmp/pmo-old --reports 12 [--pdfs DIR]
renders the same reports with the old tree's templates and code and with this tree's, alternating
report by report (bench/report_renderer.py, one process per tree), and prints the warm median of each.
"""

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
os.environ["MEDIA_ROOT"] = os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="bench-media-")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from pmo.celery import app as celery_app  # noqa: E402
from projects.models import Activity, Project  # noqa: E402
from reporting.models import HighlightReport  # noqa: E402
from reporting.selectors.facts import week_of  # noqa: E402
from reporting.services.reports import report_draft_create  # noqa: E402
from reporting.tasks import render_highlight_report  # noqa: E402

WORK_ITEMS = 30  # activities in the reported week: a report of three A4 pages


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pool_pids(worker_pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(worker_pid)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in out]


def prepare(count: int, week: dt.date) -> list[int]:
    projects = list(Project.objects.filter(status__in=Project.UNDER_WAY).order_by("code")[:count])
    Activity.objects.filter(project__in=projects, name__startswith="Bench work ").delete()
    Activity.objects.bulk_create([
        Activity(project=p, name=f"Bench work {n}: site {n % 7} cabling and tests", planned_start=week,
                 planned_end=week + dt.timedelta(days=4), percent_complete=n * 2 % 100)
        for p in projects for n in range(WORK_ITEMS)], batch_size=2000)
    HighlightReport.objects.filter(week=week, project__in=projects).delete()
    started = time.perf_counter()
    ids = [report_draft_create(project_id=p.pk, week=week, variant="internal")[0].pk for p in projects]
    print(f"drafts with facts for {len(ids)} projects: {time.perf_counter() - started:.1f} s")
    return ids


def warm_render(ids: list[int]) -> None:
    import weasyprint

    from reporting.lib.pdf import render_report_html

    reports = list(HighlightReport.objects.filter(pk__in=ids[:31]).select_related("project"))
    times, pages = [], 0
    for report in reports:
        started = time.perf_counter()
        document = weasyprint.HTML(string=render_report_html(report)).render()
        document.write_pdf()
        times.append(time.perf_counter() - started)
        pages = len(document.pages)
    print(f"warm render (in-process, after one warm-up): median {statistics.median(times[1:]):.2f} s, "
          f"max {max(times[1:]):.2f} s, {pages} pages per report")


def throughput(ids: list[int]) -> None:
    env = dict(os.environ, EMAIL_URL="dummymail://", CONN_MAX_AGE="0")
    celery_app.control.purge()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "pmo", "worker", "--pool=prefork", "--concurrency=2",
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(4)  # both pool processes up (each imports WeasyPrint when its first render starts)
        HighlightReport.objects.filter(pk__in=ids).update(status=HighlightReport.Status.PUBLISHING,
                                                          published_at=timezone.now())
        started = time.perf_counter()
        for report_id in ids:
            render_highlight_report.delay(report_id)
        samples, done = [], 0
        while done < len(ids):
            time.sleep(2)
            done = HighlightReport.objects.filter(pk__in=ids, status=HighlightReport.Status.PUBLISHED).count()
            samples.append((done, [rss_mib(pid) for pid in pool_pids(worker.pid)]))
            assert worker.poll() is None, "the worker died"
        elapsed = time.perf_counter() - started
        print(f"{len(ids)} reports rendered and stored by 2 worker processes in {elapsed:.0f} s: "
              f"{len(ids) / elapsed * 60:.0f} reports per minute")
        marks = []
        for share in (0.1, 0.25, 0.5, 0.75, 1.0):
            done_then, rss = next(sample for sample in samples if sample[0] >= share * len(ids) and sample[1])
            marks.append(f"{done_then} done: {'/'.join(f'{m:.0f}' for m in rss)}")
        print("pool process memory (RSS MiB) as the run goes: " + "; ".join(marks))
    finally:
        worker.terminate()
        worker.wait(30)


def compare(ids: list[int], old_tree: Path, runs: int, pdfs: Path | None) -> None:
    trees = {"before": old_tree.resolve(), "now": ROOT}
    renderers = {name: subprocess.Popen([sys.executable, str(ROOT / "bench" / "report_renderer.py"), str(tree)],
                                        cwd=tree, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                 for name, tree in trees.items()}

    def render(name: str, report_id: int, path: str = "") -> dict:
        renderers[name].stdin.write(f"{report_id} {path}\n")
        renderers[name].stdin.flush()
        answer = renderers[name].stdout.readline()
        if not answer:
            sys.exit(f"the {name} renderer ({trees[name]}) stopped: see its error above")
        return json.loads(answer)

    try:
        for name in renderers:
            render(name, ids[0])  # warm-up: WeasyPrint's import, the fonts, the template
        times = {name: [] for name in renderers}
        for run in range(runs):
            for index, report_id in enumerate(ids):
                # Alternate who goes first, so neither always renders right after the other.
                for name in (list(renderers) if (run + index) % 2 == 0 else list(renderers)[::-1]):
                    times[name].append(render(name, report_id)["ms"])
        if pdfs:
            pdfs.mkdir(parents=True, exist_ok=True)
            for name in renderers:
                render(name, ids[0], str(pdfs / f"{name}.pdf"))
    finally:
        for process in renderers.values():
            process.stdin.close()
            process.wait(30)
    before, now = (statistics.median(times[name]) for name in ("before", "now"))
    print(f"warm render of the same {len(ids)} reports x {runs}, alternating, median: "
          f"before ({trees['before']}) {before:.0f} ms, now {now:.0f} ms: {before / now:.2f}x faster"
          f" ({'at least' if before / now >= 2 else 'under'} 2x)")
    if pdfs:
        print(f"the first report's PDF from each: {pdfs / 'before.pdf'}, {pdfs / 'now.pdf'}")


def portfolio(runs: int = 10) -> None:
    lead = User.objects.filter(groups__name=Role.PMO_LEAD).first()
    if lead is None:
        lead = User.objects.create(username="bench-lead")
        lead.groups.add(*Group.objects.filter(name=Role.PMO_LEAD))
    client = Client()
    client.force_login(lead)
    url = "/reports/portfolio/"
    client.get(url)
    page = []
    for _ in range(runs):
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        page.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    floor = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
            floor.append(time.perf_counter() - started)
    active = Project.objects.filter(status__in=Project.UNDER_WAY).count()
    p, f = statistics.median(page) * 1000, statistics.median(floor) * 1000
    print(f"portfolio of {active} active projects: page {p:.0f} ms, its {len(statements)} SQL statements alone "
          f"{f:.0f} ms: {p / f:.1f}x")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--compare", type=Path, metavar="OLD_TREE",
                        help="only compare the warm render time with the code of an older checkout")
    parser.add_argument("--runs", type=int, default=3, help="with --compare: renders of each report per tree")
    parser.add_argument("--pdfs", type=Path, help="with --compare: write the first report's PDF from each tree here")
    args = parser.parse_args()
    if args.compare:
        return compare(prepare(args.reports, week_of(timezone.localdate())), args.compare, args.runs, args.pdfs)
    if not settings.REDIS_URL:
        sys.exit("Set REDIS_URL: the benchmark needs real worker processes.")
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    week = week_of(timezone.localdate())
    ids = prepare(args.reports, week)
    warm_render(ids)
    throughput(ids)
    portfolio()


if __name__ == "__main__":
    main()
