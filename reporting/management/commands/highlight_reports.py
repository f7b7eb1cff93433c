"""The weekly run for a given ISO week, e.g. `manage.py highlight_reports --week 2026-W47 [--publish]`."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from reporting.models import HighlightReport
from reporting.services.reports import report_publish, weekly_drafts


class Command(BaseCommand):
    help = "Make the highlight-report drafts of a week; with --publish, publish the drafts (as the support officer)."

    def add_arguments(self, parser):
        parser.add_argument("--week", required=True, help="ISO week, like 2026-W47")
        parser.add_argument("--publish", action="store_true")

    def handle(self, *args, week, publish, **options):
        try:
            monday = dt.datetime.strptime(f"{week}-1", "%G-W%V-%u").date()
        except ValueError:
            raise CommandError("Give the week as YYYY-Www, like 2026-W47.") from None
        made = weekly_drafts(monday)
        self.stdout.write(f"{made} project(s) got drafts for {week}.")
        if publish:
            drafts = HighlightReport.objects.filter(week=monday, status=HighlightReport.Status.DRAFT) \
                .select_related("project__support_officer")
            for report in drafts:
                officer = report.project.support_officer
                if officer is None:
                    self.stderr.write(f"{report}: no support officer to publish it; left as a draft.")
                    continue
                report_publish(report_id=report.pk, by=officer)
                self.stdout.write(f"{report}: published.")
