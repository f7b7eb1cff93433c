"""The meeting pages: who gets in, bad input answered next to the field with nothing saved, stale
edits refused, and list pages whose number of queries does not grow with their rows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.models import ActionItem, CustomerContact, Decision, Meeting, Outcome
from projects.services import meetings, minutes, registers

from .test_meetings import held, new_meeting

TODAY = timezone.localdate()


def form_data(pm, **changes):
    return {"kind": "progress", "title": "Weekly progress", "date": TODAY.isoformat(), "start_time": "10:00",
            "duration_minutes": "60", "place": "Gent", "online_link": "", "organiser": pm.pk, "recurrence": "none",
            "users": [pm.pk], **changes}


def test_the_pm_creates_a_meeting_from_the_form(client, project, pm):
    client.force_login(pm)
    response = client.post(reverse("projects:meeting_create", args=[project.code]), form_data(pm))
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/meetings/{meeting.number}/")
    assert list(meeting.attendees.values_list("user", flat=True)) == [pm.pk]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"duration_minutes": "0"}, "duration_minutes", "A meeting lasts at least one minute"),
    ({"start_time": "23:30", "duration_minutes": "60"}, "duration_minutes", "must end on the day it starts"),
    ({"place": "", "online_link": ""}, "place", "Give a place or an online link."),
])
def test_bad_meeting_input_gets_a_message_next_to_the_field_and_saves_nothing(client, project, pm, changes, field,
                                                                              message):
    client.force_login(pm)
    response = client.post(reverse("projects:meeting_create", args=[project.code]), form_data(pm, **changes))
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert 'value="Weekly progress"' in response.content.decode()  # what was typed is kept
    assert not Meeting.objects.exists()


def test_a_contact_without_email_is_refused_next_to_the_field(client, project, pm):
    contact = CustomerContact.objects.create(customer=project.customer, name="No Mail")
    client.force_login(pm)
    response = client.post(reverse("projects:meeting_create", args=[project.code]),
                           form_data(pm, contacts=[contact.pk]))
    assert "No e-mail address for No Mail" in " ".join(response.context["form"].errors["contacts"])
    assert not Meeting.objects.exists()


def test_an_external_attendee_without_email_gets_a_message_and_is_not_added(client, project, pm):
    meeting = new_meeting(project, pm)
    client.force_login(pm)
    response = client.post(reverse("projects:meeting_attendee_add", args=[project.code, meeting.number]),
                           {"name": "Claire", "email": "", "language": "fr"})
    assert response.status_code == 200
    assert response.context["attendee_form"].errors["email"] == [
        "An external attendee needs an e-mail address to be invited."]
    assert meeting.attendees.count() == 1
    response = client.post(reverse("projects:meeting_attendee_add", args=[project.code, meeting.number]),
                           {"name": "Claire", "email": "claire@x.example", "language": "fr"})
    assert response.status_code == 302 and meeting.attendees.count() == 2


def test_a_stale_meeting_edit_is_refused_and_keeps_what_was_typed(client, project, pm):
    meeting = new_meeting(project, pm)
    meetings.meeting_update(meeting_id=meeting.pk, by=pm, data={"title": "Theirs"}, expected_version=1, users=[pm])
    client.force_login(pm)
    response = client.post(reverse("projects:meeting_edit", args=[project.code, meeting.number]),
                           form_data(pm, title="Mine", version="1"))
    assert response.status_code == 200
    assert "Someone else saved M-001 meanwhile" in " ".join(response.context["form"].non_field_errors())
    meeting.refresh_from_db()
    assert meeting.title == "Theirs"


@pytest.fixture
def held_meeting(project, pm):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    item = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": "Planning"})
    held(meeting, pm)
    return meeting, item


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"due_date": TODAY.isoformat()}, "owner", "An action needs an owner."),
    ({"owner": "pm"}, "due_date", "An action needs a due date."),
])
def test_an_action_outcome_without_owner_or_due_date_saves_nothing(client, project, pm, held_meeting, data, field,
                                                                   message):
    meeting, item = held_meeting
    client.force_login(pm)
    posted = {"kind": "action", "title": "Order closures", "details": "", **data}
    if posted.get("owner") == "pm":
        posted["owner"] = pm.pk
    response = client.post(reverse("projects:meeting_outcome_create", args=[project.code, meeting.number, item.pk]),
                           posted)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not (Outcome.objects.exists() or ActionItem.objects.exists())


def test_minutes_written_and_edited_through_the_pages_write_the_log_once(client, project, pm, held_meeting):
    meeting, item = held_meeting
    client.force_login(pm)
    url = reverse("projects:meeting_outcome_create", args=[project.code, meeting.number, item.pk])
    response = client.post(url, {"kind": "decision", "title": "North route", "details": "Cheaper"})
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    edit = reverse("projects:meeting_outcome_edit", args=[project.code, meeting.number, item.pk, outcome.pk])
    response = client.post(edit, {"kind": "decision", "title": "South route", "details": "", "version": "1"})
    assert response.status_code == 302
    assert list(Decision.objects.values_list("title", flat=True)) == ["South route"]
    page = client.get(reverse("projects:meeting_detail", args=[project.code, meeting.number])).content.decode()
    assert "South route" in page and "D-001" in page


@pytest.mark.parametrize("role", ["pm", "support", "admin"])
def test_organisers_open_the_forms(client, project, personas, role):
    meeting = new_meeting(project, personas["pm"])
    client.force_login(personas[role])
    assert client.get(reverse("projects:meeting_edit", args=[project.code, meeting.number])).status_code == 200
    page = client.get(reverse("projects:meeting_detail", args=[project.code, meeting.number])).content.decode()
    assert "Draft the agenda from the registers" in page


@pytest.mark.parametrize("role", ["pm2", "pmolead", "finance"])
def test_other_project_members_read_but_may_not_organise(client, project, personas, role):
    meeting = new_meeting(project, personas["pm"])
    client.force_login(personas[role])
    page = client.get(reverse("projects:meeting_detail", args=[project.code, meeting.number]))
    assert page.status_code == 200 and "Draft the agenda from the registers" not in page.content.decode()
    assert client.get(reverse("projects:meeting_edit", args=[project.code, meeting.number])).status_code == 403
    draft = reverse("projects:meeting_agenda_draft", args=[project.code, meeting.number])
    assert client.post(draft).status_code == 403


@pytest.mark.parametrize("role", ["sales", "sales2", "engmgr", "outsider"])
def test_sales_and_others_see_nothing_of_meetings(client, project, personas, role):
    meeting = new_meeting(project, personas["pm"])
    client.force_login(personas[role])
    for url in (reverse("projects:meetings", args=[project.code]),
                reverse("projects:meeting_detail", args=[project.code, meeting.number]),
                reverse("projects:meeting_history", args=[project.code, meeting.number])):
        assert client.get(url).status_code == 404
    if role == "sales":
        page = client.get(project.get_absolute_url()).content.decode()
        assert "Weekly progress" not in page and "/meetings/" not in page


def test_the_project_page_shows_the_next_and_the_last_meeting(client, project, pm):
    last = new_meeting(project, pm, title="Last week", date=TODAY - dt.timedelta(days=7))
    held(last, pm)
    new_meeting(project, pm, title="Next week", date=TODAY + dt.timedelta(days=7))
    client.force_login(pm)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "M-002 Next week" in page and "M-001 Last week" in page


def test_the_transition_page_confirms_and_a_refusal_is_a_message(client, project, pm):
    meeting = new_meeting(project, pm)
    client.force_login(pm)
    url = reverse("projects:meeting_transition", args=[project.code, meeting.number, "hold"])
    assert "Only a planned meeting can be held" in client.get(url).content.decode()
    response = client.post(url, follow=True)
    assert "Only a planned meeting can be held; M-001 is Draft." in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == "draft"


def test_items_move_with_plain_posts(client, project, pm):
    meeting = new_meeting(project, pm)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    first, second = (minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": t})
                     for t in ("First", "Second"))
    client.force_login(pm)
    page = client.get(reverse("projects:meeting_detail", args=[project.code, meeting.number])).content.decode()
    assert 'aria-label="Move down: First"' in page and 'aria-label="Move up: Second"' in page
    client.post(reverse("projects:meeting_item_move", args=[project.code, meeting.number, second.pk]),
                {"direction": "up"})
    assert list(section.items.order_by("position").values_list("title", flat=True)) == ["Second", "First"]


def test_the_agenda_warns_when_it_is_longer_than_the_meeting(client, project, pm):
    meeting = new_meeting(project, pm, duration_minutes=30)
    section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
    for title in ("a", "b"):
        minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": title,
                                                                    "minutes_planned": 20})
    client.force_login(pm)
    page = client.get(reverse("projects:meeting_detail", args=[project.code, meeting.number])).content.decode()
    assert "Planned: 40 of 30 minutes." in page and "10 minutes longer than the meeting" in page


def test_the_meeting_history_shows_its_changes(client, project, pm):
    meeting = new_meeting(project, pm)
    meetings.meeting_plan(meeting_id=meeting.pk, by=pm)
    client.force_login(pm)
    page = client.get(reverse("projects:meeting_history", args=[project.code, meeting.number])).content.decode()
    assert "History of M-001" in page and "Planned" in page


def _fill(project, pm, meetings_count):
    for n in range(meetings_count):
        meeting = new_meeting(project, pm, title=f"Meeting {n}")
        section = minutes.section_add(meeting_id=meeting.pk, by=pm, title="Points")
        for t in range(3):
            item = minutes.agenda_item_add(meeting_id=meeting.pk, by=pm, data={"section": section, "title": f"{t}"})
        if n == 0:
            held(meeting, pm)
            minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": "decision", "title": "Go"})
    return meeting


@pytest.mark.parametrize("count", [1, 6])
def test_the_list_and_the_meeting_page_read_a_constant_number_of_queries(client, project, pm,
                                                                         django_assert_max_num_queries, count):
    last = _fill(project, pm, count)
    client.force_login(pm)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("projects:meetings", args=[project.code])).status_code == 200
    first = Meeting.objects.get(number=1)
    with django_assert_max_num_queries(22):
        assert client.get(reverse("projects:meeting_detail", args=[project.code, first.number])).status_code == 200
    with django_assert_max_num_queries(22):
        assert client.get(reverse("projects:meeting_detail", args=[project.code, last.number])).status_code == 200


@pytest.mark.parametrize("count", [1, 4])
def test_each_register_links_an_entry_back_to_the_meeting_that_wrote_it_in_constant_queries(
        client, project, pm, held_meeting, django_assert_max_num_queries, count):
    meeting, item = held_meeting
    for n in range(count):
        for kind, extra in (("decision", {}), ("action", {"owner": pm, "due_date": TODAY}),
                            ("risk", {"owner": pm}), ("issue", {"owner": pm})):
            minutes.outcome_record(item_id=item.pk, by=pm, data={"kind": kind, "title": f"{kind} {n}", **extra})
    registers.action_create(project_id=project.pk, by=pm, data={  # typed in the log, not from a meeting
        "title": "Typed", "description": "", "owner": pm, "due_date": TODAY, "status": "open"})
    link = f'href="{reverse("projects:meeting_detail", args=[project.code, meeting.number])}"'
    client.force_login(pm)
    for name in ("decisions", "actions", "risks", "issues"):
        with django_assert_max_num_queries(14):
            page = client.get(reverse(f"projects:{name}", args=[project.code])).content.decode()
        assert page.count(link) == count, name
        assert f"from {meeting.identifier}" in page
