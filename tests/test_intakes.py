import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from projects.models import Intake, Project, ProjectDocument
from projects.selectors.intakes import intake_missing
from projects.services.budget import level_for_budget
from projects.services.intakes import intake_attachment_add, intake_submit, intake_update, project_code_allocate

from .factories import IntakeFactory, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _attach(intake, kind, by):
    upload = pdf_upload(f"{kind}.pdf")
    return intake_attachment_add(intake_id=intake.pk, by=by, kind=kind, upload=upload,
                                          content_type="application/pdf")


@pytest.fixture
def complete_intake(sales):
    intake = IntakeFactory(created_by=sales)
    for kind in ("signed_order", "offer"):
        _attach(intake, kind, sales)
    return intake


def _form_data(intake, **changes):
    data = {
        "project_type": intake.project_type_id, "title": intake.title, "customer": intake.customer_id,
        "scope": intake.scope, "deliverables": intake.deliverables, "d365_opportunity": intake.d365_opportunity,
        "d365_quote": intake.d365_quote, "sold_price": str(intake.sold_price),
        "estimated_cost": str(intake.estimated_cost), "target_start": str(intake.target_start),
        "target_end": str(intake.target_end), "sites": "", "safety_requirements": "", "security_clearance": "",
        "access_requirements": "", "version": intake.version,
    }
    data.update(changes)
    return data


def test_completeness_names_what_the_template_requires(sales):
    intake = IntakeFactory(created_by=sales, scope="", sold_price=None)
    missing = [str(m) for m in intake_missing(intake)]
    assert "Scope" in missing and "Sold price (EUR)" in missing
    assert "Attachment: Signed order" in missing and "Attachment: Offer" in missing
    assert "Attachment: Bill of materials" not in missing  # not required for software delivery


def test_an_incomplete_intake_cannot_be_submitted(client, sales):
    intake = IntakeFactory(created_by=sales)
    client.force_login(sales)
    response = client.post(reverse("intakes:submit", args=[intake.pk]), follow=True)
    assert "Missing: Attachment: Signed order, Attachment: Offer" in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT


def test_sales_drafts_and_submits_and_support_officers_are_told(client, sales, support, complete_intake):
    client.force_login(sales)
    client.post(reverse("intakes:submit", args=[complete_intake.pk]))
    complete_intake.refresh_from_db()
    assert complete_intake.status == Intake.Status.SUBMITTED
    assert Notification.objects.filter(recipient=support, subject__contains=complete_intake.title).exists()


