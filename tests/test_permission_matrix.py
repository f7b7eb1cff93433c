"""Every (URL, method) for every role. A URL pattern without a row here fails the suite."""

import copy
import shutil
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from projects.models import BudgetSubmission, Intake, IntakeAttachment, ProjectDocument, ProjectType

from .conftest import ensure_reference_data, make_personas, make_project
from .factories import ProjectFactory

ROLES = ["anonymous", "outsider", "sales", "sales2", "support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin"]
SIGNED_IN = ROLES[1:]

# Pages open to anonymous visitors redirect elsewhere than the sign-in page.
PUBLIC = {"healthz", "favicon", "login", "set_language", "calendar_feed", "oidc_start", "oidc_callback",
          "break_glass", "api:schema", "api:docs"}
# Django's admin is guarded by is_staff; it is tested on its own below. SCIM answers a bearer token, not a
# role: tests/test_directory.py.
NOT_IN_MATRIX = {"admin", "scim"}


def everyone(code, anonymous=302):
    return {role: (anonymous if role == "anonymous" else code) for role in ROLES}


def only(code_for_allowed, allowed, denied_code, anonymous=302):
    return {
        role: anonymous if role == "anonymous" else (code_for_allowed if role in allowed else denied_code)
        for role in ROLES
    }


PORTFOLIO = {"support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin"}
# Who sees a project's costs, budget, purchasing, registers, documents, reports and history: the
# engineering manager sees plans, assignments and workload only (PRODUCT.md).
INTERNALS = PORTFOLIO - {"engmgr"}
INTAKE_CREATORS = {"sales", "sales2", "support", "admin"}
INTAKE_READERS = {"sales", "support", "pmolead", "admin"}  # of a submitted intake by `sales`
REVIEWERS = {"support", "admin"}
CUSTOMER_VIEWERS = INTERNALS | {"sales", "sales2"}
CUSTOMER_EDITORS = {"sales", "sales2", "support", "admin"}
STATUS_CHANGERS = {"pm", "support", "pmolead", "admin"}
UPLOADERS = {"pm", "support", "admin"}
REGISTER_KEEPERS = {"pm", "support", "admin"}
WEBHOOK_MANAGERS = {"pmolead", "admin"}
BILLING_KEEPERS = {"pm", "support", "admin"}  # the project's PM and its own support officer
FINANCE = {"finance", "admin"}
TIMESHEET_DECIDERS = {"pm", "engmgr"}  # the project's PM, the author's engineering manager
TIMESHEET_READERS = TIMESHEET_DECIDERS | {"pm2"} | FINANCE  # and the author (pm2)


def mixed(allowed_code, allowed, forbidden=(), hidden_code=404):
    """allowed -> allowed_code, forbidden -> 403, everyone else signed in -> hidden_code."""
    return {
        role: 302 if role == "anonymous" else
        allowed_code if role in allowed else 403 if role in forbidden else hidden_code
        for role in ROLES
    }


def api(codes):
    """An API route: the same codes as the pages, but 401 (problem details) for an anonymous caller."""
    return {**codes, "anonymous": 401}


