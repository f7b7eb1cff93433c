"""Weekly highlight reports: drafts from the data, the PM's narrative, publish (frozen), render, send,
correct as a new version."""

import datetime as dt

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from outbox.services import enqueue
from projects import events, permissions
from projects.domain import StaleEdit, notify_user, refuse_unless
from projects.models import Project
from reporting.models import HighlightReport, report_file_name, stuck_before
from reporting.selectors.facts import COLOURS, DIMENSIONS, report_facts
from reporting.workflows import HIGHLIGHT_REPORT

R = HighlightReport
# Renders begun for one publishing without ending (a worker killed at the hard time limit, say):
# at the next, the report fails as too long instead of taking a worker again and again.
MAX_RENDERS_BEGUN = 3
RENDER_TASK = "reporting.tasks.render_highlight_report"


def report_language(project: Project, variant: str) -> str:
    """The audience's language: the customer's for the external variant, the PM's for the internal one."""
    if variant == R.Variant.EXTERNAL:
        return project.customer.language
    return project.project_manager.language if project.project_manager else settings.LANGUAGE_CODE[:2]


def _link(report: HighlightReport) -> str:
    return reverse("reporting:report", args=[report.project.code, report.pk])


@transaction.atomic
def report_draft_create(*, project_id: int, week: dt.date, variant: str) -> tuple[HighlightReport, bool]:
    """The week's draft of one variant, made once: running the weekly job again changes nothing."""
    project = Project.objects.select_for_update(of=("self",)).select_related("customer", "project_manager").get(
        pk=project_id)
    existing = project.highlight_reports.filter(week=week, variant=variant).order_by("-version").first()
    if existing:
        return existing, False
    language = report_language(project, variant)
    with translation.override(language):  # names kept per language (the phase) in the report's
        facts = report_facts(project, week, variant)
    report = HighlightReport.objects.create(project=project, week=week, variant=variant, language=language,
                                            facts=facts)
    return report, True


def weekly_drafts(week: dt.date) -> int:
    """Drafts of both variants for every active project; the PM hears of them once."""
    made = 0
    for project in Project.objects.filter(status__in=Project.UNDER_WAY).select_related("project_manager"):
        created = [report_draft_create(project_id=project.pk, week=week, variant=variant)
                   for variant in R.Variant.values]
        if any(new for _report, new in created) and project.project_manager:
            made += 1
            with transaction.atomic():
                notify_user(project.project_manager, reverse("reporting:reports", args=[project.code]),
                            gettext_lazy("Highlight report of %(code)s for week %(week)s: add your narrative"),
                            gettext_lazy("The facts are filled in. Publish before %(deadline)s."),
                            code=project.code, week=created[0][0].iso_week,
                            deadline=timezone.localtime(created[0][0].deadline).strftime("%d/%m %H:%M"))
    return made


def _locked(report_id: int) -> HighlightReport:
    return HighlightReport.objects.select_for_update(of=("self",)).select_related("project__customer").get(pk=report_id)


def _locked_editable(report_id: int, by: User, action: str = "edit") -> HighlightReport:
    """The report, locked, if `by` may still change it (a draft, the PM before the deadline)."""
    report = _locked(report_id)
    HIGHLIGHT_REPORT.check(action, by, report)
    return report


def _check_overrides(overrides: dict) -> dict:
    """Only known dimensions and colours; an override says why."""
    clean = {}
    for dimension, override in overrides.items():
        refuse_unless(dimension in DIMENSIONS and override.get("colour") in COLOURS,
                      _("Unknown status colour."))
        refuse_unless(bool(override.get("reason", "").strip()),
                      _("Say why you set %(dimension)s yourself.") % {"dimension": dimension})
        clean[dimension] = {"colour": override["colour"], "reason": override["reason"].strip()[:500]}
    return clean


@transaction.atomic
def report_update(*, report_id: int, by: User, data: dict, overrides: dict, expected_version: int) -> HighlightReport:
    report = _locked_editable(report_id, by)
    data = {**data, "rag_overrides": _check_overrides(overrides)}
    if report.edit_version != expected_version:
        raise StaleEdit(_("Someone else saved this report meanwhile. Your text is kept below; reload to see theirs."))
    for field, value in data.items():
        setattr(report, field, value)
    report.edit_version += 1
    report.save()
    return report


