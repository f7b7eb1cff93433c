"""Demo data for trying the application. Never loaded in production (see the command)."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from procurement.models import PurchaseOrder, Supplier
from procurement.services.purchase_orders import purchase_order_create, purchase_order_send, purchase_order_submit
from procurement.services.receiving import goods_receipt_register, invoice_register
from projects.models import (
    BudgetLine,
    ChecklistTemplate,
    Customer,
    CustomerContact,
    Intake,
    IntakeAttachment,
    IntakeMessage,
    Milestone,
    Project,
    ProjectType,
    Resource,
    SequenceCounter,
)
from projects.services.billing import billing_milestone_create, billing_milestone_mark_ready
from projects.services.budget import budget_approve, budget_submit
from projects.services.change_control import change_approve, change_create, change_submit
from projects.services.plan import activity_create, dependency_add, phases_create_from_template
from projects.services.quality import checklist_answers_save, checklist_runs_from_project_type, checklist_submit
from projects.services.registers import action_create, decision_record, lesson_log, risk_create
from projects.services.resources import assignment_save
from projects.services.safety import incident_report, safety_action_add
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import (
    report_draft_create,
    report_publish,
    report_render,
    report_update,
    weekly_drafts,
)

DEMO_USERS = [
    # username, first name, last name, language, roles
    ("sales", "Sofie", "Peeters", "nl", [Role.SALES]),
    ("support", "Julien", "Dubois", "fr", [Role.SUPPORT_OFFICER]),
    ("pm", "Pieter", "Janssens", "nl", [Role.PROJECT_MANAGER]),
    ("pm2", "Claire", "Lambert", "fr", [Role.PROJECT_MANAGER]),
    ("engmgr", "Eva", "Maes", "en", [Role.ENGINEERING_MANAGER]),
    ("pmolead", "Marc", "Willems", "nl", [Role.PMO_LEAD]),
    ("finance", "Nadia", "Claes", "en", [Role.FINANCE]),
    ("admin", "Ada", "Admin", "en", [Role.ADMINISTRATOR]),
]


DEMO_CUSTOMERS = [
    # VAT, name, address, language, contact
    ("BE0403170701", "Stad Gent", "Botermarkt 1, 9000 Gent", "nl",
     ("An De Smet", "ICT coordinator", "an.desmet@stad.gent")),
    ("BE0202239951", "Port of Antwerp-Bruges", "Zaha Hadidplein 1, 2030 Antwerpen", "nl",
     ("Koen Wouters", "Security manager", "koen.wouters@port.example")),
    ("BE0407626464", "Clinique Saint-Luc", "Avenue Hippocrate 10, 1200 Bruxelles", "fr",
     ("Isabelle Renard", "Responsable technique", "i.renard@saintluc.example")),
]


# code, name, customer VAT, type, status, PM, deputy, start offset, length, budget lines, budget state
DEMO_PROJECTS = [
    ("PRJ-2026-0001", "Fibre backbone city hall", "BE0403170701", "Network installation", "execution", "pm", "pm2",
     -120, 240, [("material", "Fibre and switches", "380000"), ("internal_labour", "Engineering", "220000")],
     "approved"),
    ("PRJ-2026-0002", "Access control terminals", "BE0202239951", "Security system", "planning", "pm", None,
     -20, 120, [("material", "Terminals", "120000"), ("subcontracting", "Cabling", "60000")], "approved"),
    ("PRJ-2026-0003", "Nurse call system upgrade", "BE0407626464", "Security system", "planning", "pm2", "pm",
     10, 400, [("material", "Nurse call units", "900000"), ("subcontracting", "Installation", "500000")], "pending"),
    ("PRJ-2026-0004", "Camera surveillance quay 1700", "BE0202239951", "Security system", "closing", "pm2", None,
     -300, 280, [("material", "Cameras", "70000"), ("travel", "Site visits", "20000")], "approved"),
    ("PRJ-2025-0017", "Wi-Fi for the library", "BE0403170701", "Network installation", "closed", "pm", None,
     -500, 200, [("material", "Access points", "60000")], "approved"),
    ("PRJ-2026-0005", "Data centre migration", "BE0407626464", "Software delivery", "on_hold", "pm2", None,
     -60, 300, [("internal_labour", "Migration team", "450000")], "approved"),
    ("PRJ-2026-0006", "Meeting room screens", "BE0403170701", "Small administrative project", "initiation", "pm",
     None, 30, 60, [], None),
]


DEMO_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def _users(password: str) -> dict[str, User]:
    users = {}
    for username, first, last, language, roles in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first, "last_name": last, "language": language, "is_active": True,
                "email": f"{username}@pmo.example", "is_staff": Role.ADMINISTRATOR in roles,
                "is_superuser": Role.ADMINISTRATOR in roles,
            },
        )
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get_or_create(name=role)[0] for role in roles])
        users[username] = User.objects.get(pk=user.pk)  # fresh roles cache
    return users


def _customers() -> dict[str, Customer]:
    customers = {}
    for vat, name, address, language, (contact, function, email) in DEMO_CUSTOMERS:
        customer, _ = Customer.objects.update_or_create(
            vat_number=vat, defaults={"name": name, "address": address, "language": language})
        CustomerContact.objects.update_or_create(customer=customer, name=contact, defaults={
            "function": function, "email": email, "receives_reports": True})
        customers[vat] = customer
    return customers


def _projects(users, customers, today) -> dict[str, Project]:
    projects = {}
    for code, name, vat, kind, status, pm, deputy, start, length, lines, budget in DEMO_PROJECTS:
        start_date = today + dt.timedelta(days=start)
        project, _ = Project.objects.update_or_create(
            code=code,
            defaults={
                "name": name, "customer": customers[vat], "project_type": ProjectType.objects.get(name_en=kind),
                "project_manager": users[pm], "deputy_manager": users.get(deputy),
                "support_officer": users["support"], "sales_owner": users["sales"],
                "start_date": start_date, "end_date": start_date + dt.timedelta(days=length),
            },
        )
        for category, description, amount in lines:
            BudgetLine.objects.get_or_create(project=project, description=description,
                                             defaults={"category": category, "amount": Decimal(amount)})
        if budget and not project.budget_submissions.exists():
            submission = budget_submit(project_id=project.pk, by=users[pm])
            if budget == "approved" and submission.status == submission.Status.PENDING:
                budget_approve(submission_id=submission.pk, by=users["pmolead"], comment="Demo approval.")
        # Statuses are set directly: the demo shows projects at each stage, not their journey. Saved
        # (not updated) so the project's history has the step and later changes are not blamed for it.
        project.refresh_from_db()  # the budget services changed its level meanwhile
        if project.status != status:
            project.status = status
            project._change_reason = "demo data"
            project.save()
        projects[code] = project
    _counters_follow_codes()
    return projects


def _counters_follow_codes() -> None:
    """New projects must get codes after the demo ones."""
    last = {}
    for code in Project.objects.values_list("code", flat=True):
        year, number = int(code[4:8]), int(code[9:])
        last[year] = max(last.get(year, 0), number)
    for year, number in last.items():
        counter, _ = SequenceCounter.objects.get_or_create(sequence="project", year=year)
        if counter.last_number < number:
            counter.last_number = number
            counter.save()


def _intake(title, users, customers, today, *, kind, vat, status, attachments=(), **fields) -> Intake:
    intake, created = Intake.objects.get_or_create(
        title=title, created_by=users["sales"],
        defaults={
            "project_type": ProjectType.objects.get(name_en=kind), "customer": customers[vat], "status": status,
            "scope": "Supply, install and commission the system; train the customer's staff.",
            "deliverables": "Installed system, as-built documentation, training",
            "d365_opportunity": "OPP-26-0412", "d365_quote": "QUO-26-1187", "sold_price": Decimal("420000.00"),
            "estimated_cost": Decimal("330000.00"), "target_start": today + dt.timedelta(days=30),
            "target_end": today + dt.timedelta(days=200), "sites": "Main site", "safety_requirements": "VCA",
            "security_clearance": "None", "access_requirements": "Badge at reception",
            "submitted_at": None if status == "draft" else timezone.now(), **fields,
        },
    )
    if created:
        for attachment_kind in attachments:
            IntakeAttachment.objects.create(
                intake=intake, kind=attachment_kind, file=ContentFile(DEMO_PDF, name="demo.pdf"),
                original_name=f"{attachment_kind.replace('_', '-')}.pdf", content_type="application/pdf",
                size=len(DEMO_PDF), uploaded_by=users["sales"])
    return intake


def _intakes(users, customers, projects, today) -> None:
    all_kinds = ("signed_order", "offer", "bill_of_materials")
    _intake("Campus Wi-Fi refresh", users, customers, today, kind="Network installation", vat="BE0403170701",
            status="draft", attachments=("offer",), sold_price=None, deliverables="")
    _intake("Badge readers car park", users, customers, today, kind="Security system", vat="BE0202239951",
            status="submitted", attachments=all_kinds)
    returned = _intake("Patient Wi-Fi", users, customers, today, kind="Network installation", vat="BE0407626464",
                       status="returned", attachments=all_kinds, decided_by=users["support"])
    IntakeMessage.objects.get_or_create(intake=returned, author=users["support"],
                                        body="Which buildings are in scope: only block A, or A and B?")
    _intake("Fibre backbone city hall", users, customers, today, kind="Network installation", vat="BE0403170701",
            status="accepted", attachments=all_kinds, project=projects["PRJ-2026-0001"], decided_by=users["support"])
    _intake("Parking guidance signs", users, customers, today, kind="Small administrative project",
            vat="BE0202239951", status="rejected", attachments=("signed_order",), decided_by=users["support"],
            rejection_reason="The customer chose another supplier; the order was withdrawn.")


DEMO_SUPPLIERS = [
    # VAT, name, kind, email, language
    ("BE0477445084", "Fluvius Materials", "supplier", "orders@fluvius-materials.example", "nl"),
    ("BE0403091220", "Câblerie Wallonne", "subcontractor", "commandes@cablerie.example", "fr"),
    ("NL810462783B01", "NetParts Europe", "supplier", "sales@netparts.example", "en"),
]


def _purchasing(users, projects) -> None:
    """Orders on the fibre backbone project at each stage of their life."""

    suppliers = {}
    for vat, name, kind, email, language in DEMO_SUPPLIERS:
        suppliers[vat], _ = Supplier.objects.update_or_create(
            vat_number=vat, defaults={"name": name, "kind": kind, "contact_email": email, "language": language})
    project = projects["PRJ-2026-0001"]
    if project.purchase_orders.exists():
        return
    pm, support = users["pm"], users["support"]
    material = project.budget_lines.get(description="Fibre and switches")
    delivery = timezone.localdate() + dt.timedelta(days=14)

    def order(by, supplier, *lines):
        return purchase_order_create(
            project_id=project.pk, by=by, data={"supplier": suppliers[supplier], "budget_line": material,
                                                "delivery_date": delivery,
                                                "delivery_site": "Stadhuis, Botermarkt 1, Gent"},
            lines=[{"description": d, "quantity": Decimal(q), "unit": u, "unit_price": Decimal(p), "vat_rate": 21}
                   for d, q, u, p in lines])

    received = purchase_order_submit(
        po_id=order(pm, "BE0477445084", ("Switch 48 ports PoE", "12", "pc", "1849.00"),
                    ("Singlemode fibre 24 cores", "1800", "m", "3.15")).pk, by=pm)
    purchase_order_send(po_id=received.pk, by=pm)
    lines = list(received.lines.all())
    goods_receipt_register(po_id=received.pk, by=support, received_on=timezone.localdate(),
                                      quantities={line.pk: line.quantity for line in lines})
    invoice_register(po_id=received.pk, by=support, supplier_reference="FM-2026-8812",
                                invoice_date=timezone.localdate(), net_amount=received.net_total)
    sent = purchase_order_submit(
        po_id=order(pm, "BE0403091220", ("Trenching and duct laying", "350", "m", "42.50")).pk, by=pm)
    purchase_order_send(po_id=sent.pk, by=pm)
    purchase_order_submit(po_id=order(support, "NL810462783B01", ("SFP+ modules", "48", "pc", "89.00")).pk,
                                     by=support)
    beyond = order(support, "NL810462783B01", ("Core router pair", "2", "pc", "210000.00"))
    purchase_order_submit(po_id=beyond.pk, by=support)
    order(support, "BE0477445084", ("Patch cords", "200", "pc", "6.40"))
    assert PurchaseOrder.objects.filter(project=project).count() == 5


def _plan(users, projects, today) -> None:
    """A small plan with a dependency chain and a slipped milestone on the fibre backbone."""

    project = projects["PRJ-2026-0001"]
    phases_create_from_template(project)
    if project.activities.exists():
        return
    pm = users["pm"]
    phases = {phase.name: phase for phase in project.phases.all()}
    start = project.start_date
    steps = [("Design", "Site survey and network design", "engineering", 0, 20, 120),
             ("Installation", "Trenching and ducts", "installation", 21, 60, 320),
             ("Installation", "Fibre pulling and splicing", "installation", 61, 100, 260),
             ("Commissioning", "Switch configuration and tests", "commissioning", 101, 120, 90)]
    created = []
    for phase, name, kind, begin, end, hours in steps:
        created.append(activity_create(project_id=project.pk, by=pm, data={
            "phase": phases[phase], "name": name, "kind": kind, "effort_hours": Decimal(hours),
            "planned_start": start + dt.timedelta(days=begin), "planned_end": start + dt.timedelta(days=end)}))
    for predecessor, successor in zip(created, created[1:]):
        dependency_add(project_id=project.pk, by=pm, predecessor_id=predecessor.pk,
                                successor_id=successor.pk)
    Milestone.objects.create(project=project, phase=phases["Installation"], name="Backbone lit",
                             baseline_date=start + dt.timedelta(days=95), forecast_date=start + dt.timedelta(days=100))
    _resources(users, projects, created)
    _risks(users, project, today)


def _risks(users, project, today) -> None:

    pm = users["pm"]
    entries = [
        ("supplier", "Single fibre supplier with six-week lead times", "Cable delivery is late",
         "Splicing crews idle; installation slips two weeks", 5, 4, 4, 4, "20000", "reduce", 14),
        ("safety", "Trench work next to tram lines", "Trench collapses or a worker is hit",
         "Injury, site stop, fines", 3, 5, 2, 5, "50000", "avoid", -3),
        ("technical", "Old city hall wiring is undocumented", "Hidden asbestos in the cable ducts",
         "Remediation before pulling fibre", 3, 4, 3, 3, "35000", "transfer", 30),
    ]
    for category, cause, event, effect, ip, ii, rp, ri, cost, response, review in entries:
        if not project.risks.filter(event=event).exists():
            risk_create(project_id=project.pk, by=pm, data={
                "kind": "threat", "category": category, "cause": cause, "event": event, "effect": effect,
                "inherent_probability": ip, "inherent_impact": ii, "residual_probability": rp, "residual_impact": ri,
                "cost_impact": Decimal(cost), "proximity": "month", "response_category": response, "response": "",
                "owner": pm, "actionee": None, "status": "open", "review_date": today + dt.timedelta(days=review)})


def _resources(users, projects, fibre_activities) -> None:
    """Two engineers of the engineering manager's team; Jan is over-booked across two projects."""

    jan, _ = Resource.objects.get_or_create(name="Jan Verstraete", defaults={
        "team_manager": users["engmgr"], "skills": "fibre splicing, VCA", "home_site": "Gent"})
    lotte, _ = Resource.objects.get_or_create(name="Lotte Desmet", defaults={
        "team_manager": users["engmgr"], "skills": "network design, Cisco", "home_site": "Antwerpen"})
    pulling = fibre_activities[2]
    assignment_save(activity_id=fibre_activities[0].pk, by=users["pm"], resource=lotte,
                             hours_per_week=Decimal("24"))
    assignment_save(activity_id=pulling.pk, by=users["pm"], resource=jan, hours_per_week=Decimal("30"))
    access = projects["PRJ-2026-0002"]
    terminals = activity_create(project_id=access.pk, by=users["pm"], data={
        "name": "Terminal installation", "kind": "installation",
        "planned_start": pulling.planned_start + dt.timedelta(days=7),
        "planned_end": pulling.planned_start + dt.timedelta(days=20)})
    assignment_save(activity_id=terminals.pk, by=users["pm"], resource=jan, hours_per_week=Decimal("16"),
                             allow_overbooking=True)


