"""Timesheets for internal labour: a person saves and submits a week, the project's PM (or the person's
engineering manager) approves or returns it, finance keeps cost rates and locks months.

Cost: hours x the rate in force on each day, rounded half up to the cent per timesheet line
(projects.models.labour_cost), stored on the line when the timesheet is approved, so neither a later
rate change nor anything else rewrites it; after finance locks a month, no week touching it changes.
"""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from projects import permissions_timesheets as perms
from projects.domain import DomainError, StaleEdit, notify_user, refuse_unless
from projects.lib.amounts import money
from projects.models import (
    DAYS,
    HOURS_PER_DAY_MAX,
    Activity,
    CostRate,
    MonthLock,
    Project,
    Resource,
    Timesheet,
    TimesheetLine,
    labour_cost,
)
from projects.workflows_timesheets import TIMESHEET

ZERO = Decimal("0")


class TimesheetFieldError(DomainError):
    """A refusal about one field (a cell of the week, a rate's date): shown next to it."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def cell_name(activity_id: int, day: str) -> str:
    return f"h-{activity_id}-{day}"


def week_days(week_start: dt.date) -> list[dt.date]:
    return [week_start + dt.timedelta(days=i) for i in range(7)]


def locked_month_of_week(week_start: dt.date) -> dt.date | None:
    """The first locked month the week touches (a week may straddle two months), or None."""
    months = {day.replace(day=1) for day in week_days(week_start)}
    return MonthLock.objects.filter(month__in=months).order_by("month").values_list("month", flat=True).first()


def refuse_if_locked(week_start: dt.date) -> None:
    month = locked_month_of_week(week_start)
    if month:
        raise DomainError(_("Finance has locked %(month)s: the hours of a week touching it no longer change.")
                          % {"month": date_format(month, "YEAR_MONTH_FORMAT")})


def skills_of(resource: Resource) -> list[str]:
    """The resource's skills in the order listed: the first one with a rate is the role it is costed at."""
    return [s.strip() for s in resource.skills.split(",") if s.strip()]


def rates_for(resource: Resource, days: list[dt.date]) -> dict[dt.date, Decimal]:
    """The hourly rate in force on each day (one query): the person's own rate, else the rate of the
    first of their skills that has one; a day without either is absent."""
    skills = skills_of(resource)
    lower = {s.lower(): i for i, s in enumerate(skills)}
    candidates = list(CostRate.objects.filter(
        Q(resource=resource) | Q(resource__isnull=True, skill__iregex=r"^(" + "|".join(
            _regex_escape(s) for s in skills) + r")$") if skills else Q(resource=resource),
        valid_from__lte=max(days)).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=min(days))))

    def rank(rate: CostRate) -> int:
        return -1 if rate.resource_id else lower.get(rate.skill.strip().lower(), len(skills))

    candidates.sort(key=rank)
    rates = {}
    for day in days:
        rate = next((r for r in candidates if r.covers(day)), None)
        if rate:
            rates[day] = rate.hourly_rate
    return rates


def _regex_escape(text: str) -> str:
    """PostgreSQL regular expressions: escape every non-alphanumeric character."""
    return "".join(c if c.isalnum() or c == " " else "\\" + c for c in text)


def assignable_activities(resource: Resource):
    """The activities the person may book hours on: any activity of a project they are assigned to
    (on at least one of its activities), on a project not finished."""
    projects = Project.objects.filter(activities__assignments__resource=resource).exclude(
        status__in=Project.FINISHED)
    return Activity.objects.filter(project__in=projects).select_related("project")


def _check_cells(hours: dict[int, list[Decimal]]) -> None:
    for activity_id, values in hours.items():
        for day, value in zip(DAYS, values):
            if value is None or value < 0 or value > HOURS_PER_DAY_MAX:
                raise TimesheetFieldError(cell_name(activity_id, day),
                                          _("Enter between 0 and 24 hours for a day."))