def test_the_draft_form_keeps_typed_values_on_bad_input_and_saves_nothing(client, sales):
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    response = client.post(reverse("intakes:edit", args=[intake.pk]), _form_data(
        intake, title="Changed title", sold_price="-5", estimated_cost="1000000000",
        target_start="2027-06-01", target_end="2027-01-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "greater than or equal to 0" in errors["sold_price"][0]
    assert "less than or equal to 100000000" in errors["estimated_cost"][0]
    assert "cannot be before the target start" in errors["target_end"][0]
    assert 'value="Changed title"' in response.content.decode()
    intake.refresh_from_db()
    assert intake.title != "Changed title" and intake.version == 1


def test_more_than_two_decimals_are_refused(client, sales):
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    response = client.post(reverse("intakes:edit", args=[intake.pk]), _form_data(intake, sold_price="10.1234"))
    assert "no more than 2 decimal places" in response.context["form"].errors["sold_price"][0]


def test_a_stale_edit_is_refused_not_overwritten(client, sales):
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    stale_version = intake.version
    intake_update(intake_id=intake.pk, by=sales, data={"title": "Saved meanwhile"},
                           expected_version=stale_version)
    response = client.post(reverse("intakes:edit", args=[intake.pk]),
                           _form_data(intake, title="My late edit", version=stale_version))
    assert response.status_code == 200
    assert "Someone else saved this intake meanwhile" in response.content.decode()
    assert 'value="My late edit"' in response.content.decode()
    intake.refresh_from_db()
    assert intake.title == "Saved meanwhile"


def test_extra_post_fields_are_ignored(client, sales, support):
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    client.post(reverse("intakes:edit", args=[intake.pk]),
                _form_data(intake, status="accepted", decided_by=support.pk, created_by=support.pk))
    intake.refresh_from_db()
    assert intake.status == Intake.Status.DRAFT and intake.decided_by is None and intake.created_by == sales


@pytest.mark.parametrize(("name", "content", "message"), [
    ("virus.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "is not a .pdf file"),
    ("script.exe", b"MZ\x90\x00", "are not accepted"),
    ("photo.png", b"%PDF-1.4\n%%EOF", "is not a .png file"),
])
def test_disguised_or_unaccepted_files_are_refused(client, sales, name, content, message):
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(reverse("intakes:attachment_add", args=[intake.pk]), {"kind": "offer", "file": upload})
    assert response.status_code == 400
    assert message in response.context["attachment_form"].errors["file"][0]
    assert '<option value="offer" selected>' in response.content.decode()  # the chosen kind is kept
    assert not intake.attachments.exists()


def test_an_oversized_file_is_refused(client, sales, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    client.force_login(sales)
    intake = IntakeFactory(created_by=sales)
    upload = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048, content_type="application/pdf")
    response = client.post(reverse("intakes:attachment_add", args=[intake.pk]), {"kind": "offer", "file": upload})
    assert "the limit is 1.0\xa0KB" in response.content.decode()
    assert not intake.attachments.exists()


def test_attachments_are_stored_under_random_names_and_downloaded_through_a_check(client, sales, sales2):
    intake = IntakeFactory(created_by=sales)
    attachment = _attach(intake, "offer", sales)
    assert "offer" not in attachment.file.name and attachment.file.name.startswith("intakes/")
    url = reverse("intakes:attachment_download", args=[intake.pk, attachment.pk])
    client.force_login(sales2)
    assert client.get(url).status_code == 404
    client.force_login(sales)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="offer.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_return_reply_resubmit_accept(client, sales, support, pm, complete_intake, django_capture_on_commit_callbacks):
    intake_submit(intake_id=complete_intake.pk, by=sales)
    client.force_login(support)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("intakes:return", args=[complete_intake.pk]), {"body": "Which site first?"})
    complete_intake.refresh_from_db()
    assert complete_intake.status == Intake.Status.RETURNED
    subjects = [m.subject for m in mail.outbox if sales.email in m.to]
    assert subjects == [f"Intake returned with a question: {complete_intake.title}"]

    client.force_login(sales)
    client.post(reverse("intakes:message", args=[complete_intake.pk]), {"body": "Ghent first."})
    client.post(reverse("intakes:submit", args=[complete_intake.pk]))
    complete_intake.refresh_from_db()
    assert complete_intake.status == Intake.Status.SUBMITTED
    assert [m.body for m in complete_intake.messages.all()] == ["Which site first?", "Ghent first."]

    client.force_login(support)
    response = client.post(reverse("intakes:accept", args=[complete_intake.pk]),
                           {"project_manager": pm.pk, "support_officer": support.pk})
    project = Project.objects.get(intake=complete_intake)
    assert response["Location"] == project.get_absolute_url()
    assert project.code == f"PRJ-{dt.date.today().year}-0001"
    assert project.level == 2  # estimated cost EUR 300,000
    assert (project.project_manager, project.support_officer, project.sales_owner) == (pm, support, sales)
    assert ProjectDocument.objects.filter(project=project).count() == 2
    assert Notification.objects.filter(recipient=sales, subject__contains=project.code).exists()
    assert Notification.objects.filter(recipient=pm, subject__contains=project.code).exists()


def test_reject_needs_a_reason_and_tells_sales(client, sales, support, complete_intake):
    intake_submit(intake_id=complete_intake.pk, by=sales)
    client.force_login(support)
    response = client.post(reverse("intakes:reject", args=[complete_intake.pk]), {"reason": ""})
    assert "This field is required" in response.content.decode()
    client.post(reverse("intakes:reject", args=[complete_intake.pk]), {"reason": "Customer cancelled the order."})
    complete_intake.refresh_from_db()
    assert complete_intake.status == Intake.Status.REJECTED
    assert Notification.objects.get(recipient=sales).body == "Customer cancelled the order."


def test_accept_refuses_a_pm_without_the_role(client, sales, support, complete_intake):
    intake_submit(intake_id=complete_intake.pk, by=sales)
    client.force_login(support)
    response = client.post(reverse("intakes:accept", args=[complete_intake.pk]),
                           {"project_manager": sales.pk, "support_officer": support.pk})
    assert "Select a valid choice" in response.content.decode()
    assert not Project.objects.exists()


def test_sales_cannot_accept_their_own_intake_by_direct_post(client, sales, pm, complete_intake):
    intake_submit(intake_id=complete_intake.pk, by=sales)
    client.force_login(sales)
    response = client.post(reverse("intakes:accept", args=[complete_intake.pk]),
                           {"project_manager": pm.pk, "support_officer": pm.pk})
    assert response.status_code == 403
    complete_intake.refresh_from_db()
    assert complete_intake.status == Intake.Status.SUBMITTED and not Project.objects.exists()


def test_level_thresholds_boundaries(db):
    assert level_for_budget(Decimal("250000.00")) == 1
    assert level_for_budget(Decimal("250000.01")) == 2
    assert level_for_budget(Decimal("1000000.00")) == 2
    assert level_for_budget(Decimal("1000000.01")) == 3


def test_project_codes_are_sequential_per_year(db):
    assert project_code_allocate(2026) == "PRJ-2026-0001"
    assert project_code_allocate(2026) == "PRJ-2026-0002"
    assert project_code_allocate(2027) == "PRJ-2027-0001"


def test_review_queue_shows_submitted_oldest_first(client, support, sales):
    newer, older = IntakeFactory(created_by=sales), IntakeFactory(created_by=sales)
    Intake.objects.filter(pk=older.pk).update(status="submitted", submitted_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    Intake.objects.filter(pk=newer.pk).update(status="submitted", submitted_at=dt.datetime(2026, 2, 1, tzinfo=dt.UTC))
    IntakeFactory(created_by=sales)  # a draft: not in the support officer's queue
    client.force_login(support)
    page = client.get(reverse("intakes:list"), {"status": "submitted"}).context["page"]
    assert [i.pk for i in page.object_list] == [older.pk, newer.pk]


def test_intake_list_query_count_does_not_grow(client, support, sales, django_assert_max_num_queries):
    IntakeFactory.create_batch(3, created_by=sales, status="submitted")
    client.force_login(support)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("intakes:list"))
    IntakeFactory.create_batch(30, created_by=sales, status="submitted")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("intakes:list"))


def test_a_new_intake_without_required_fields_is_refused_and_nothing_saved(client, sales):
    client.force_login(sales)
    response = client.post(reverse("intakes:create"), {"scope": "Typed scope", "sold_price": "abc"})
    errors = response.context["form"].errors
    assert set(errors) == {"project_type", "title", "sold_price"}
    assert "Enter a number." in errors["sold_price"][0]
    assert "Typed scope" in response.content.decode()
    assert not Intake.objects.exists()