def _change_control(users, projects, today) -> None:
    """A change the PM approved (baseline 2), one waiting for the PMO lead, decisions, actions, lessons."""

    pm, support = users["pm"], users["support"]
    access, fibre = projects["PRJ-2026-0002"], projects["PRJ-2026-0001"]
    if access.change_requests.exists():
        return
    impact = {"priority": "medium", "severity": 2, "due_date": None, "quality_impact": "", "risk_impact": "",
              "options": "", "recommendation": "Approve"}
    small = change_create(project_id=access.pk, by=support, milestones=[], costs=[
        {"budget_line": access.budget_lines.get(description="Cabling"), "delta": Decimal("6500")}], data={
        **impact, "title": "Two extra doors in the archive", "owner": pm, "time_impact_days": 3,
        "description": "The customer asks badge readers on the two archive doors.", "scope_impact": "Two more doors"})
    small = change_submit(change_id=small.pk, by=support)
    change_approve(change_id=small.pk, by=pm, expected_version=small.version, comment="Within tolerance.")
    wing = change_create(project_id=fibre.pk, by=pm, milestones=list(fibre.milestones.all()), costs=[
        {"budget_line": fibre.budget_lines.get(description="Fibre and switches"), "delta": Decimal("70000")},
        {"budget_line": None, "category": "subcontracting", "description": "Civil works east wing",
         "delta": Decimal("25000")}], data={
        **impact, "title": "Connect the new east wing", "owner": pm, "time_impact_days": 10, "priority": "high",
        "description": "The city adds the east wing to the backbone.", "scope_impact": "East wing, 3 floors",
        "options": "1. Now, with the backbone. 2. As a separate project next year.",
        "recommendation": "Now: the trench is open."})
    change_submit(change_id=wing.pk, by=pm)
    decision_record(project_id=fibre.pk, by=pm, data={
        "decided_on": today - dt.timedelta(days=40), "title": "Fibre route via Botermarkt, not Hoogpoort",
        "rationale": "No tram lines to cross.", "decided_by": "Steering committee"})
    for title, owner, due in [("Book the tram-line permit", pm, -3), ("Send the redline drawings", support, 5)]:
        action_create(project_id=fibre.pk, by=pm, data={
            "title": title, "description": "", "owner": owner, "due_date": today + dt.timedelta(days=due),
            "status": "open"})
    lesson_log(project_id=projects["PRJ-2026-0004"].pk, by=users["pm2"], data={
        "event": "Quay permits took six weeks", "effect": "Cameras installed a month late",
        "cause": "Port authority asked at the end of planning", "recommendation": "Ask for port permits at kick-off."})


