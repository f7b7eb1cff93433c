"""Issue 17's first journey in Chromium: the PM creates a meeting, drafts its agenda from the registers
(twice, without duplicates), plans it (each attendee gets the calendar invitation), holds it, records
attendance, a decision and an action; the decision log and the action items hold them exactly once, and
an edit of the minutes changes the action, not the count. Then a customer contact is invited, a risk and
an internal note are recorded, the minutes are published: the customer's e-mail carries the external PDF
(in French, looked at as PNG) without the internal note, and the customer confirms through the link,
whose second use is refused in French."""

import datetime as dt
import re
import subprocess

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import ActionItem, Decision, Milestone, MinutesDelivery, Outcome, Risk
from projects.services import registers

from .browser import SCREENSHOTS, screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_pm_drafts_the_agenda_holds_the_meeting_and_the_minutes_write_the_logs_once(new_page):
    today = timezone.localdate()
    pm_user = UserFactory(username="pm", first_name="Pieter", last_name="Peeters", roles=[Role.PROJECT_MANAGER])
    support = UserFactory(username="support", first_name="Sofie", last_name="Smet", roles=[Role.SUPPORT_OFFICER])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, support_officer=support)
    registers.action_create(project_id=project.pk, by=pm_user, data={
        "title": "Ask the city for the tram permit", "description": "", "owner": pm_user,
        "due_date": today + dt.timedelta(days=2)})
    registers.issue_raise(project_id=project.pk, by=pm_user, data={
        "type": "problem", "title": "Duct blocked at Dampoort", "description": "Collapsed duct", "owner": support})
    Milestone.objects.create(project=project, name="Ring closed", baseline_date=today + dt.timedelta(days=6),
                             forecast_date=today + dt.timedelta(days=6))

    page = new_page()
    sign_in(page, "pm")
    page.goto(project.get_absolute_url())
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("link", name="New meeting").click()
    page.fill("#id_title", "Weekly progress")
    page.fill("#id_date", today.isoformat())
    page.fill("#id_start_time", "10:00")
    page.fill("#id_duration_minutes", "0")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("A meeting lasts at least one minute")).to_be_visible()  # next to the field, nothing saved
    expect(page.get_by_text("Give a place or an online link.")).to_be_visible()
    page.fill("#id_duration_minutes", "15")
    page.fill("#id_place", "Gent, site hut")
    page.get_by_role("checkbox", name="Sofie Smet").check()  # the PM is ticked already
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("M-001 created.")).to_be_visible()

    # The agenda from the registers, twice: the second time adds nothing.
    page.get_by_role("button", name="Draft the agenda from the registers").click()
    expect(page.get_by_text("3 items added from the registers.")).to_be_visible()
    page.get_by_role("button", name="Draft the agenda from the registers").click()
    expect(page.get_by_text("The registers hold nothing that is not on the agenda already.")).to_be_visible()
    expect(page.get_by_text("Planned: 15 of 15 minutes.")).to_be_visible()
    screenshot(page, "meeting-01-agenda-drafted")

    # Planned, held, attendance.
    page.get_by_role("link", name="Plan the meeting").click()
    page.get_by_role("button", name="Confirm: Plan the meeting").click()
    expect(page.get_by_text("M-001 is now Planned.")).to_be_visible()
    # Both attendees have a calendar invitation, the same event in each.
    invitations = {m.to[0]: Calendar.from_ical(m.alternatives[0].content) for m in mail.outbox if m.alternatives}
    assert set(invitations) == {pm_user.email, support.email}
    assert {str(c["METHOD"]) for c in invitations.values()} == {"REQUEST"}
    assert len({str(c.walk("VEVENT")[0]["UID"]) for c in invitations.values()}) == 1
    page.reload()
    expect(page.get_by_text("Invitations sent: 2, last sequence")).to_be_visible()
    # A customer contact joins: invited in French (the planned meeting's update goes to everyone).
    page.fill("#id_name", "Claire Dubois")
    page.fill("#id_email", "claire@customer.example")
    page.select_option("#id_language", "fr")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_text("Claire Dubois invited.")).to_be_visible()
    page.get_by_role("link", name="Mark as held").click()
    page.get_by_role("button", name="Confirm: Mark as held").click()
    expect(page.get_by_text("M-001 is now Held.")).to_be_visible()
    page.get_by_label("Attendance of Pieter Peeters").select_option("came")
    page.get_by_label("Attendance of Sofie Smet").select_option("excused")
    page.get_by_label("Attendance of Claire Dubois").select_option("came")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()

    # A decision on the issue, an action on the milestone (first without a due date: refused).
    page.get_by_role("link", name="Record an outcome of “I-001 Duct blocked at Dampoort”").click()
    page.select_option("#id_kind", "decision")
    page.fill("#id_title", "Reroute through the Kasteellaan duct")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome recorded: D-001 written.")).to_be_visible()
    page.get_by_role("link", name="Record an outcome of “Ring closed”").click()
    page.select_option("#id_kind", "action")
    page.fill("#id_title", "Book the splicing team")
    page.select_option("#id_owner", label="Sofie Smet")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("An action needs a due date.")).to_be_visible()
    assert not ActionItem.objects.filter(title="Book the splicing team").exists()
    page.fill("#id_due_date", (today + dt.timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome recorded: A-002 written.")).to_be_visible()
    screenshot(page, "meeting-02-minutes")

    # An edit of the minutes updates the action it wrote.
    page.get_by_role("link", name="Book the splicing team").click()
    page.fill("#id_title", "Book the splicing team for Monday")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome saved.")).to_be_visible()

    # A risk, and a note for the team only.
    page.goto(f"{project.get_absolute_url()}meetings/1/")
    page.get_by_role("link", name="Record an outcome of “I-001 Duct blocked at Dampoort”").click()
    page.select_option("#id_kind", "risk")
    page.fill("#id_title", "Kasteellaan duct may be full")
    page.select_option("#id_owner", label="Sofie Smet")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome recorded: R-001 written.")).to_be_visible()
    page.get_by_role("link", name="Record an outcome of “Ring closed”").click()
    page.select_option("#id_kind", "information")
    page.fill("#id_title", "Our margin on the ring is gone")
    page.check("#id_internal")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Outcome recorded.")).to_be_visible()

    assert list(Decision.objects.values_list("title", flat=True)) == ["Reroute through the Kasteellaan duct"]
    assert list(Risk.objects.values_list("event", flat=True)) == ["Kasteellaan duct may be full"]
    assert list(ActionItem.objects.order_by("number").values_list("title", flat=True)) == [
        "Ask the city for the tram permit", "Book the splicing team for Monday"]
    assert Outcome.objects.count() == 4
    page.goto(f"{project.get_absolute_url()}decisions/")
    assert page.get_by_text("Reroute through the Kasteellaan duct").count() == 1
    page.goto(f"{project.get_absolute_url()}actions/")
    assert page.get_by_text("Book the splicing team for Monday").count() == 1
    screenshot(page, "meeting-03-action-items")

    page.goto(f"{project.get_absolute_url()}meetings/1/")
    mail.outbox.clear()
    page.get_by_role("link", name="Publish the minutes").click()
    page.get_by_role("button", name="Confirm: Publish the minutes").click()
    expect(page.get_by_text("M-001 is now Minutes published.")).to_be_visible()

    # Each attendee has the minutes: the team the internal PDF, the customer the external one only.
    sent = {m.to[0]: m for m in mail.outbox if m.subject.startswith(("Minutes", "Notulen", "Procès-verbal"))}
    assert set(sent) == {pm_user.email, support.email, "claire@customer.example"}
    claire = sent["claire@customer.example"]
    ((name, external_pdf, _type),) = claire.attachments
    assert name.endswith("-external-fr.pdf")
    external = subprocess.run(["pdftotext", "-", "-"], input=external_pdf, capture_output=True, check=True).stdout
    internal = subprocess.run(["pdftotext", "-", "-"], input=sent[pm_user.email].attachments[0][1],
                              capture_output=True, check=True).stdout
    assert b"Our margin on the ring is gone" in internal and b"Our margin on the ring is gone" not in external
    assert b"Reroute through the Kasteellaan duct" in external and b"Kasteellaan duct may be full" in external
    SCREENSHOTS.mkdir(exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-", str(SCREENSHOTS / "meeting-05-external-minutes-fr")],
                   input=external_pdf, check=True)
    page.reload()
    expect(page.get_by_role("link", name="PDF, External, French")).to_be_visible()

    # The customer confirms through the link, once; a second use is refused in French.
    link = re.search(r"https?://\S+/minutes/\S+/", claire.body).group(0)
    customer = new_page()
    new_page.expected.append("status of 410 (Gone)")
    customer.goto(link)
    customer.get_by_label("Je confirme ce procès-verbal.").check()
    customer.get_by_role("button", name="Envoyer ma réponse").click()
    expect(customer.get_by_text("Merci\u00a0: votre réponse est enregistrée avec le procès-verbal.")).to_be_visible()
    customer.goto(link)
    expect(customer.get_by_text("Ce procès-verbal a déjà reçu une réponse par ce lien. Merci\u00a0!")).to_be_visible()
    screenshot(customer, "meeting-06-link-used")
    assert MinutesDelivery.objects.get(email="claire@customer.example").answer == "confirmed"
    page.reload()
    expect(page.get_by_text("Confirmed,")).to_be_visible()
    screenshot(page, "meeting-05-published")
    page.goto(project.get_absolute_url())
    expect(page.get_by_text("M-001 Weekly progress")).to_be_visible()
    screenshot(page, "meeting-04-project-page")
