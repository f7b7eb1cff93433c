"""Contract value and billing milestones (issue 18, item 1): the rules, each transition and its refusals,
ready by itself when the plan milestone is reached and the checklist signed off, the contract value moved
by approved change requests with its reason in the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from outbox.models import Event
from projects.domain import DomainError, StaleEdit
from projects.models import BillingMilestone, BudgetLine, ChecklistTemplate, Milestone, amount_of_percent
from projects.services import billing
from projects.services.budget import budget_submit
from projects.services.change_control import change_approve, change_create, change_submit
from projects.services.plan import milestone_reach
from projects.services.quality import _run_create

from .factories import ProjectFactory

D = dt.date
TODAY = timezone.localdate


@pytest.fixture
def sold(project):
    """The `project` fixture sold for EUR 100,000."""
    project.contract_value = Decimal("100000")
    project.save()
    return project


def _data(**values):
    data = {"name": "Design accepted", "amount": None, "percent": None, "planned_date": D(2026, 6, 30),
            "order_reference": "PO-CUST-77", "plan_milestone": None, "checklist_run": None,
            "acceptance_evidence": "Signed design review"}
    data.update(values)
    return data


def _add(project, by, activities=(), **values):
    return billing.billing_milestone_create(project_id=project.pk, by=by, data=_data(**values),
                                            activities=list(activities))


# --- amounts ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("contract", "percent", "amount"), [
    ("100000", "30", "30000.00"),
    ("1000.05", "12.5", "125.01"),  # 125.00625 rounds half up to the cent
    ("999.99", "33.33", "333.30"),  # 333.296667
    ("0.10", "5", "0.01"),  # 0.005: half up, never to even
])
def test_a_percent_gives_the_amount_rounded_half_up_to_the_cent(contract, percent, amount):
    assert amount_of_percent(Decimal(contract), Decimal(percent)) == Decimal(amount)


def test_a_milestone_by_percent_stores_its_computed_amount(pm, sold):
    milestone = _add(sold, pm, percent=Decimal("12.5"))
    assert (milestone.amount, milestone.percent, milestone.status) == (Decimal("12500.00"), Decimal("12.5"), "planned")
    assert milestone.identifier == "BM-001"


def test_milestones_up_to_the_contract_value_are_accepted_and_one_beyond_is_refused(pm, sold):
    _add(sold, pm, amount=Decimal("60000"))
    _add(sold, pm, percent=Decimal("40"))
    with pytest.raises(billing.BillingFieldError) as refused:
        _add(sold, pm, amount=Decimal("0.01"))
    assert refused.value.field == "amount" and "EUR 0.00 is left" in str(refused.value)
    assert sold.billing_milestones.count() == 2


def test_a_cancelled_milestone_frees_its_amount(pm, sold):
    first = _add(sold, pm, amount=Decimal("100000"))
    billing.billing_milestone_cancel(milestone_id=first.pk, by=pm, reason="Re-planned", expected_version=1)
    assert _add(sold, pm, amount=Decimal("100000")).amount == Decimal("100000")


def test_an_amount_and_a_percent_together_are_refused(pm, sold):
    with pytest.raises(DomainError, match="not both"):
        _add(sold, pm, amount=Decimal("10"), percent=Decimal("10"))


def test_an_edit_beyond_the_contract_value_is_refused_on_its_field_and_a_stale_one_too(pm, sold):
    milestone = _add(sold, pm, amount=Decimal("50000"))
    _add(sold, pm, amount=Decimal("40000"))
    with pytest.raises(billing.BillingFieldError) as refused:
        billing.billing_milestone_update(milestone_id=milestone.pk, by=pm, data=_data(percent=Decimal("61")),
                                         activities=[], expected_version=1)
    assert refused.value.field == "percent"
    billing.billing_milestone_update(milestone_id=milestone.pk, by=pm, data=_data(amount=Decimal("60000")),
                                     activities=[], expected_version=1)
    with pytest.raises(StaleEdit):
        billing.billing_milestone_update(milestone_id=milestone.pk, by=pm, data=_data(amount=Decimal("1")),
                                         activities=[], expected_version=1)
    milestone.refresh_from_db()
    assert milestone.amount == Decimal("60000")


def test_links_to_another_projects_plan_are_refused(pm, sold):
    elsewhere = Milestone.objects.create(project=ProjectFactory(), name="Other", baseline_date=D(2026, 5, 1),
                                         forecast_date=D(2026, 5, 1))
    with pytest.raises(DomainError, match="another project"):
        _add(sold, pm, amount=Decimal("10"), plan_milestone=elsewhere)


def test_who_is_not_on_the_project_staff_may_not_plan_milestones(pm2, finance, sales, sold):
    for person in (pm2, finance, sales):
        with pytest.raises(DomainError, match="may not change"):
            _add(sold, person, amount=Decimal("10"))


# --- transitions ------------------------------------------------------------------------------

def test_planned_ready_invoiced_paid_each_by_whom_the_rules_say(pm, finance, sold):
    milestone = _add(sold, pm, amount=Decimal("30000"))
    with pytest.raises(DomainError, match="not ready to invoice"):
        billing.billing_milestone_invoice(milestone_id=milestone.pk, by=finance, invoice_number="INV-1",
                                          invoice_date=TODAY(), expected_version=1)
    with pytest.raises(DomainError, match="reason is required"):
        billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason=" ", expected_version=1)
    with pytest.raises(DomainError, match="may not change"):
        billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=finance, reason="x", expected_version=1)
    milestone = billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm,
                                                     reason="Customer accepted by e-mail", expected_version=1)
    assert (milestone.status, milestone.ready_by, milestone.ready_reason) == (
        "ready", pm, "Customer accepted by e-mail")
    with pytest.raises(DomainError, match="Only finance"):
        billing.billing_milestone_invoice(milestone_id=milestone.pk, by=pm, invoice_number="INV-1",
                                          invoice_date=TODAY(), expected_version=2)
    milestone = billing.billing_milestone_invoice(milestone_id=milestone.pk, by=finance, invoice_number="INV-1",
                                                  invoice_date=TODAY(), expected_version=2)
    assert (milestone.status, milestone.invoice_number, milestone.invoiced_by) == ("invoiced", "INV-1", finance)
    with pytest.raises(DomainError, match="only a milestone not yet invoiced"):
        billing.billing_milestone_cancel(milestone_id=milestone.pk, by=pm, reason="x", expected_version=3)
    milestone = billing.billing_milestone_pay(milestone_id=milestone.pk, by=finance, paid_on=TODAY(),
                                              expected_version=3)
    assert milestone.status == "paid" and milestone.paid_by == finance
    with pytest.raises(DomainError, match="only an invoiced milestone"):
        billing.billing_milestone_pay(milestone_id=milestone.pk, by=finance, paid_on=TODAY(), expected_version=4)
    events = list(Event.objects.filter(event_type__startswith="billing_milestone.").order_by("pk"))
    assert [e.event_type for e in events] == ["billing_milestone.ready", "billing_milestone.invoiced"]
    assert events[1].payload["billing_milestone"] == {
        "identifier": "BM-001", "name": "Design accepted", "status": "invoiced", "amount": "30000.00",
        "planned_date": "2026-06-30", "order_reference": "PO-CUST-77", "invoice_number": "INV-1",
        "invoice_date": TODAY().isoformat()}
    assert events[1].project_id == sold.pk


def test_an_invoice_number_used_twice_is_refused_on_its_field(pm, finance, sold):
    first, second = (_add(sold, pm, amount=Decimal("10")) for _ in range(2))
    for milestone in (first, second):
        billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="ok", expected_version=1)
    billing.billing_milestone_invoice(milestone_id=first.pk, by=finance, invoice_number="INV-9",
                                      invoice_date=TODAY(), expected_version=2)
    with pytest.raises(billing.BillingFieldError) as refused:
        billing.billing_milestone_invoice(milestone_id=second.pk, by=finance, invoice_number="INV-9",
                                          invoice_date=TODAY(), expected_version=2)
    assert refused.value.field == "invoice_number" and "BM-001" in str(refused.value)
    second.refresh_from_db()
    assert second.status == "ready"


def test_a_payment_before_its_invoice_date_is_refused(pm, finance, sold):
    milestone = _add(sold, pm, amount=Decimal("10"))
    billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="ok", expected_version=1)
    billing.billing_milestone_invoice(milestone_id=milestone.pk, by=finance, invoice_number="INV-2",
                                      invoice_date=TODAY(), expected_version=2)
    with pytest.raises(billing.BillingFieldError):
        billing.billing_milestone_pay(milestone_id=milestone.pk, by=finance, paid_on=TODAY() - dt.timedelta(days=1),
                                      expected_version=3)


def test_cancelling_needs_a_reason_and_the_history_keeps_it(support, sold):
    milestone = _add(sold, support, amount=Decimal("10"))  # the project's own support officer
    with pytest.raises(DomainError, match="reason is required"):
        billing.billing_milestone_cancel(milestone_id=milestone.pk, by=support, reason="", expected_version=1)
    billing.billing_milestone_cancel(milestone_id=milestone.pk, by=support, reason="Scope moved to phase 2",
                                     expected_version=1)
    assert milestone.history.first().history_change_reason == "Scope moved to phase 2"


# --- ready by itself --------------------------------------------------------------------------

def test_it_becomes_ready_when_its_plan_milestone_is_reached_and_its_checklist_signed_off(
        pm, support, pmolead, sold):
    go_live = Milestone.objects.create(project=sold, name="Go-live", baseline_date=D(2026, 6, 1),
                                       forecast_date=D(2026, 6, 1))
    run = _run_create(sold, ChecklistTemplate.objects.get(standard="iso9001"), {"phase": "Closing"})
    milestone = _add(sold, pm, amount=Decimal("50000"), plan_milestone=go_live, checklist_run=run)
    milestone_reach(milestone_id=go_live.pk, by=pm, on=TODAY())
    milestone.refresh_from_db()
    assert milestone.status == "planned"  # the checklist is not signed off yet

    from projects.services.quality import checklist_sign_off, checklist_submit
    run.answers.update(answer="ok", answered_by=support)
    checklist_submit(run_id=run.pk, by=support)
    checklist_sign_off(run_id=run.pk, by=pmolead)
    milestone.refresh_from_db()
    assert (milestone.status, milestone.ready_by) == ("ready", None)
    assert Event.objects.filter(event_type="billing_milestone.ready", project_id=sold.pk).count() == 1


def test_one_waiting_for_its_plan_milestone_only_becomes_ready_when_it_is_reached(pm, sold):
    go_live = Milestone.objects.create(project=sold, name="Go-live", baseline_date=D(2026, 6, 1),
                                       forecast_date=D(2026, 6, 1))
    waiting = _add(sold, pm, amount=Decimal("10"), plan_milestone=go_live)
    alone = _add(sold, pm, amount=Decimal("10"))  # depends on nothing: only the PM makes it ready
    milestone_reach(milestone_id=go_live.pk, by=pm, on=TODAY())
    assert BillingMilestone.objects.get(pk=waiting.pk).status == "ready"
    assert BillingMilestone.objects.get(pk=alone.pk).status == "planned"
    with pytest.raises(DomainError, match="already reached"):
        milestone_reach(milestone_id=go_live.pk, by=pm, on=TODAY())


def test_a_milestone_cannot_be_reached_in_the_future_nor_by_another_pm(pm, pm2, sold):
    go_live = Milestone.objects.create(project=sold, name="Go-live", baseline_date=D(2026, 6, 1),
                                       forecast_date=D(2026, 6, 1))
    with pytest.raises(DomainError, match="future"):
        milestone_reach(milestone_id=go_live.pk, by=pm, on=TODAY() + dt.timedelta(days=1))
    with pytest.raises(DomainError):
        milestone_reach(milestone_id=go_live.pk, by=pm2, on=TODAY())
    go_live.refresh_from_db()
    assert go_live.reached_on is None


# --- the contract value -----------------------------------------------------------------------

def test_an_accepted_intake_starts_the_contract_value_from_its_sold_price(client, support, pm, sales):
    from projects.services.intakes import intake_accept

    from .factories import IntakeFactory
    intake = IntakeFactory(created_by=sales, status="submitted", sold_price=Decimal("250000"))
    project = intake_accept(intake_id=intake.pk, by=support, project_manager=pm, support_officer=support)
    assert project.contract_value == Decimal("250000")
    assert "sold price" in project.history.first().history_change_reason


def test_an_approved_change_raises_the_contract_value_with_its_reason_and_percent_milestones_follow(
        pm, support, finance):
    project = ProjectFactory(project_manager=pm, support_officer=support, contract_value=Decimal("200000"))
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("150000"))
    budget_submit(project_id=project.pk, by=pm)
    by_percent = _add(project, pm, percent=Decimal("50"))
    fixed = _add(project, pm, amount=Decimal("20000"))
    change = change_create(project_id=project.pk, by=support, data={
        "title": "Fourth floor", "description": "More", "priority": "high", "severity": 3, "owner": pm,
        "due_date": None, "time_impact_days": 0, "price_impact": Decimal("30000"), "scope_impact": "",
        "quality_impact": "", "risk_impact": "", "options": "", "recommendation": ""}, costs=[
        {"budget_line": project.budget_lines.get(), "delta": Decimal("10000")}], milestones=[])
    change = change_submit(change_id=change.pk, by=support)
    change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    project.refresh_from_db()
    assert project.contract_value == Decimal("230000")
    assert project.history.first().history_change_reason == "CR-001 approved: price impact EUR 30,000.00"
    assert BillingMilestone.objects.get(pk=by_percent.pk).amount == Decimal("115000.00")
    assert BillingMilestone.objects.get(pk=fixed.pk).amount == Decimal("20000")


def test_a_price_impact_that_would_bring_the_contract_value_below_zero_is_refused(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support, contract_value=Decimal("1000"))
    BudgetLine.objects.create(project=project, category="material", description="Cable", amount=Decimal("500"))
    budget_submit(project_id=project.pk, by=pm)
    change = change_create(project_id=project.pk, by=support, data={
        "title": "Less", "description": "Less", "priority": "low", "severity": 1, "owner": pm, "due_date": None,
        "time_impact_days": 0, "price_impact": Decimal("-1000.01"), "scope_impact": "", "quality_impact": "",
        "risk_impact": "", "options": "", "recommendation": ""}, costs=[
        {"budget_line": project.budget_lines.get(), "delta": Decimal("-100")}], milestones=[])
    change = change_submit(change_id=change.pk, by=support)
    with pytest.raises(DomainError, match="below zero"):
        change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    project.refresh_from_db()
    assert project.contract_value == Decimal("1000") and project.budget_lines.get().amount == Decimal("500")


# --- the pages ------------------------------------------------------------------------------

def _post(client, url, **data):
    return client.post(url, {key: "" if value is None else value for key, value in data.items()})


def test_the_pm_adds_a_milestone_by_percent_and_the_page_shows_the_totals_and_the_difference(client, pm, sold):
    client.force_login(pm)
    response = _post(client, reverse("projects:billing_milestone_create", args=[sold.code]), name="Kick-off",
                     percent="25", amount="", planned_date="2026-03-31", order_reference="PO-1")
    assert response.status_code == 302
    page = client.get(reverse("projects:billing", args=[sold.code])).content.decode()
    assert "25,000.00" in page and "Not yet allocated to a billing milestone: EUR 75,000.00." in page
    assert "Mark ready to invoice" in page and "Record the invoice" not in page


def test_a_milestone_beyond_the_contract_value_shows_the_message_next_to_its_field_and_saves_nothing(
        client, pm, sold):
    client.force_login(pm)
    response = _post(client, reverse("projects:billing_milestone_create", args=[sold.code]), name="Too much",
                     amount="100000.01", percent="", planned_date="2026-03-31")
    assert response.status_code == 200
    form = response.context["form"]
    assert "exceed the contract value" in " ".join(form.errors["amount"])
    assert not sold.billing_milestones.exists()


@pytest.mark.parametrize(("values", "field", "message"), [
    ({"amount": "", "percent": ""}, "amount", "Give an amount or a percent"),
    ({"amount": "10", "percent": "10"}, "percent", "not both"),
    ({"amount": "-5", "percent": ""}, "amount", ""),
    ({"amount": "", "percent": "101"}, "percent", ""),
    ({"amount": "1.5e3", "percent": ""}, "amount", "power of ten"),
])
def test_bad_amounts_are_refused_next_to_their_field(client, pm, sold, values, field, message):
    client.force_login(pm)
    response = _post(client, reverse("projects:billing_milestone_create", args=[sold.code]), name="X",
                     planned_date="2026-03-31", **values)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not sold.billing_milestones.exists()


def test_finance_records_the_invoice_through_the_page_and_a_milestone_not_ready_is_refused(
        client, pm, finance, sold):
    milestone = _add(sold, pm, amount=Decimal("10"))
    client.force_login(finance)
    url = reverse("projects:billing_milestone_transition", args=[sold.code, milestone.number, "invoice"])
    assert client.get(url).status_code == 302  # not ready: back to the billing page with the reason
    response = _post(client, url, invoice_number="INV-7", invoice_date=TODAY().isoformat(), version=1)
    assert response.status_code == 200 and "not ready to invoice" in response.content.decode()
    billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="ok", expected_version=1)
    assert client.get(url).status_code == 200
    future = (TODAY() + dt.timedelta(days=3)).isoformat()
    response = _post(client, url, invoice_number="INV-7", invoice_date=future, version=2)
    assert "cannot be in the future" in " ".join(response.context["form"].errors["invoice_date"])
    response = _post(client, url, invoice_number="INV-7", invoice_date=TODAY().isoformat(), version=2)
    assert response.status_code == 302
    assert BillingMilestone.objects.get(pk=milestone.pk).invoice_number == "INV-7"


def test_the_milestone_history_page_shows_its_changes(client, pm, pmolead, sold):
    milestone = _add(sold, pm, amount=Decimal("10"))
    billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="Accepted on site",
                                         expected_version=1)
    client.force_login(pmolead)
    page = client.get(reverse("projects:billing_milestone_history", args=[sold.code, milestone.number]))
    assert page.status_code == 200 and "Accepted on site" in page.content.decode()


@pytest.mark.parametrize(("role", "page", "create", "invoice"), [
    ("pm", 200, 200, 403), ("support", 200, 200, 403), ("pm2", 200, 403, 403), ("finance", 200, 403, 200),
    ("pmolead", 200, 403, 403), ("sales", 404, 404, 404), ("engmgr", 404, 404, 404), ("outsider", 404, 404, 404),
])
def test_who_sees_and_does_what_on_billing(client, personas, project, role, page, create, invoice):
    project.contract_value = Decimal("100")
    project.save()
    milestone = _add(project, personas["pm"], amount=Decimal("10"))
    billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=personas["pm"], reason="ok",
                                         expected_version=1)
    client.force_login(personas[role])
    assert client.get(reverse("projects:billing", args=[project.code])).status_code == page
    assert client.get(reverse("projects:billing_milestone_create", args=[project.code])).status_code == create
    url = reverse("projects:billing_milestone_transition", args=[project.code, milestone.number, "invoice"])
    assert client.get(url).status_code == invoice


def _ready_milestones(count, pm):
    for _ in range(count):
        project = ProjectFactory(project_manager=pm, contract_value=Decimal("100"))
        milestone = _add(project, pm, amount=Decimal("100"))
        billing.billing_milestone_mark_ready(milestone_id=milestone.pk, by=pm, reason="ok", expected_version=1)


def test_finances_list_of_milestones_ready_to_invoice_takes_the_same_queries_for_more_rows(
        client, pm, finance, sales):
    client.force_login(finance)
    url = reverse("billing_ready")
    _ready_milestones(2, pm)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    _ready_milestones(6, pm)
    with CaptureQueriesContext(connection) as more:
        page = client.get(url).content.decode()
    assert len(more) == len(few) and page.count("Record the invoice") >= 8
    client.force_login(sales)
    assert client.get(url).status_code == 403


def test_the_billing_page_takes_the_same_queries_for_more_milestones(client, pm, sold):
    go_live = Milestone.objects.create(project=sold, name="Go-live", baseline_date=D(2026, 6, 1),
                                       forecast_date=D(2026, 6, 1))
    activity = sold.activities.create(name="Install", planned_start=D(2026, 5, 1), planned_end=D(2026, 5, 8))
    client.force_login(pm)
    url = reverse("projects:billing", args=[sold.code])
    _add(sold, pm, amount=Decimal("10"), plan_milestone=go_live, activities=[activity])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        _add(sold, pm, amount=Decimal("10"), plan_milestone=go_live, activities=[activity])
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_the_change_request_form_takes_a_price_impact_and_its_page_shows_it(client, pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support)
    client.force_login(support)
    form = {"title": "Fourth floor", "description": "d", "priority": "low", "severity": "2", "owner": pm.pk,
            "time_impact_days": "0", "costs-TOTAL_FORMS": "1", "costs-INITIAL_FORMS": "0", "costs-0-delta": ""}
    response = client.post(reverse("projects:change_create", args=[project.code]), {**form, "price_impact": "x"})
    assert response.status_code == 200 and response.context["form"].errors["price_impact"]
    assert not project.change_requests.exists()
    response = client.post(reverse("projects:change_create", args=[project.code]), {**form, "price_impact": "12500"})
    assert response.status_code == 302
    change = project.change_requests.get()
    assert change.price_impact == Decimal("12500")
    page = client.get(reverse("projects:change_detail", args=[project.code, change.number])).content.decode()
    assert "Price impact" in page and "EUR 12,500.00" in page
    client.post(reverse("projects:change_create", args=[project.code]), {**form, "title": "No price"})
    assert project.change_requests.get(title="No price").price_impact == 0
