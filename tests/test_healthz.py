import os
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

import pmo

ROOT = Path(__file__).resolve().parent.parent


def test_it_reports_healthy(client, settings, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["version"] == pmo.__version__
    assert body["broker"] in ({"ok"} if settings.REDIS_URL else {"in-process"})


def test_an_unreachable_broker_is_reported_but_pages_still_work(client, settings, db):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "broker": "unavailable",
                               "version": pmo.__version__}


def test_it_answers_503_when_the_database_does_not_answer():
    # A separate process pointed at a database port where nothing listens.
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); print(r.status_code, r.json()['database'])"
    )
    env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:1/nothing",
               DJANGO_SETTINGS_MODULE="pmo.settings")
    env.pop("REDIS_URL", None)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.split() == ["503", "unavailable"], result.stderr