# (url name, kwargs key, method) -> expected status per role
MATRIX = {
    # The REST API (session authentication here; tokens are tested in tests/test_api_*.py). A POST of an
    # empty body is 400 (invalid) once the caller is allowed that far.
    ("api:projects", None, "GET"): api(only(200, PORTFOLIO | {"sales", "sales2"}, 403)),
    ("api:projects", None, "POST"): api(everyone(405)),
    ("api:project", "project", "GET"): api(only(200, PORTFOLIO | {"sales"}, 404)),
    ("api:project", "project", "POST"): api(everyone(405)),
    ("api:risks", "project", "GET"): api(only(200, INTERNALS, 404)),
    ("api:risks", "project", "POST"): api(mixed(400, REGISTER_KEEPERS, INTERNALS)),
    ("api:risk", "risk", "GET"): api(only(200, INTERNALS, 404)),
    ("api:risk", "risk", "POST"): api(everyone(405)),
    # --- procurement and intakes (api-procurement): as the purchasing and intake pages ---
    ("api:suppliers", None, "GET"): api(only(200, INTERNALS, 403)),
    ("api:suppliers", None, "POST"): api(everyone(405)),
    ("api:supplier", "supplier_vat", "GET"): api(only(200, INTERNALS, 404)),
    ("api:supplier", "supplier_vat", "POST"): api(everyone(405)),
    ("api:purchase_orders", None, "GET"): api(only(200, INTERNALS, 403)),
    ("api:purchase_orders", None, "POST"): api(everyone(400)),  # the project is in the body
    ("api:purchase_order", "po", "GET"): api(only(200, INTERNALS, 404)),
    ("api:purchase_order", "po", "POST"): api(everyone(405)),
    # Who works on the project's purchasing submits the draft; whoever else sees it gets the service's refusal.
    ("api:purchase_order_submit", "po", "POST"): api({**only(422, INTERNALS, 404),
                                                      **dict.fromkeys(("pm", "support", "admin"), 200)}),
    ("api:purchase_order_submit", "po", "GET"): api(everyone(405)),
    ("api:purchase_order_approve", "po", "POST"): api(mixed(422, {"pm", "pmolead"}, INTERNALS)),
    ("api:purchase_order_approve", "po", "GET"): api(everyone(405)),
    ("api:purchase_order_reject", "po", "POST"): api(mixed(422, {"pm", "pmolead"}, INTERNALS)),
    ("api:purchase_order_reject", "po", "GET"): api(everyone(405)),
    ("api:purchase_order_send", "po", "POST"): api(only(422, INTERNALS, 404)),
    ("api:purchase_order_send", "po", "GET"): api(everyone(405)),
    ("api:purchase_order_close", "po", "POST"): api(only(422, INTERNALS, 404)),
    ("api:purchase_order_close", "po", "GET"): api(everyone(405)),
    ("api:purchase_order_cancel", "po", "POST"): api(mixed(400, {"pm", "support", "admin"}, INTERNALS)),
    ("api:purchase_order_cancel", "po", "GET"): api(everyone(405)),
    ("api:goods_receipts", "po", "GET"): api(only(200, INTERNALS, 404)),
    ("api:goods_receipts", "po", "POST"): api(mixed(400, {"pm", "support", "admin"}, INTERNALS)),
    ("api:supplier_invoices", "po", "GET"): api(only(200, INTERNALS, 404)),
    ("api:supplier_invoices", "po", "POST"): api(mixed(400, {"pm", "support", "admin"}, INTERNALS)),
    ("api:intakes", None, "GET"): api(only(200, INTAKE_CREATORS | {"pmolead"}, 403)),
    ("api:intakes", None, "POST"): api(only(400, INTAKE_CREATORS, 403)),
    ("api:intake", "draft", "GET"): api(only(200, {"sales"}, 404)),
    ("api:intake", "submitted", "GET"): api(only(200, INTAKE_READERS, 404)),
    ("api:intake", "draft", "POST"): api(everyone(405)),
    ("api:intake_submit", "draft", "POST"): api(only(422, {"sales"}, 404)),  # incomplete: the service refuses
    ("api:intake_submit", "draft", "GET"): api(everyone(405)),
    # --- end of procurement and intakes ---
    ("api:not_found", "api_rest", "GET"): everyone(404, anonymous=404),
    # --- The API's registers, logs, plan, costs and baselines (api/views/registers_routes.py): the pages' codes.
    **{(f"api:{name}", key, "GET"): api(only(200, INTERNALS, 404)) for name, key in (
        ("issues", "project"), ("issue", "issue"), ("action_items", "project"), ("action_item", "action"),
        ("decisions", "project"), ("decision", "decision"), ("lessons", "project"), ("lesson", "lesson"),
        ("change_requests", "controlled"), ("change_request", "change"), ("safety_incidents", "project"),
        ("safety_incident", "incident"), ("costs", "project"), ("baselines", "controlled"),
        ("baseline", "baseline"))},
    **{(f"api:{name}", key, "POST"): api(everyone(405)) for name, key in (
        ("issue", "issue"), ("action_item", "action"), ("decisions", "project"), ("decision", "decision"),
        ("lessons", "project"), ("lesson", "lesson"), ("change_requests", "controlled"),
        ("change_request", "change"), ("safety_incidents", "project"), ("safety_incident", "incident"),
        ("costs", "project"), ("baselines", "controlled"), ("baseline", "baseline"), ("activities", "project"),
        ("activity", "activity"), ("milestones", "project"), ("milestone", "milestone"))},
    ("api:issues", "project", "POST"): api(mixed(400, REGISTER_KEEPERS, INTERNALS)),
    ("api:action_items", "project", "POST"): api(mixed(400, REGISTER_KEEPERS, INTERNALS)),
    # The plan: for whoever sees plans (the engineering manager too), as the plan page.
    **{(f"api:{name}", key, "GET"): api(only(200, PORTFOLIO, 404)) for name, key in (
        ("activities", "project"), ("activity", "activity"), ("milestones", "project"), ("milestone", "milestone"))},
    # Checklists and highlight reports, read-only: the quality register's, checklist page's and reports page's
    # codes; a report's PDF as the page's, and 404 for everyone while it is not rendered.
    **{(f"api:{name}", key, "GET"): api(only(200, INTERNALS, 404)) for name, key in (
        ("checklists", "project"), ("checklist", "run"), ("highlight_reports", "project"),
        ("highlight_report", "report"), ("highlight_report_pdf", "published_report"))},
    **{(f"api:{name}", key, "POST"): api(everyone(405)) for name, key in (
        ("checklists", "project"), ("checklist", "run"), ("highlight_reports", "project"),
        ("highlight_report", "report"), ("highlight_report_pdf", "published_report"))},
    ("api:highlight_report_pdf", "report", "GET"): api(everyone(404)),
    # --- end of the registers block
    ("api:schema", None, "GET"): everyone(200, anonymous=200),
    ("api:docs", None, "GET"): everyone(200, anonymous=200),
    ("api:tokens", None, "GET"): everyone(200),
    ("api:tokens", None, "POST"): everyone(200),
    ("api:token_revoke", "api_token", "POST"): only(302, {"pm"}, 404),
    ("api:token_revoke", "api_token", "GET"): everyone(405),
    ("home", None, "GET"): everyone(200),
    ("home", None, "POST"): everyone(405),
    ("healthz", None, "GET"): everyone(200, anonymous=200),
    ("favicon", None, "GET"): everyone(301, anonymous=301),
    ("login", None, "GET"): everyone(302, anonymous=200),
    # The identity provider's sign-in: absent (404) while no provider is set (tests/test_oidc.py sets one).
    ("oidc_start", None, "GET"): everyone(404, anonymous=404),
    ("oidc_callback", None, "GET"): everyone(404, anonymous=404),
    # An invalid break-glass link is gone for everyone (tests/test_directory.py signs in with a real one).
    ("break_glass", "break_glass", "GET"): everyone(410, anonymous=410),
    ("logout", None, "POST"): everyone(302),
    ("logout", None, "GET"): everyone(405),
    ("password_change", None, "GET"): everyone(200),
    ("password_change_done", None, "GET"): everyone(200),
    ("set_language", None, "POST"): everyone(302, anonymous=302),
    ("set_language", None, "GET"): everyone(405, anonymous=405),
    ("notification_list", None, "GET"): everyone(200),
    ("notification_list", None, "POST"): everyone(405),
    ("notifications_read", None, "POST"): everyone(302),
    ("notifications_read", None, "GET"): everyone(405),
    ("projects:list", None, "GET"): only(200, PORTFOLIO | {"sales", "sales2"}, 403),
    ("projects:list", None, "POST"): everyone(405),
    ("projects:detail", "project", "GET"): only(200, PORTFOLIO | {"sales"}, 404),
    ("projects:detail", "project", "POST"): everyone(405),
    ("projects:history", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:transition", "transition", "GET"): mixed(200, STATUS_CHANGERS, PORTFOLIO | {"sales"}),
    ("projects:transition", "transition", "POST"): mixed(302, STATUS_CHANGERS, PORTFOLIO | {"sales"}),
    ("projects:budget", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:plan", "project", "GET"): only(200, PORTFOLIO, 404),
    ("projects:risks", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:issues", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:issue_create", "project", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:issue_create", "project", "POST"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:issue_edit", "issue", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:issue_history", "issue", "GET"): only(200, INTERNALS, 404),
    ("projects:risk_create", "project", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:risk_create", "project", "POST"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:risk_edit", "risk", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("projects:risk_history", "risk", "GET"): only(200, INTERNALS, 404),
    ("projects:risk_export", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:issue_export", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:changes", "controlled", "GET"): only(200, INTERNALS, 404),
    ("projects:change_create", "controlled", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:change_create", "controlled", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:change_export", "controlled", "GET"): only(200, INTERNALS, 404),
    ("projects:change_detail", "change", "GET"): only(200, INTERNALS, 404),
    ("projects:change_edit", "change", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:change_edit", "change", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:change_submit", "change", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:change_submit", "change", "GET"): everyone(405),
    ("projects:change_decide", "pending_change", "POST"): mixed(302, {"pm", "pmolead"}, INTERNALS),
    ("projects:change_decide", "pending_change", "GET"): everyone(405),
    ("projects:change_history", "change", "GET"): only(200, INTERNALS, 404),
    ("projects:baselines", "controlled", "GET"): only(200, INTERNALS, 404),
    ("projects:tolerances", "controlled", "GET"): mixed(200, {"pmolead"}, INTERNALS),
    ("projects:tolerances", "controlled", "POST"): mixed(200, {"pmolead"}, INTERNALS),
    ("projects:exception", "exception", "GET"): only(200, INTERNALS, 404),
    ("projects:exception", "exception", "POST"): mixed(200, {"pm"}, INTERNALS),
    # --- Meetings (issue 17): read by whoever sees the project's internals, organised by the register keepers.
    ("projects:meetings", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:meeting_create", "project", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_create", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_detail", "meeting", "GET"): only(200, INTERNALS, 404),
    ("projects:meeting_detail", "meeting", "POST"): everyone(405),
    ("projects:meeting_edit", "meeting", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_edit", "meeting", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_history", "meeting", "GET"): only(200, INTERNALS, 404),
    ("projects:meeting_transition", "meeting_transition", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_transition", "meeting_transition", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_plan_next", "meeting", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_plan_next", "meeting", "GET"): everyone(405),
    ("projects:meeting_attendee_add", "meeting", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_attendee_add", "meeting", "GET"): everyone(405),
    ("projects:meeting_attendee_remove", "attendee", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_attendance", "meeting", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_invitations_resend", "meeting", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_invitations_resend", "meeting", "GET"): everyone(405),
    ("projects:meeting_section_add", "meeting", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_agenda_draft", "meeting", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_agenda_draft", "meeting", "GET"): everyone(405),
    ("projects:meeting_item_create", "meeting", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_item_create", "meeting", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_item_edit", "agenda_item", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_item_edit", "agenda_item", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_item_move", "agenda_item", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_item_move", "agenda_item", "GET"): everyone(405),
    ("projects:meeting_outcome_create", "agenda_item", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_outcome_create", "agenda_item", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_outcome_edit", "outcome", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_outcome_edit", "outcome", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:meeting_minutes_pdf", "minutes_pdf", "GET"): only(200, INTERNALS, 404),
    ("projects:meeting_minutes_pdf", "minutes_pdf", "POST"): everyone(405),
    # The customer's confirmation page: no account, guarded by its signed single-use token.
    ("minutes_confirm", "minutes_link", "GET"): everyone(200, anonymous=200),
    ("minutes_confirm", "minutes_link", "POST"): everyone(200, anonymous=200),
    # --- end of meetings
    ("registers_overview", None, "GET"): only(200, {"support", "pmolead", "admin"}, 403),
    ("meetings_overview", None, "GET"): only(200, {"support", "pmolead", "admin"}, 403),
    ("meetings_overview", None, "POST"): everyone(405),
    ("safety_overview", None, "GET"): only(200, {"support", "pmolead", "admin"}, 403),
    ("survey", "survey", "GET"): everyone(200, anonymous=200),
    ("survey", "survey", "POST"): everyone(200, anonymous=200),
    ("projects:quality", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:quality", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:checklist", "run", "GET"): only(200, INTERNALS, 404),
    ("projects:checklist", "run", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:checklist_sign_off", "run", "POST"): mixed(302, {"support", "pmolead"}, INTERNALS),
    ("projects:checklist_history", "run", "GET"): only(200, INTERNALS, 404),
    ("projects:checklist_evidence", "evidence", "GET"): only(200, INTERNALS, 404),
    ("projects:incidents", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:incident_create", "project", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:incident_create", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:incident_edit", "incident", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:incident_history", "incident", "GET"): only(200, INTERNALS, 404),
    ("projects:safety_action_add", "incident", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:safety_action_done", "safety_action", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:closing", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:closing", "project", "POST"): mixed(200, {"support", "admin"}, INTERNALS),
    ("projects:satisfaction", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:satisfaction", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("reporting:servicenow", "servicenow", "GET"): only(200, INTERNALS, 404),
    ("reporting:reports", "project", "GET"): only(200, INTERNALS, 404),
    ("reporting:portfolio", None, "GET"): only(200, {"support", "pmolead", "admin"}, 403),
    ("reporting:portfolio_export", None, "GET"): only(200, {"support", "pmolead", "admin"}, 403),
    ("reporting:drafts_create", "project", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("reporting:drafts_create", "project", "GET"): everyone(405),
    ("reporting:report", "report", "GET"): only(200, INTERNALS, 404),
    ("reporting:report", "report", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("reporting:preview", "report", "GET"): only(200, INTERNALS, 404),
    ("reporting:pdf", "published_report", "GET"): only(200, INTERNALS, 404),
    ("reporting:retry", "report", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("reporting:correct", "published_report", "POST"): mixed(302, REGISTER_KEEPERS, INTERNALS),
    ("projects:decisions", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:decision_create", "project", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:decision_create", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:decision_export", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:decision_edit", "decision", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:decision_edit", "decision", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:decision_history", "decision", "GET"): only(200, INTERNALS, 404),
    ("projects:actions", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:action_create", "project", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:action_create", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:action_export", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:action_edit", "action", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:action_edit", "action", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:action_history", "action", "GET"): only(200, INTERNALS, 404),
    ("projects:lessons", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:lesson_create", "project", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:lesson_create", "project", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:lesson_export", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:lesson_edit", "lesson", "GET"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:lesson_edit", "lesson", "POST"): mixed(200, REGISTER_KEEPERS, INTERNALS),
    ("projects:lesson_history", "lesson", "GET"): only(200, INTERNALS, 404),
    ("projects:gantt", "project", "GET"): only(200, PORTFOLIO, 404),
    ("projects:plan_export", "project", "GET"): only(200, PORTFOLIO, 404),
    ("projects:plan_history", "project", "GET"): only(200, PORTFOLIO, 404),
    ("projects:gantt_json", "project", "GET"): only(200, PORTFOLIO, 404),
    ("projects:gantt_move", "project", "POST"): mixed(404, {"pm"}, PORTFOLIO),
    ("projects:activity_create", "project", "POST"): mixed(200, {"pm"}, PORTFOLIO),
    ("projects:dependency_create", "project", "POST"): mixed(200, {"pm"}, PORTFOLIO),
    ("projects:milestone_create", "project", "POST"): mixed(200, {"pm"}, PORTFOLIO),
    ("projects:milestone_reach", "milestone", "POST"): mixed(302, {"pm"}, PORTFOLIO),
    ("projects:milestone_reach", "milestone", "GET"): everyone(405),
    # Billing: internals read it; the project's PM, its support officer and administrators keep the
    # milestones; finance (and administrators) record invoices and payments.
    ("projects:billing", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:billing", "project", "POST"): everyone(405),
    ("projects:billing_milestone_create", "project", "GET"): mixed(200, BILLING_KEEPERS, INTERNALS),
    ("projects:billing_milestone_create", "project", "POST"): mixed(200, BILLING_KEEPERS, INTERNALS),
    ("projects:billing_milestone_edit", "billing_planned", "GET"): mixed(200, BILLING_KEEPERS, INTERNALS),
    ("projects:billing_milestone_edit", "billing_planned", "POST"): mixed(200, BILLING_KEEPERS, INTERNALS),
    ("projects:billing_milestone_history", "billing_planned", "GET"): only(200, INTERNALS, 404),
    ("projects:billing_milestone_transition", "billing_planned_ready", "GET"): mixed(200, BILLING_KEEPERS,
                                                                                     INTERNALS),
    ("projects:billing_milestone_transition", "billing_planned_ready", "POST"): mixed(200, BILLING_KEEPERS,
                                                                                      INTERNALS),
    ("projects:billing_milestone_transition", "billing_ready_invoice", "GET"): mixed(200, {"finance", "admin"},
                                                                                     INTERNALS),
    ("projects:billing_milestone_transition", "billing_ready_invoice", "POST"): mixed(200, {"finance", "admin"},
                                                                                      INTERNALS),
    ("billing_ready", None, "GET"): only(200, {"finance", "pmolead", "admin"}, 403),
    ("billing_ready", None, "POST"): everyone(405),
    # Timesheets: pm2 has a resource (an engineer who is also a PM) and submitted a week on `project`, which pm
    # manages; engmgr is pm2's engineering manager. A timesheet is seen by its author, its deciders and finance.
    ("timesheets:mine", None, "GET"): only(200, {"pm2"}, 403),
    ("timesheets:mine", None, "POST"): only(302, {"pm2"}, 403),
    ("timesheets:approvals", None, "GET"): only(200, {"pm", "pm2", "engmgr"}, 403),
    ("timesheets:approvals", None, "POST"): everyone(405),
    ("timesheets:detail", "timesheet", "GET"): only(200, TIMESHEET_READERS, 404),
    ("timesheets:detail", "timesheet", "POST"): everyone(405),
    ("timesheets:history", "timesheet", "GET"): only(200, TIMESHEET_READERS, 404),
    ("timesheets:history", "timesheet", "POST"): everyone(405),
    ("timesheets:decide", "timesheet_approve", "GET"): mixed(200, TIMESHEET_DECIDERS, TIMESHEET_READERS),
    ("timesheets:decide", "timesheet_approve", "POST"): mixed(200, TIMESHEET_DECIDERS, TIMESHEET_READERS),
    ("timesheets:decide", "timesheet_return", "GET"): mixed(200, TIMESHEET_DECIDERS, TIMESHEET_READERS),
    ("timesheets:decide", "timesheet_return", "POST"): mixed(200, TIMESHEET_DECIDERS, TIMESHEET_READERS),
    ("timesheets:rates", None, "GET"): only(200, FINANCE, 403),
    ("timesheets:rates", None, "POST"): everyone(405),
    ("timesheets:rate_create", None, "GET"): only(200, FINANCE, 403),
    ("timesheets:rate_create", None, "POST"): only(200, FINANCE, 403),
    ("timesheets:rate_edit", "cost_rate", "GET"): only(200, FINANCE, 403),
    ("timesheets:rate_edit", "cost_rate", "POST"): only(200, FINANCE, 403),
    ("timesheets:rate_history", "cost_rate", "GET"): only(200, FINANCE, 404),
    ("timesheets:rate_history", "cost_rate", "POST"): everyone(405),
    ("timesheets:locks", None, "GET"): only(200, FINANCE, 403),
    ("timesheets:locks", None, "POST"): only(200, FINANCE, 403),
    ("projects:activity_edit", "activity", "GET"): only(200, PORTFOLIO, 404),
    ("projects:activity_edit", "activity", "POST"): mixed(200, {"pm"}, PORTFOLIO),
    ("projects:activity_history", "activity", "GET"): only(200, PORTFOLIO, 404),
    ("projects:assignment_add", "activity", "POST"): only(302, PORTFOLIO, 404),
    ("projects:assignment_delete", "assignment", "POST"): only(302, PORTFOLIO, 404),
    ("workload", None, "GET"): only(200, PORTFOLIO, 403),
    ("resource_list", None, "GET"): only(200, PORTFOLIO, 403),
    ("resource_create", None, "GET"): only(200, {"engmgr", "admin"}, 403),
    ("resource_create", None, "POST"): only(200, {"engmgr", "admin"}, 403),
    ("resource_edit", "resource", "GET"): only(200, {"engmgr", "admin"}, 403),
    ("resource_edit", "resource", "POST"): only(200, {"engmgr", "admin"}, 403),
    ("absence_add", "resource", "POST"): only(200, {"engmgr", "admin"}, 403),
    ("calendar_token_renew", "resource", "POST"): only(302, {"engmgr", "admin"}, 403),
    ("calendar_feed", "token", "GET"): everyone(200, anonymous=200),
    ("projects:budget", "project", "POST"): mixed(200, {"pm"}, INTERNALS),
    ("projects:budget_history", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:budget_submit", "project", "POST"): only(302, INTERNALS, 404),
    ("projects:budget_submit", "project", "GET"): everyone(405),
    ("projects:documents", "project", "GET"): only(200, INTERNALS, 404),
    ("projects:documents", "project", "POST"): mixed(200, UPLOADERS, INTERNALS),
    ("projects:document_download", "document", "GET"): only(200, INTERNALS, 404),
    ("intakes:list", None, "GET"): only(200, INTAKE_CREATORS | {"pmolead"}, 403),
    ("intakes:create", None, "GET"): only(200, INTAKE_CREATORS, 403),
    ("intakes:create", None, "POST"): only(200, INTAKE_CREATORS, 403),
    ("intakes:detail", "draft", "GET"): only(200, {"sales"}, 404),
    ("intakes:detail", "submitted", "GET"): only(200, INTAKE_READERS, 404),
    ("intakes:edit", "draft", "GET"): only(200, {"sales"}, 404),
    ("intakes:edit", "submitted", "GET"): mixed(200, set(), INTAKE_READERS),
    ("intakes:attachment_add", "draft", "POST"): only(400, {"sales"}, 404),
    ("intakes:attachment_download", "attachment", "GET"): only(200, {"sales"}, 404),
    ("intakes:attachment_delete", "attachment", "POST"): only(302, {"sales"}, 404),
    ("intakes:submit", "draft", "POST"): only(302, {"sales"}, 404),
    ("intakes:message", "submitted", "POST"): only(302, INTAKE_READERS, 404),
    ("intakes:return", "submitted", "GET"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:return", "submitted", "POST"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:reject", "submitted", "GET"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:reject", "submitted", "POST"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:accept", "submitted", "GET"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:accept", "submitted", "POST"): mixed(200, REVIEWERS, INTAKE_READERS),
    ("intakes:history", "submitted", "GET"): only(200, INTAKE_READERS, 404),
    ("customers:list", None, "GET"): only(200, CUSTOMER_VIEWERS, 403),
    ("customers:create", None, "GET"): only(200, CUSTOMER_EDITORS, 403),
    ("customers:create", None, "POST"): only(200, CUSTOMER_EDITORS, 403),
    ("customers:detail", "customer", "GET"): only(200, CUSTOMER_VIEWERS, 404),
    ("customers:edit", "customer", "GET"): mixed(200, CUSTOMER_EDITORS, CUSTOMER_VIEWERS),
    ("customers:edit", "customer", "POST"): mixed(200, CUSTOMER_EDITORS, CUSTOMER_VIEWERS),
    ("customers:contact_add", "customer", "POST"): mixed(200, CUSTOMER_EDITORS, CUSTOMER_VIEWERS),
    ("customers:history", "customer", "GET"): only(200, CUSTOMER_VIEWERS, 404),
    ("customers:contact_reports", "contact", "POST"): mixed(302, CUSTOMER_EDITORS, CUSTOMER_VIEWERS),
    ("customers:contact_reports", "contact", "GET"): everyone(405),
    ("approvals", None, "GET"): only(200, {"pmolead", "pm", "pm2"}, 403),
    ("procurement:supplier_list", None, "GET"): only(200, INTERNALS, 403),
    ("procurement:supplier_create", None, "GET"): only(200, {"support", "admin"}, 403),
    ("procurement:supplier_create", None, "POST"): only(200, {"support", "admin"}, 403),
    ("procurement:supplier_edit", "supplier", "GET"): mixed(200, {"support", "admin"}, INTERNALS),
    ("procurement:supplier_edit", "supplier", "POST"): mixed(200, {"support", "admin"}, INTERNALS),
    ("procurement:po_list", None, "GET"): only(200, INTERNALS, 403),
    ("procurement:po_history", "po", "GET"): only(200, INTERNALS, 404),
    ("procurement:supplier_history", "supplier", "GET"): only(200, INTERNALS, 404),
    ("procurement:po_export", "csv", "GET"): only(200, {"support", "finance", "pmolead", "admin"}, 403),
    ("procurement:po_create", "new_po", "GET"): mixed(200, {"pm", "support", "admin"}, PORTFOLIO | {"sales"}),
    ("procurement:po_create", "new_po", "POST"): mixed(200, {"pm", "support", "admin"}, PORTFOLIO | {"sales"}),
    ("procurement:po_detail", "po", "GET"): only(200, INTERNALS, 404),
    ("procurement:po_edit", "po", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("procurement:po_decide", "po", "GET"): mixed(200, {"pm", "pmolead"}, INTERNALS),
    ("procurement:po_decide", "po", "POST"): mixed(200, {"pm", "pmolead"}, INTERNALS),
    ("procurement:po_cancel", "po", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("procurement:po_receive", "po", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("procurement:po_invoice", "po", "GET"): mixed(200, {"pm", "support", "admin"}, INTERNALS),
    ("procurement:invoice_decide", "invoice", "POST"): only(302, INTERNALS, 404),
    ("procurement:po_pdf", "po", "GET"): only(200, INTERNALS, 404),
    ("procurement:po_action", "po_submit", "POST"): only(302, INTERNALS, 404),
    ("procurement:po_action", "po_submit", "GET"): mixed(405, INTERNALS, hidden_code=405),
    ("procurement:costs", "project", "GET"): only(200, INTERNALS, 404),
    ("procurement:costs", "project", "POST"): mixed(302, {"pm"}, INTERNALS),
    ("webhooks:list", None, "GET"): only(200, WEBHOOK_MANAGERS, 403),
    ("webhooks:list", None, "POST"): everyone(405),
    ("webhooks:create", None, "GET"): only(200, WEBHOOK_MANAGERS, 403),
    ("webhooks:create", None, "POST"): only(200, WEBHOOK_MANAGERS, 403),
    ("webhooks:edit", "webhook", "GET"): only(200, WEBHOOK_MANAGERS, 404),
    ("webhooks:edit", "webhook", "POST"): only(200, WEBHOOK_MANAGERS, 404),
    ("webhooks:deactivate", "webhook", "GET"): only(200, WEBHOOK_MANAGERS, 404),
    ("webhooks:deactivate", "webhook", "POST"): only(302, WEBHOOK_MANAGERS, 404),
    ("webhooks:deliveries", "webhook", "GET"): only(200, WEBHOOK_MANAGERS, 404),
    ("webhooks:deliveries", "webhook", "POST"): everyone(405),
    ("webhooks:resend", "failed_delivery", "POST"): only(302, WEBHOOK_MANAGERS, 404),
    ("webhooks:resend", "failed_delivery", "GET"): everyone(405),
    ("budget_decision", "submission", "GET"): only(200, {"pmolead"}, 404),
    ("budget_decision", "submission", "POST"): only(302, {"pmolead"}, 404),
}


def _url_names(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = entry.namespace
            if namespace in NOT_IN_MATRIX:
                continue
            yield from _url_names(entry, f"{prefix}{namespace}:" if namespace else prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name


def test_every_url_has_a_row():
    in_matrix = {name for name, _, _ in MATRIX}
    missing = set(_url_names()) - in_matrix
    assert not missing, f"URL patterns without a permission-matrix row: {sorted(missing)}"


CASES = [(name, kw, method, role) for (name, kw, method), codes in MATRIX.items() for role in ROLES]


def _make_objects(project, sales, support, pm, pm2, engmgr):
    """One object of every kind a URL takes, made in MEDIA_ROOT; returns the URL arguments."""
    project_type = ProjectType.objects.get(name="Software delivery")
    intake = dict(project_type=project_type, customer=project.customer, created_by=sales)
    draft = Intake.objects.create(title="Draft deal", **intake)
    submitted = Intake.objects.create(title="Submitted deal", status=Intake.Status.SUBMITTED, **intake)
    pdf = SimpleUploadedFile("offer.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    attachment = IntakeAttachment.objects.create(intake=draft, kind="offer", file=pdf, original_name="offer.pdf",
                                                 content_type="application/pdf", size=15, uploaded_by=sales)
    document = ProjectDocument.objects.create(project=project, category="offer", title="Offer",
                                              file=attachment.file.name,
                                              original_name="offer.pdf", content_type="application/pdf", size=15,
                                              uploaded_by=pm)
    from django.core.files.base import ContentFile

    from procurement.models import PurchaseOrder, PurchaseOrderDocument, SupplierInvoice

    from .factories import SupplierFactory

    supplier = SupplierFactory()
    po = PurchaseOrder.objects.create(number="PO-2026-00001", project=project, supplier=supplier, created_by=pm,
                                      delivery_date="2030-01-01", delivery_site="Gent")
    PurchaseOrderDocument.objects.create(purchase_order=po, file=ContentFile(b"%PDF-1.4", name="po.pdf"))
    invoice = SupplierInvoice.objects.create(purchase_order=po, supplier_reference="F1", invoice_date="2026-01-01",
                                             net_amount=1, match="mismatch", difference=1, registered_by=pm)
    from projects.models import Activity

    activity = Activity.objects.create(project=project, name="Design", planned_start="2027-01-04",
                                       planned_end="2027-01-08")
    from projects.models import Assignment, Resource

    resource = Resource.objects.create(name="Jan", team_manager=engmgr)
    assignment = Assignment.objects.create(activity=activity, resource=resource, hours_per_week=8)
    from projects.models import Risk

    risk = Risk.objects.create(project=project, number=1, category="other", cause="c", event="e", effect="f",
                               inherent_probability=3, inherent_impact=3, residual_probability=2, residual_impact=2,
                               response_category="reduce", owner=pm, review_date="2030-01-01", author=pm)
    from projects.models import ProjectIssue

    issue = ProjectIssue.objects.create(project=project, number=1, type="problem", title="t", description="d",
                                        owner=pm, raised_by=pm)
    from projects.models import ActionItem, Baseline, ChangeRequest, Decision, Lesson, ProjectException

    decision = Decision.objects.create(project=project, number=1, decided_on="2026-01-05", title="t", decided_by="x",
                                       recorded_by=pm)
    action = ActionItem.objects.create(project=project, number=1, title="t", owner=pm, due_date="2026-01-05",
                                       raised_by=pm)
    lesson = Lesson.objects.create(project=project, number=1, event="e", effect="e", cause="c", recommendation="r",
                                   logged_by=pm)
    exception = ProjectException.objects.create(project=project, kind="cost", summary="over")
    controlled = ProjectFactory(project_manager=pm, support_officer=support)
    Baseline.objects.create(project=controlled, version=1, budget=100000, approved_by=pm)
    change = ChangeRequest.objects.create(project=controlled, number=1, title="t", description="d", owner=pm,
                                          raised_by=support)
    pending = ChangeRequest.objects.create(project=controlled, number=2, title="t", description="d", owner=pm,
                                           raised_by=support, submitted_by=support, status="submitted", route="pm")
    from reporting.models import HighlightReport
    from reporting.selectors.facts import report_facts, week_of

    week = week_of(timezone.localdate())
    report = HighlightReport.objects.create(project=project, week=week, variant="internal", language="en",
                                            facts=report_facts(project, week, "internal"))
    published = HighlightReport.objects.create(project=project, week=week, variant="external", language="en",
                                               facts=report_facts(project, week, "external"), status="published",
                                               pdf=ContentFile(b"%PDF-1.4", name="r.pdf"))
    from projects.models import ChecklistEvidence, ChecklistTemplate, SafetyAction, SafetyIncident, SatisfactionSurvey
    from projects.services.closing import survey_token
    from projects.services.quality import _run_create

    run = _run_create(project, ChecklistTemplate.objects.get(standard="safety"), {"phase": "Installation"})
    evidence = ChecklistEvidence.objects.create(answer=run.answers.first(), file=ContentFile(b"%PDF-1.4", name="e.pdf"),
                                                original_name="e.pdf", content_type="application/pdf", size=8,
                                                uploaded_by=pm)
    incident = SafetyIncident.objects.create(project=project, number=1, occurred_on="2026-01-05", site="s",
                                             kind="near_miss", description="d", reported_by=pm)
    safety_action = SafetyAction.objects.create(incident=incident, description="a", owner=pm, due_date="2026-01-09")
    survey = SatisfactionSurvey.objects.create(project=project, channel="link", sent_to="c@x.example",
                                               sent_at=timezone.now(),
                                               expires_at=timezone.now() + timezone.timedelta(days=5))
    from projects.models import CustomerContact

    contact = CustomerContact.objects.create(customer=project.customer, name="Claire", email="c@x.example")
    other = ProjectFactory(project_manager=pm2, level=2)
    submission = BudgetSubmission.objects.create(project=other, total=300000, level=2, submitted_by=pm2)
    from outbox.services import record_event
    from webhooks.models import WebhookDelivery, WebhookSubscription

    webhook = WebhookSubscription.objects.create(url="https://servicenow.example/pmo", secret="whsec_a2V5",
                                                 event_types=["budget.approved"], created_by=support)
    failed = WebhookDelivery.objects.create(subscription=webhook, event=record_event("budget.approved", {}),
                                            webhook_id="msg_failed", status="failed", last_response_code=500)
    from api.services.tokens import token_create

    api_token, _secret = token_create(user=pm, by=pm, name="matrix", scope="read",
                                      expires_on=timezone.localdate() + timezone.timedelta(days=5))
    from projects.models import Milestone  # the API's registers block

    milestone = Milestone.objects.create(project=project, name="Go-live", baseline_date="2027-02-01",
                                         forecast_date="2027-02-01")
    from projects.models import AgendaItem, AgendaSection, Meeting, MeetingAttendee, Outcome  # meetings block

    meeting = Meeting.objects.create(project=project, number=1, kind="progress", title="Progress", date="2026-01-05",
                                     start_time="10:00", duration_minutes=60, place="Gent", organiser=pm,
                                     created_by=pm)
    attendee = MeetingAttendee.objects.create(meeting=meeting, user=pm)
    section = AgendaSection.objects.create(meeting=meeting, title="Points", position=1)
    agenda_item = AgendaItem.objects.create(meeting=meeting, section=section, title="Planning", position=1)
    outcome = Outcome.objects.create(item=agenda_item, kind="information", title="Noted", recorded_by=pm)
    from projects.models import BillingMilestone  # the billing block

    planned = BillingMilestone.objects.create(project=project, number=1, name="Design", amount=10,
                                              planned_date="2027-01-29")
    ready = BillingMilestone.objects.create(project=project, number=2, name="Go-live", amount=10,
                                            planned_date="2027-02-26", status="ready")
    from django.core.files.base import ContentFile  # the published minutes block

    from projects.models import MinutesDelivery, MinutesDocument
    from projects.services.minutes_publish import confirmation_token
    minutes_pdf = MinutesDocument(meeting=meeting, variant="internal", language="en")
    minutes_pdf.pdf.save("m.pdf", ContentFile(b"%PDF-1.4 matrix"), save=True)
    delivery = MinutesDelivery.objects.create(meeting=meeting, email="c@x.example", name="C", language="fr",
                                              variant="external", expires_at="2099-01-01T00:00:00Z")
    from projects.models import CostRate, Timesheet, TimesheetLine  # the timesheets block

    engineer = Resource.objects.create(name="Piet", user=pm2, team_manager=engmgr)
    Assignment.objects.create(activity=activity, resource=engineer, hours_per_week=8)
    sheet = Timesheet.objects.create(resource=engineer, project=project, week_start="2027-01-04", status="submitted")
    TimesheetLine.objects.create(timesheet=sheet, activity=activity, mon=8)
    rate = CostRate.objects.create(resource=engineer, hourly_rate=60, valid_from="2026-01-01")
    return {
        "minutes_pdf": [project.code, meeting.number, minutes_pdf.pk], "minutes_link": [confirmation_token(delivery)],
        "timesheet": [sheet.pk], "timesheet_approve": [sheet.pk, "approve"], "timesheet_return": [sheet.pk, "return"],
        "cost_rate": [rate.pk],
        "meeting": [project.code, meeting.number], "meeting_transition": [project.code, meeting.number, "plan"],
        "attendee": [project.code, meeting.number, attendee.pk],
        "agenda_item": [project.code, meeting.number, agenda_item.pk],
        "outcome": [project.code, meeting.number, agenda_item.pk, outcome.pk],  # the meetings block
        "billing_planned": [project.code, planned.number], "billing_planned_ready": [project.code, planned.number,
                                                                                    "ready"],
        "billing_ready_invoice": [project.code, ready.number, "invoice"],
        "milestone": [project.code, milestone.pk], "baseline": [controlled.code, 1],  # the API's registers block
        "webhook": [webhook.pk], "failed_delivery": [webhook.pk, failed.pk],
        "api_token": [api_token.pk], "api_rest": ["nothing/here/"],
        "project": [project.code], "transition": [project.code, "close-out"], "document": [project.code, document.pk],
        "draft": [draft.pk], "submitted": [submitted.pk], "attachment": [draft.pk, attachment.pk],
        "customer": [project.customer.pk], "contact": [project.customer.pk, contact.pk],
        "submission": [submission.pk], "supplier": [supplier.pk], "supplier_vat": [supplier.vat_number],
        "csv": ["csv"], "new_po": ([], f"?project={project.code}"), "po": [po.number],
        "invoice": [po.number, invoice.pk], "po_submit": [po.number, "submit"], "activity": [project.code, activity.pk],
        "assignment": [project.code, activity.pk, assignment.pk], "resource": [resource.pk],
        "token": [resource.calendar_token], "break_glass": ["not-a-valid-link"], "risk": [project.code, risk.number],
        "issue": [project.code, issue.number],
        "decision": [project.code, decision.number], "action": [project.code, action.number],
        "lesson": [project.code, lesson.number], "exception": [project.code, exception.pk],
        "controlled": [controlled.code], "change": [controlled.code, change.number],
        "pending_change": [controlled.code, pending.number],
        "report": [project.code, report.pk], "published_report": [project.code, published.pk],
        "run": [project.code, run.number], "evidence": [project.code, run.number, evidence.pk],
        "incident": [project.code, incident.number], "safety_action": [project.code, incident.number, safety_action.pk],
        "survey": [survey_token(survey)], "servicenow": [project.code, "json"],
    }


@pytest.fixture(scope="module")
def _matrix_data(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas and the objects, made once for the module's 2,000-odd tests (Django's
    `setUpTestData`): they are created in a transaction that stays open, each test runs in a
    savepoint inside it and is rolled back to them, and the transaction is rolled back at the
    end. Each test still gets fresh copies of the Python objects and of the stored files."""
    from django.db import transaction
    from django.test.utils import override_settings
    from django.utils import translation

    media = tmp_path_factory.mktemp("permission-matrix-media")
    with django_db_blocker.unblock():
        ensure_reference_data()
        outer = transaction.atomic()
        outer._from_testcase = True  # what Django's TestCase marks its class-wide atomic with
        outer.__enter__()
        try:
            with override_settings(MEDIA_ROOT=media), translation.override("en"):
                personas = make_personas()
                project = make_project(personas)
                objects = _make_objects(project, *(personas[name] for name in ("sales", "support", "pm", "pm2",
                                                                              "engmgr")))
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield SimpleNamespace(media=media, personas=personas, objects=objects)
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def personas(_matrix_data, db):
    return copy.deepcopy(_matrix_data.personas)


@pytest.fixture
def objects(_matrix_data, db, settings, tmp_path):
    # The test's own MEDIA_ROOT with the stored files as made: a test that deletes one spoils no other.
    shutil.copytree(_matrix_data.media, tmp_path, dirs_exist_ok=True)
    settings.MEDIA_ROOT = tmp_path
    return copy.deepcopy(_matrix_data.objects)


@pytest.mark.parametrize(("name", "kwargs_key", "method", "role"), CASES, ids=[f"{n}-{m}-{r}" for n, _, m, r in CASES])
def test_permission(client, personas, objects, name, kwargs_key, method, role):
    args = objects.get(kwargs_key, []) if kwargs_key else []
    args, query = args if isinstance(args, tuple) else (args, "")
    url = reverse(name, args=args) + query
    if role != "anonymous":
        client.force_login(personas[role])
    response = client.get(url) if method == "GET" else client.post(url)
    expected = MATRIX[(name, kwargs_key, method)][role]
    assert response.status_code == expected, f"{role} {method} {url}"
    if role == "anonymous" and expected == 302 and name not in PUBLIC:
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", SIGNED_IN)
def test_only_staff_reach_the_admin(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("admin:index"))
    assert response.status_code == (200 if role == "admin" else 302)


@pytest.mark.parametrize("role", ["pm", "sales", "outsider"])
def test_a_signed_in_non_admin_gets_the_403_page_from_the_admin(client, personas, role):
    client.force_login(personas[role])
    response = client.get(reverse("admin:index"), follow=True)
    assert response.status_code == 403
    assert "You may not do this" in response.content.decode()
