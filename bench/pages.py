"""Median server time of the main pages beside their raw SQL floor and the Django admin.

Run on demand against a seeded database (see README, "Benchmarks"):
    .venv/bin/python bench/pages.py [--runs 20]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.admin import site as admin_site  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from projects.models import Project  # noqa: E402

LIST_SQL = """
SELECT p.code, p.name, c.name, p.level, p.status, u.first_name, u.last_name
FROM projects_project p JOIN projects_customer c ON c.id = p.customer_id
LEFT JOIN accounts_user u ON u.id = p.project_manager_id
ORDER BY p.code DESC LIMIT 25 OFFSET %s
"""
COUNT_SQL = "SELECT count(*) FROM projects_project"
DETAIL_SQL = """
SELECT p.*, c.name FROM projects_project p JOIN projects_customer c ON c.id = p.customer_id WHERE p.code = %s
"""
HISTORY_SQL = """
SELECT h.*, u.username FROM projects_historicalproject h LEFT JOIN accounts_user u ON u.id = h.history_user_id
WHERE h.id = %s ORDER BY h.history_date DESC, h.history_id DESC LIMIT 51
"""
PORTFOLIO_SQL = "SELECT status, count(*) FROM projects_project GROUP BY status"
WORKLOAD_SQL = """
SELECT a.resource_id, act.planned_start, act.planned_end, a.hours_per_week FROM projects_assignment a
JOIN projects_activity act ON act.id = a.activity_id
WHERE act.planned_end >= '2026-11-02' AND act.planned_start <= '2027-05-02'
"""
GANTT_SQL = """
SELECT id, name, planned_start, planned_end, percent_complete FROM projects_activity WHERE project_id = %s;
"""
PO_LIST_SQL = """
SELECT po.number, p.code, s.name, po.status, po.delivery_date, po.net_total
FROM procurement_purchaseorder po JOIN projects_project p ON p.id = po.project_id
JOIN procurement_supplier s ON s.id = po.supplier_id ORDER BY po.number DESC LIMIT 50 OFFSET %s
"""
PO_TOTALS_SQL = "SELECT count(*), sum(net_total) FROM procurement_purchaseorder"
WAITING_SQL = """
SELECT po.number, po.net_total, p.code, s.name FROM procurement_purchaseorder po
JOIN projects_project p ON p.id = po.project_id JOIN procurement_supplier s ON s.id = po.supplier_id
WHERE po.status = 'submitted' AND (p.project_manager_id = %s OR p.deputy_manager_id = %s)
ORDER BY po.submitted_at LIMIT %s
"""
# The floor of the PMO lead's inbox: the oldest submitted orders of all projects, without working out
# which of them exceed their budget (the page's own query does that too, so its floor is lower than real).
WAITING_ALL_SQL = """
SELECT po.number, po.net_total, p.code, s.name FROM procurement_purchaseorder po
JOIN projects_project p ON p.id = po.project_id JOIN procurement_supplier s ON s.id = po.supplier_id
WHERE po.status = 'submitted' ORDER BY po.submitted_at LIMIT 200
"""
COSTS_SQL = """
SELECT budget_line_id, sum(net_total) FROM procurement_purchaseorder
WHERE project_id = %s AND status IN ('approved','sent','partly_received','received','invoiced','closed')
GROUP BY budget_line_id
"""


def median_ms(fn, runs):
    fn()  # warm up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def sql(query, params=()):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            cursor.fetchall()
    return run


def admin_page(model, offset: int) -> int:
    """The admin change list's page (1-based) that holds the same rows as the application's page at
    `offset`: the admin shows list_per_page rows (100), not the application's 25 or 50."""
    return offset // admin_site._registry[model].list_per_page + 1