@transaction.atomic
def report_refresh_facts(*, report_id: int, by: User) -> HighlightReport:
    report = _locked_editable(report_id, by, "refresh")
    with translation.override(report.language):
        report.facts = report_facts(report.project, report.week, report.variant)
    report.edit_version += 1
    report.save()
    return report


@transaction.atomic
def report_publish(*, report_id: int, by: User) -> HighlightReport:
    """Freeze the report and have a worker render and send it."""
    report = _locked_editable(report_id, by, "publish")
    report.status, report.published_by, report.published_at = R.Status.PUBLISHING, by, timezone.now()
    report.edit_version += 1
    _queue_render(report)
    return report


def _queue_render(report: HighlightReport) -> None:
    """Save the report as publishing from now on, with its render queued in the same transaction."""
    report.status, report.render_queued_at, report.render_started_at = R.Status.PUBLISHING, timezone.now(), None
    report.render_attempts, report.render_error, report.render_failure = 0, "", ""
    report.save()
    enqueue(RENDER_TASK, report.pk)


@transaction.atomic
def report_render_begin(*, report_id: int, first_delivery: bool = True) -> bool:
    """Count a render about to begin (a fresh or redelivered task, not a retry of the same one);
    returns False, with the report failed, when too many began before without ending."""
    report = _locked(report_id)
    if report.status != R.Status.PUBLISHING or report.pdf or not first_delivery:
        return True
    if report.render_attempts >= MAX_RENDERS_BEGUN:
        report.status, report.render_failure = R.Status.FAILED, R.Failure.TIMEOUT
        report.render_error = f"{report.render_attempts} renders began and none ended"
        report.save()
        return False
    report.render_attempts += 1
    report.render_started_at = timezone.now()
    report.save(update_fields=["render_attempts", "render_started_at"])
    return True


@transaction.atomic
def report_render(*, report_id: int) -> bool:
    """Render the PDF of a report being published, unless a previous attempt stored it already.
    Returns whether the report is now published."""
    from reporting.lib.pdf import render_report_pdf  # WeasyPrint: ~1 s to import, workers only

    report = _locked(report_id)
    if report.status not in (R.Status.PUBLISHING, R.Status.FAILED):
        return report.status == R.Status.PUBLISHED
    if not report.pdf:
        content = ContentFile(render_report_pdf(report))
        name = report_file_name(report, "")
        report.pdf.storage.delete(name)  # left by an attempt that died before its commit
        report.pdf.save(name, content, save=False)
    report.status, report.rendered_at = R.Status.PUBLISHED, timezone.now()
    report.render_error, report.render_failure = "", ""
    report.save()
    enqueue("reporting.tasks.send_highlight_report", report.pk)
    # Published means rendered: a receiver told of it can fetch the PDF.
    events.project_event(events.EventType.HIGHLIGHT_REPORT_PUBLISHED, report.project, highlight_report={
        "id": report.pk, "week": report.week.isoformat(), "variant": report.variant, "language": report.language,
        "published_at": report.published_at.isoformat() if report.published_at else None})
    return True


@transaction.atomic
def report_render_failed(*, report_id: int, error: str, failure: str = R.Failure.ERROR) -> None:
    """A render that failed for good shows on the reports page, with why and a retry button."""
    report = _locked(report_id)
    if report.status == R.Status.PUBLISHING:
        report.status, report.render_error, report.render_failure = R.Status.FAILED, error[:2000], failure
        report.save()


@transaction.atomic
def report_retry(*, report_id: int, by: User) -> HighlightReport:
    """Render again a report that failed, or that is stuck publishing past the render's time limit."""
    report = _locked(report_id)
    HIGHLIGHT_REPORT.check("retry", by, report)
    _queue_render(report)
    return report


