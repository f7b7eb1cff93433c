"""Slowing repeated password failures before django-axes blocks them.

django-axes counts failures per (username, address) and blocks the pair at AXES_FAILURE_LIMIT. Before
that, from SIGN_IN_SLOW_AFTER failures on, the pair must wait SIGN_IN_SLOW_SECONDS after its last failure,
doubled at each further failure (30 s, 60 s, 120 s, ...). A sign-in tried too soon is refused at once,
with the seconds left, without checking the password (so it is neither a guess nor a counted failure) and
without sleeping in the request (no worker is held). The pair is axes' own, so one attacker slows and
blocks only the usernames they try from their address: never the same people elsewhere, nor a directory.
"""

import datetime as dt
import logging
import math

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

log = logging.getLogger("accounts.sign_in")


def sign_in_wait_seconds(request, username: str) -> int:
    """Seconds this (username, address) must still wait before a password is checked; 0 when it may try
    now, or when axes' own lockout (at the limit) decides instead."""
    if not username:
        return 0
    address = get_client_ip_address(request)
    # axes keeps a row per user agent too: the pair's failures are the sum, its last one the latest
    found = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        failures=Sum("failures_since_start"), last=Max("attempt_time"))
    failures = found["failures"] or 0
    if failures < settings.SIGN_IN_SLOW_AFTER or failures >= settings.AXES_FAILURE_LIMIT:
        return 0
    delay = settings.SIGN_IN_SLOW_SECONDS * 2 ** (failures - settings.SIGN_IN_SLOW_AFTER)
    left = (found["last"] + dt.timedelta(seconds=delay) - timezone.now()).total_seconds()
    if left <= 0:
        return 0
    log.warning("sign-in of %s from %s slowed: %d failures, %d s left to wait", username, address, failures,
                math.ceil(left))
    return math.ceil(left)
