"""Issue 8's journey in Chromium: a site-safety inspection with one "not OK" raises an issue; support
signs it off once the issue is closed; at closing the gate lists what is missing, each item is
fixed, the customer answers the survey through the link, the project closes, and the hand-over
PDF and the ServiceNow export are produced."""

import json
import subprocess

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import ChecklistTemplate, CustomerContact, ProjectDocument, ProjectType
from projects.services.documents import document_upload
from projects.services.projects import project_start_closing
from projects.services.quality import (
    checklist_answers_save,
    checklist_runs_from_project_type,
    checklist_sign_off,
    checklist_submit,
)

from .browser import SCREENSHOTS, screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory, pdf_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_all_but_safety(project, pm, support):
    for run in project.checklist_runs.exclude(standard=ChecklistTemplate.Standard.SAFETY):
        checklist_answers_save(run_id=run.pk, by=pm, expected_version=run.version, evidence={}, answers={
            n: {"answer": "ok", "comment": "", "corrective_action": ""} for n in range(run.answers.count())})
        checklist_submit(run_id=run.pk, by=pm)
        checklist_sign_off(run_id=run.pk, by=support)


def test_inspection_issue_sign_off_closing_gate_survey_and_handover(new_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    support_user = UserFactory(username="support", first_name="Sofie", roles=[Role.SUPPORT_OFFICER])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, support_officer=support_user,
                             status="execution", project_type=ProjectType.objects.get(name="Network installation"))
    CustomerContact.objects.create(customer=project.customer, name="Claire", email="claire@customer.example")
    project.customer.language = "fr"
    project.customer.save()
    checklist_runs_from_project_type(project)
    _sign_all_but_safety(project, pm_user, support_user)
    inspection = project.checklist_runs.get(standard=ChecklistTemplate.Standard.SAFETY)

    # 1. The PM fills the site-safety inspection: one item not OK.
    pm = new_page()
    sign_in(pm, "pm")
    pm.goto(f"{project.get_absolute_url()}quality/")
    pm.get_by_role("link", name=inspection.identifier).click()
    for n in range(inspection.answers.count()):
        pm.check(f"#id_item-{n}-answer_{1 if n == 5 else 0}")
    pm.fill("#id_item-5-comment", "Trench on the Botermarkt side not shored over 12 m.")
    pm.fill("#id_item-5-corrective_action", "Shore the trench before work resumes.")
    pm.get_by_role("button", name="Save and submit for sign-off").click()
    expect(pm.get_by_text("Issues raised: I-001.")).to_be_visible()
    screenshot(pm, "closing-01-inspection")

    # 2. Support cannot sign off while the issue is open; the PM closes it; support signs off.
    office = new_page()
    sign_in(office, "support")
    office.goto(f"{project.get_absolute_url()}quality/{inspection.number}/")
    expect(office.get_by_text("Sign-off waits for these issues to be closed or accepted: I-001")).to_be_visible()
    assert office.get_by_role("button", name="Sign off").count() == 0
    pm.goto(f"{project.get_absolute_url()}issues/1/")
    pm.select_option("#id_status", "closed")
    pm.get_by_role("button", name="Save").click()
    office.reload()
    office.get_by_role("button", name="Sign off").click()
    expect(office.get_by_text(f"{inspection.identifier} signed off.")).to_be_visible()
    screenshot(office, "closing-02-signed-off")

    # 3. At closing the gate says what is missing; each is fixed from its link.
    project_start_closing(project_id=project.pk, by=pm_user)
    office.goto(f"{project.get_absolute_url()}closing/")
    screenshot(office, "closing-03-gate")
    assert office.get_by_role("button", name="Validate the closure").is_disabled()
    missing = office.locator("li:has-text('✗')").all_inner_texts()
    assert any("Customer acceptance document uploaded" in m for m in missing)
    assert any("Customer satisfaction recorded" in m for m in missing) and any("Lessons logged" in m for m in missing)
    document_upload(project_id=project.pk, by=pm_user, category="acceptance", title="Signed acceptance",
                             upload=pdf_upload("acceptance.pdf"), content_type="application/pdf")
    office.goto(f"{project.get_absolute_url()}lessons/new/")
    office.fill("#id_event", "Trench shoring was late")
    office.fill("#id_effect", "Two days lost")
    office.fill("#id_cause", "No shoring material on site")
    office.fill("#id_recommendation", "Deliver shoring with the first trench day")
    office.get_by_role("button", name="Save").click()
    office.goto(f"{project.get_absolute_url()}satisfaction/")
    office.select_option("#id_contact", label="Claire")
    office.get_by_role("button", name="Send").click()
    expect(office.get_by_text("Survey sent to claire@customer.example.")).to_be_visible()

    # 4. The customer answers through the link, without an account; the link then refuses a second answer.
    link = next(word for m in mail.outbox for word in m.body.split() if "/survey/" in word)
    customer = new_page()
    customer.goto(link)
    assert customer.locator("html").get_attribute("lang") == "fr"  # the customer's language, no account
    for name, value in [("quality", "4"), ("communication", "5"), ("timeliness", "3"), ("site_conduct", "5"),
                        ("recommend", "9")]:
        customer.check(f"input[name={name}][value='{value}']")
    customer.fill("#id_comments", "Clean site, friendly team.")
    screenshot(customer, "closing-04-survey")
    customer.locator("form[method=post] button.btn-primary").click()
    expect(customer.locator(".alert-success")).to_be_visible()
    assert project.surveys.get().recommend == 9
    new_page.expected.append("status of 410 (Gone)")
    assert customer.goto(link).status == 410

    # 5. Every condition holds: support validates; the hand-over pack and the ServiceNow export exist.
    office.goto(f"{project.get_absolute_url()}closing/")
    office.get_by_role("button", name="Validate the closure").click()
    expect(office.get_by_text(f"{project.code} is closed")).to_be_visible()
    office.goto(f"{project.get_absolute_url()}closing/")
    screenshot(office, "closing-05-closed")
    pack = ProjectDocument.objects.get(project=project, title="SMO hand-over pack")
    pdf_path = SCREENSHOTS / "closing-handover.pdf"
    with pack.file.open("rb") as handle:
        pdf_path.write_bytes(handle.read())
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf_path), str(SCREENSHOTS / "closing-handover")], check=True)
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True).stdout
    assert "Hand-over to service management" in text and "claire@customer.example" in text
    with office.expect_download() as download:
        office.get_by_role("link", name="JSON").click()
    record = json.loads(open(download.value.path()).read())
    assert record["u_project_code"] == project.code and record["contacts"][0]["name"] == "Claire"
