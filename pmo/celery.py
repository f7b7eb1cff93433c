"""The Celery app: Redis broker, JSON only, late acknowledgement, one task at a time."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pmo.settings")

app = Celery("pmo")
# Broker URL and eager mode come from Django settings (CELERY_*).
app.config_from_object("django.conf:settings", namespace="CELERY")

# The longest task (a report PDF) takes seconds; a message not acknowledged in an hour
# belongs to a dead worker and is delivered again. Tasks must therefore be idempotent.
VISIBILITY_TIMEOUT = 3600



def weekly_at(text: str) -> crontab:
    """'fri 14:00' -> every Friday at 14:00 (in the app's time zone)."""
    day, time = text.split()
    hour, minute = time.split(":")
    return crontab(day_of_week=day, hour=int(hour), minute=int(minute))


app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    timezone="Europe/Brussels",
    enable_utc=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    # A pool process renders PDFs; WeasyPrint's process grows ~0.1 MiB per render (measured in
    # bench/reports.py), so each process is replaced after 200 tasks: memory stays bounded, at the
    # cost of one WeasyPrint import (~1 s) per 200 renders.
    worker_max_tasks_per_child=200,
    task_time_limit=600,
    task_soft_time_limit=540,
    broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT},
    result_backend=None,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    beat_schedule={
        "clear-expired-sessions": {
            "task": "accounts.tasks.clear_expired_sessions",
            "schedule": crontab(hour=3, minute=15),
        },
        "idempotency-keys": {
            "task": "api.tasks.forget_expired_idempotency_keys",
            "schedule": crontab(hour=3, minute=30),
        },
        "portfolio-summaries": {
            "task": "reporting.tasks.project_summaries_refresh_all",
            "schedule": crontab(hour=0, minute=1),
        },
        "exceptions-check": {
            "task": "reporting.tasks.exceptions_check_all",
            "schedule": crontab(minute=40),
        },
        # Background work is queued in the database (outbox) and handed to the broker right after
        # commit; what the broker did not take then, the relay process (`manage.py relay_outbox`,
        # the `relay` service) hands over within seconds of the broker's return. Beat publishes
        # through the broker too, so this tick cannot replace that process during an outage; it is
        # the safety net where no relay process runs (`make worker` + `make beat`).
        "outbox-relay": {
            "task": "outbox.tasks.relay_outbox",
            "schedule": 60.0,
        },
        # A report whose render was lost (a worker killed, the broker restarted empty) is queued again.
        "stuck-reports": {
            "task": "reporting.tasks.sweep_stuck_reports",
            "schedule": crontab(minute="*/5"),
        },
    },
)


@app.on_after_finalize.connect
def _weekly_reports(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule["highlight-reports"] = {
        "task": "reporting.tasks.weekly_highlight_reports",
        "schedule": weekly_at(settings.HIGHLIGHT_REPORT_SCHEDULE),
    }
    # Webhook deliveries whose task was lost (a worker killed mid-POST, the broker restarted empty)
    # or whose retry is further away than a countdown should hold (webhooks/tasks.py).
    sender.conf.beat_schedule["webhook-deliveries"] = {
        "task": "webhooks.tasks.sweep_due_deliveries",
        "schedule": settings.WEBHOOK_SWEEP_SECONDS,
    }
app.autodiscover_tasks()
