"""The browser walk: every page each role may open, on the demo data, in English, Dutch and French.

The pages are the permission matrix's GET rows that answer 200 for the role (so the walk follows
the matrix when a role's rights change), plus a few states the matrix's objects do not show. Each
page has one owner among the roles that may open it, who reads it in the three languages; on every
page in every language: axe-core (WCAG 2.1 AA) finds no serious or critical violation, the browser reports no
console error and no failed request for the application's own files, and no text node reads the
same in all three languages unless it is user data, a code, an amount or a date (see ALLOWED).
"""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from accounts.models import User

from .conftest import sign_in
from .test_permission_matrix import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "demo-pass-1"
LANGUAGES = ("en", "nl", "fr")
WALKED_ROLES = ["sales", "support", "pm", "engmgr", "pmolead", "finance", "admin"]

# URL names that answer a file, JSON, a redirect or an e-mail link, not a page to walk.
NOT_PAGES = {"healthz", "favicon", "login", "calendar_feed", "projects:gantt_json", "reporting:servicenow",
             "reporting:pdf", "procurement:po_pdf", "procurement:po_export", "reporting:portfolio_export",
             "intakes:attachment_download", "projects:document_download", "projects:checklist_evidence", "survey",
             # The minutes' PDF is a file; the customer's confirmation page is walked without sign-in, as the survey.
             "projects:meeting_minutes_pdf", "minutes_confirm",
             # The REST API answers JSON; its explorer is Swagger UI's own page, in English (tests/test_api_schema.py).
             "api:projects", "api:project", "api:risks", "api:risk", "api:schema", "api:docs"}


def api_route(name: str) -> bool:
    """The REST API answers JSON (tests/test_api_*.py); only its tokens page is a page."""
    return name.startswith("api:") and not name.startswith("api:token")


# Pages the matrix's objects do not show: other states of the same pages, the Django admin, error pages.
EXTRA_PAGES = {
    "support": ["{po_sent}", "{po_sent}receive/", "/intakes/?status=submitted"],
    "pm": ["{po_sent}", "{po_invoiced}", "/projects/PRJ-2026-0002/status/execute/", "/projects/PRJ-2026-0006/budget/",
           "/projects/PRJ-2026-0002/changes/1/", "/projects/PRJ-2026-0004/closing/", "/projects/NOPE/",
           "/projects/PRJ-2026-0001/tolerances/", "/projects/PRJ-2026-0001/meetings/1/",
           "/projects/PRJ-2026-0001/meetings/1/status/publish/", "/timesheets/"],
    "pmolead": ["{po_beyond}decide/", "/projects/PRJ-2026-0001/changes/1/", "/projects/PRJ-2026-0001/plan/",
                "/projects/PRJ-2026-0001/meetings/1/"],
    # The admin's lists and the forms of what it edits (reference data, users), add and change; the
    # business objects' read-only pages too.
    "admin": ["/admin/", "/admin/projects/project/", "/admin/accounts/user/", "/admin/projects/levelthreshold/",
              "{admin_project_type}", "/admin/projects/projecttype/add/", "{admin_checklist_template}",
              "/admin/projects/checklisttemplate/add/", "{admin_user}", "{admin_level}", "{admin_customer}",
              "{admin_project}"],
}
# Words right in English, Dutch and French alike.
ALLOWED = {
    "PMO", "PDF", "CSV", "Excel", "ServiceNow", "D365", "Gantt", "EUR", "VCA", "OK",  # names and abbreviations
    "Webhooks", "JSON", "API", "Authorization", "Bearer",  # "Authorization: Bearer" is an HTTP header
    "EN", "NL", "FR",  # language codes (a report's language)
    "Budget", "Type", "Code", "Score", "Incident", "E-mail",  # spelled the same in the three languages
}
CODE = re.compile(r"(?:[A-Z]{2,4}-?\d[\d-]*|[A-Z]{2}\d{8,12}[A-Z\d]*|\S+@\S+|https?://\S+)")
WORD = re.compile(r"[^\W\d_]{2,}")
# Reference data models: their values are not user data; they have a value per language (item 14).
REFERENCE_MODELS = {"projecttype", "phasetemplate", "checklisttemplate", "checklisttemplateitem", "levelthreshold",
                    "projecttypechecklist", "intaketemplate"}
