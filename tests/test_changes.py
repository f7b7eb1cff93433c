"""Change requests: routing by authority, approval into the next baseline, and the refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.models import Notification
from projects import permissions
from projects.domain import DomainError
from projects.models import BudgetLine, ChangeRequest, Decision, Milestone, Project
from projects.services.budget import budget_submit
from projects.services.change_control import change_approve, change_create, change_reject, change_submit, change_update

from .factories import ProjectFactory

D = dt.date


@pytest.fixture
def baselined(pm, support):
    """Level 1, EUR 240,000 in two lines, baseline 1 set by the PM, ending Friday 18 December 2026."""
    project = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=project, category="material", description="Switches", amount=Decimal("200000"))
    BudgetLine.objects.create(project=project, category="internal_labour", description="Engineering",
                              amount=Decimal("40000"))
    budget_submit(project_id=project.pk, by=pm)
    return project


def _line(project, description):
    return project.budget_lines.get(description=description)


def _data(owner, **changes_):
    data = {"title": "Extra floor", "description": "Customer adds the fourth floor", "priority": "high",
            "severity": 3, "owner": owner, "due_date": None, "time_impact_days": 0, "scope_impact": "One floor more",
            "quality_impact": "", "risk_impact": "", "options": "Do it now, or in phase 2", "recommendation": "Now"}
    data.update(changes_)
    return data


def _raise(project, by, owner, costs=(), milestones=(), submit=True, **fields):
    change = change_create(project_id=project.pk, by=by, data=_data(owner, **fields), costs=list(costs),
                                   milestones=list(milestones))
    return change_submit(change_id=change.pk, by=by) if submit else change


def test_crossing_level_1_routes_to_the_pmo_lead_whose_approval_sets_baseline_2(pm, support, pmolead, baselined):
    change = _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("40000")}])
    assert change.route == ChangeRequest.Route.PMO_LEAD and "Level 1 to Level 2" in change.route_reason
    assert Notification.objects.filter(recipient=pmolead, subject__contains="CR-001").exists()
    assert not Notification.objects.filter(recipient=pm, subject__contains="to decide").exists()
    with pytest.raises(DomainError, match="Level 1 to Level 2"):
        change_approve(change_id=change.pk, by=pm, expected_version=change.version)

    baseline = change_approve(change_id=change.pk, by=pmolead, expected_version=change.version, comment="OK")
    baselined.refresh_from_db()
    change.refresh_from_db()
    assert (baseline.version, baseline.budget, baseline.change_request) == (2, Decimal("280000.00"), change)
    assert baselined.level == 2 and _line(baselined, "Switches").amount == Decimal("240000.00")
    assert (change.status, change.decided_by, change.decision_comment) == ("approved", pmolead, "OK")
    decision = Decision.objects.get(project=baselined)
    assert (decision.change_request, decision.decided_by, decision.rationale) == (change, str(pmolead), "OK")
    assert Notification.objects.filter(recipient=support, subject__contains="CR-001").exists()
    assert baselined.baselines.get(version=1).budget == Decimal("240000.00")  # earlier versions stay


def test_a_small_change_within_tolerance_is_decided_by_the_pm(pm, support, baselined):
    change = _raise(baselined, support, pm,
                    [{"budget_line": _line(baselined, "Engineering"), "delta": Decimal("5000")}],
                    time_impact_days=3)
    assert (change.route, change.route_reason) == (ChangeRequest.Route.PROJECT_MANAGER, "")
    assert Notification.objects.filter(recipient=pm, subject__contains="CR-001").exists()
    baseline = change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    baselined.refresh_from_db()
    assert (baseline.version, baseline.budget, baselined.level) == (2, Decimal("245000.00"), 1)
    assert baselined.end_date == D(2026, 12, 23)  # three working days after Friday 18 December


def test_the_cost_tolerance_is_per_project_and_only_the_pmo_lead_sets_it(client, pm, support, pmolead):
    baselined = ProjectFactory(project_manager=pm, support_officer=support)
    BudgetLine.objects.create(project=baselined, category="material", description="Racks", amount=Decimal("100000"))
    budget_submit(project_id=baselined.pk, by=pm)
    costs = [{"budget_line": _line(baselined, "Racks"), "delta": Decimal("10000.01")}]  # 10 % is 10,000
    first = _raise(baselined, support, pm, costs)
    assert first.route == "pmo_lead" and first.route_reason == \
        "the cost increase exceeds the cost tolerance (EUR 10,000.00)"

    client.force_login(pm)
    assert client.get(reverse("projects:tolerances", args=[baselined.code])).status_code == 403
    client.force_login(pmolead)
    response = client.post(reverse("projects:tolerances", args=[baselined.code]), {
        "cost_tolerance_percent": "150", "time_tolerance_days": "10", "was_cost": "10.00", "was_time": "15"})
    assert "less than or equal to 100" in response.content.decode()
    client.post(reverse("projects:tolerances", args=[baselined.code]), {
        "cost_tolerance_percent": "12,5", "time_tolerance_days": "10", "was_cost": "10.00", "was_time": "15"})
    baselined.refresh_from_db()
    assert (baselined.cost_tolerance_percent, baselined.time_tolerance_days) == (Decimal("12.50"), 10)
    stale = client.post(reverse("projects:tolerances", args=[baselined.code]), {
        "cost_tolerance_percent": "20", "time_tolerance_days": "10", "was_cost": "10.00", "was_time": "15"})
    assert "changed the tolerances meanwhile" in stale.content.decode()
    assert _raise(baselined, support, pm, costs).route == "pm"


def test_a_delay_beyond_the_time_tolerance_goes_to_the_pmo_lead_and_moves_the_chosen_milestones(
        pm, support, pmolead, baselined):
    handover = Milestone.objects.create(project=baselined, name="Hand-over", baseline_date=D(2026, 12, 11),
                                        forecast_date=D(2027, 1, 8))
    kickoff = Milestone.objects.create(project=baselined, name="Kick-off", baseline_date=D(2026, 1, 5),
                                       forecast_date=D(2026, 1, 5))
    change = _raise(baselined, support, pm, milestones=[handover], time_impact_days=16)
    assert change.route == "pmo_lead" and "time tolerance (15 working days)" in change.route_reason
    baseline = change_approve(change_id=change.pk, by=pmolead, expected_version=change.version)
    handover.refresh_from_db()
    kickoff.refresh_from_db()
    assert (handover.baseline_date, handover.forecast_date) == (D(2027, 1, 4), D(2027, 2, 1))
    assert handover.slip_days == 28  # the slip it had stays visible
    assert kickoff.baseline_date == D(2026, 1, 5)
    assert baseline.end_date == D(2027, 1, 11) and baseline.budget == Decimal("240000.00")
    assert {"name": "Hand-over", "date": "2027-01-04"} in baseline.milestones


def test_nobody_decides_their_own_change(pm, pm2, pmolead, baselined):
    change = _raise(baselined, pm, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("1000")}])
    # Small, but the PM asked it and there is no deputy: the PMO lead decides, and the page says so.
    assert change.route == "pmo_lead" and change.route_reason == "the project manager asked it and no deputy can decide"
    with pytest.raises(DomainError, match="You may not decide CR-001"):
        change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    assert change not in permissions.changes_waiting_for(pm)
    assert Notification.objects.filter(recipient=pmolead, subject__contains="CR-001").exists()
    change_approve(change_id=change.pk, by=pmolead, expected_version=change.version)

    baselined.deputy_manager = pm2
    baselined.save()
    second = _raise(baselined, pm, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("1000")}])
    assert second.route == "pm" and second in permissions.changes_waiting_for(pm2)
    change_approve(change_id=second.pk, by=pm2, expected_version=second.version)


def test_a_pm_posting_a_decision_beyond_their_authority_is_refused(client, pm, support, baselined):
    change = _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("40000")}])
    client.force_login(pm)
    page = client.get(reverse("projects:change_detail", args=[baselined.code, 1]))
    assert not page.context["actions"] and b"Your decision" not in page.content
    response = client.post(reverse("projects:change_decide", args=[baselined.code, 1]),
                           {"approve": "1", "version": change.version, "comment": ""}, follow=True)
    assert "You may not decide CR-001" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "submitted" and baselined.baselines.count() == 1


def test_a_stale_decision_is_refused_and_changes_nothing(pm, support, pmolead, baselined):
    change = _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("1000")}])
    change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    with pytest.raises(DomainError, match="already decided"):
        change_reject(change_id=change.pk, by=pmolead, expected_version=change.version, comment="No")
    assert baselined.baselines.count() == 2 and Decision.objects.count() == 1


def test_a_change_that_would_leave_a_line_below_zero_is_refused_and_the_form_keeps_the_input(client, pm, support,
                                                                                               baselined):
    with pytest.raises(DomainError, match="would fall below zero"):
        _raise(baselined, support, pm,
               [{"budget_line": _line(baselined, "Engineering"), "delta": Decimal("-40000.01")}])
    client.force_login(support)
    response = client.post(reverse("projects:change_create", args=[baselined.code]), {
        "title": "Drop engineering", "description": "d", "priority": "low", "severity": "2", "owner": pm.pk,
        "time_impact_days": "0", "costs-TOTAL_FORMS": "2", "costs-INITIAL_FORMS": "0",
        "costs-0-budget_line": _line(baselined, "Engineering").pk, "costs-0-delta": "-50.000,00",
        "costs-1-delta": ""})
    body = response.content.decode()
    assert "Engineering would fall below zero" in body and 'value="Drop engineering"' in body
    assert not ChangeRequest.objects.exists()


def test_new_budget_lines_need_a_category_and_description_and_lines_of_other_projects_are_refused(
        client, pm, support, baselined):
    other = ProjectFactory(project_manager=pm)
    foreign = BudgetLine.objects.create(project=other, category="travel", description="Hotel", amount=Decimal("100"))
    with pytest.raises(DomainError, match="another project"):
        _raise(baselined, support, pm, [{"budget_line": foreign, "delta": Decimal("10")}])
    client.force_login(support)
    response = client.post(reverse("projects:change_create", args=[baselined.code]), {
        "title": "Travel", "description": "d", "priority": "low", "severity": "2", "owner": pm.pk,
        "time_impact_days": "0", "costs-TOTAL_FORMS": "1", "costs-INITIAL_FORMS": "0", "costs-0-delta": "1500"})
    assert "A new budget line needs a cost category." in response.content.decode()
    change = _raise(baselined, support, pm, [{"budget_line": None, "category": "travel", "description": "Site visits",
                                              "delta": Decimal("1500")}])
    change_approve(change_id=change.pk, by=pm, expected_version=change.version)
    assert _line(baselined, "Site visits").amount == Decimal("1500.00")


def test_owners_come_from_the_project_staff(pm2, support, baselined):
    with pytest.raises(DomainError, match="owner must be on the project's staff"):
        _raise(baselined, support, pm2)


def test_a_deferred_change_can_be_edited_and_submitted_again_a_rejected_one_cannot(pm, support, baselined):
    change = _raise(baselined, support, pm)
    with pytest.raises(DomainError, match="Say why"):
        change_reject(change_id=change.pk, by=pm, expected_version=change.version, comment=" ", defer=True)
    change = change_reject(change_id=change.pk, by=pm, expected_version=change.version, comment="After summer",
                                   defer=True)
    change = change_update(change_id=change.pk, by=support, data=_data(pm, title="Extra floor, phase 2"),
                                   costs=[], milestones=[], expected_version=change.version)
    change = change_submit(change_id=change.pk, by=support)
    change = change_reject(change_id=change.pk, by=pm, expected_version=change.version, comment="No budget")
    with pytest.raises(DomainError, match="can no longer be edited"):
        change_update(change_id=change.pk, by=support, data=_data(pm), costs=[], milestones=[],
                              expected_version=change.version)
    assert [d.title for d in Decision.objects.order_by("number")] == [
        "CR-001 deferred: Extra floor", "CR-001 rejected: Extra floor, phase 2"]


def test_after_the_first_baseline_the_budget_changes_only_through_change_requests(client, pm, baselined):
    client.force_login(pm)
    response = client.get(reverse("projects:budget", args=[baselined.code]))
    assert response.context["formset"] is None
    assert "only through an approved change request" in response.content.decode()
    with pytest.raises(DomainError):
        budget_submit(project_id=baselined.pk, by=pm)


def test_the_comparison_page_shows_what_changed_and_why(client, pm, support, pmolead, baselined):
    change = _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("40000")}],
                    title="Fourth floor")
    change_approve(change_id=change.pk, by=pmolead, expected_version=change.version, comment="Customer pays")
    client.force_login(support)
    response = client.get(reverse("projects:baselines", args=[baselined.code]))
    body = response.content.decode()
    assert (response.context["new"].version, response.context["old"].version) == (2, 1)
    assert ("Material", "Switches", Decimal("200000.00"), Decimal("240000.00"), Decimal("40000.00")) in \
        response.context["diff"]["lines"]
    assert response.context["diff"]["levels"] == (1, 2)
    assert "CR-001 Fourth floor" in body and "Customer pays" in body and "+40,000.00" in body
    first = client.get(reverse("projects:baselines", args=[baselined.code]) + "?version=1")
    assert first.context["old"] is None and "the first baseline" in first.content.decode()


def test_the_edit_form_lists_only_this_projects_lines_and_milestones(client, pm, support, baselined):
    other = ProjectFactory(project_manager=pm)
    Milestone.objects.create(project=other, name="Elsewhere", baseline_date=D(2026, 5, 1), forecast_date=D(2026, 5, 1))
    client.force_login(support)
    body = client.get(reverse("projects:change_create", args=[baselined.code])).content.decode()
    assert "Switches" in body and "Elsewhere" not in body
    assert Project.objects.get(pk=baselined.pk).change_requests.count() == 0


def test_change_requests_export_with_text_neutralised(client, pm, support, baselined):
    from io import BytesIO

    from openpyxl import load_workbook

    _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("1000")}],
           title="=HYPERLINK(\"http://x\")")
    client.force_login(support)
    response = client.get(reverse("projects:change_export", args=[baselined.code]))
    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert rows[1][0] == "CR-001" and rows[1][1].startswith("'=") and rows[1][7] == 1000


def test_one_row_per_budget_line_and_an_unknown_baseline_version_is_not_found(client, pm, support, baselined):
    switches = _line(baselined, "Switches")
    with pytest.raises(DomainError, match="Name each budget line once"):
        _raise(baselined, support, pm, [{"budget_line": switches, "delta": Decimal("10")},
                                        {"budget_line": switches, "delta": Decimal("20")}])
    client.force_login(support)
    for version in ("99", "abc"):
        url = reverse("projects:baselines", args=[baselined.code]) + f"?version={version}"
        assert client.get(url).status_code == 404


def test_deciding_from_a_second_tab_says_who_decided_it(client, pm, support, pmolead, baselined):
    change = _raise(baselined, support, pm, [{"budget_line": _line(baselined, "Switches"), "delta": Decimal("40000")}])
    change_approve(change_id=change.pk, by=pmolead, expected_version=change.version)
    client.force_login(pmolead)
    response = client.post(reverse("projects:change_decide", args=[baselined.code, 1]),
                           {"reject": "1", "version": change.version, "comment": "No"}, follow=True)
    assert response.status_code == 200 and "CR-001 was already decided (approved) by" in response.content.decode()