def get(client, url):
    def run():
        response = client.get(url, HTTP_HOST="localhost")
        assert response.status_code == 200, (url, response.status_code)
    return run


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    runs = parser.parse_args().runs
    settings.DEBUG = False  # no query log: measure what production runs
    count = Project.objects.count()
    if count < 1000:
        sys.exit("Seed the database first: manage.py seed_bench --projects 10000")
    lead, _ = User.objects.get_or_create(username="bench-lead", defaults={"is_staff": True, "is_superuser": True})
    lead.groups.add(*Group.objects.filter(name=Role.PMO_LEAD))
    client = Client()
    client.force_login(lead)
    changed = Project.history.filter(history_type="~").values_list("id", flat=True).first()
    project = Project.objects.get(pk=changed) if changed else Project.objects.first()
    deep = min(100, count // 25)
    offset = (deep - 1) * 25

    rows = [
        ("home (portfolio)", get(client, "/"), sql(PORTFOLIO_SQL), get(client, "/admin/")),
        ("project list p.1", get(client, "/projects/"), lambda: (sql(COUNT_SQL)(), sql(LIST_SQL, [0])()),
         get(client, "/admin/projects/project/")),
        (f"project list p.{deep}", get(client, f"/projects/?page={deep}"),
         lambda: (sql(COUNT_SQL)(), sql(LIST_SQL, [offset])()),
         get(client, f"/admin/projects/project/?p={admin_page(Project, offset)}")),
        ("project detail", get(client, project.get_absolute_url()), sql(DETAIL_SQL, [project.code]),
         get(client, f"/admin/projects/project/{project.pk}/change/")),
        ("project history", get(client, f"{project.get_absolute_url()}history/"), sql(HISTORY_SQL, [project.pk]),
         get(client, f"/admin/projects/project/{project.pk}/history/")),
    ]
    from procurement.models import PurchaseOrder

    orders = PurchaseOrder.objects.count()
    if orders:
        busiest = (PurchaseOrder.objects.values_list("project__code", "project_id").annotate(n=Count("pk"))
                   .order_by("-n").first())
        deep_po = min(100, orders // 50)
        rows += [
            ("PO list p.1", get(client, "/procurement/purchase-orders/"),
             lambda: (sql(PO_TOTALS_SQL)(), sql(PO_LIST_SQL, [0])()), get(client, "/admin/procurement/purchaseorder/")),
            (f"PO list p.{deep_po}", get(client, f"/procurement/purchase-orders/?page={deep_po}"),
             lambda: (sql(PO_TOTALS_SQL)(), sql(PO_LIST_SQL, [(deep_po - 1) * 50])()),
             get(client, f"/admin/procurement/purchaseorder/?p={admin_page(PurchaseOrder, (deep_po - 1) * 50)}")),
            ("project cost view", get(client, f"/procurement/costs/{busiest[0]}/"), sql(COSTS_SQL, [busiest[1]]),
             get(client, f"/admin/procurement/purchaseorder/?project__id__exact={busiest[1]}")),
        ]
        # The orders waiting for a decision: a PM's home lists theirs, the PMO lead's inbox those beyond budget.
        pm = Project.objects.get(pk=busiest[1]).project_manager
        pm_client = Client()
        pm_client.force_login(pm)
        waiting = "/admin/procurement/purchaseorder/?status__exact=submitted"
        rows += [
            ("home (PM)", get(pm_client, "/"), sql(WAITING_SQL, [pm.pk, pm.pk, 10]), get(client, waiting)),
            ("approvals (PMO lead)", get(client, "/approvals/"), sql(WAITING_ALL_SQL),
             get(client, waiting)),
        ]
    from projects.models import Activity, Resource

    big = Activity.objects.values_list("project__code", "project_id").annotate(n=Count("pk")).order_by("-n").first()
    if big and Resource.objects.exists():
        rows += [
            ("workload 200 x 26 wk", get(client, "/planning/workload/?from=2026-11-02&weeks=26&size=200"),
             sql(WORKLOAD_SQL), get(client, "/admin/projects/resource/")),
            (f"gantt data ({big[2]} activities)", get(client, f"/projects/{big[0]}/plan/gantt.json"),
             sql(GANTT_SQL, [big[1]]), get(client, f"/admin/projects/activity/?project__id__exact={big[1]}")),
        ]
    print(f"{count} projects, {orders} purchase orders, {connection.vendor}, median of {runs} runs (ms)")
    print(f"{'page':<22}{'page':>9}{'raw SQL':>10}{'admin':>9}{'page/SQL':>10}{'page/admin':>12}")
    for name, page, floor, admin in rows:
        p, f, a = median_ms(page, runs), median_ms(floor, runs), median_ms(admin, runs)
        print(f"{name:<22}{p:>9.1f}{f:>10.2f}{a:>9.1f}{p / f:>10.1f}{p / a:>12.2f}")


if __name__ == "__main__":
    main()
