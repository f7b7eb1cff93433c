"""Repeated password failures of one (username, address) are first slowed, growing, then axes blocks them;
no request sleeps, and nobody else is slowed. Time passing is the attempt's time moved back in the row."""

import datetime as dt

from axes.models import AccessAttempt
from django.urls import reverse

from .conftest import PASSWORD

ATTACKER = "203.0.113.7"


def _try(client, username, address=ATTACKER, password="wrong"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _seconds_pass(seconds):
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= dt.timedelta(seconds=seconds)
        attempt.save()


def _failures():
    return sum(AccessAttempt.objects.values_list("failures_since_start", flat=True))


def test_failures_are_slowed_growing_then_locked_out_and_only_for_that_pair(client, pm, sales, caplog):
    for _ in range(3):
        assert _try(client, "pm").status_code == 200
    slowed = _try(client, "pm", password=PASSWORD)  # even the right password waits
    assert slowed.status_code == 429 and 25 <= int(slowed["Retry-After"]) <= 30
    assert "Too many failed sign-ins for this username from your address. Wait" in slowed.content.decode()
    assert "_auth_user_id" not in client.session
    assert _failures() == 3  # a slowed try is not checked, so it is not counted
    assert any("sign-in of pm from 203.0.113.7 slowed" in r.getMessage() for r in caplog.records)

    # others are not slowed: the same user elsewhere, another user from the attacker's address
    assert _try(client, "sales", password=PASSWORD).status_code == 302
    client.post(reverse("logout"))

    _seconds_pass(31)
    assert _try(client, "pm").status_code == 200  # the 4th failure: now 60 s
    again = _try(client, "pm")
    assert again.status_code == 429 and 55 <= int(again["Retry-After"]) <= 60
    _seconds_pass(61)
    fifth = _try(client, "pm")  # the 5th failure reaches axes' limit: its lockout page from now on
    assert fifth.status_code == 429 and "Retry-After" not in fifth
    locked = _try(client, "pm", password=PASSWORD)
    assert locked.status_code == 429 and "Too many failed sign-ins" in locked.content.decode()
    assert "Retry-After" not in locked  # axes' lockout page, not the slowing
    assert _try(client, "pm", address="198.51.100.2", password=PASSWORD).status_code == 302