# Reference data copied into a project when it starts (its phases, its checklists' names and checks):
# stored per project, but not typed by anyone, so not user data either.
REFERENCE_COPIES = {("phase", "name"), ("checklistrun", "name"), ("checklistrun", "phase"),
                    ("checklistanswer", "text"), ("checklistanswer", "guidance")}
AXE_OPTIONS = {"resultTypes": ["violations"]}
# Reported even though axe rates them moderate or minor: the issue named them.
ALSO_FAIL = {"empty-table-header", "page-has-heading-one", "label"}

TEXT_NODES = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const element = walker.currentNode.parentElement;
    if (!element || element.closest("script, style, noscript, template")) { continue; }
    const declared = element.closest("[lang]");
    if (declared && declared !== document.documentElement) { continue; }  // text in a language of its own
    const text = walker.currentNode.textContent.replace(/\\s+/g, " ").trim();
    if (text) { texts.push(text); }
  }
  return texts;
}"""


@pytest.fixture
def walk(settings, tmp_path):
    """The demo data, with the objects the matrix's URLs take."""
    from pmo.demo import load_demo_data
    from procurement.models import PurchaseOrder, Supplier
    from projects.models import (
        Activity,
        BudgetSubmission,
        ChecklistRun,
        ChecklistTemplate,
        Customer,
        Intake,
        LevelThreshold,
        MinutesDelivery,
        Project,
        ProjectException,
        Resource,
        SatisfactionSurvey,
    )
    from projects.services.change_control import change_create
    from projects.services.closing import survey_token
    from projects.services.minutes_publish import confirmation_token
    from projects.services.registers import lesson_log
    from reporting.models import HighlightReport

    settings.MEDIA_ROOT = tmp_path
    load_demo_data(password=DEMO_PASSWORD, today=timezone.localdate())
    pm = User.objects.get(username="pm")
    fibre, access = "PRJ-2026-0001", "PRJ-2026-0002"
    project = Project.objects.get(code=fibre)
    lesson = lesson_log(project_id=project.pk, by=pm, data={
        "event": "Tram-line permit took three weeks", "effect": "Trenching started late",
        "cause": "Permit asked after the design", "recommendation": "Ask for the permit with the design."})
    draft_change = change_create(project_id=Project.objects.get(code=access).pk, by=pm, milestones=[], costs=[], data={
        "title": "Badge readers on the roof doors", "owner": pm, "time_impact_days": 2, "priority": "low",
        "severity": 1, "due_date": None, "quality_impact": "", "risk_impact": "", "options": "",
        "recommendation": "Approve", "description": "Two roof doors get readers.", "scope_impact": "Two doors"})
    exception = ProjectException.objects.create(project=project, kind="cost", summary="Forecast 12 % above budget")
    closing = Project.objects.get(code="PRJ-2026-0004")
    surveys = {language: survey_token(SatisfactionSurvey.objects.create(
        project=closing, channel="link", sent_to="koen.wouters@port.example", language=language,
        sent_at=timezone.now(), expires_at=timezone.now() + dt.timedelta(days=5))) for language in LANGUAGES}
    run = ChecklistRun.objects.filter(project=project).order_by("number").first()
    webhook = _webhook_with_deliveries(project)
    meeting, agenda_item, outcome = _meeting_with_minutes(project, pm)  # M-001, held; M-002 follows, a draft
    minutes_links = {language: confirmation_token(MinutesDelivery.objects.create(
        meeting=meeting, email=f"claire-{language}@customer.example", name="Claire Dubois", language=language,
        variant="external", expires_at=timezone.now() + dt.timedelta(days=5))) for language in LANGUAGES}
    args = {
        "webhook": [webhook.pk],
        "project": [fibre], "transition": [fibre, "close-out"],
        "draft": [Intake.objects.get(status="draft").pk], "submitted": [Intake.objects.get(status="submitted").pk],
        "customer": [Customer.objects.get(name="Stad Gent").pk],
        "submission": [BudgetSubmission.objects.get(status="pending").pk],
        "supplier": [Supplier.objects.order_by("pk").first().pk], "new_po": ([], f"?project={fibre}"),
        "po": [PurchaseOrder.objects.get(status="draft").number],
        "activity": [fibre, Activity.objects.get(name="Fibre pulling and splicing").pk],
        "resource": [Resource.objects.get(name="Jan Verstraete").pk],
        "risk": [fibre, 1], "issue": [fibre, 1], "decision": [fibre, 1], "action": [fibre, 1],
        "lesson": [fibre, lesson.number], "exception": [fibre, exception.pk], "controlled": [access],
        "change": [access, draft_change.number], "pending_change": [fibre, 1],
        # This week's draft (the demo also holds the previous weeks, published).
        "report": [fibre, HighlightReport.objects.get(project=project, variant="internal", status="draft").pk],
        "run": [fibre, run.number], "incident": [fibre, 1],
        "meeting": [fibre, meeting.number + 1], "meeting_transition": [fibre, meeting.number + 1, "plan"],
        "agenda_item": [fibre, meeting.number, agenda_item.pk],
        "outcome": [fibre, meeting.number, agenda_item.pk, outcome.pk],
        # The demo's billing: BM-001 planned (by percent), BM-003 ready to invoice.
        "billing_planned": [fibre, 1], "billing_planned_ready": [fibre, 1, "ready"],
        "billing_ready_invoice": [fibre, 3, "invoice"],
        **_timesheet_args(pm),
    }
    orders = {"po_sent": PurchaseOrder.objects.get(status="sent"), "po_invoiced": PurchaseOrder.objects.get(
        status="invoiced"), "po_beyond": PurchaseOrder.objects.get(net_total=420000)}
    places = {k: po.get_absolute_url() for k, po in orders.items()}
    for key, instance in {"project_type": project.project_type, "checklist_template": ChecklistTemplate.objects.first(),
                          "user": User.objects.get(username="pm"), "level": LevelThreshold.objects.first(),
                          "customer": project.customer, "project": project}.items():
        meta = instance._meta
        places[f"admin_{key}"] = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[instance.pk])
    return {"args": args, "surveys": surveys, "minutes_links": minutes_links, "places": places}


