"""Per-token rate limits, counted in a shared cache (Redis when REDIS_URL is set), so that every web
process counts the same requests: a fixed window per token whose counter is one atomic INCR."""

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from api.models import ApiToken

PERIODS = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}


def parse_rate(rate: str) -> tuple[int, int]:
    """"600/min" -> (600, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period]


class PerTokenRate(BaseThrottle):
    """API_RATE_LIMIT requests per window for each token; a session counts per user. Over it: 429 with
    Retry-After (the seconds until the window ends)."""

    def allow_request(self, request, view):
        limit, period = parse_rate(settings.API_RATE_LIMIT)
        # The token's prefix, not its id: unique and random, so a key never outlives its token's meaning.
        caller = request.auth.prefix if isinstance(request.auth, ApiToken) else f"user-{request.user.pk}"
        now = time.time()
        window = int(now // period)
        key = f"rate:{caller}:{period}:{window}"
        cache = caches["api"]
        cache.add(key, 0, timeout=period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=period + 1)
            count = 1
        self.retry_after = (window + 1) * period - now
        return count <= limit

    def wait(self):
        return self.retry_after
