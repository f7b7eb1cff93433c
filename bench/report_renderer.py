"""One process that renders highlight-report PDFs with the code of one source tree, for bench/reports.py
--compare: the parent starts one per tree (this one and an older checkout) and alternates between them.

    python bench/report_renderer.py TREE    (DATABASE_URL names the database)
reads lines "<report id>" (answers the render time in ms) or "<report id> <path>" (writes the PDF there).
"""

import json
import os
import sys
import time
from pathlib import Path

tree = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(tree))  # the application's modules, templates and catalogs of that tree
os.chdir(tree)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")
protocol, sys.stdout = sys.stdout, sys.stderr  # nothing Django prints may reach the protocol

import django  # noqa: E402

django.setup()

from reporting.lib.pdf import render_report_pdf  # noqa: E402
from reporting.models import HighlightReport  # noqa: E402


def main():
    reports = {}
    for line in sys.stdin:
        report_id, *path = line.split()
        if report_id not in reports:
            reports[report_id] = HighlightReport.objects.select_related("project").get(pk=report_id)
        started = time.perf_counter()
        pdf = render_report_pdf(reports[report_id])
        elapsed = (time.perf_counter() - started) * 1000
        if path:
            Path(path[0]).write_bytes(pdf)
        protocol.write(json.dumps({"ms": elapsed, "bytes": len(pdf)}) + "\n")
        protocol.flush()


if __name__ == "__main__":
    main()
