"""People of mixed roles browsing the application over HTTP, for locust (requirements-bench.txt).

On demand, not in CI, against a server holding seed_bench data (their bench-* users sign in with the
password BENCH_PASSWORD, default "bench"). bench/load_run.py starts gunicorn with production settings
and runs this for 10, 50 and 100 people; by hand:
    .venv-bench/bin/locust -f bench/load.py --headless -u 50 -r 10 --run-time 2m --host http://127.0.0.1:8001

Project managers look at their home, their projects and orders and sometimes add a risk through the
real form (CSRF token and all); support officers go through projects, orders and the portfolio; the PMO
lead adds the portfolio and the approvals inbox; engineering managers the workload and the plans.
The client is locust's FastHttpUser: it costs the machine less CPU than requests does (the load runs
beside the server).
Requests are named by page, not by URL, so the figures are per page. BENCH_WAIT="2-6" sets the pause
between two clicks (seconds).
"""

import datetime as dt
import itertools
import os
import random
import re
import time
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy

from locust import FastHttpUser, between

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench")
WAIT = [float(n) for n in os.environ.get("BENCH_WAIT", "2-6").split("-")]
PROJECT_CODE = re.compile(r'href="/projects/(PRJ-\d{4}-\d{4})/"')
SEARCHES = [f"PO-2000-0{n:03d}" for n in range(100)]  # each matches ten orders at 1,000 and 10,000 projects
_numbers = itertools.count()
_signed_in = itertools.count(1)
# Where to note the moment the figures start (bench/load_run.py reads it to cut the server's log alike).
MEASURED_FROM_FILE = os.environ.get("BENCH_MEASURED_FROM_FILE")


def everyone_signed_in(environment) -> None:
    """Start the figures once the last person is in: a hundred password hashes at the start take the
    CPU for tens of seconds, longer than locust's own spawning, and would be counted as page waits."""
    environment.runner.stats.reset_all()
    if MEASURED_FROM_FILE:
        with open(MEASURED_FROM_FILE, "w") as mark:
            mark.write(str(time.time()))


class FormFields(HTMLParser):
    """The fields of each <form method="post"> of a page, with the values a browser would send untouched:
    text and hidden inputs, checked boxes, each select's selected (else first) option, textareas."""

    def __init__(self):
        super().__init__()
        self.forms, self.form, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.form = {"fields": {}, "options": {}}
            self.forms.append(self.form)
        if self.form is None:
            return
        name = attrs.get("name")
        fields = self.form["fields"]
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                fields[name] = attrs.get("value") or ("on" if attrs.get("type") == "checkbox" else "")
        elif tag == "select" and name:
            self.select = name
            self.form["options"][name] = []
        elif tag == "option" and self.select:
            value = attrs.get("value") or ""
            self.form["options"][self.select].append(value)
            if "selected" in attrs or self.select not in fields:
                fields[self.select] = value
        elif tag == "textarea" and name:
            self.textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.form = None

    def handle_data(self, data):
        if self.textarea and self.form is not None:
            self.form["fields"][self.textarea] += data


def form_fields(html: str, having: str) -> dict:
    """The fields of the page's form that has a field named `having` (the navigation has forms too)."""
    parser = FormFields()
    parser.feed(html)
    form = next((f for f in parser.forms if having in f["fields"]), {"fields": {}, "options": {}})
    # A select left on its empty choice ("---------") gets its first real one, as a person would pick.
    for name, options in form["options"].items():
        if not form["fields"].get(name) and any(options):
            form["fields"][name] = next(value for value in options if value)
    return form["fields"]


class Unrecorded:
    """Stands in for locust's request event while a person signs in."""

    def fire(self, **request):
        pass


