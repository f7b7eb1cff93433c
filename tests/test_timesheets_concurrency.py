"""Two approvals of one timesheet at once, on two real database connections (threads), against PostgreSQL."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.roles import Role
from projects.domain import DomainError
from projects.models import Activity, Assignment, CostRate, Resource, Timesheet
from projects.services import timesheets as ts

from .conftest import needs_postgresql
from .factories import ProjectFactory, UserFactory
from .test_concurrency import _at_once

pytestmark = pytest.mark.django_db(transaction=True)
MONDAY = dt.date(2026, 11, 2)


def test_two_approvals_of_one_timesheet_at_once_give_one():
    needs_postgresql()
    pm = UserFactory(username="pm", roles=[Role.PROJECT_MANAGER])
    engmgr = UserFactory(username="engmgr", roles=[Role.ENGINEERING_MANAGER])
    engineer = Resource.objects.create(name="Eva", user=UserFactory(username="eng", roles=[]), team_manager=engmgr)
    project = ProjectFactory(project_manager=pm)
    activity = Activity.objects.create(project=project, name="Cabling", planned_start=MONDAY, planned_end=MONDAY)
    Assignment.objects.create(activity=activity, resource=engineer, hours_per_week=Decimal("8"))
    CostRate.objects.create(resource=engineer, hourly_rate=Decimal("50"), valid_from=dt.date(2026, 1, 1))
    ts.timesheet_week_save(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user,
                           hours={activity.pk: [Decimal("8")] + [Decimal("0")] * 6})
    sheet = ts.timesheet_week_submit(resource_id=engineer.pk, week_start=MONDAY, by=engineer.user)[0]

    results = _at_once(*(lambda who=who: ts.timesheet_approve(timesheet_id=sheet.pk, by=who) for who in (pm, engmgr)))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError), results
    sheet.refresh_from_db()
    assert sheet.status == "approved" and sheet.decided_by in (pm, engmgr)
    assert Timesheet.history.filter(id=sheet.pk, status="approved").count() == 1
    assert sheet.lines.get().cost == Decimal("400.00")
