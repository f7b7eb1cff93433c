import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from projects.domain import DomainError
from projects.models import Absence, Assignment, Resource
from projects.selectors.workload import week_starts, workload
from projects.services.plan import activity_create
from projects.services.resources import Overbooking, assignment_save

from .factories import ProjectFactory, UserFactory

D = dt.date
MONDAY = D(2027, 1, 4)


@pytest.fixture
def engmgr_team(engmgr):
    return Resource.objects.create(name="Jan Engineer", team_manager=engmgr, weekly_capacity_hours=Decimal("38"))


def _activity(project, pm, name, start, end):
    return activity_create(project_id=project.pk, by=pm, data={
        "name": name, "planned_start": start, "planned_end": end})


def test_over_booking_across_two_projects_is_refused_until_confirmed(pm, pm2, engmgr_team):
    first = _activity(ProjectFactory(project_manager=pm), pm, "Cabling", MONDAY, MONDAY + dt.timedelta(days=11))
    second = _activity(ProjectFactory(project_manager=pm2), pm2, "Splicing", MONDAY + dt.timedelta(days=7),
                       MONDAY + dt.timedelta(days=11))
    assignment_save(activity_id=first.pk, by=pm, resource=engmgr_team, hours_per_week=Decimal("30"))
    with pytest.raises(Overbooking, match=r"over-booked in week 2 \(50/38 h\)"):
        assignment_save(activity_id=second.pk, by=pm2, resource=engmgr_team, hours_per_week=Decimal("20"))
    assert Assignment.objects.count() == 1
    assignment_save(activity_id=second.pk, by=pm2, resource=engmgr_team, hours_per_week=Decimal("20"),
                             allow_overbooking=True)
    grid = workload([engmgr_team], week_starts(MONDAY, 3))[engmgr_team.pk]
    assert [(cell.booked, cell.over) for cell in grid.values()] == [(30, False), (50, True), (0, False)]


def test_absences_reduce_capacity(engmgr_team):
    Absence.objects.create(resource=engmgr_team, start=MONDAY, end=MONDAY + dt.timedelta(days=1), reason="Leave")
    grid = workload([engmgr_team], week_starts(MONDAY, 1))[engmgr_team.pk]
    assert grid[MONDAY].capacity == Decimal("22.8")  # 38 h less two of five days


def test_the_engineering_manager_assigns_only_their_own_team(pm, engmgr, engmgr_team):
    other_manager = UserFactory(username="engmgr2", roles=[Role.ENGINEERING_MANAGER])
    outsider = Resource.objects.create(name="Other team", team_manager=other_manager)
    activity = _activity(ProjectFactory(project_manager=pm), pm, "Cabling", MONDAY, MONDAY)
    assignment_save(activity_id=activity.pk, by=engmgr, resource=engmgr_team, hours_per_week=Decimal("8"))
    with pytest.raises(DomainError, match="may not assign Other team"):
        assignment_save(activity_id=activity.pk, by=engmgr, resource=outsider, hours_per_week=Decimal("8"))


def test_absurd_hours_are_refused_on_the_form(client, pm, engmgr_team):
    project = ProjectFactory(project_manager=pm)
    activity = _activity(project, pm, "Cabling", MONDAY, MONDAY)
    client.force_login(pm)
    response = client.post(reverse("projects:assignment_add", args=[project.code, activity.pk]),
                           {"resource": engmgr_team.pk, "hours_per_week": "-5"}, follow=True)
    assert "greater than or equal to 0.5" in response.content.decode()
    assert not Assignment.objects.exists()


def test_an_assignment_on_another_projects_activity_is_not_found(client, pm, pm2, engmgr_team):
    mine = ProjectFactory(project_manager=pm)
    foreign = _activity(ProjectFactory(project_manager=pm2), pm2, "Foreign", MONDAY, MONDAY)
    client.force_login(pm)
    response = client.post(reverse("projects:assignment_add", args=[mine.code, foreign.pk]),
                           {"resource": engmgr_team.pk, "hours_per_week": "8"})
    assert response.status_code == 404
    assert not Assignment.objects.exists()


