"""Files in S3-compatible object storage (issue 14, item 5): with a bucket configured, uploads and generated
PDFs are stored in it and nowhere on disk, and each download view streams the file from the bucket after its
permission check, without ever asking for a file system path (S3 has none)."""

from unittest import mock

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from storages.backends.s3 import S3Storage

from outbox.services import email_enqueue
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_draft_create, report_publish

from .factories import pdf_upload


@pytest.fixture(autouse=True)
def _no_path(s3_bucket):
    """Any use of Storage.path fails the test (S3Storage inherits Django's NotImplementedError, which a
    caller could swallow)."""
    with mock.patch.object(S3Storage, "path", side_effect=AssertionError("a file system path was asked for")):
        yield


def _downloaded(response) -> bytes:
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content)


def test_an_uploaded_document_is_stored_in_the_bucket_and_streamed_back(client, pm, outsider, project, s3_bucket,
                                                                       settings):
    client.force_login(pm)
    upload = pdf_upload("design.pdf")
    client.post(reverse("projects:documents", args=[project.code]),
                {"category": "design", "title": "Network design", "file": upload})
    document = project.documents.get()
    assert isinstance(document.file.storage, S3Storage)
    assert s3_bucket.objects() == {document.file.name: b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"}
    url = reverse("projects:document_download", args=[project.code, document.pk])
    response = client.get(url)
    assert _downloaded(response) == s3_bucket.objects()[document.file.name]
    assert response["Content-Disposition"] == 'attachment; filename="design.pdf"'
    assert list(settings.MEDIA_ROOT.iterdir()) == []
    client.force_login(outsider)
    assert client.get(url).status_code == 404  # the bucket changes nothing about who may download


def test_a_highlight_report_pdf_is_rendered_into_the_bucket_and_streamed_back(client, pm, project, s3_bucket,
                                                                             django_capture_on_commit_callbacks):
    from django.utils import timezone

    report, _made = report_draft_create(project_id=project.pk, week=week_of(timezone.localdate()), variant="internal")
    with django_capture_on_commit_callbacks(execute=True):  # tasks run in-process here, after commit
        report_publish(report_id=report.pk, by=pm)
    report = HighlightReport.objects.get(pk=report.pk)
    assert report.status == "published"
    stored = s3_bucket.objects()[report.pdf.name]
    assert stored.startswith(b"%PDF")
    client.force_login(pm)
    assert _downloaded(client.get(reverse("reporting:pdf", args=[project.code, report.pk]))) == stored


def test_an_email_attachment_is_read_from_the_bucket(db, s3_bucket, django_capture_on_commit_callbacks,
                                                     mailoutbox):
    from django.core.files.storage import default_storage

    name = default_storage.save("packs/pack.pdf", ContentFile(b"%PDF-1.7 pack"))
    with django_capture_on_commit_callbacks(execute=True):
        email_enqueue(subject="Hand-over", body="Attached.", to=["smo@example.com"],
                      attachments=[{"name": "pack.pdf", "path": name, "type": "application/pdf"}])
    assert mailoutbox[0].attachments == [("pack.pdf", b"%PDF-1.7 pack", "application/pdf")]


def test_compose_keeps_the_files_in_minio_and_on_no_container_disk():
    from pathlib import Path

    import yaml

    services = yaml.safe_load((Path(__file__).resolve().parent.parent / "docker-compose.yml").read_text())["services"]
    for name in ("web", "worker", "worker-reports", "worker-integrations", "relay", "beat"):
        environment = services[name]["environment"]
        assert environment["S3_BUCKET"] and environment["S3_ENDPOINT_URL"] == "http://minio:9000", name
        assert "MEDIA_ROOT" not in environment and not services[name].get("volumes"), name
        assert services[name]["depends_on"]["minio-bucket"]["condition"] == "service_completed_successfully"
    assert "anonymous set none" in " ".join(services["minio-bucket"]["command"])  # a private bucket
    assert "ports" not in services["minio"]  # reachable by the application only
