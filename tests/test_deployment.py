"""What the deployment files promise, read from the files (no Docker engine runs here)."""

import json
import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _ignored_by_docker(path: str) -> bool:
    """Docker's rule for a top-level path: the last matching pattern wins; "!" re-includes."""
    ignored = False
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        pattern = line.strip()
        if not pattern or pattern.startswith("#"):
            continue
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        if fnmatch(path, pattern) or fnmatch(path.split("/")[0], pattern):
            ignored = not negated
    return ignored


def test_the_image_never_holds_secrets_local_data_or_the_history():
    for path in (".env", ".env.production", "var", "var/media/x.pdf", ".venv", ".venv/bin/python", ".git", ".git/HEAD"):
        assert _ignored_by_docker(path), path
    for path in ("manage.py", "pmo/settings.py", "requirements.txt", "static/css/site.css"):
        assert not _ignored_by_docker(path), path


def test_compose_never_pastes_the_database_password_into_a_url():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("web", "worker", "beat"):
        environment = compose["services"][name]["environment"]
        assert not any("POSTGRES_PASSWORD" in str(value) and "://" in str(value) for value in environment.values())
        assert environment["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")


def _database_settings(**environment) -> dict:
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']))"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL"}}
    env.update(environment, DJANGO_SETTINGS_MODULE="pmo.settings")
    script = f"import django; django.setup(); {code}"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_generated_password_with_url_characters_reaches_the_database_as_it_is():
    password = "a/b?c%2Fd#e@f+g="  # the characters `openssl rand -base64 24` and friends produce
    database = _database_settings(POSTGRES_HOST="postgres", POSTGRES_PASSWORD=password, POSTGRES_DB="pmo")
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["HOST"], database["NAME"], database["USER"]) == ("postgres", "pmo", "pmo")
    assert database["PASSWORD"] == password


def test_database_url_still_wins_when_given():
    database = _database_settings(DATABASE_URL="postgres://u:p@db.example:5433/other", POSTGRES_HOST="postgres")
    assert (database["HOST"], database["PORT"], database["NAME"], database["PASSWORD"]) == (
        "db.example", 5433, "other", "p")


def test_weasyprint_finds_harfbuzz_subset_wherever_it_is_installed():
    assert "libharfbuzz-subset0" in (ROOT / "scripts/install-system-deps").read_text()
    assert "libharfbuzz-subset0" in (ROOT / "Dockerfile").read_text()


def test_the_readme_creates_the_database_before_pointing_at_it():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Running it for real"):readme.index("## Deployment with docker compose")]
    assert re.search(r"createdb .*\bpmo\b", section)
    assert section.index("createdb") < section.index("export DATABASE_URL")


def test_the_first_make_run_says_what_it_is_doing():
    result = subprocess.run(["make", "-n", "-B", "run"], cwd=ROOT, capture_output=True, text=True, check=True)
    steps = result.stdout.splitlines()
    for command in ("pip install", "manage.py migrate", "manage.py demo_data", "manage.py runserver"):
        index = next(i for i, line in enumerate(steps) if command in line)
        assert steps[index - 1].startswith("echo \"== ") or steps[index - 2].startswith("echo \"== "), command