def _timesheet_args(pm):
    """Jan (an engineer with a login, no role) submitted this week's hours on the fibre project, costed at
    his rate; the PM enters hours too (Lotte's resource is linked to the pm login), so "My timesheet" is walked."""
    from projects.models import Activity, Resource, week_monday
    from projects.services import timesheets

    finance = User.objects.get(username="finance")
    jan = Resource.objects.get(name="Jan Verstraete")
    jan.user = User.objects.create_user(username="jan", password=DEMO_PASSWORD, first_name="Jan")
    jan.save()
    lotte = Resource.objects.get(name="Lotte Desmet")
    lotte.user = pm
    lotte.save()
    rate = timesheets.cost_rate_save(by=finance, data={"resource": jan, "hourly_rate": Decimal("62.50"),
                                                       "valid_from": dt.date(2026, 1, 1)})
    timesheets.cost_rate_save(by=finance, data={"skill": "network design", "hourly_rate": Decimal("75"),
                                                "valid_from": dt.date(2026, 1, 1)})
    monday = week_monday(timezone.localdate())
    pulling = Activity.objects.get(name="Fibre pulling and splicing")
    timesheets.timesheet_week_save(resource_id=jan.pk, week_start=monday, by=jan.user, hours={
        pulling.pk: [Decimal("8"), Decimal("7.5"), Decimal("8"), Decimal("0"), Decimal("4")] + [Decimal("0")] * 2})
    sheet = timesheets.timesheet_week_submit(resource_id=jan.pk, week_start=monday, by=jan.user)[0]
    return {"timesheet": [sheet.pk], "timesheet_approve": [sheet.pk, "approve"],
            "timesheet_return": [sheet.pk, "return"], "cost_rate": [rate.pk]}


def _meeting_with_minutes(project, pm):
    """A held progress meeting with an external attendee, its agenda drafted from the demo's registers and
    a decision in its minutes: the meeting page with everything it shows."""
    from projects.services import meetings, minutes

    meeting = meetings.meeting_create(project_id=project.pk, by=pm, users=[pm], data={
        "kind": "progress", "title": "Progress with Stad Gent", "date": timezone.localdate(),
        "start_time": dt.time(10, 0), "duration_minutes": 60, "place": "Gent, Woodrow Wilsonplein 1",
        "online_link": "", "organiser": pm, "recurrence": "weekly"})
    meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={
        "name": "Koen Wouters", "email": "koen.wouters@gent.example", "language": "nl"})
    minutes.agenda_draft_from_registers(meeting_id=meeting.pk, by=pm)
    meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    meetings.meeting_hold(meeting_id=meeting.pk, by=pm)
    item = meeting.items.order_by("pk").first()
    outcome = minutes.outcome_record(item_id=item.pk, by=pm, data={
        "kind": "decision", "title": "Trench along the tram line at night", "details": "Fewer permits"})
    following = meetings.meeting_plan_next(meeting_id=meeting.pk, by=pm)
    minutes.agenda_draft_from_registers(meeting_id=following.pk, by=pm)
    return meeting, item, outcome


