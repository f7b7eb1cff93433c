"""Long texts have limits no person meets, refused by the forms with a message, so that no pasted book
ties up a worker rendering it (WeasyPrint took 45 s on 94,000 characters of one narrative)."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone

from projects.models import NARRATIVE_MAX_LENGTH, TEXT_MAX_LENGTH, Customer
from reporting.models import HighlightReport
from reporting.selectors.facts import report_facts, week_of

from .factories import CustomerFactory, IntakeFactory
from .test_intakes import _form_data

# Texts the application writes itself, never a form (a notification's message ids included).
NOT_TYPED = {("reporting", "highlightreport", "render_error"), ("accounts", "notification", "body"),
             ("accounts", "notification", "subject_key"), ("accounts", "notification", "body_key"),
             ("projects", "meetinginvitation", "body"), ("projects", "meetinginvitation", "ics")}


def test_every_text_a_person_types_has_a_length_limit():
    unbounded = [
        f"{model._meta.label}.{field.name}"
        for app in ("accounts", "projects", "procurement", "reporting", "pmo")
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if isinstance(field, models.TextField) and field.max_length is None
        and (app, model._meta.model_name, field.name) not in NOT_TYPED
    ]
    assert unbounded == []


def test_a_report_narrative_beyond_the_limit_is_refused_with_a_message(client, pm, project):
    week = week_of(timezone.localdate())
    report = HighlightReport.objects.create(project=project, week=week, variant="internal", language="en",
                                            facts=report_facts(project, week, "internal"))
    client.force_login(pm)
    url = reverse("reporting:report", args=[project.code, report.pk])
    response = client.post(url, {"summary": "x" * (NARRATIVE_MAX_LENGTH + 1), "this_period": "Trenching",
                                 "next_period": "", "edit_version": report.edit_version})
    assert response.status_code == 200
    assert (f"Ensure this value has at most {NARRATIVE_MAX_LENGTH} characters (it has {NARRATIVE_MAX_LENGTH + 1})."
            in response.content.decode())
    report.refresh_from_db()
    assert report.summary == "" and report.this_period == ""
    assert f'maxlength="{NARRATIVE_MAX_LENGTH}"' in client.get(url).content.decode()


def test_an_intake_scope_beyond_the_limit_is_refused(client, sales):
    intake = IntakeFactory(created_by=sales, scope="Short")
    client.force_login(sales)
    response = client.post(reverse("intakes:edit", args=[intake.pk]),
                           _form_data(intake, scope="words " * (TEXT_MAX_LENGTH // 6 + 1)))
    assert response.status_code == 200
    typed = len(("words " * (TEXT_MAX_LENGTH // 6 + 1)).strip())
    assert response.context["form"].errors["scope"] == [
        f"Ensure this value has at most {TEXT_MAX_LENGTH} characters (it has {typed})."]
    intake.refresh_from_db()
    assert intake.scope == "Short"


@pytest.mark.parametrize("length, saved", [(1000, True), (1001, False)])
def test_a_customer_address_is_bounded(client, sales, length, saved):
    client.force_login(sales)
    customer = CustomerFactory(vat_number="BE0403170701")
    client.post(reverse("customers:edit", args=[customer.pk]), {
        "name": customer.name, "vat_number": customer.vat_number, "language": "nl", "address": "a" * length,
        "version": customer.version})
    assert Customer.objects.filter(pk=customer.pk, address="a" * length).exists() is saved
