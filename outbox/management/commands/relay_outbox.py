"""The relay process: hands queued background work to the broker, every second, until stopped.

Beat cannot be the only relay: beat itself publishes through the broker, so while the broker is
down its ticks are lost too. This loop needs only the database; it notices the broker's return on
its next try, so queued work leaves within seconds of the outage's end."""

import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection

from outbox.services import outbox_purge, relay_due

MAX_PAUSE_SECONDS = 5.0  # while the broker is down: 1, 2, 4, 5, 5 ... seconds between tries


class Command(BaseCommand):
    help = "Hand queued background work (the outbox) to the broker, in a loop or --once."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between passes (default 1).")

    def handle(self, *args, once=False, interval=1.0, **options):
        # Stopped by a signal at any point, it loses nothing: a row handed over but not yet marked is
        # handed over again by the next relay, and the tasks are idempotent.
        pause, last_purge = interval, 0.0
        while True:
            try:
                handed, answered = relay_due()
            except DatabaseError as error:  # the database restarting: reconnect on the next pass
                self.stderr.write(f"database unavailable: {error}")
                connection.close()
                handed, answered = 0, False
            if handed:
                self.stdout.write(f"handed {handed} task(s) to the broker")
            if once:
                return
            if time.monotonic() - last_purge > 3600:
                outbox_purge()
                last_purge = time.monotonic()
            pause = interval if answered else min(pause * 2, MAX_PAUSE_SECONDS)
            time.sleep(pause)