@transaction.atomic
def timesheet_week_save(*, resource_id: int, week_start: dt.date, by: User,
                        hours: dict[int, list[Decimal]]) -> list[Timesheet]:
    """Save a person's hours of one week, per activity and day: 0 to 24 hours a day (all activities
    together), only on activities of projects they are assigned to, only on weeks not submitted, approved
    or locked. Values of a timesheet no longer editable must come back unchanged."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)  # one save of a week at a time
    refuse_unless(resource.user_id == by.pk and resource.active, _("You may only enter your own hours."))
    refuse_unless(week_start.weekday() == 0, _("A timesheet week starts on a Monday."))
    refuse_if_locked(week_start)
    _check_cells(hours)
    activities = {a.pk: a for a in assignable_activities(resource).filter(pk__in=list(hours))}
    for activity_id in hours:
        refuse_unless(activity_id in activities,
                      _("You may only book hours on activities of projects you are assigned to."))
    sheets = {t.project_id: t for t in resource.timesheets.filter(week_start=week_start).prefetch_related("lines")}
    lines = {line.activity_id: line for t in sheets.values() for line in t.lines.all()}
    # The day totals over the whole week: what is typed, and what stays as stored.
    totals = [ZERO] * 7
    for activity_id, line in lines.items():
        values = hours.get(activity_id, line.hours)
        totals = [a + b for a, b in zip(totals, values)]
    for activity_id, values in hours.items():
        if activity_id not in lines:
            totals = [a + b for a, b in zip(totals, values)]
    for i, total in enumerate(totals):
        if total > HOURS_PER_DAY_MAX:
            first = next(a for a, v in hours.items() if v[i] > 0)
            raise TimesheetFieldError(cell_name(first, DAYS[i]),
                                      _("More than 24 hours on one day (%(total)s h in all).") % {"total": total})
    saved = []
    by_project: dict[int, list[int]] = {}
    for activity_id in hours:
        by_project.setdefault(activities[activity_id].project_id, []).append(activity_id)
    for project_id, activity_ids in by_project.items():
        sheet = sheets.get(project_id)
        changed = [a for a in activity_ids if hours[a] != (lines[a].hours if a in lines else [ZERO] * 7)]
        if not changed:
            continue
        if sheet and sheet.status not in Timesheet.EDITABLE:
            raise DomainError(_("Your hours on %(project)s for this week are %(status)s and can no longer be "
                                "changed.") % {"project": sheet.project.code,
                                               "status": sheet.get_status_display().lower()})
        if sheet is None:
            sheet = Timesheet.objects.create(resource=resource, project_id=project_id, week_start=week_start)
        else:
            sheet.version += 1
            sheet.save()
        for activity_id in changed:
            line = lines.get(activity_id) or TimesheetLine(timesheet=sheet, activity_id=activity_id)
            for day, value in zip(DAYS, hours[activity_id]):
                setattr(line, day, value)
            line.save()
        saved.append(sheet)
    return saved


@transaction.atomic
def timesheet_week_submit(*, resource_id: int, week_start: dt.date, by: User) -> list[Timesheet]:
    """Submit the person's draft or returned timesheets of the week that carry hours, one per project;
    each project's PM is told."""
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    refuse_unless(resource.user_id == by.pk, _("You may only submit your own hours."))
    refuse_if_locked(week_start)
    sheets = [t for t in resource.timesheets.filter(week_start=week_start, status__in=Timesheet.EDITABLE)
              .select_related("project", "project__project_manager", "resource").prefetch_related("lines")
              if any(line.total for line in t.lines.all())]
    refuse_unless(bool(sheets), _("There are no hours to submit for this week."))
    now = timezone.now()
    for sheet in sheets:
        TIMESHEET.check("submit", by, sheet)
        sheet.status, sheet.submitted_at, sheet.return_reason = Timesheet.Status.SUBMITTED, now, ""
        sheet.version += 1
        sheet.save()
        manager = sheet.project.project_manager
        if manager and manager.pk != by.pk:
            notify_user(manager, "/timesheets/approvals/", gettext_lazy("Timesheet to approve: %(person)s, %(week)s"),
                        person=resource.name, week=sheet.week_label)
    return sheets


def _lock_timesheet(timesheet_id: int, expected_version: int | None) -> Timesheet:
    sheet = (Timesheet.objects.select_for_update(of=("self",)).select_related("resource", "project")
             .get(pk=timesheet_id))
    if expected_version is not None and sheet.version != expected_version:
        raise StaleEdit(_("Someone else changed this timesheet meanwhile; reload the page to see it."))
    return sheet


@transaction.atomic
def timesheet_approve(*, timesheet_id: int, by: User, expected_version: int | None = None) -> Timesheet:
    """Approve a submitted timesheet (the project's PM or the author's engineering manager, once): each
    line's cost is fixed now at the rates in force on its days; a day with hours and no rate is refused."""
    sheet = _lock_timesheet(timesheet_id, expected_version)
    TIMESHEET.check("approve", by, sheet)
    refuse_if_locked(sheet.week_start)
    days = sheet.days
    rates = rates_for(sheet.resource, days)
    lines = list(sheet.lines.all())
    for line in lines:
        for day, value in zip(days, line.hours):
            if value and day not in rates:
                raise DomainError(_("%(person)s has no cost rate in force on %(day)s: finance must set one "
                                    "before these hours can be approved.")
                                  % {"person": sheet.resource.name, "day": date_format(day, "SHORT_DATE_FORMAT")})
    for line in lines:
        line.cost = labour_cost((value, rates.get(day, ZERO)) for day, value in zip(days, line.hours))
        line.save()
    sheet.status, sheet.decided_by, sheet.decided_at = Timesheet.Status.APPROVED, by, timezone.now()
    sheet.version += 1
    sheet.save()
    return sheet