def _quality_and_safety(users, projects, today) -> None:
    """Every demo project gets its type's checklists; the fibre project's site inspection found a
    trench not shored (an issue), and a near miss is reported; the camera project is closing."""

    for project in projects.values():
        checklist_runs_from_project_type(project)
    fibre, cameras = projects["PRJ-2026-0001"], projects["PRJ-2026-0004"]
    if fibre.safety_incidents.exists():
        return
    pm, support = users["pm"], users["support"]
    inspection = fibre.checklist_runs.get(standard=ChecklistTemplate.Standard.SAFETY)
    answers = {n: {"answer": "ok", "comment": "", "corrective_action": ""} for n in range(inspection.answers.count())}
    answers[5] = {"answer": "not_ok", "comment": "Trench on the Botermarkt side not shored over 12 m.",
                  "corrective_action": "Shore the trench before work resumes."}
    checklist_answers_save(run_id=inspection.pk, by=pm, answers=answers, evidence={},
                                   expected_version=inspection.version)
    checklist_submit(run_id=inspection.pk, by=pm)
    incident = incident_report(project_id=fibre.pk, by=pm, data={
        "occurred_on": today - dt.timedelta(days=6), "site": "Stadhuis, Botermarkt 1, Gent", "kind": "near_miss",
        "severity": 0, "description": "A kerb stone slid into the open trench next to a fitter.",
        "people_involved": "Jan Verstraete (fitter)", "status": "open"})
    safety_action_add(incident_id=incident.pk, by=pm, description="Keep kerb stones 1 m from the edge",
                      owner=support, due_date=today + dt.timedelta(days=3))
    closing_run = cameras.checklist_runs.filter(standard=ChecklistTemplate.Standard.CLOSING).first()
    if closing_run:
        checklist_answers_save(run_id=closing_run.pk, by=users["pm2"], expected_version=closing_run.version,
                               evidence={}, answers={0: {"answer": "ok", "comment": "", "corrective_action": ""},
                                                     1: {"answer": "ok", "comment": "", "corrective_action": ""}})


