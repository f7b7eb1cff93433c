"""Health check and error pages."""

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

import pmo


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except DatabaseError:
        return False


def _broker_status() -> str:
    if not settings.REDIS_URL:
        return "in-process"
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1).ping()
        return "ok"
    except redis.RedisError:
        return "unavailable"


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """503 when the database does not answer; a broker outage is reported but keeps 200,
    since pages still work and a restart of the web process would not mend it."""
    database_ok = _database_answers()
    broker = _broker_status()
    healthy = database_ok and broker != "unavailable"
    body = {
        "status": "ok" if healthy else ("degraded" if database_ok else "error"),
        "database": "ok" if database_ok else "unavailable",
        "broker": broker,
        "version": pmo.__version__,
    }
    return JsonResponse(body, status=200 if database_ok else 503)


@login_not_required
@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico on pages that name no icon (a PDF, a JSON answer): send them to ours."""
    return redirect(static("favicon.svg"), permanent=True)


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)
