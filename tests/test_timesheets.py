"""Timesheets for internal labour: the rules (hours bounds, overlapping rates, locked months, the rate in
force by date, the cost in Decimal), the transitions and their refusals, and the cost view."""

import datetime as dt
from decimal import Decimal

import pytest

from procurement.selectors.costs import costs_by_project, project_costs
from projects.domain import DomainError
from projects.models import (
    Activity,
    Assignment,
    BudgetLine,
    CostCategory,
    CostRate,
    MonthLock,
    Resource,
    Timesheet,
    labour_cost,
)
from projects.services import timesheets as ts

from .factories import ProjectFactory, UserFactory

MONDAY = dt.date(2026, 11, 2)  # ISO week 2026-W45, all in November
D = Decimal


def week(*values):
    return [D(str(v)) for v in values] + [D("0")] * (7 - len(values))


@pytest.fixture
def engineer(db, engmgr):
    user = UserFactory(username="eng", roles=[])
    return Resource.objects.create(name="Eva Engineer", user=user, team_manager=engmgr, skills="Electrician, Welder")


@pytest.fixture
def activity(project, engineer):
    a = Activity.objects.create(project=project, name="Cabling", planned_start=MONDAY,
                                planned_end=MONDAY + dt.timedelta(days=30))
    Assignment.objects.create(activity=a, resource=engineer, hours_per_week=D("20"))
    return a


@pytest.fixture
def rate(engineer, finance):
    return ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("61.25"),
                                               "valid_from": dt.date(2026, 1, 1), "valid_until": None})


def _submitted(engineer, activity, *values):
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: week(*values)})
    return ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)[0]


def test_cost_is_hours_times_rate_rounded_half_up_to_the_cent_per_line():
    assert labour_cost([(D("7.5"), D("61.25"))]) == D("459.38")  # 459.375
    assert labour_cost([(D("1"), D("10.005")), (D("1"), D("10.005"))]) == D("20.01")  # summed, then rounded once


def test_it_saves_and_submits_a_week_and_the_pm_approves_it_at_the_rate_in_force(engineer, activity, rate, pm):
    sheet = _submitted(engineer, activity, 8, 7.5)
    assert sheet.status == Timesheet.Status.SUBMITTED
    ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.decided_by == pm
    assert sheet.lines.get().cost == D("949.38")  # 15.5 h x 61.25 = 949.375
    assert Timesheet.history.filter(id=sheet.pk).count() >= 3


def test_the_rate_in_force_changes_on_its_valid_from_day(engineer, activity, finance, pm):
    ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("50"),
                                        "valid_from": dt.date(2026, 1, 1), "valid_until": MONDAY + dt.timedelta(1)})
    ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("60"),
                                        "valid_from": MONDAY + dt.timedelta(2), "valid_until": None})
    sheet = _submitted(engineer, activity, 1, 1, 1)  # Mon, Tue at 50; Wed at 60
    ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)
    assert sheet.lines.get().cost == D("160.00")


def test_a_skill_rate_applies_when_the_person_has_none_and_the_first_listed_skill_wins(engineer, finance):
    for skill, amount in (("welder", "70"), ("Electrician", "55")):
        ts.cost_rate_save(by=finance, data={"skill": skill, "hourly_rate": D(amount),
                                            "valid_from": dt.date(2026, 1, 1), "valid_until": None})
    assert ts.rates_for(engineer, [MONDAY]) == {MONDAY: D("55")}
    ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("80"),
                                        "valid_from": MONDAY, "valid_until": None})
    assert ts.rates_for(engineer, [MONDAY]) == {MONDAY: D("80")}


def test_a_later_rate_change_never_rewrites_an_approved_cost(engineer, activity, rate, pm, finance):
    sheet = _submitted(engineer, activity, 2)
    ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)
    ts.cost_rate_save(by=finance, rate_id=rate.pk, data={"resource": engineer, "hourly_rate": D("99"),
                                                         "valid_from": rate.valid_from, "valid_until": None})
    assert sheet.lines.get().cost == D("122.50")