def _webhook_with_deliveries(project):
    """A subscription for one project with a delivery of each state, as the deliveries page shows them."""
    from outbox.models import Event
    from webhooks.models import WebhookDelivery
    from webhooks.services.subscriptions import subscription_create

    webhook = subscription_create(by=User.objects.get(username="pmolead"), data={
        "url": "https://servicenow.example/api/pmo", "description": "ServiceNow", "projects": [project],
        "event_types": ["budget.approved", "purchase_order.sent", "project.status_changed"]})
    for n, (status, code, error) in enumerate([("delivered", 200, ""), ("failed", 500, "HTTP 500"),
                                               ("pending", None, "ConnectTimeoutError")]):
        event = Event.objects.filter(project_id=project.pk).order_by("pk")[n]
        WebhookDelivery.objects.create(subscription=webhook, event=event, webhook_id=f"msg_walk{n}", status=status,
                                       last_response_code=code, last_error=error, attempts=n + 1,
                                       last_duration_ms=120 * (n + 1))
    return webhook


def pages_of(role, walk):
    urls = []
    for (name, key, method), codes in MATRIX.items():
        if method != "GET" or codes[role] != 200 or name in NOT_PAGES or name.endswith("_export") or api_route(name):
            continue
        assert key is None or key in walk["args"], f"the walk has no demo object for {key!r} (URL {name})"
        args = walk["args"].get(key, []) if key else []
        args, query = args if isinstance(args, tuple) else (args, "")
        urls.append(reverse(name, args=args) + query)
    urls += [url.format(**walk["places"]) for url in EXTRA_PAGES.get(role, [])]
    return list(dict.fromkeys(urls))


def in_own_language(url):
    """A highlight report's preview is in the report's language, whatever the reader's."""
    return url.endswith("/preview/")


def user_data() -> list[str]:
    """Every text stored by people (not reference data): such text is never translated."""
    values = set()
    for model in apps.get_models():
        if model._meta.app_label not in ("accounts", "projects", "procurement", "reporting", "webhooks") or \
                model._meta.model_name.removeprefix("historical") in REFERENCE_MODELS:
            continue
        kind = model._meta.model_name.removeprefix("historical")
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, (models.CharField, models.TextField)) and not f.choices
                  and (kind, f.name) not in REFERENCE_COPIES]
        for row in model.objects.values_list(*fields) if fields else []:
            values.update(" ".join(str(v).split()) for v in row if v and len(str(v).strip()) > 1)
    values.update(user.get_full_name() for user in User.objects.all())
    return values


def known_text(values):
    """One pattern for the given values, longest first, each matched as whole words only."""
    alternatives = "|".join(re.escape(v) for v in sorted(values, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def untranslated(texts_by_language, known):
    """Text nodes found in all three languages that are more than user data, codes and amounts."""
    common = set(texts_by_language["en"]) & set(texts_by_language["nl"]) & set(texts_by_language["fr"])
    left = []
    for text in sorted(common):
        rest = CODE.sub(" ", known.sub(" ", text))
        words = [w for w in WORD.findall(rest) if w not in ALLOWED]
        if words and rest.strip() not in ALLOWED:
            left.append(text)
    return left


class Walker:
    """One browser context of one person: collects console errors, failed requests and axe findings."""

    def __init__(self, browser, base_url, locale="en-GB"):
        from axe_playwright_python.sync_playwright import Axe

        self.axe = Axe()
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, locale=locale, viewport={"width": 1280, "height": 800})
        self.page = self.context.new_page()
        self.problems = []
        self.url, self.auditing = None, False
        self.page.on("console", lambda m: self._console(m) if m.type == "error" else None)
        self.page.on("pageerror", lambda exc: self.problems.append(f"{self.url}: page error {exc}"))
        self.page.on("requestfailed", self._failed)
        self.page.on("response", self._response)

    def _console(self, message):
        if "Failed to load resource" in message.text and self.expected_status >= 400:
            return  # the document itself answered 403 or 404, on purpose
        if self.auditing and not message.location.get("url"):
            return  # axe's own injected script (it tries inline styles on the admin's forms), not the page
        self.problems.append(f"{self.url}: console {message.text}")

    def _failed(self, request):
        if request.failure != "net::ERR_ABORTED":  # the next page was opened before it came
            self.problems.append(f"{self.url}: request failed {request.url} {request.failure}")

    def _response(self, response):
        if response.request.resource_type != "document" and response.status >= 400 and \
                response.url.startswith(self.base_url):
            self.problems.append(f"{self.url}: {response.status} {response.url}")

    def visit(self, url, language, expected_status=200):
        self.url, self.expected_status = f"{url} [{language}]", expected_status
        response = self.page.goto(url)
        assert response.status == expected_status, self.url
        assert self.page.url == self.base_url + url, f"{self.url} went to {self.page.url}"
        if not in_own_language(url):
            assert self.page.locator("html").get_attribute("lang") == language, self.url
        if self.page.locator("#gantt").count():
            self.page.wait_for_selector("#gantt .bar-wrapper")
        return self.page.evaluate(TEXT_NODES)

    def check(self):
        self.auditing = True
        try:
            results = self.axe.run(self.page, options=AXE_OPTIONS)
        finally:
            self.auditing = False
        for violation in results.response["violations"]:
            if violation["impact"] in ("serious", "critical") or violation["id"] in ALSO_FAIL:
                targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:4]]
                self.problems.append(f"{self.url}: axe {violation['id']} ({violation['impact']}) {targets}")

    def close(self):
        self.context.close()