def test_the_workload_page_flags_over_booking_with_constant_queries(client, pm, engmgr, django_assert_max_num_queries):
    project = ProjectFactory(project_manager=pm)
    activity = _activity(project, pm, "Cabling", MONDAY, MONDAY + dt.timedelta(days=4))
    first = Resource.objects.create(name="A", weekly_capacity_hours=10)
    assignment_save(activity_id=activity.pk, by=pm, resource=first, hours_per_week=Decimal("12"),
                             allow_overbooking=True)
    client.force_login(engmgr)
    with django_assert_max_num_queries(12) as few:
        response = client.get(reverse("workload"), {"from": "2027-01-04"})
    assert "table-danger" in response.content.decode() and project.code in response.content.decode()
    for n in range(20):
        resource = Resource.objects.create(name=f"R{n}")
        assignment_save(activity_id=activity.pk, by=pm, resource=resource, hours_per_week=Decimal("8"))
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("workload"), {"from": "2027-01-04"})


def test_the_calendar_feed_needs_the_right_token(client, pm, engmgr_team):
    project = ProjectFactory(project_manager=pm, name="Fibre; backbone, phase 2")
    activity = _activity(project, pm, "Cabling", MONDAY, MONDAY + dt.timedelta(days=2))
    assignment_save(activity_id=activity.pk, by=pm, resource=engmgr_team, hours_per_week=Decimal("16"))
    url = reverse("calendar_feed", args=[engmgr_team.calendar_token])
    body = client.get(url).content.decode()
    assert "DTSTART;VALUE=DATE:20270104" in body and "DTEND;VALUE=DATE:20270107" in body
    assert f"SUMMARY:{project.code} Cabling (16 h/week)" in body
    assert "DESCRIPTION:Fibre\\; backbone\\, phase 2" in body
    assert client.get(reverse("calendar_feed", args=["wrong-token"])).status_code == 404
    engmgr_team.active = False  # a revoked feed
    engmgr_team.save()
    assert client.get(url).status_code == 404


def test_a_renewed_calendar_address_revokes_the_old_one(client, engmgr, engmgr_team):
    old = reverse("calendar_feed", args=[engmgr_team.calendar_token])
    assert client.get(old).status_code == 200
    client.force_login(engmgr)
    client.post(reverse("calendar_token_renew", args=[engmgr_team.pk]))
    client.logout()
    engmgr_team.refresh_from_db()
    assert client.get(old).status_code == 404
    assert client.get(reverse("calendar_feed", args=[engmgr_team.calendar_token])).status_code == 200


def test_the_dutch_workload_page_speaks_of_medewerkers(client, engmgr):
    engmgr.language = "nl"
    engmgr.save()
    client.force_login(engmgr)
    html = client.get(reverse("workload")).content.decode()
    assert ">Medewerkers</a>" in html and ">Medewerker</th>" in html and "Resource" not in html


def _grid_rows(html: str) -> list[str]:
    return re.findall(r'<tr><th scope="row">.*?</tr>', html.split("<tbody>")[1].split("</tbody>")[0], flags=re.S)


def test_the_workload_page_reads_the_assignments_once_however_many_resources_projects_and_absences(
        client, pm, pm2, engmgr, django_assert_num_queries):
    def book(resources: int, projects: int):
        """Written in bulk: what is measured is the page's reading, not the booking service."""
        people = Resource.objects.bulk_create([Resource(name=f"R{Resource.objects.count() + n:03d}",
                                                        calendar_token=f"{projects}-{n}") for n in range(resources)])
        Absence.objects.bulk_create([Absence(resource=r, start=MONDAY + dt.timedelta(days=n % 5),
                                             end=MONDAY + dt.timedelta(days=n % 5)) for n, r in enumerate(people)])
        for p in range(projects):
            owner = pm if p % 2 else pm2
            activity = _activity(ProjectFactory(project_manager=owner), owner, f"Work {p}", MONDAY,
                                 MONDAY + dt.timedelta(weeks=p + 1))
            Assignment.objects.bulk_create([Assignment(activity=activity, resource=r, hours_per_week=Decimal("4"))
                                            for r in Resource.objects.all()])

    book(resources=2, projects=1)
    client.force_login(engmgr)
    url = reverse("workload")
    with CaptureQueriesContext(connection) as few:
        client.get(url, {"from": MONDAY.isoformat(), "weeks": 26})
    assert sum('FROM "projects_assignment"' in q["sql"] for q in few.captured_queries) == 1
    book(resources=60, projects=4)  # more resources than a page, more projects per cell, more absences
    with django_assert_num_queries(len(few)):
        html = client.get(url, {"from": MONDAY.isoformat(), "weeks": 26}).content.decode()
    assert len(_grid_rows(html)) == 50
    with django_assert_num_queries(len(few)):
        client.get(url, {"from": MONDAY.isoformat(), "weeks": 26, "page": 2})