@pytest.mark.parametrize("until", [None, dt.date(2026, 3, 1)])
def test_an_overlapping_rate_is_refused_at_its_start_date_and_nothing_saved(engineer, rate, finance, until):
    with pytest.raises(ts.TimesheetFieldError) as refused:
        ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("70"),
                                            "valid_from": dt.date(2026, 2, 1), "valid_until": until})
    assert refused.value.field == "valid_from" and "Overlaps" in str(refused.value)
    assert CostRate.objects.count() == 1


def test_a_rate_for_another_person_or_after_the_end_of_the_first_is_fine(engineer, rate, finance):
    rate = ts.cost_rate_save(by=finance, rate_id=rate.pk, data={
        "resource": engineer, "hourly_rate": D("61.25"), "valid_from": rate.valid_from,
        "valid_until": dt.date(2026, 12, 31)})
    ts.cost_rate_save(by=finance, data={"resource": engineer, "hourly_rate": D("70"),
                                        "valid_from": dt.date(2027, 1, 1), "valid_until": None})
    assert CostRate.objects.count() == 2


def test_only_finance_keeps_rates(engineer, pm):
    with pytest.raises(DomainError):
        ts.cost_rate_save(by=pm, data={"resource": engineer, "hourly_rate": D("1"), "valid_from": MONDAY})


@pytest.mark.parametrize("value", ["-0.5", "24.25"])
def test_hours_outside_0_to_24_a_day_are_refused_at_the_cell_and_nothing_saved(engineer, activity, value):
    with pytest.raises(ts.TimesheetFieldError) as refused:
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                               hours={activity.pk: week(1, value)})
    assert refused.value.field == f"h-{activity.pk}-tue"
    assert not Timesheet.objects.exists()


def test_more_than_24_hours_on_one_day_over_all_activities_is_refused(engineer, activity, project):
    other = Activity.objects.create(project=project, name="Testing", planned_start=MONDAY, planned_end=MONDAY)
    with pytest.raises(ts.TimesheetFieldError) as refused:
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                               hours={activity.pk: week(14), other.pk: week(11)})
    assert refused.value.field.endswith("-mon")
    assert not Timesheet.objects.exists()


def test_hours_on_a_project_the_person_is_not_assigned_to_are_refused(engineer, activity):
    foreign = Activity.objects.create(project=ProjectFactory(), name="Elsewhere", planned_start=MONDAY,
                                      planned_end=MONDAY)
    with pytest.raises(DomainError):
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                               hours={foreign.pk: week(1)})


def test_someone_else_cannot_enter_or_submit_my_hours(engineer, activity, pm):
    with pytest.raises(DomainError):
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=pm, hours={activity.pk: week(1)})
    with pytest.raises(DomainError):
        ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=pm)


def test_a_submitted_week_cannot_be_changed_and_nothing_to_submit_is_refused(engineer, activity):
    with pytest.raises(DomainError, match="no hours"):
        ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)
    _submitted(engineer, activity, 4)
    with pytest.raises(DomainError, match="can no longer be changed"):
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                               hours={activity.pk: week(5)})


def test_return_needs_a_reason_and_the_author_resubmits(engineer, activity, rate, pm):
    sheet = _submitted(engineer, activity, 4)
    with pytest.raises(DomainError):
        ts.timesheet_return(timesheet_id=sheet.pk, by=pm, reason=" ")
    ts.timesheet_return(timesheet_id=sheet.pk, by=pm, reason="Tuesday was a holiday")
    sheet.refresh_from_db()
    assert sheet.status == "returned" and sheet.return_reason == "Tuesday was a holiday"
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user, hours={activity.pk: week(3)})
    assert ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)[0].pk == sheet.pk


def test_who_decides_the_pm_the_engineering_manager_never_the_author_or_another_pm(engineer, activity, rate, pm,
                                                                                   pm2, engmgr, finance):
    sheet = _submitted(engineer, activity, 4)
    for who in (pm2, finance, engineer.user):
        with pytest.raises(DomainError):
            ts.timesheet_approve(timesheet_id=sheet.pk, by=who)
    ts.timesheet_approve(timesheet_id=sheet.pk, by=engmgr)
    with pytest.raises(DomainError, match="only a submitted"):
        ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)