def reports_sweep_stuck() -> int:
    """Queue again the render of every report publishing for longer than a render may take (its
    task was lost, or its worker died); returns how many. Each is re-checked under its lock."""
    stuck = R.objects.filter(status=R.Status.PUBLISHING).annotate(
        since=Coalesce("render_started_at", "render_queued_at", "published_at")).filter(since__lt=stuck_before())
    queued = 0
    for report_id in stuck.values_list("pk", flat=True):
        with transaction.atomic():
            report = _locked(report_id)
            if report.stuck:
                report.render_queued_at, report.render_started_at = timezone.now(), None
                report.save(update_fields=["render_queued_at", "render_started_at"])
                enqueue(RENDER_TASK, report.pk)
                queued += 1
    return queued


def report_readers(report: HighlightReport) -> list[User]:
    """The people in the application a variant goes to, each one who may open it: internal, the
    project's staff who see its internals (never sales); external, its project manager."""
    project = report.project
    ids = permissions.project_staff_ids(project) if report.variant == R.Variant.INTERNAL else \
        {project.project_manager_id} - {None}
    users = User.objects.filter(pk__in=ids, is_active=True).exclude(email="")
    return [user for user in users if permissions.can_view_project_internals(user, project)]


def report_recipients(report: HighlightReport) -> list[str]:
    """Exactly who may see the variant. Internal: the project's staff who see its internals. External:
    the customer's contacts chosen as report recipients, and the PM; without such a contact nobody (the
    PM alone is not the audience). The address of someone in the application who may not open the
    report is never used, whichever list it is on."""
    project = report.project
    addresses = {user.email.lower() for user in report_readers(report)}
    if report.variant == R.Variant.EXTERNAL:
        contacts = {email.lower() for email in project.customer.contacts.filter(receives_reports=True)
                    .exclude(email="").values_list("email", flat=True)}
        if not contacts:
            return []
        addresses |= contacts
    users = User.objects.annotate(address=Lower("email")).filter(address__in=addresses)
    barred = {user.address for user in users
              if not (user.is_active and permissions.can_view_project_internals(user, project))}
    return sorted(addresses - barred)


@transaction.atomic
def report_send(*, report_id: int) -> bool:
    """E-mail the published PDF to the distribution list, once. Without a recipient it is not sent, says
    so on the report page, and the project manager hears of it (once)."""
    report = _locked(report_id)
    if report.status != R.Status.PUBLISHED or report.sent_at:
        return False
    recipients = report_recipients(report)
    if not recipients:
        if report.unsent_reason != R.Unsent.NO_RECIPIENT:
            report.unsent_reason = R.Unsent.NO_RECIPIENT
            report.save(update_fields=["unsent_reason"])
            _tell_no_recipient(report)
        return False
    with translation.override(report.language):
        message = EmailMessage(
            subject=_("Highlight report %(code)s, week %(week)s") % {"code": report.project.code,
                                                                     "week": report.iso_week},
            body=_("Please find attached the highlight report of %(name)s for week %(week)s.")
            % {"name": report.project.name, "week": report.iso_week},
            to=recipients)
    with report.pdf.open("rb") as handle:
        message.attach(report.download_name, handle.read(), "application/pdf")
    message.send()
    report.sent_to, report.sent_at, report.unsent_reason = recipients, timezone.now(), ""
    report.save(update_fields=["sent_to", "sent_at", "unsent_reason"])
    return True


def _tell_no_recipient(report: HighlightReport) -> None:
    project = report.project
    if not project.project_manager:
        return
    body = (gettext_lazy("Choose which contacts of %(customer)s receive the highlight reports (on the customer's "
                         "page), then publish a corrected version.") if report.variant == R.Variant.EXTERNAL
            else gettext_lazy("Nobody on the project has an e-mail address; the PDF is on the report page."))
    notify_user(project.project_manager, _link(report),
                gettext_lazy("Highlight report of %(code)s for week %(week)s not sent: no recipient"), body,
                code=project.code, week=report.iso_week, customer=project.customer.name)


@transaction.atomic
def report_correct(*, report_id: int, by: User) -> HighlightReport:
    """A published report never changes: the correction is the next version, a draft with the same
    facts and narrative."""
    report = _locked(report_id)
    HIGHLIGHT_REPORT.check("correct", by, report)
    return HighlightReport.objects.create(
        project=report.project, week=report.week, variant=report.variant, language=report.language,
        version=report.version + 1, facts=report.facts, summary=report.summary, this_period=report.this_period,
        next_period=report.next_period, rag_overrides=report.rag_overrides)
