"""Published minutes (issue 17, items 4 and 5): the PDFs, internal and external (text extracted with
pdftotext: the internal outcome is absent from the external PDF, present in the internal one), the
French external PDF looked at as PNG, the e-mails (internal attendees the internal PDF, external ones
the external one only, once whatever the retries), the customer's link (once, refused a second time
and when expired, in French), the PDFs served through the permission module, and the change request
outcome written once."""

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from projects.models import ChangeRequest, Meeting, MinutesDelivery, MinutesDocument, Outcome
from projects.services import meetings, minutes, minutes_publish
from projects.tasks import render_meeting_minutes, send_meeting_minutes

DAY = timezone.localdate()
ARTIFACTS = Path(__file__).resolve().parent.parent / "var" / "test-artifacts"


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def held_meeting(project, pm, support):
    pm.language, support.language = "en", "nl"
    pm.save()
    support.save()
    data = {"kind": Meeting.Kind.PROGRESS, "title": "Weekly progress", "date": DAY, "start_time": dt.time(8, 0),
            "duration_minutes": 60, "place": "Gent, room 2", "online_link": "", "recurrence": "none",
            "organiser": pm}
    meeting = meetings.meeting_create(project_id=project.pk, by=pm, data=data, users=[pm, support])
    meetings.attendee_add_external(meeting_id=meeting.pk, by=pm, data={
        "name": "Claire Dubois", "email": "claire@customer.example", "language": "fr"})
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Progress")
    item = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "Tram permit",
                                                                        "minutes_planned": 10})
    meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    meetings.meeting_hold(meeting_id=meeting.pk, by=pm)
    meetings.attendance_record(meeting_id=meeting.pk, by=pm, attendance={
        a.pk: "came" for a in meeting.attendees.all()})
    minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "decision", "title": "Reroute via Kasteellaan",
                                                          "details": "", "internal": False})
    minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "information", "title": "Margin below plan",
                                                          "details": "Keep this between us", "internal": True})
    return Meeting.objects.get(pk=meeting.pk)


def publish(callbacks, meeting, pm):
    mail.outbox.clear()
    with callbacks(execute=True):
        meetings.meeting_publish(meeting_id=meeting.pk, by=pm, base_url="https://pmo.example/")
    return {message.to[0]: message for message in mail.outbox}


def test_the_external_pdf_leaves_out_every_internal_outcome(held_meeting, pm, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, held_meeting, pm)
    documents = {(d.variant, d.language): d for d in held_meeting.minutes_documents.all()}
    assert set(documents) == {("internal", "en"), ("internal", "nl"), ("external", "fr")}
    internal = pdf_text(documents["internal", "en"].pdf.read())
    external = pdf_text(documents["external", "fr"].pdf.read())
    assert "Reroute via Kasteellaan" in internal and "Margin below plan" in internal
    assert "Keep this between us" in internal
    assert "Reroute via Kasteellaan" in external
    assert "Margin below plan" not in external and "Keep this between us" not in external
    assert "Procès-verbal" in external and "Décision" in external  # the customer's language
    assert "Notulen" in pdf_text(documents["internal", "nl"].pdf.read())


def test_the_french_external_pdf_is_looked_at_as_png(held_meeting, pm, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, held_meeting, pm)
    document = held_meeting.minutes_documents.get(variant="external", language="fr")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    prefix = ARTIFACTS / "minutes-external-fr"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-", str(prefix)], input=document.pdf.read(), check=True)
    pages = sorted(ARTIFACTS.glob("minutes-external-fr*.png"))
    assert pages and pages[0].stat().st_size > 2000


def test_publishing_mails_each_attendee_their_variant_only(held_meeting, pm, support,
                                                          django_capture_on_commit_callbacks):
    sent = publish(django_capture_on_commit_callbacks, held_meeting, pm)
    assert set(sent) == {pm.email, support.email, "claire@customer.example"}
    names = {address: [name for name, _content, _type in message.attachments] for address, message in sent.items()}
    assert names[pm.email] == [f"{held_meeting.project.code}-M-001-internal-en.pdf"]
    assert names[support.email] == [f"{held_meeting.project.code}-M-001-internal-nl.pdf"]
    assert names["claire@customer.example"] == [f"{held_meeting.project.code}-M-001-external-fr.pdf"]
    claire = sent["claire@customer.example"]
    assert claire.subject.startswith("Procès-verbal")
    assert "https://pmo.example/minutes/" in claire.body and "/minutes/" not in sent[pm.email].body
    assert "Margin below plan" not in pdf_text(claire.attachments[0][1])
    assert "Margin below plan" in pdf_text(sent[pm.email].attachments[0][1])