def test_approval_without_a_rate_in_force_is_refused(engineer, activity, pm):
    sheet = _submitted(engineer, activity, 4)
    with pytest.raises(DomainError, match="no cost rate"):
        ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)
    sheet.refresh_from_db()
    assert sheet.status == "submitted" and sheet.lines.get().cost is None


def test_nothing_in_a_locked_month_changes(engineer, activity, rate, pm, finance):
    sheet = _submitted(engineer, activity, 4)
    with pytest.raises(ts.TimesheetFieldError, match="wait for a decision"):
        ts.month_lock(month=MONDAY, by=finance)
    ts.timesheet_return(timesheet_id=sheet.pk, by=pm, reason="fix")
    ts.month_lock(month=MONDAY, by=finance)
    for attempt in (
        lambda: ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                                       hours={activity.pk: week(1)}),
        lambda: ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user),
    ):
        with pytest.raises(DomainError, match="locked"):
            attempt()
    # A week straddling a locked month is locked too (Mon 30 Nov - Sun 6 Dec 2026).
    with pytest.raises(DomainError, match="locked"):
        ts.timesheet_week_save(resource_id=engineer.pk, week_start=dt.date(2026, 11, 30), by=engineer.user,
                               hours={activity.pk: week(1)})
    with pytest.raises(ts.TimesheetFieldError, match="already locked"):
        ts.month_lock(month=MONDAY, by=finance)
    with pytest.raises(DomainError):
        ts.month_lock(month=dt.date(2026, 10, 1), by=pm)
    assert MonthLock.objects.count() == 1


def test_approving_or_returning_in_a_locked_month_is_refused(engineer, activity, rate, pm, finance):
    sheet = _submitted(engineer, activity, 4)
    MonthLock.objects.create(month=dt.date(2026, 11, 1), locked_by=finance)  # locked behind the service's back
    for attempt in (lambda: ts.timesheet_approve(timesheet_id=sheet.pk, by=pm),
                    lambda: ts.timesheet_return(timesheet_id=sheet.pk, by=pm, reason="x")):
        with pytest.raises(DomainError, match="locked"):
            attempt()
    sheet.refresh_from_db()
    assert sheet.status == "submitted"


def test_approved_hours_are_actual_cost_of_the_internal_labour_line(engineer, activity, rate, pm, project):
    BudgetLine.objects.create(project=project, category=CostCategory.MATERIAL, description="Cable", amount=D("500"))
    labour = BudgetLine.objects.create(project=project, category=CostCategory.INTERNAL_LABOUR,
                                       description="Engineering", amount=D("5000"))
    sheet = _submitted(engineer, activity, 8)
    assert project_costs(project).total.actual == 0  # submitted is not cost yet
    ts.timesheet_approve(timesheet_id=sheet.pk, by=pm)
    costs = project_costs(project)
    line = next(c for c in costs.lines if c.label == str(labour))
    assert line.actual == line.labour == D("490.00") and line.forecast == D("490.00")
    assert costs.total.actual == D("490.00")
    assert costs_by_project([project])[project.pk].actual == D("490.00")


def test_labour_on_a_project_without_a_labour_line_shows_on_its_own_line(engineer, activity, rate, pm, project):
    ts.timesheet_approve(timesheet_id=_submitted(engineer, activity, 2).pk, by=pm)
    costs = project_costs(project)
    assert [(c.actual, c.labour) for c in costs.lines] == [(D("122.50"), D("122.50"))]


def test_the_portfolio_summary_counts_approved_labour_and_keeps_committed_to_orders(engineer, activity, rate, pm,
                                                                                     project):
    from reporting.selectors.portfolio import summary_costs
    from reporting.services.summaries import project_summaries_refresh

    project_summaries_refresh(everything=True)
    ts.timesheet_approve(timesheet_id=_submitted(engineer, activity, 8).pk, by=pm)
    project_summaries_refresh()  # the approval marked the project's summary dirty
    project.summary.refresh_from_db()
    costs = summary_costs(project.summary)
    assert (costs.actual, costs.labour, costs.committed) == (D("490.00"), D("490.00"), D("0"))
