"""The SMO hand-over pack (PDF) and the ServiceNow export, made when a project closes."""

import calendar
import csv
import datetime as dt
import io
import json

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from outbox.services import email_enqueue
from projects.lib.exports import neutralise
from projects.models import DocumentCategory, Intake, Project, ProjectDocument, ProjectIssue

PACK_TITLE = "SMO hand-over pack"


SERVICENOW_PRIORITY = {"high": 2, "medium": 3, "low": 4}  # ServiceNow: 1 critical .. 5 planning


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def handover_facts(project: Project) -> dict:
    intake = Intake.objects.filter(project=project).first()
    closed = project.closed_on
    return {
        "project": project, "intake": intake,
        "warranty_start": closed, "warranty_end": add_months(closed, settings.WARRANTY_MONTHS) if closed else None,
        "as_built": list(project.documents.filter(category=DocumentCategory.AS_BUILT).order_by("title", "-version")),
        "transferred": list(project.issues.filter(status=ProjectIssue.Status.TRANSFERRED).select_related("owner")),
        "contacts": list(project.customer.contacts.all()),
        "staff": [(label, person) for label, person in (
            ("project_manager", project.project_manager), ("deputy_manager", project.deputy_manager),
            ("support_officer", project.support_officer)) if person],
        "company": settings.COMPANY_NAME,
    }


def render_handover_pdf(project: Project, language: str) -> bytes:
    import weasyprint  # WeasyPrint: ~1 s to import, workers only

    from projects.lib.pdf import NoNetworkURLFetcher  # WeasyPrint: ~1 s to import, workers only

    with translation.override(language):
        html = render_to_string("reporting/handover_pdf.html", {**handover_facts(project), "language": language})
    return weasyprint.HTML(string=html, url_fetcher=NoNetworkURLFetcher()).write_pdf()


@transaction.atomic
def handover_pack_make(*, project_id: int, by_id: int) -> ProjectDocument | None:
    """Once per closure: stored as the next version of the project's hand-over pack, then e-mailed."""
    project = Project.objects.select_for_update().select_related("customer").get(pk=project_id)
    if project.status != Project.Status.CLOSED:
        return None
    previous = project.documents.filter(title=PACK_TITLE).order_by("-version").first()
    if previous and timezone.localdate(previous.uploaded_at) >= project.closed_on:
        return previous  # made already for this closure (a task delivered twice)
    closer = User.objects.get(pk=by_id)
    pdf = render_handover_pdf(project, closer.language)  # the support officer's language
    document = ProjectDocument.objects.create(
        project=project, category=DocumentCategory.REPORT, title=PACK_TITLE,
        version=(previous.version + 1) if previous else 1, file=ContentFile(pdf, name="handover.pdf"),
        original_name=f"{project.code}-smo-handover.pdf", content_type="application/pdf", size=len(pdf),
        uploaded_by=closer)
    if settings.SMO_EMAIL:
        email_enqueue(subject=f"Hand-over {project.code} {project.name}",
                      body=f"The hand-over pack of {project.code} ({project.customer.name}) is attached.",
                      to=[settings.SMO_EMAIL],
                      attachments=[{"name": document.original_name, "path": document.file.name,
                                    "type": "application/pdf"}])
    return document


def servicenow_record(project: Project) -> dict:
    """One project as ServiceNow import sets expect it: the company, contacts, warranty, and the
    open items transferred to SMO as problem records."""
    facts = handover_facts(project)
    return {
        "u_project_code": project.code, "u_project_name": project.name,
        "company": project.customer.name, "u_company_vat": project.customer.vat_number,
        "u_closed_on": project.closed_on.isoformat() if project.closed_on else None,
        "u_warranty_end": facts["warranty_end"].isoformat() if facts["warranty_end"] else None,
        "contacts": [{"name": c.name, "title": c.function, "email": c.email, "phone": c.phone}
                     for c in facts["contacts"]],
        "problems": [{"short_description": i.title[:160], "description": i.description,
                      "priority": SERVICENOW_PRIORITY[i.priority], "u_source": f"{project.code} {i.identifier}",
                      "due_date": i.due_date.isoformat() if i.due_date else None} for i in facts["transferred"]],
        "documents": [{"name": d.title, "version": d.version} for d in facts["as_built"]],
    }


def servicenow_json(project: Project) -> str:
    return json.dumps(servicenow_record(project), ensure_ascii=False, indent=2)


def servicenow_csv(project: Project) -> str:
    """The transferred open items, one problem per row (formula-like text neutralised)."""
    record = servicenow_record(project)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["u_project_code", "company", "short_description", "description", "priority", "u_source",
                     "due_date", "u_warranty_end"])
    for problem in record["problems"]:
        writer.writerow([neutralise(v) for v in (record["u_project_code"], record["company"],
                                                 problem["short_description"], problem["description"],
                                                 problem["priority"], problem["u_source"], problem["due_date"],
                                                 record["u_warranty_end"])])
    return out.getvalue()
