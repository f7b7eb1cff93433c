"""Bulk data of realistic size for the benchmarks in bench/. Never for production."""

import datetime as dt
import os
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from accounts.models import User
from accounts.roles import Role
from procurement.models import PurchaseOrder, PurchaseOrderLine, Supplier, SupplierInvoice
from projects.models import Activity, Assignment, Baseline, BudgetLine, Customer, Dependency, Project, Resource

BATCH = 2000
# Who signs in over HTTP in bench/load.py, besides the PMs (bench-pm-<n>): role, username prefix, how many.
LOGINS = [
    (Role.SUPPORT_OFFICER, "bench-support", 5),
    (Role.PMO_LEAD, "bench-lead", 1),
    (Role.ENGINEERING_MANAGER, "bench-engmgr", 5),
]


class Command(BaseCommand):
    help = "Fill the database with generated customers, users and projects (reproducible from --seed)."

    def add_arguments(self, parser):
        parser.add_argument("--projects", type=int, default=10_000)
        parser.add_argument("--customers", type=int, default=800)
        parser.add_argument("--managers", type=int, default=60)
        parser.add_argument("--history", type=int, default=5, help="extra history records per project")
        parser.add_argument("--purchase-orders", type=int, default=100_000)
        parser.add_argument("--resources", type=int, default=200)
        parser.add_argument("--big-plan", type=int, default=500, help="activities in one project's plan")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--password", default=os.environ.get("BENCH_PASSWORD", "bench"),
                            help="the password of every bench-* user (default: $BENCH_PASSWORD, else 'bench')")
        parser.add_argument("--logins-only", action="store_true",
                            help="on a database seeded before: only (re)create the bench-* sign-ins of every role")

    def handle(self, *args, **options):
        self.seed(**options)
        if connection.vendor == "postgresql" and not options["logins_only"]:
            # Planner statistics for the new rows, and the trigram indexes' pending entries merged: before
            # autovacuum has run, a search walks GIN's unsorted pending list (5 ms at 100,000 orders rather
            # than 0.5) and the planner guesses; the benchmarks would measure that, not the code. Outside
            # the seeding's transaction: VACUUM cannot run in one.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")

    @transaction.atomic
    def seed(self, *, projects, customers, managers, history, seed, purchase_orders, resources, big_plan,
               password, logins_only, **options):
        if logins_only:
            if not User.objects.filter(username__startswith="bench-pm-").exists():
                raise CommandError("No bench-pm-* users: --logins-only is for a database seeded by this command.")
            self.stdout.write(self.style.SUCCESS(f"{self._logins(password)} bench-* users sign in with the password."))
            return
        if Project.objects.exists():
            raise CommandError("The database already holds projects; seed an empty benchmark database.")
        rng = random.Random(seed)
        pm_group, _ = Group.objects.get_or_create(name=Role.PROJECT_MANAGER)
        users = User.objects.bulk_create(
            [User(username=f"bench-pm-{n}", first_name=f"PM{n}", last_name="Bench") for n in range(managers)]
        )
        pm_group.user_set.add(*users)
        customer_rows = Customer.objects.bulk_create(
            [Customer(name=f"Customer {n:05d}", vat_number=f"BE{n:010d}") for n in range(customers)]
        )
        statuses = [s for s, _ in Project.Status.choices]
        rows = []
        for n in range(projects):
            start = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(900))
            rows.append(Project(
                code=(f"PRJ-{start.year}-{n % 10000:04d}" if projects <= 10000
                      else f"PRJ-{2000 + n // 10000}-{n % 10000:04d}"),
                name=f"Project {n} {rng.choice(['network', 'cameras', 'access control', 'migration'])}",
                customer=rng.choice(customer_rows), status=rng.choice(statuses), level=rng.choice([1, 1, 1, 2, 2, 3]),
                project_manager=rng.choice(users), start_date=start,
                end_date=start + dt.timedelta(days=rng.randrange(30, 700)),
            ))
        # Codes must be unique: on a clash of the year-based code, fall back to a sequence.
        seen = set()
        for n, row in enumerate(rows):
            if row.code in seen:
                row.code = f"PRJ-{1000 + n // 10000}-{n % 10000:04d}"
            seen.add(row.code)
        created = bulk_create_with_history(rows, Project, batch_size=BATCH)
        HistoricalProject = Project.history.model
        sample = created[: max(1, len(created) // 10)]
        extra = []
        for project in sample:
            base = {f.attname: getattr(project, f.attname) for f in Project._meta.concrete_fields}
            for k in range(history):
                extra.append(HistoricalProject(
                    **dict(base, status=rng.choice(statuses)),
                    history_date=project.created_at + dt.timedelta(days=k + 1),
                    history_type="~",
                ))
        HistoricalProject.objects.bulk_create(extra, batch_size=BATCH)
        orders = self._purchasing(rng, created, users, purchase_orders)
        self._planning(rng, created, resources, big_plan)
        logins = self._logins(password)
        # The triggers marked every summary dirty as the rows went in: compute them now, not at the first view.
        call_command("portfolio_summaries", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {len(users)} PMs ({logins} bench-* sign-ins, password {password!r}), "
            f"{len(customer_rows)} customers, {len(created)} projects, "
            f"{len(created) + len(extra)} history records, {orders} purchase orders (seed {seed})."
        ))

    def _logins(self, password: str) -> int:
        """Support officers, a PMO lead and engineering managers beside the PMs, all with one known
        password (hashed once: a hash per user would take seconds each). Only bench-* users get it."""
        for role, prefix, count in LOGINS:
            group, _ = Group.objects.get_or_create(name=role)
            names = [prefix] if count == 1 else [f"{prefix}-{n}" for n in range(count)]
            for name in names:
                user, _ = User.objects.get_or_create(username=name, defaults={"first_name": name, "last_name": "Bench"})
                user.groups.add(group)
        return User.objects.filter(username__startswith="bench-").update(password=make_password(password))

    def _purchasing(self, rng, projects, users, count) -> int:
        """Orders spread over the projects, one to three lines each, a third of them invoiced."""
        suppliers = Supplier.objects.bulk_create(
            [Supplier(name=f"Supplier {n:04d}", vat_number=f"NL{n:09d}B01", contact_email=f"s{n}@example.com")
             for n in range(200)])
        lines = BudgetLine.objects.bulk_create(
            [BudgetLine(project=p, category="material", description="Material", amount=Decimal("500000"))
             for p in projects], batch_size=BATCH)
        Baseline.objects.bulk_create(
            [Baseline(project=p, version=1, budget=Decimal("500000"), approved_by=users[0]) for p in projects],
            batch_size=BATCH)
        statuses = [s for s, _ in PurchaseOrder.Status.choices]
        for start in range(0, count, BATCH):
            batch = []
            for n in range(start, min(start + BATCH, count)):
                index = rng.randrange(len(projects))
                batch.append(PurchaseOrder(
                    number=f"PO-{2000 + n // 100000}-{n % 100000:05d}", project=projects[index],
                    budget_line=lines[index], supplier=rng.choice(suppliers), status=rng.choice(statuses),
                    delivery_date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(700)), delivery_site="Site",
                    net_total=Decimal(rng.randrange(100, 50000)), created_by=rng.choice(users)))
            batch = PurchaseOrder.objects.bulk_create(batch)
            PurchaseOrderLine.objects.bulk_create(
                [PurchaseOrderLine(purchase_order=po, description="Item", quantity=Decimal("1"),
                                   unit_price=po.net_total) for po in batch])
            SupplierInvoice.objects.bulk_create(
                [SupplierInvoice(purchase_order=po, supplier_reference="F1", invoice_date=po.delivery_date,
                                 net_amount=po.net_total, match="matched", difference=0, registered_by=po.created_by)
                 for po in batch if po.status in ("invoiced", "closed")])
        return count

    def _planning(self, rng, projects, resource_count, big_plan) -> None:
        """One project with a chained plan of `big_plan` activities; resources booked on activities of
        many projects over the next half year, some over capacity."""
        resources = Resource.objects.bulk_create(
            [Resource(name=f"Engineer {n:03d}", weekly_capacity_hours=38) for n in range(resource_count)])
        big = projects[0]
        start = dt.date(2026, 11, 2)
        chain = Activity.objects.bulk_create([
            Activity(project=big, name=f"Step {n:03d}", planned_start=start + dt.timedelta(days=3 * n),
                     planned_end=start + dt.timedelta(days=3 * n + 2)) for n in range(big_plan)])
        Dependency.objects.bulk_create([Dependency(predecessor=a, successor=b) for a, b in zip(chain, chain[1:])])
        spread = Activity.objects.bulk_create([
            Activity(project=rng.choice(projects), name="Field work",
                     planned_start=start + dt.timedelta(days=rng.randrange(180)),
                     planned_end=start + dt.timedelta(days=rng.randrange(180, 200)))
            for _ in range(resource_count * 3)])
        Assignment.objects.bulk_create([
            Assignment(activity=activity, resource=resources[n % resource_count],
                       hours_per_week=Decimal(rng.choice([8, 16, 24]))) for n, activity in enumerate(spread)])