def test_a_retried_render_or_send_does_nothing_twice(held_meeting, pm, django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, held_meeting, pm)
    count = MinutesDocument.objects.count()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert render_meeting_minutes(held_meeting.pk) == 0
    for delivery in held_meeting.minutes_deliveries.all():
        assert send_meeting_minutes(delivery.pk) is False
    assert MinutesDocument.objects.count() == count and mail.outbox == []


def test_a_rolled_back_publish_queues_nothing(held_meeting, pm, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            meetings.meeting_publish(meeting_id=held_meeting.pk, by=pm, base_url="https://pmo.example/")
            raise RuntimeError
    assert mail.outbox == [] and not MinutesDelivery.objects.exists()


def customer_link(held_meeting, pm, callbacks):
    publish(callbacks, held_meeting, pm)
    delivery = held_meeting.minutes_deliveries.get(variant="external")
    return delivery, delivery.confirm_link.removeprefix("https://pmo.example")


def test_the_customer_confirms_once_and_a_second_use_is_refused_in_french(held_meeting, pm, client,
                                                                          django_capture_on_commit_callbacks):
    delivery, link = customer_link(held_meeting, pm, django_capture_on_commit_callbacks)
    page = client.get(link)
    assert page.status_code == 200 and "Je confirme ce procès-verbal." in page.content.decode()
    response = client.post(link, {"answer": "remark", "remark": ""})
    assert "Écrivez votre remarque." in response.content.decode()  # next to the field, nothing saved
    delivery.refresh_from_db()
    assert delivery.answered_at is None
    response = client.post(link, {"answer": "remark", "remark": "Le point 2 était le 6 juillet."})
    assert response.status_code == 200
    delivery.refresh_from_db()
    assert (delivery.answer, delivery.remark) == ("remark", "Le point 2 était le 6 juillet.")
    again = client.get(link)
    assert again.status_code == 410
    assert "Ce procès-verbal a déjà reçu une réponse par ce lien. Merci\u00a0!" in again.content.decode()
    assert client.post(link, {"answer": "confirmed"}).status_code == 410
    client.force_login(pm)
    detail = client.get(reverse("projects:meeting_detail", args=[held_meeting.project.code, 1])).content.decode()
    assert "Le point 2 était le 6 juillet." in detail and "Claire Dubois" in detail


def test_an_expired_link_is_refused_in_french(held_meeting, pm, client, django_capture_on_commit_callbacks):
    delivery, link = customer_link(held_meeting, pm, django_capture_on_commit_callbacks)
    MinutesDelivery.objects.filter(pk=delivery.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    response = client.get(link)
    assert response.status_code == 410 and "Ce lien vers le procès-verbal a expiré." in response.content.decode()
    # A token signed longer ago than a link lives: refused by its signature's age, still in French.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(signing.TimestampSigner, "timestamp", lambda self: signing.b62_encode(
            int((timezone.now() - dt.timedelta(days=minutes_publish.VALID_DAYS + 1)).timestamp())))
        old = signing.dumps({"delivery": delivery.pk}, salt=minutes_publish.SALT, compress=True)
    response = client.get(reverse("minutes_confirm", args=[old]))
    assert response.status_code == 410 and "Ce lien vers le procès-verbal a expiré." in response.content.decode()
    assert client.get(reverse("minutes_confirm", args=["forged"])).status_code == 410


def test_the_pdfs_are_served_through_the_permission_module(held_meeting, pm, sales, client,
                                                           django_capture_on_commit_callbacks):
    publish(django_capture_on_commit_callbacks, held_meeting, pm)
    document = held_meeting.minutes_documents.get(variant="internal", language="en")
    url = reverse("projects:meeting_minutes_pdf", args=[held_meeting.project.code, 1, document.pk])
    client.force_login(pm)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert url in client.get(reverse("projects:meeting_detail", args=[held_meeting.project.code, 1])).content.decode()
    client.force_login(sales)
    assert client.get(url).status_code == 404


def test_a_change_request_outcome_drafts_one_change_request_linked_both_ways(held_meeting, pm, support):
    meeting = Meeting.objects.get(pk=held_meeting.pk)
    item = meeting.items.get()
    outcome = minutes.outcome_record(item_id=item.pk, by=pm, data={
        "kind": "change_request", "title": "Extra splice box at Dampoort", "details": "Customer asks for it",
        "owner": support, "internal": False})
    change = ChangeRequest.objects.get()
    assert (change.status, change.title, change.owner, change.raised_by) == ("draft", outcome.title, support, pm)
    assert change.meeting_outcome == outcome and outcome.entry == change
    outcome = minutes.outcome_update(outcome_id=outcome.pk, by=pm, expected_version=outcome.version, data={
        "kind": "change_request", "title": "Two splice boxes at Dampoort", "details": "Customer asks for it",
        "owner": support, "internal": False})
    assert ChangeRequest.objects.count() == 1
    assert ChangeRequest.objects.get().title == "Two splice boxes at Dampoort"
    with pytest.raises(Exception):
        minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "change_request", "title": "No owner",
                                                              "details": "", "internal": False})
    assert ChangeRequest.objects.count() == 1 and Outcome.objects.filter(title="No owner").count() == 0


