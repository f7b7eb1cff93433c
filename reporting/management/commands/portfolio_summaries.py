"""Recompute the portfolio's project summaries: `manage.py portfolio_summaries [--all]`. Seeding
(seed_bench, demo_data) calls it after its bulk inserts; the nightly task runs it with --all."""

from django.core.management.base import BaseCommand

from reporting.services.summaries import project_summaries_refresh


class Command(BaseCommand):
    help = "Recompute the stale project summaries of projects under way (with --all, every one under way)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything")

    def handle(self, *args, everything, **options):
        done = project_summaries_refresh(everything=everything)
        self.stdout.write(f"{done} project summaries recomputed.")