def test_each_cell_shows_booked_over_capacity_its_colour_and_its_projects(client, pm, pm2, engmgr, engmgr_team):
    first, second = ProjectFactory(project_manager=pm), ProjectFactory(project_manager=pm2)
    cabling = _activity(first, pm, "Cabling", MONDAY, MONDAY + dt.timedelta(days=11))
    splicing = _activity(second, pm2, "Splicing", MONDAY + dt.timedelta(days=7), MONDAY + dt.timedelta(days=18))
    assignment_save(activity_id=cabling.pk, by=pm, resource=engmgr_team, hours_per_week=Decimal("35"))
    assignment_save(activity_id=splicing.pk, by=pm2, resource=engmgr_team, hours_per_week=Decimal("12.5"),
                    allow_overbooking=True)
    Absence.objects.create(resource=engmgr_team, start=MONDAY + dt.timedelta(days=18),
                           end=MONDAY + dt.timedelta(days=21), reason="Leave")  # Friday and Monday
    client.force_login(engmgr)
    html = client.get(reverse("workload"), {"from": MONDAY.isoformat(), "weeks": 5}).content.decode()
    codes = ", ".join(sorted([first.code, second.code]))
    assert re.findall(r"<td[^>]*>[^<]*</td>", _grid_rows(html)[0]) == [
        f'<td class="text-center table-warning" title="{first.code}">35/38</td>',
        f'<td class="text-center table-danger fw-semibold" title="{codes}">47.5/38 !</td>',
        f'<td class="text-center " title="{second.code}">12.5/30.4</td>',
        '<td class="text-center " title="">0/30.4</td>',
        '<td class="text-center " title="">0/38</td>',
    ]
    assert '<th scope="col" class="text-center">wk 1<div class="small fw-normal">04/01</div></th>' in html


def test_resource_names_and_sites_are_escaped_in_the_grid(client, engmgr):
    Resource.objects.create(name='<script>alert("x")</script>', home_site="Gent & <b>Brugge</b>")
    client.force_login(engmgr)
    html = client.get(reverse("workload")).content.decode()
    assert "<script>alert" not in html and "<b>Brugge" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "Gent &amp; &lt;b&gt;Brugge&lt;/b&gt;" in html


def test_the_workload_shows_at_most_fifty_resources_a_page(client, engmgr):
    Resource.objects.bulk_create([Resource(name=f"R{n:03d}", calendar_token=f"t{n}") for n in range(51)])
    client.force_login(engmgr)
    html = client.get(reverse("workload"), {"size": 200}).content.decode()
    assert len(_grid_rows(html)) == 50 and "Page 1 of 2" in html
    last = client.get(reverse("workload"), {"size": 200, "page": 2}).content.decode()
    assert len(_grid_rows(last)) == 1 and "R050" in last
    assert len(_grid_rows(client.get(reverse("workload"), {"size": 10}).content.decode())) == 10


def test_the_dutch_and_french_weeks_are_named_in_their_language(client, engmgr):
    Resource.objects.create(name="Jan")
    client.force_login(engmgr)
    for language, week in (("nl", "wk 1"), ("fr", "sem. 1")):
        engmgr.language = language
        engmgr.save()
        html = client.get(reverse("workload"), {"from": MONDAY.isoformat()}).content.decode()
        assert f'<th scope="col" class="text-center">{week}<div' in html


def test_earlier_and_later_keep_the_page_and_the_number_of_weeks(client, engmgr):
    client.force_login(engmgr)
    html = client.get(reverse("workload"), {"from": MONDAY.isoformat(), "weeks": 4, "page": 2}).content.decode()
    assert 'href="?from=2026-12-07&amp;weeks=4&amp;page=2">← Earlier' in html
    assert 'href="?from=2027-02-01&amp;weeks=4&amp;page=2">Later →' in html
