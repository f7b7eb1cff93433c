"""Which Celery queue each background task goes to, by the task's name.

Three kinds of work, each on a queue of its own with workers of its own (README), so that a flood of
one kind never delays another: Friday's hundreds of report PDFs never hold back an approval's e-mail.
- mail: e-mails and notifications, seconds at most each; people wait for them. The housekeeping
  ticks (the outbox relay's safety net, expired sessions and idempotency keys) are as short and go here too.
- reports: what reporting computes: highlight-report PDFs, the week's drafts, the tolerance checks
  (an hourly run queues one per active project), the nightly round of project summaries.
- integrations: what goes to other parties' systems: the purchase order to the supplier (its PDF),
  the hand-over pack to service management, the webhooks (events fanned out to subscriptions, each POST).
Routing is by name (Celery's task_routes), so the outbox relay, which queues tasks by name, keeps it.
"""

from kombu import Queue

MAIL, REPORTS, INTEGRATIONS = "mail", "reports", "integrations"
KINDS = (MAIL, REPORTS, INTEGRATIONS)

QUEUE_OF_TASK = {
    "outbox.tasks.send_email": MAIL,
    "accounts.tasks.send_notification_email": MAIL,
    "reporting.tasks.send_highlight_report": MAIL,  # the PDF is rendered already: sending is quick
    "projects.tasks.send_meeting_invitation": MAIL,
    "projects.tasks.send_meeting_minutes": MAIL,  # the PDFs are rendered already: sending is quick
    "outbox.tasks.relay_outbox": MAIL,
    "accounts.tasks.clear_expired_sessions": MAIL,
    "api.tasks.forget_expired_idempotency_keys": MAIL,
    "reporting.tasks.render_highlight_report": REPORTS,
    "projects.tasks.render_meeting_minutes": REPORTS,
    "reporting.tasks.weekly_highlight_reports": REPORTS,
    "reporting.tasks.sweep_stuck_reports": REPORTS,
    "reporting.tasks.project_summaries_refresh_all": REPORTS,
    "reporting.tasks.exceptions_check_all": REPORTS,
    "reporting.tasks.exceptions_check_project": REPORTS,
    "procurement.tasks.send_purchase_order": INTEGRATIONS,
    "reporting.tasks.make_handover_pack": INTEGRATIONS,
    "webhooks.tasks.fan_out_event": INTEGRATIONS,
    "webhooks.tasks.deliver_webhook": INTEGRATIONS,
    "webhooks.tasks.sweep_due_deliveries": INTEGRATIONS,
}


def celery_routing(prefix: str = "") -> tuple[dict, tuple[Queue, ...]]:
    """Celery's task_routes and task_queues for queue names beginning with `prefix`. A worker started
    without -Q takes every kind (development, `make worker`); -Q names the kinds of a dedicated one."""
    routes = {task: {"queue": prefix + kind} for task, kind in QUEUE_OF_TASK.items()}
    return routes, tuple(Queue(prefix + kind, routing_key=prefix + kind) for kind in KINDS)
