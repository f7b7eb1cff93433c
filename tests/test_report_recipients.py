"""Who a highlight report is e-mailed to: exactly the people allowed to see its variant. Internal: the
project's staff who see its internals (never the sales owner). External: the customer's contacts
chosen as report recipients, and the PM; without such a contact it is not sent and the PM is told."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from accounts.roles import Role
from pmo.demo import load_demo_data
from projects.models import BudgetLine, CustomerContact
from projects.services.budget import budget_submit
from reporting.models import HighlightReport
from reporting.selectors.facts import week_of
from reporting.services.reports import report_publish, report_recipients, report_send, weekly_drafts

from .factories import ProjectFactory, UserFactory

WEEK = week_of(timezone.localdate())


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def staffed(pm, pm2, support, sales, engmgr):
    """A project whose sales owner, PM, deputy and support officer all have e-mail addresses, and whose
    customer has a chosen report recipient, a contact who is not chosen, and a contact that shares an
    address with the sales owner (an address typed twice: it is still the sales owner's)."""
    project = ProjectFactory(project_manager=pm, deputy_manager=pm2, support_officer=support, sales_owner=sales)
    customer = project.customer
    CustomerContact.objects.create(customer=customer, name="Claire", email="claire@customer.example",
                                   receives_reports=True)
    CustomerContact.objects.create(customer=customer, name="Bob", email="bob@customer.example")
    CustomerContact.objects.create(customer=customer, name="Sofie", email=sales.email.upper(), receives_reports=True)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("1000"))
    budget_submit(project_id=project.pk, by=pm)
    return project


def _publish_all(project, by, capture):
    weekly_drafts(WEEK)
    for report in project.highlight_reports.all():
        with capture(execute=True):
            report_publish(report_id=report.pk, by=by)
    return {r.variant: r for r in HighlightReport.objects.filter(project=project)}


def test_every_recipient_of_every_report_may_open_it(client, pm, sales, staffed, django_capture_on_commit_callbacks):
    reports = _publish_all(staffed, pm, django_capture_on_commit_callbacks)
    assert set(reports) == {"internal", "external"}
    for variant, report in reports.items():
        assert report.sent_at and report.sent_to, variant
        for address in report.sent_to:
            for user in User.objects.filter(email__iexact=address):
                client.force_login(user)
                page = client.get(reverse("reporting:report", args=[staffed.code, report.pk]))
                pdf = client.get(reverse("reporting:pdf", args=[staffed.code, report.pk]))
                assert (page.status_code, pdf.status_code) == (200, 200), f"{user} got {variant}"
    internal, external = reports["internal"], reports["external"]
    assert sales.email not in internal.sent_to and sales.email.lower() not in external.sent_to
    assert sorted(internal.sent_to) == sorted(u.email for u in User.objects.filter(
        username__in=["pm", "pm2", "support"]))
    assert external.sent_to == sorted(["claire@customer.example", pm.email])
    assert "bob@customer.example" not in [a for m in mail.outbox for a in m.to]
    assert sorted(a for m in mail.outbox for a in m.to) == sorted([*internal.sent_to, *external.sent_to])


def test_the_sales_owner_never_gets_the_internal_report_even_with_another_role(sales, staffed):
    UserFactory(username="sales-and-engineering", email="se@pmo.example", roles=[Role.SALES, Role.ENGINEERING_MANAGER])
    staffed.sales_owner = User.objects.get(username="sales-and-engineering")
    staffed.save()
    report = HighlightReport.objects.create(project=staffed, week=WEEK, variant="internal", language="en")
    assert "se@pmo.example" not in report_recipients(report)


def test_an_external_report_without_a_chosen_contact_is_not_sent_and_the_pm_is_told(
        client, pm, staffed, django_capture_on_commit_callbacks):
    staffed.customer.contacts.update(receives_reports=False)
    reports = _publish_all(staffed, pm, django_capture_on_commit_callbacks)
    external = reports["external"]
    assert external.status == "published" and external.pdf
    assert external.sent_at is None and external.sent_to == [] and external.unsent_reason == "no_recipient"
    assert reports["internal"].sent_at  # the internal one went as usual
    assert not [m for m in mail.outbox if external.download_name in [a[0] for a in m.attachments]]
    told = Notification.objects.filter(recipient=pm, subject__contains="not sent: no recipient")
    assert told.count() == 1 and staffed.customer.name in told.get().body
    assert report_send(report_id=external.pk) is False  # delivered again: nobody is told twice
    assert told.count() == 1
    client.force_login(pm)
    page = client.get(reverse("reporting:report", args=[staffed.code, external.pk])).content.decode()
    assert "Not sent: no recipient." in page
    listing = client.get(reverse("reporting:reports", args=[staffed.code])).content.decode()
    assert "Not sent: no recipient." in listing


def test_a_contact_is_chosen_as_a_report_recipient_on_the_customers_page(client, support, staffed):
    bob = staffed.customer.contacts.get(name="Bob")
    client.force_login(support)
    url = reverse("customers:contact_reports", args=[staffed.customer.pk, bob.pk])
    client.post(url, {"receives": "1"})
    bob.refresh_from_db()
    assert bob.receives_reports
    client.post(url, {"receives": "0"})
    bob.refresh_from_db()
    assert not bob.receives_reports
    no_address = CustomerContact.objects.create(customer=staffed.customer, name="Nobody")
    response = client.post(reverse("customers:contact_reports", args=[staffed.customer.pk, no_address.pk]),
                           {"receives": "1"}, follow=True)
    no_address.refresh_from_db()
    assert not no_address.receives_reports
    assert "needs an e-mail address" in response.content.decode()


def test_every_recipient_of_every_demo_report_may_open_it(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data(password="demo-pass-1", today=timezone.localdate())
    published = HighlightReport.objects.filter(status="published").select_related("project")
    assert {r.variant for r in published} == {"internal", "external"}
    for report in published:
        assert report.sent_to, report
        for user in User.objects.filter(email__in=report.sent_to):
            client.force_login(user)
            assert client.get(reverse("reporting:pdf", args=[report.project.code, report.pk])).status_code == 200, \
                f"{user.username} got {report}"
        assert "sales@pmo.example" not in report.sent_to
