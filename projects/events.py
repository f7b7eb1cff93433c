"""The events other systems can subscribe to (webhooks), declared once, and the payload each carries.

A payload names the object by its business code and gives its key fields (status, dates, totals a
project's staff see on its pages); never a margin, a person's contact details or free text beyond a
title. The services record an event in the transaction of their change (outbox.services.record_event).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from outbox.services import record_event


class EventType(models.TextChoices):
    INTAKE_SUBMITTED = "intake.submitted", _("Intake submitted")
    INTAKE_ACCEPTED = "intake.accepted", _("Intake accepted")
    PROJECT_STATUS_CHANGED = "project.status_changed", _("Project status changed")
    BUDGET_APPROVED = "budget.approved", _("Budget approved")
    PURCHASE_ORDER_APPROVED = "purchase_order.approved", _("Purchase order approved")
    PURCHASE_ORDER_SENT = "purchase_order.sent", _("Purchase order sent")
    PURCHASE_ORDER_RECEIVED = "purchase_order.received", _("Purchase order received")
    PURCHASE_ORDER_INVOICED = "purchase_order.invoiced", _("Purchase order invoiced")
    CHANGE_REQUEST_DECIDED = "change_request.decided", _("Change request decided")
    EXCEPTION_RAISED = "exception.raised", _("Exception raised")
    HIGHLIGHT_REPORT_PUBLISHED = "highlight_report.published", _("Highlight report published")
    CLOSING_VALIDATED = "project.closing_validated", _("Closing validated")
    BILLING_MILESTONE_READY = "billing_milestone.ready", _("Billing milestone ready to invoice")
    BILLING_MILESTONE_INVOICED = "billing_milestone.invoiced", _("Billing milestone invoiced")


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def project_fields(project) -> dict:
    return {"code": project.code, "name": project.name, "status": project.status, "level": project.level,
            "start_date": _iso(project.start_date), "end_date": _iso(project.end_date)}


def project_event(event_type: EventType, project, **data) -> None:
    """Record `event_type` about `project` (and the objects in `data`) in the current transaction."""
    record_event(str(event_type), {"project": project_fields(project), **data}, project_id=project.pk)


def intake_fields(intake) -> dict:
    return {"id": intake.pk, "title": intake.title, "status": intake.status,
            "customer": intake.customer.name if intake.customer_id else None,
            "submitted_at": _iso(intake.submitted_at)}


def intake_submitted(intake) -> None:
    # No project yet: only a subscription to every project receives it.
    record_event(str(EventType.INTAKE_SUBMITTED), {"intake": intake_fields(intake)})


def billing_milestone_fields(milestone) -> dict:
    """What a connector needs to raise (or match) the customer invoice: the amount, the customer's order
    reference and, once invoiced, the invoice number and date."""
    return {"identifier": milestone.identifier, "name": milestone.name, "status": milestone.status,
            "amount": str(milestone.amount), "planned_date": _iso(milestone.planned_date),
            "order_reference": milestone.order_reference, "invoice_number": milestone.invoice_number,
            "invoice_date": _iso(milestone.invoice_date)}
