"""The pages of issue 14 at two data sizes in one run: each page's median server time at each size,
beside the raw SQL floor of the data it shows, page / floor at the largest size and the growth factor
from the smallest size to the largest. Rows over 10x their floor or growing more than 1.3x are flagged.
Beside it, "own SQL": the page's own SELECTs replayed as it ran them, so page / own SQL is the share
Python and the templates add (the floor is what the data shown needs; own SQL what the page asks).

Run on demand against seeded databases (see README, "Benchmarks"):
    .venv/bin/python bench/pages.py --db postgres://postgres@127.0.0.1:5432/pmo_bench10k \\
        --db postgres://postgres@127.0.0.1:5432/pmo_bench1k [--runs 20] [--only PO]
Without --db it measures the one database DATABASE_URL names (no growth column).

One child process per database (Django holds one default database per process); the parent asks them
for one sample of one page at a time, alternating between them, so that whatever else runs on the
machine weighs on both sizes alike. The URLs are the pages' public addresses only, so the script keeps
working while the pages behind them change.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FLOOR_LIMIT = 10  # a page may cost at most this many times its SQL floor (issue 14, "Done when")
GROWTH_LIMIT = 1.3  # and grow at most this much when the data grows 10x
# Absolute targets at the largest size (ms), from the same issue.
TARGETS = {"portfolio (PMO lead)": 200, "plan page (big plan)": 100}
SEARCH = "PO-2000-0123"  # ten orders (PO-2000-01230 to -01239) at 1,000 and at 10,000 projects alike

LIST_SQL = """
SELECT p.code, p.name, c.name, p.level, p.status, u.first_name, u.last_name
FROM projects_project p JOIN projects_customer c ON c.id = p.customer_id
LEFT JOIN accounts_user u ON u.id = p.project_manager_id
ORDER BY p.code DESC LIMIT 25
"""
COUNT_SQL = "SELECT count(*) FROM projects_project"
DETAIL_SQL = """
SELECT p.*, c.name FROM projects_project p JOIN projects_customer c ON c.id = p.customer_id WHERE p.code = %s
"""
HISTORY_SQL = """
SELECT h.*, u.username FROM projects_historicalproject h LEFT JOIN accounts_user u ON u.id = h.history_user_id
WHERE h.id = %s ORDER BY h.history_date DESC, h.history_id DESC LIMIT 51
"""
STATUS_COUNT_SQL = "SELECT status, count(*) FROM projects_project GROUP BY status"
# The workload shows 50 resources a page: the floor reads those and their bookings.
RESOURCES_SQL = "SELECT id, name, weekly_capacity_hours FROM projects_resource WHERE active ORDER BY name LIMIT 50"
WORKLOAD_SQL = """
SELECT a.resource_id, act.planned_start, act.planned_end, a.hours_per_week FROM projects_assignment a
JOIN projects_activity act ON act.id = a.activity_id
WHERE act.planned_end >= '2026-11-02' AND act.planned_start <= '2027-05-02'
AND a.resource_id IN (SELECT id FROM projects_resource WHERE active ORDER BY name LIMIT 50)
"""
ACTIVITIES_SQL = """
SELECT id, phase_id, name, planned_start, planned_end, percent_complete, status FROM projects_activity
WHERE project_id = %s ORDER BY planned_start, id
"""
DEPENDENCIES_SQL = """
SELECT d.predecessor_id, d.successor_id FROM projects_dependency d
JOIN projects_activity a ON a.id = d.successor_id WHERE a.project_id = %s
"""
# The page of orders is cut first, then joined: joined before the cut, PostgreSQL sorted every order
# for a deep page (660 ms at page 100 of 100,000 orders, more than the page itself).
PO_LIST_SQL = """
SELECT po.number, p.code, s.name, po.status, po.delivery_date, po.net_total
FROM (SELECT * FROM procurement_purchaseorder ORDER BY number DESC LIMIT 50 OFFSET %s) po
JOIN projects_project p ON p.id = po.project_id JOIN procurement_supplier s ON s.id = po.supplier_id
ORDER BY po.number DESC
"""
PO_TOTALS_SQL = "SELECT count(*), sum(net_total) FROM procurement_purchaseorder"
WAITING_SQL = """
SELECT po.number, po.net_total, p.code, s.name FROM procurement_purchaseorder po
JOIN projects_project p ON p.id = po.project_id JOIN procurement_supplier s ON s.id = po.supplier_id
WHERE po.status = 'submitted' AND (p.project_manager_id = %s OR p.deputy_manager_id = %s)
ORDER BY po.submitted_at LIMIT 10
"""
WAITING_ALL_SQL = """
SELECT po.number, po.net_total, p.code, s.name FROM procurement_purchaseorder po
JOIN projects_project p ON p.id = po.project_id JOIN procurement_supplier s ON s.id = po.supplier_id
WHERE po.status = 'submitted' ORDER BY po.submitted_at LIMIT 10
"""
COSTS_SQL = """
SELECT budget_line_id, sum(net_total) FROM procurement_purchaseorder
WHERE project_id = %s AND status IN ('approved','sent','partly_received','received','invoiced','closed')
GROUP BY budget_line_id
"""


# --- The child: one database, answers one sample at a time ------------------------------------------

def serve() -> None:
    """Set Django up on DATABASE_URL, warm every page once, then answer 'one sample of row N' lines."""
    protocol, sys.stdout = sys.stdout, sys.stderr  # nothing Django prints may reach the protocol
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
    # Django is imported in the child only: the parent holds no database and measures nothing itself.
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.DEBUG = False  # no query log: measure what production runs

    def say(message):
        protocol.write(json.dumps(message) + "\n")
        protocol.flush()

    try:
        describe, rows = (api_endpoints if os.environ.get("BENCH_SET") == "api" else pages)()
    except Exception as error:  # an empty or unmigrated database: the parent reports it and goes on
        say({"error": f"{type(error).__name__}: {error}"})
        return
    own = [own_sql(page, connection) for _, page, _ in rows]
    say({"describe": describe, "rows": [name for name, _, _ in rows]})
    for line in sys.stdin:
        name, page, floor = rows[int(line)]
        say(sample(page, floor, connection, own[int(line)]))


def own_sql(page, connection) -> list:
    """The SELECTs the page runs, as it ran them (after a first request warmed its caches): replayed
    beside each sample, their time is the page's own database time, so page / own SQL is what Python
    and the templates add to it."""
    from django.test.utils import CaptureQueriesContext

    client, url = page
    client.get(url, HTTP_HOST="localhost")
    with CaptureQueriesContext(connection) as captured:
        client.get(url, HTTP_HOST="localhost")
    return [(q["sql"], None) for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]


def replay(queries, connection) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for query, params in queries:
            cursor.execute(query, params)
            cursor.fetchall()
    return (time.perf_counter() - started) * 1000


def sample(page, floor, connection, own=()) -> dict:
    result = {"page": None, "floor": None, "own": None, "error": None}
    started = time.perf_counter()
    try:
        client, url = page
        status = client.get(url, HTTP_HOST="localhost").status_code
        if status != 200:
            result["error"] = f"HTTP {status}"
    except Exception as error:  # a page that fails is reported in its row, the others are still measured
        result["error"] = f"{type(error).__name__}: {error}"[:120]
    result["page"] = (time.perf_counter() - started) * 1000
    if floor:
        result["floor"] = replay(floor, connection)
    if own:
        result["own"] = replay(own, connection)
    return result


def pages():
    """The pages of the issue's table, each as ((client, url), floor): the floor is the raw SQL of the data
    the page shows, as (query, params) pairs, or None where no fair floor exists."""
    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from accounts.roles import Role
    from procurement.models import PurchaseOrder
    from projects.models import Activity, Project, Resource

    count = Project.objects.count()
    if count < 100:
        raise RuntimeError("seed the database first: manage.py seed_bench (see README, Benchmarks)")
    lead, _ = User.objects.get_or_create(username="bench-lead")
    lead.groups.add(*Group.objects.filter(name=Role.PMO_LEAD))
    as_lead = Client()
    as_lead.force_login(lead)
    changed = Project.history.filter(history_type="~").values_list("id", flat=True).first()
    project = Project.objects.get(pk=changed) if changed else Project.objects.first()
    code, pk, _ = (PurchaseOrder.objects.values_list("project__code", "project_id").annotate(n=Count("pk"))
                   .order_by("-n").first())
    pm = Project.objects.get(pk=pk).project_manager
    as_pm = Client()
    as_pm.force_login(pm)
    big, big_pk, activities = (Activity.objects.values_list("project__code", "project_id").annotate(n=Count("pk"))
                               .order_by("-n").first())
    orders = PurchaseOrder.objects.count()
    resources = Resource.objects.count()
    po_list = "/procurement/purchase-orders/"
    plan = [(ACTIVITIES_SQL, [big_pk]), (DEPENDENCIES_SQL, [big_pk])]
    rows = [
        ("portfolio (PMO lead)", (as_lead, "/reports/portfolio/"), None),
        ("plan page (big plan)", (as_lead, f"/projects/{big}/plan/"), plan),
        ("gantt data (big plan)", (as_lead, f"/projects/{big}/plan/gantt.json"), plan),
        ("workload 26 weeks", (as_lead, "/planning/workload/?from=2026-11-02&weeks=26"),
         [(RESOURCES_SQL, []), (WORKLOAD_SQL, [])]),
        ("PO list searched", (as_lead, f"{po_list}?q={SEARCH}"), None),
        ("approvals (PMO lead)", (as_lead, "/approvals/"), None),
        ("home (PM)", (as_pm, "/"), [(WAITING_SQL, [pm.pk, pm.pk])]),
        ("home (PMO lead)", (as_lead, "/"), [(STATUS_COUNT_SQL, []), (WAITING_ALL_SQL, [])]),
        ("PO list p.1", (as_lead, po_list), [(PO_TOTALS_SQL, []), (PO_LIST_SQL, [0])]),
        ("PO list p.100", (as_lead, f"{po_list}?page=100"), [(PO_TOTALS_SQL, []), (PO_LIST_SQL, [99 * 50])]),
        ("project page", (as_lead, f"/projects/{project.code}/"), [(DETAIL_SQL, [project.code])]),
        ("project list p.1", (as_lead, "/projects/"), [(COUNT_SQL, []), (LIST_SQL, [])]),
        ("project history", (as_lead, f"/projects/{project.code}/history/"), [(HISTORY_SQL, [project.pk])]),
        ("cost view", (as_lead, f"/procurement/costs/{code}/"), [(COSTS_SQL, [pk])]),
    ]
    describe = {"projects": count, "text": f"{count} projects, {orders} purchase orders, {resources} resources, "
                                           f"a plan of {activities} activities"}
    return describe, rows


API_PROJECTS_SQL = """
SELECT p.*, c.name, u.username FROM projects_project p JOIN projects_customer c ON c.id = p.customer_id
LEFT JOIN accounts_user u ON u.id = p.project_manager_id ORDER BY p.id LIMIT 51
"""
API_RISKS_SQL = "SELECT * FROM projects_risk WHERE project_id = %s ORDER BY id LIMIT 51"
API_ORDERS_SQL = """
SELECT po.*, p.code, s.name FROM procurement_purchaseorder po JOIN projects_project p ON p.id = po.project_id
JOIN procurement_supplier s ON s.id = po.supplier_id ORDER BY po.id LIMIT 51
"""
API_LINES_SQL = """
SELECT l.* FROM procurement_purchaseorderline l
WHERE l.purchase_order_id IN (SELECT id FROM procurement_purchaseorder ORDER BY id LIMIT 51)
"""


def api_endpoints():
    """The API's list endpoints (and one object), read with a PMO lead's bearer token as an integrator
    would: the floor is the raw SQL of the page of rows returned (50, the cursor's page size here)."""
    import datetime as dt

    from django.contrib.auth.models import Group
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from api.services.tokens import token_create
    from projects.models import Project, Risk

    count = Project.objects.count()
    if count < 100:
        raise RuntimeError("seed the database first: manage.py seed_bench (see README, Benchmarks)")
    lead, _ = User.objects.get_or_create(username="bench-lead")
    lead.groups.add(*Group.objects.filter(name=Role.PMO_LEAD))
    _token, secret = token_create(user=lead, by=lead, name="bench", scope="read",
                                  expires_on=timezone.localdate() + dt.timedelta(days=1))
    as_lead = Client(headers={"Authorization": f"Bearer {secret}"})
    risky = (Risk.objects.values_list("project__code", "project_id").annotate(n=Count("pk")).order_by("-n").first())
    code, pk = risky[:2] if risky else Project.objects.values_list("code", "pk").first()
    rows = [
        ("API projects, 50", (as_lead, "/api/v1/projects/?page_size=50"), [(API_PROJECTS_SQL, [])]),
        ("API projects changed", (as_lead, "/api/v1/projects/?page_size=50&updated_since=2026-01-01T00:00:00Z"),
         None),
        ("API one project", (as_lead, f"/api/v1/projects/{code}/"), [(DETAIL_SQL, [code])]),
        ("API a project's risks", (as_lead, f"/api/v1/projects/{code}/risks/?page_size=50"), [(API_RISKS_SQL, [pk])]),
        ("API purchase orders, 50", (as_lead, "/api/v1/purchase-orders/?page_size=50"),
         [(API_ORDERS_SQL, []), (API_LINES_SQL, [])]),
        ("API orders of a project", (as_lead, f"/api/v1/purchase-orders/?page_size=50&project={code}"), None),
        ("API a project's actions", (as_lead, f"/api/v1/projects/{code}/action-items/?page_size=50"), None),
    ]
    return {"projects": count, "text": f"{count} projects, API read with a bearer token"}, rows


# --- The parent: alternates between the children and prints the table ---------------------------------

class Child:
    def __init__(self, url: str):
        self.url = url
        env = dict(os.environ, DATABASE_URL=url) if url else dict(os.environ)
        self.process = subprocess.Popen([sys.executable, __file__, "--serve"], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.hello = self.read()
        self.rows = self.hello.get("rows", [])
        self.samples = {name: [] for name in self.rows}

    def read(self) -> dict:
        line = self.process.stdout.readline()
        return json.loads(line) if line else {"error": "the child process ended (see its output above)"}

    def take(self, name: str) -> None:
        self.process.stdin.write(f"{self.rows.index(name)}\n")
        self.process.stdin.flush()
        self.samples[name].append(self.read())

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(30)


def median(samples, key):
    values = [s[key] for s in samples if s.get(key) is not None and not s.get("error")]
    return statistics.median(values) if values else None


def show(value, form="{:.1f}"):
    return form.format(value) if value is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", help="a database URL; give it twice (10k and 1k), in any order")
    parser.add_argument("--runs", type=int, default=20, help="samples per page and database")
    parser.add_argument("--only", help="measure only the rows whose name contains this text")
    parser.add_argument("--api", action="store_true", help="the API's list endpoints instead of the pages")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve()
    if args.api:
        os.environ["BENCH_SET"] = "api"  # the children read it
    children = []
    for url in args.db or [os.environ.get("DATABASE_URL", "")]:
        child = Child(url)
        if "error" in child.hello:
            print(f"skipped {url or 'DATABASE_URL'}: {child.hello['error']}")
            child.close()
        else:
            children.append(child)
    if not children:
        sys.exit(1)
    children.sort(key=lambda c: -c.hello["describe"]["projects"])  # the largest first
    names = [n for n in children[0].rows if not args.only or args.only.lower() in n.lower()]
    for run in range(args.runs):
        for name in names:
            # Alternate who goes first, so neither size always follows the other's cache misses.
            for child in (children if run % 2 == 0 else children[::-1]):
                if name in child.rows:
                    child.take(name)
    for child in children:
        child.close()
    report(children, names, args.runs)


def report(children, names, runs):
    big = children[0]
    sizes = [f"{c.hello['describe']['projects']} pr." for c in children]
    print(f"median of {runs} samples per page, ms, interleaved between:")
    for child in children:
        print(f"  {child.hello['describe']['text']}  ({child.url.rsplit('/', 1)[-1] or 'DATABASE_URL'})")
    header = f"{'page':<24}" + "".join(f"{s:>12}" for s in sizes) + f"{'SQL floor':>11}{'page/floor':>12}"
    header += f"{'own SQL':>9}{'page/own':>10}"
    if len(children) > 1:
        header += f"{'growth':>9}"
    print(header + "  flags")
    failed = []
    for name in names:
        pages = [median(c.samples.get(name, []), "page") for c in children]
        floor = median(big.samples.get(name, []), "floor")
        ratio = pages[0] / floor if pages[0] is not None and floor else None
        own = median(big.samples.get(name, []), "own")
        own_ratio = pages[0] / own if pages[0] is not None and own else None
        growth = pages[0] / pages[-1] if len(children) > 1 and None not in (pages[0], pages[-1]) else None
        flags = []
        if ratio is not None and ratio > FLOOR_LIMIT:
            flags.append(f">{FLOOR_LIMIT}x floor")
        if growth is not None and growth > GROWTH_LIMIT:
            flags.append(f">{GROWTH_LIMIT}x growth")
        if name in TARGETS and pages[0] is not None and pages[0] > TARGETS[name]:
            flags.append(f">{TARGETS[name]} ms")
        for child in children:
            errors = {s["error"] for s in child.samples.get(name, []) if s.get("error")}
            if errors:
                failed.append(name)
                flags.append(f"{child.hello['describe']['projects']} pr.: {', '.join(sorted(errors))}")
        line = f"{name:<24}" + "".join(f"{show(p):>12}" for p in pages) + f"{show(floor, '{:.2f}'):>11}"
        line += f"{show(ratio, '{:.1f}x'):>12}{show(own, '{:.2f}'):>9}{show(own_ratio, '{:.1f}x'):>10}"
        if len(children) > 1:
            line += f"{show(growth, '{:.2f}x'):>9}"
        print(line + ("  " + "; ".join(flags) if flags else ""))
    if failed:
        sys.exit(f"{len(failed)} page(s) did not answer 200: {', '.join(failed)}")


if __name__ == "__main__":
    main()