# How many past weeks of highlight reports are published: two for the fibre backbone (its reports
# list shows a week after week), one for the other active projects. Each render costs ~0.3 s of `make run`.
PUBLISHED_WEEKS = {"PRJ-2026-0001": 2}


DEMO_NARRATIVE = {
    "summary": "Work goes on as planned with the customer; see the status per dimension for what needs attention.",
    "this_period": "Site meetings held; orders and permits followed up.",
    "next_period": "Continue the installation work and prepare the next steering committee.",
}


def _reports(users, today) -> None:
    """The previous weeks' highlight reports of every active project, internal and external,
    published (the first look shows the product's main output), and this week's drafts, as Friday's
    run would make them. The PDFs are rendered here, in-process, whatever the broker: a warm render
    takes a fraction of a second. Published once; run again, nothing changes."""

    support = users["support"]
    for project in Project.objects.filter(status__in=Project.UNDER_WAY).order_by("code"):
        for weeks_ago in range(PUBLISHED_WEEKS.get(project.code, 1), 0, -1):
            week = week_of(today) - dt.timedelta(weeks=weeks_ago)
            for variant in HighlightReport.Variant.values:
                report, _ = report_draft_create(project_id=project.pk, week=week, variant=variant)
                if report.status != HighlightReport.Status.DRAFT:
                    continue
                report_update(report_id=report.pk, by=support, data=DEMO_NARRATIVE, overrides={},
                              expected_version=report.edit_version)
                report_publish(report_id=report.pk, by=support)
                report_render(report_id=report.pk)
    weekly_drafts(week_of(today))


