import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from projects.domain import DomainError
from projects.models import ProjectIssue
from projects.services.registers import issue_raise, issue_update

from .factories import ProjectFactory


@pytest.fixture
def troubled(pm, support):
    return ProjectFactory(project_manager=pm, support_officer=support)


def _data(owner, **changes):
    data = {"type": "off_specification", "title": "Switch model discontinued", "description": "Supplier EOL",
            "priority": "high", "severity": 4, "owner": owner, "status": "open", "due_date": None}
    data.update(changes)
    return data


def test_issues_are_numbered_and_closing_dates_them(pm, troubled):
    issue = issue_raise(project_id=troubled.pk, by=pm, data=_data(pm))
    assert issue.identifier == "I-001" and issue.closed_on is None
    issue = issue_update(issue_id=issue.pk, by=pm, data=_data(pm, status="closed"), expected_version=1)
    assert issue.closed_on == timezone.localdate()
    issue = issue_update(issue_id=issue.pk, by=pm, data=_data(pm, status="open"), expected_version=2)
    assert issue.closed_on is None


def test_other_parts_of_the_product_raise_issues_through_the_same_service(engmgr, pm, troubled):
    """A checklist's "not OK" may be recorded by someone who cannot edit the register."""
    with pytest.raises(DomainError):
        issue_raise(project_id=troubled.pk, by=engmgr, data=_data(pm))
    issue = issue_raise(project_id=troubled.pk, by=engmgr, data=_data(pm), check_permission=False)
    assert issue.raised_by == engmgr


def test_the_owner_must_be_on_the_staff_and_severity_is_1_to_5(client, pm, pm2, troubled):
    with pytest.raises(DomainError, match="owner must be on the project's staff"):
        issue_raise(project_id=troubled.pk, by=pm, data=_data(pm2))
    client.force_login(pm)
    response = client.post(reverse("projects:issue_create", args=[troubled.code]), {
        "type": "problem", "title": "Late permit", "description": "City permit delayed", "priority": "high",
        "severity": "9", "owner": pm.pk, "status": "open"})
    assert "less than or equal to 5" in response.content.decode() and 'value="Late permit"' in response.content.decode()
    assert not ProjectIssue.objects.exists()


def test_the_list_shows_open_issues_and_overdue_ones_stand_out(client, pm, troubled):
    issue_raise(project_id=troubled.pk, by=pm,
                          data=_data(pm, due_date=timezone.localdate() - dt.timedelta(days=2)))
    closed = issue_raise(project_id=troubled.pk, by=pm, data=_data(pm, title="Old"))
    issue_update(issue_id=closed.pk, by=pm, data=_data(pm, title="Old", status="closed"), expected_version=1)
    client.force_login(pm)
    response = client.get(reverse("projects:issues", args=[troubled.code]))
    assert [i.number for i in response.context["page"].object_list] == [1]
    assert "text-danger fw-semibold" in response.content.decode()
    assert len(client.get(reverse("projects:issues", args=[troubled.code]), {"status": "all"})
               .context["page"].object_list) == 2