@transaction.atomic
def timesheet_return(*, timesheet_id: int, by: User, reason: str, expected_version: int | None = None
                     ) -> Timesheet:
    """Send a submitted timesheet back to its author with the reason; they correct and submit again."""
    sheet = _lock_timesheet(timesheet_id, expected_version)
    TIMESHEET.check("return", by, sheet)
    refuse_if_locked(sheet.week_start)
    reason = (reason or "").strip()
    refuse_unless(bool(reason), _("Say why the timesheet goes back."))
    sheet.status, sheet.decided_by, sheet.decided_at = Timesheet.Status.RETURNED, by, timezone.now()
    sheet.return_reason = reason
    sheet.version += 1
    sheet.save()
    if sheet.resource.user_id:
        notify_user(sheet.resource.user, f"/timesheets/?week={sheet.week_label}",
                    gettext_lazy("Timesheet returned: %(project)s, %(week)s"), project=sheet.project.code,
                    week=sheet.week_label)
    return sheet


def _lock_rate_subject(resource: Resource | None, skill: str) -> None:
    """Two rates for one person or skill saved at once are checked one after the other."""
    if resource:
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"cost-rate:{skill.lower()}"])


@transaction.atomic
def cost_rate_save(*, by: User, data: dict, rate_id: int | None = None, expected_version: int | None = None
                   ) -> CostRate:
    """A new or edited cost rate (finance): for one person or one skill, never overlapping another rate of
    the same person or skill. Hours already approved keep the cost stored with them."""
    refuse_unless(perms.can_keep_cost_rates(by), _("Only finance keeps cost rates."))
    resource, skill = data.get("resource"), (data.get("skill") or "").strip()
    if resource:
        skill = ""
    refuse_unless(bool(resource) != bool(skill), _("Choose a person or name a skill."))
    until = data.get("valid_until")
    if until and until < data["valid_from"]:
        raise TimesheetFieldError("valid_until", _("The end comes before the start."))
    _lock_rate_subject(resource, skill)
    same = CostRate.objects.filter(resource=resource) if resource else CostRate.objects.filter(
        resource__isnull=True, skill__iexact=skill)
    overlap = same.exclude(pk=rate_id).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=data["valid_from"]))
    if until:
        overlap = overlap.filter(valid_from__lte=until)
    other = overlap.order_by("valid_from").first()
    if other:
        raise TimesheetFieldError("valid_from", _(
            "Overlaps the rate of EUR %(rate)s valid from %(start)s%(until)s: end that one first.") % {
            "rate": money(other.hourly_rate), "start": date_format(other.valid_from, "SHORT_DATE_FORMAT"),
            "until": _(" until %(day)s") % {"day": date_format(other.valid_until, "SHORT_DATE_FORMAT")}
            if other.valid_until else ""})
    if rate_id:
        rate = CostRate.objects.select_for_update().get(pk=rate_id)
        if expected_version is not None and rate.version != expected_version:
            raise StaleEdit(_("Someone else changed this rate meanwhile; reload the page to see it."))
        rate.version += 1
    else:
        rate = CostRate()
    rate.resource, rate.skill, rate.hourly_rate = resource, skill, data["hourly_rate"]
    rate.valid_from, rate.valid_until = data["valid_from"], until
    rate.save()
    return rate


def weeks_touching(month: dt.date) -> Q:
    """Timesheets whose week has a day in the month."""
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return Q(week_start__gt=month - dt.timedelta(days=7), week_start__lt=following)


@transaction.atomic
def month_lock(*, month: dt.date, by: User) -> MonthLock:
    """Finance locks a month: nothing in it changes afterwards. Refused while a timesheet touching it still
    waits for a decision (it could then never be decided)."""
    refuse_unless(perms.can_lock_months(by), _("Only finance locks months."))
    month = month.replace(day=1)
    label = date_format(month, "YEAR_MONTH_FORMAT")
    waiting = Timesheet.objects.filter(weeks_touching(month), status=Timesheet.Status.SUBMITTED).count()
    if waiting:
        raise TimesheetFieldError("month", _("%(count)s timesheet(s) touching %(month)s still wait for a decision.")
                                  % {"count": waiting, "month": label})
    try:
        with transaction.atomic():
            return MonthLock.objects.create(month=month, locked_by=by)
    except IntegrityError:
        raise TimesheetFieldError("month", _("%(month)s is already locked.") % {"month": label}) from None
