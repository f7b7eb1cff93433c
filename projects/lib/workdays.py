"""Working days (Monday to Friday) for tolerances and time impacts. Public holidays are not
counted out: tolerances are agreed in working weeks, where a holiday rarely tips the balance."""

import datetime as dt


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The date `count` working days after `day` (before it when negative); a weekend start
    counts from the next working day."""
    step = 1 if count >= 0 else -1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    for _ in range(abs(count)):
        day += dt.timedelta(days=step)
        while day.weekday() >= 5:
            day += dt.timedelta(days=step)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days from `start` to `end` (end counted, start not); negative when end is earlier."""
    if end < start:
        return -working_days_between(end, start)
    weeks, rest = divmod((end - start).days, 7)
    count = weeks * 5
    for offset in range(1, rest + 1):
        if (start + dt.timedelta(days=offset)).weekday() < 5:
            count += 1
    return count