# --- Where people see it: the home page and the list across projects --------------------------------

def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _meeting_on(project, pm, day, status):
    from projects.models import MeetingAttendee
    meeting = Meeting.objects.create(project=project, number=Meeting.objects.filter(project=project).count() + 1,
                                     kind="progress", title=f"Progress {day}", date=day, start_time=dt.time(9, 0),
                                     duration_minutes=30, place="Gent", organiser=pm, created_by=pm, status=status)
    MeetingAttendee.objects.create(meeting=meeting, user=pm)
    return meeting


def test_home_shows_my_meetings_this_week_and_minutes_to_publish_in_constant_queries(client, pm, support, project):
    from projects.selectors.meetings import week_bounds
    monday, sunday = week_bounds(DAY)
    this_week = _meeting_on(project, pm, monday, "planned")
    held = _meeting_on(project, pm, monday, "held")
    _meeting_on(project, pm, sunday + dt.timedelta(days=1), "planned")  # next week
    _meeting_on(project, pm, monday, "cancelled")
    client.force_login(pm)
    page = client.get(reverse("home")).content.decode()
    assert "My meetings this week" in page and this_week.title in page
    assert f"Minutes of {held.identifier} on {project.code} to publish" in page
    assert f"Progress {sunday + dt.timedelta(days=1)}" not in page
    few = _count(client, reverse("home"))
    for _ in range(8):
        _meeting_on(project, pm, monday, "held")
    assert _count(client, reverse("home")) == few
    client.force_login(support)  # attends nothing, organises nothing
    assert "My meetings this week" not in client.get(reverse("home")).content.decode()


def test_the_meetings_of_every_project_for_support_officers_filtered_and_paginated(client, pm, support, project):
    for _ in range(3):
        _meeting_on(project, pm, DAY, "planned")
    held = _meeting_on(project, pm, DAY, "held")
    url = reverse("meetings_overview")
    client.force_login(pm)
    assert client.get(url).status_code == 403
    client.force_login(support)
    page = client.get(url, {"status": "held"}).content.decode()
    assert held.identifier in page and "M-001" not in page
    assert client.get(url, {"status": "nonsense"}).status_code == 200  # an unknown state: every meeting
    few = _count(client, url)
    for _ in range(30):
        _meeting_on(project, pm, DAY, "planned")
    assert _count(client, url) == few
    assert "Page 1 of 2" in client.get(url).content.decode()


def test_the_highlight_report_lists_the_decisions_and_actions_of_the_periods_published_minutes(
        held_meeting, pm, support, django_capture_on_commit_callbacks):
    from reporting.lib.pdf import render_report_html
    from reporting.models import HighlightReport
    from reporting.selectors.facts import report_facts, week_of
    item = held_meeting.items.get()
    minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "action", "title": "Renegotiate the margin",
                                                          "details": "", "owner": support, "due_date": DAY,
                                                          "internal": True})
    week = week_of(DAY)
    assert report_facts(held_meeting.project, week, "internal")["meeting_outcomes"] == []  # not published yet
    publish(django_capture_on_commit_callbacks, held_meeting, pm)
    internal = report_facts(held_meeting.project, week, "internal")["meeting_outcomes"]
    external = report_facts(held_meeting.project, week, "external")["meeting_outcomes"]
    assert [(o["kind"], o["id"], o["title"]) for o in internal] == [
        ("decision", "D-001", "Reroute via Kasteellaan"), ("action", "A-001", "Renegotiate the margin")]
    assert [o["title"] for o in external] == ["Reroute via Kasteellaan"]  # no internal outcome, no information
    assert report_facts(held_meeting.project, week + dt.timedelta(days=7), "internal")["meeting_outcomes"] == []
    report = HighlightReport(project=held_meeting.project, week=week, variant="external", language="fr",
                             facts=report_facts(held_meeting.project, week, "external"))
    html = render_report_html(report)
    assert "Décisions et actions de la période" in html and "Reroute via Kasteellaan" in html
    assert "Renegotiate the margin" not in html
