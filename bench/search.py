"""Server time of the purchase-order list and the searches (issue 14, item 2), as JSON samples.

Run on demand against a seeded database (DATABASE_URL selects it):
    .venv/bin/python bench/search.py [--runs 10]
Prints one JSON object {page: [ms, ...]}; compare two checkouts by running them in turn.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from procurement.models import PurchaseOrder  # noqa: E402


def pages() -> dict[str, str]:
    orders = PurchaseOrder.objects.order_by("number").values_list("number", flat=True)
    middle = orders[orders.count() // 2]
    deep = min(100, orders.count() // 50)
    return {
        "PO list p.1": "/procurement/purchase-orders/",
        f"PO list p.{deep}": f"/procurement/purchase-orders/?page={deep}",
        "PO search number": f"/procurement/purchase-orders/?q={middle}",
        "PO search part": f"/procurement/purchase-orders/?q={middle[-6:]}",
        "PO search word": "/procurement/purchase-orders/?q=cable",
        "PO supplier filter": "/procurement/purchase-orders/?supplier=Supplier+0042",
        "project search": "/projects/?q=Project+123+",
        "project search code": "/projects/?q=PRJ-2025-0123",
        "customer search": "/customers/?q=Customer+00123",
        "supplier search": "/procurement/suppliers/?q=Supplier+0042",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="", help="only the pages whose name contains this")
    args = parser.parse_args()
    runs = args.runs
    settings.DEBUG = False
    lead, _ = User.objects.get_or_create(username="bench-lead", defaults={"is_staff": True, "is_superuser": True})
    lead.groups.add(*Group.objects.filter(name=Role.PMO_LEAD))
    client = Client()
    client.force_login(lead)
    samples = {}
    for name, url in pages().items():
        if args.only not in name:
            continue
        client.get(url, HTTP_HOST="localhost")  # warm up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        samples[name] = times
    print(json.dumps(samples))


if __name__ == "__main__":
    main()
