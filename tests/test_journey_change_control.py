"""Issue 6's journey in Chromium: risks and the heat map, a change crossing Level 1 decided by the PMO
lead into baseline 2, the comparison page, and a small change decided by the PM."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from projects.models import BudgetLine, Project
from projects.services.budget import budget_submit

from .browser import screenshot
from .conftest import sign_in
from .factories import ProjectFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_change(page, title, line, amount):
    page.fill("#id_title", title)
    page.fill("#id_description", f"{title}: asked by the customer")
    page.select_option("#id_costs-0-budget_line", label=line)
    page.fill("#id_costs-0-delta", amount)
    page.get_by_role("button", name="Save").click()


def test_risks_then_a_change_routed_to_the_pmo_lead_and_a_small_one_decided_by_the_pm(new_page):
    pm_user = UserFactory(username="pm", first_name="Pieter", roles=[Role.PROJECT_MANAGER])
    support = UserFactory(username="support", first_name="Sofie", roles=[Role.SUPPORT_OFFICER])
    UserFactory(username="pmolead", first_name="Lena", roles=[Role.PMO_LEAD])
    project = ProjectFactory(name="Fibre backbone", project_manager=pm_user, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("200000"))
    BudgetLine.objects.create(project=project, category="internal_labour", description="Engineering",
                              amount=Decimal("40000"))
    budget_submit(project_id=project.pk, by=pm_user)  # baseline 1: EUR 240,000, Level 1

    # 1. The PM logs a risk and sees it on the heat map.
    pm = new_page()
    sign_in(pm, "pm")
    pm.goto(f"{project.get_absolute_url()}risks/new/")
    pm.select_option("#id_category", label="Supplier")
    pm.fill("#id_cause", "Single fibre supplier")
    pm.fill("#id_event", "Cable delivery is late")
    pm.fill("#id_effect", "Installation slips two weeks")
    for name, value in [("inherent_probability", "4"), ("inherent_impact", "4"), ("residual_probability", "4"),
                        ("residual_impact", "4")]:
        pm.select_option(f"#id_{name}", value)
    pm.select_option("#id_response_category", label="Reduce")
    pm.fill("#id_review_date", (dt.date.today() + dt.timedelta(days=14)).isoformat())
    pm.get_by_role("button", name="Save").click()
    expect(pm.get_by_text("R-001 registered.")).to_be_visible()
    expect(pm.get_by_label("probability 4, impact 4: 1")).to_be_visible()
    screenshot(pm, "change-01-risks-heat-map")

    # 2. The PM raises +EUR 40,000: the budget would cross Level 1, so the PMO lead decides.
    pm.goto(f"{project.get_absolute_url()}changes/new/")
    _fill_change(pm, "Fourth floor", "Material: Switches", "40000")
    expect(pm.get_by_text("The PMO lead decides: the new budget moves the project from Level 1 to Level 2")
           ).to_be_visible()
    screenshot(pm, "change-02-detail-before-submit")
    pm.get_by_role("button", name="Submit for decision").click()
    expect(pm.get_by_text("CR-001 submitted. Decision by: PMO lead.")).to_be_visible()
    assert pm.get_by_role("button", name="Approve").count() == 0

    # 3. The PMO lead approves from the approvals page: baseline 2, Level 2.
    lead = new_page()
    sign_in(lead, "pmolead")
    lead.goto("/approvals/")
    lead.get_by_role("row", name="CR-001").get_by_role("link", name="Decide").click()
    lead.fill("#id_comment", "The customer pays the extra floor.")
    screenshot(lead, "change-03-pmo-lead-decides")
    lead.get_by_role("button", name="Approve").click()
    expect(lead.get_by_text("CR-001 approved: baseline 2 set.")).to_be_visible()
    project.refresh_from_db()
    assert (project.level, project.current_baseline.version, project.current_baseline.budget) == (
        Project.Level.LEVEL_2, 2, Decimal("280000.00"))
    lead.get_by_role("link", name="Baseline 2: what changed").click()
    expect(lead.get_by_text("Version 2 against version 1")).to_be_visible()
    expect(lead.get_by_role("cell", name="+40,000.00").first).to_be_visible()
    expect(lead.get_by_role("cell", name="1 → 2")).to_be_visible()
    screenshot(lead, "change-04-baseline-comparison")

    # 4. The support officer raises a small change; the PM decides it (within tolerance, not their own).
    office = new_page()
    sign_in(office, "support")
    office.goto(f"{project.get_absolute_url()}changes/new/")
    _fill_change(office, "Extra patch panel", "Internal labour: Engineering", "2500")
    expect(office.get_by_text("Within the project manager's authority.")).to_be_visible()
    office.get_by_role("button", name="Submit for decision").click()
    pm.goto("/")
    pm.get_by_role("link", name="Change request CR-002 on").click()
    pm.fill("#id_comment", "Small and useful.")
    pm.get_by_role("button", name="Approve").click()
    expect(pm.get_by_text("CR-002 approved: baseline 3 set.")).to_be_visible()
    screenshot(pm, "change-05-pm-decided")
    pm.goto(f"{project.get_absolute_url()}changes/")
    expect(pm.get_by_role("row", name="CR-002").get_by_text("Approved")).to_be_visible()
    screenshot(pm, "change-06-register")