@transaction.atomic
def _billing(users, projects) -> None:
    """The fibre backbone's contract value in three billing milestones (one by percent, one waiting for the
    plan's "Backbone lit", one the PM made ready), EUR 52,000 left unallocated."""
    project = projects["PRJ-2026-0001"]
    if project.billing_milestones.exists():
        return
    project.contract_value = Decimal("690000")
    project._change_reason = "demo data"
    project.save()
    pm = users["pm"]
    lit = project.milestones.get(name="Backbone lit")
    for name, values, days in [("Design accepted", {"percent": Decimal("20")}, 30),
                               ("Backbone lit", {"amount": Decimal("400000"), "plan_milestone": lit}, 100),
                               ("Site acceptance", {"amount": Decimal("100000")}, 125)]:
        billing_milestone_create(project_id=project.pk, by=pm, activities=[], data={
            "name": name, "amount": None, "percent": None, "planned_date": project.start_date + dt.timedelta(days=days),
            "order_reference": "PO-GENT-2026-118", "plan_milestone": None, "checklist_run": None,
            "acceptance_evidence": "", **values})
    accepted = project.billing_milestones.get(name="Site acceptance")
    billing_milestone_mark_ready(milestone_id=accepted.pk, by=pm, expected_version=accepted.version,
                                 reason="The city signed the site acceptance early.")


def load_demo_data(*, password: str, today: dt.date) -> list[User]:
    """Create or refresh the demo users, customers, projects and intakes; safe to run again."""
    users = _users(password)
    customers = _customers()
    projects = _projects(users, customers, today)
    _intakes(users, customers, projects, today)
    _purchasing(users, projects)
    _plan(users, projects, today)
    _change_control(users, projects, today)
    _quality_and_safety(users, projects, today)
    _billing(users, projects)
    _reports(users, today)
    return [users[username] for username, *_ in DEMO_USERS]