# The error pages, as the PM meets them: a project that does not exist, a page of the PMO lead's.
ERROR_PAGES = {"/projects/NOPE/": 404, "/projects/PRJ-2026-0001/tolerances/": 403}


def _expected_status(url):
    return ERROR_PAGES.get(url, 200)


def owners(walk):
    """Each page is read in all three languages (and checked by axe) by one role, the one of those
    who may open it that has the fewest pages so far; every other role opens it in its own language
    and checks its status and the console. axe costs ~0.5 s a page: this keeps the walk in CI's budget."""
    owner, load = {}, dict.fromkeys(WALKED_ROLES, 0)
    for role in WALKED_ROLES:
        for url in pages_of(role, walk):
            if url not in owner:
                candidates = [r for r in WALKED_ROLES if url in pages_of(r, walk)]
                owner[url] = min(candidates, key=lambda r: load[r])
                load[owner[url]] += 1
    return owner


@pytest.mark.parametrize("role", WALKED_ROLES)
def test_every_page_of_the_role_is_accessible_error_free_and_translated(browser, live_server, walk, role):
    walker = Walker(browser, live_server.url)
    urls, owner = pages_of(role, walk), owners(walk)
    own = [url for url in urls if owner[url] == role]
    own_language = User.objects.get(username=role).language
    texts = defaultdict(dict)
    try:
        sign_in(walker.page, role, DEMO_PASSWORD)
        assert "/accounts/login/" not in walker.page.url
        for language in LANGUAGES:
            User.objects.filter(username=role).update(language=language)
            for url in own:
                texts[url][language] = walker.visit(url, language, _expected_status(url))
                walker.check()  # axe on every page in every language: a label or a contrast may differ
            if language == own_language:
                for url in urls:
                    if url not in own:
                        walker.visit(url, language, _expected_status(url))
    finally:
        walker.close()
    known = known_text(user_data())
    for url in own:
        if not url.startswith("/admin/") and not in_own_language(url):  # Django's admin strings are Django's
            walker.problems += [f"{url}: the same in en, nl and fr: {text!r}"
                                for text in untranslated(texts[url], known)]
    assert walker.problems == [], f"{len(walker.problems)} problems:\n" + "\n".join(walker.problems)


def test_the_pages_without_sign_in_are_accessible_error_free_and_translated(browser, live_server, walk):
    texts, problems = defaultdict(dict), []
    for language in LANGUAGES:
        walker = Walker(browser, live_server.url, locale={"en": "en-GB", "nl": "nl-BE", "fr": "fr-BE"}[language])
        try:
            for url in ["/accounts/login/", reverse("survey", args=[walk["surveys"][language]]),
                        reverse("minutes_confirm", args=[walk["minutes_links"][language]])]:
                key = url if url.startswith("/accounts/") else url.split("/")[1]
                texts[key][language] = walker.visit(url, language)
                walker.check()
        finally:
            walker.close()
        problems += walker.problems
    known = known_text(user_data())
    for key, found in texts.items():
        problems += [f"{key}: the same in en, nl and fr: {text!r}" for text in untranslated(found, known)]
    assert problems == [], "\n".join(problems)