class Person(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    prefix, count = "", 1

    def on_start(self):
        # Production's cookies are Secure, and this load talks plain HTTP to gunicorn on localhost (no TLS
        # proxy in front): the client sends them over HTTP too.
        self.client.cookiejar.set_policy(DefaultCookiePolicy(secure_protocols=("https", "wss", "http")))
        number = next(_numbers) % self.count
        username = self.prefix if self.count == 1 else f"{self.prefix}-{number}"
        # Signing in is left out of the figures (it is the password hash's deliberate cost, once per
        # person): the session reports nothing while it lasts, only a failure is recorded, and the
        # figures start when the last person is in (everyone_signed_in).
        recorded, self.client.request_event = self.client.request_event, Unrecorded()
        try:
            fields = form_fields(self.client.get("/accounts/login/").text, "username")
            fields.update(username=username, password=PASSWORD)
            status = self.client.post("/accounts/login/", data=fields, allow_redirects=False).status_code
            self.projects = PROJECT_CODE.findall(self.client.get("/").text or "") or PROJECT_CODE.findall(
                self.client.get("/projects/").text or "")
        finally:
            self.client.request_event = recorded
            if next(_signed_in) == self.environment.runner.target_user_count:
                everyone_signed_in(self.environment)
        if status != 302:
            recorded.fire(request_type="POST", name="sign in", response_time=0, response_length=0, context={},
                          exception=RuntimeError(f"{username} could not sign in ({status})"))

    def get(self, url: str, name: str):
        """A page as a signed-in person sees it: landing on the sign-in form counts as an error."""
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code == 200 and 'name="password"' in (response.text or ""):
                response.failure("signed out: the sign-in form answered")
        return response

    def project(self) -> str | None:
        return random.choice(self.projects) if self.projects else None

    def add_risk(self):
        """The risk form as a person fills it: the page's own fields and CSRF token, a new event."""
        code = self.project()
        if not code:
            return
        with self.client.get(f"/projects/{code}/risks/new/", name="risk form", catch_response=True) as form:
            if form.status_code in (403, 404):  # a finished project takes no new risk: not an error
                form.success()
                return
        fields = form_fields(form.text, "event")
        fields.update(event=f"Bench risk {random.randrange(10 ** 6)}", cause="Load test", effect="None",
                      review_date=(dt.date.today() + dt.timedelta(days=30)).isoformat())
        with self.client.post(f"/projects/{code}/risks/new/", data=fields, name="risk added", allow_redirects=False,
                              headers={"Referer": f"{self.host}/projects/{code}/risks/new/"},
                              catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"risk not saved ({response.status_code})")


# What people do, once; each role below says how often (locust's `tasks`, weights relative per role).
def home(person):
    person.get("/", "home")


def project_list(person):
    person.get(f"/projects/?page={random.randint(1, 20)}", "project list")


def project_page(person):
    if code := person.project():
        person.get(f"/projects/{code}/", "project page")


def plan_page(person):
    if code := person.project():
        person.get(f"/projects/{code}/plan/", "plan page")


def orders(person):
    person.get("/procurement/purchase-orders/", "PO list")


def search(person):
    person.get(f"/procurement/purchase-orders/?q={random.choice(SEARCHES)}", "PO search")


def portfolio(person):
    person.get("/reports/portfolio/", "portfolio")


def approvals(person):
    person.get("/approvals/", "approvals")


def workload(person):
    person.get("/planning/workload/", "workload")


def risk(person):
    person.add_risk()


class ProjectManager(Person):
    weight, prefix, count = 6, "bench-pm", 60
    tasks = {home: 4, project_page: 4, project_list: 2, orders: 2, search: 1, risk: 1}


class SupportOfficer(Person):
    weight, prefix, count = 2, "bench-support", 5
    tasks = {home: 2, project_list: 3, project_page: 3, orders: 2, search: 1, portfolio: 1, risk: 1}


class PMOLead(Person):
    weight, prefix, count = 1, "bench-lead", 1
    tasks = {home: 2, portfolio: 2, approvals: 2, project_page: 2, orders: 1}


class EngineeringManager(Person):
    weight, prefix, count = 2, "bench-engmgr", 5
    tasks = {home: 2, workload: 3, plan_page: 2, project_list: 1}
