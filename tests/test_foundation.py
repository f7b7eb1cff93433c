from pathlib import Path

import yaml
from django.contrib.auth.models import Group
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role
from projects.models import BudgetSubmission, Intake, Project
from projects.services.intakes import project_code_allocate

ROOT = Path(__file__).resolve().parent.parent


def test_every_role_has_its_group(db):
    assert set(Group.objects.values_list("name", flat=True)) >= set(Role.values)


def test_demo_data_creates_one_login_per_role_and_is_idempotent(db, settings, monkeypatch, capsys):
    settings.DEBUG = True  # the command refuses to run in production
    monkeypatch.setenv("DEMO_PASSWORD", "try-me-123")
    call_command("demo_data")
    call_command("demo_data")
    usernames = ["sales", "support", "pm", "pm2", "engmgr", "pmolead", "finance", "admin"]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    assert set(users) == set(usernames) and User.objects.count() == len(usernames)
    assert all(u.check_password("try-me-123") for u in users.values())
    assert users["pmolead"].has_role(Role.PMO_LEAD) and not users["pmolead"].has_role(Role.SALES)
    assert users["admin"].is_staff
    statuses = set(Project.objects.values_list("status", flat=True))
    assert len(statuses) >= 5 and set(Project.objects.values_list("level", flat=True)) == {1, 2, 3}
    assert set(Intake.objects.values_list("status", flat=True)) == set(Intake.Status.values)
    assert BudgetSubmission.objects.filter(status="pending").count() == 1
    assert Project.objects.get(code="PRJ-2026-0001").baselines.count() == 1
    # The next accepted intake must not collide with a demo code.
    assert project_code_allocate(2026) == "PRJ-2026-0007"
    out = capsys.readouterr().out
    assert "pmolead" in out and "try-me-123" in out


def test_compose_describes_postgres_redis_web_worker_relay_and_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    # One worker per Celery queue (mail, reports, integrations) and MinIO for the files (issue 14).
    assert set(services) == {"postgres", "redis", "minio", "minio-bucket", "web", "worker", "worker-reports",
                             "worker-integrations", "relay", "beat"}
    assert "gunicorn" in " ".join(services["web"]["command"])
    assert services["worker"]["command"][:4] == ["celery", "-A", "pmo", "worker"]
    assert services["relay"]["command"] == ["python", "manage.py", "relay_outbox"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "pmo", "beat"]
    for name in ("web", "worker", "relay", "beat"):
        env = services[name]["environment"]
        assert env["POSTGRES_HOST"] == "postgres" and env["REDIS_URL"].startswith("redis://redis")
        assert env["DEBUG"] == "false"
    assert (ROOT / "Dockerfile").exists()


def test_the_admin_edits_intake_templates_with_real_field_names_only(client, admin_user):
    from projects.models import ProjectType

    client.force_login(admin_user)
    project_type = ProjectType.objects.get(name="Software delivery")
    url = f"/admin/projects/projecttype/{project_type.pk}/change/"
    inline = {"checklists-TOTAL_FORMS": "0", "checklists-INITIAL_FORMS": "0"}  # its checklists, unchanged
    named = {"name_en": project_type.name, "phases_en": "\n".join(project_type.phases), "active": "on"}
    response = client.post(url, {**named, "required_fields": ["scope", "status"], "required_attachments": ["offer"],
                                 **inline})
    assert "Select a valid choice. status is not one of the available choices." in response.content.decode()
    client.post(url, {**named, "required_fields": ["scope"], "required_attachments": ["offer"], **inline})
    project_type.refresh_from_db()
    assert (project_type.required_fields, project_type.required_attachments) == (["scope"], ["offer"])


def test_threshold_changes_are_audited(client, admin_user):
    from projects.models import LevelThreshold

    client.force_login(admin_user)
    threshold = LevelThreshold.objects.get(level=1)
    client.post(f"/admin/projects/levelthreshold/{threshold.pk}/change/", {"level": 1, "upper_limit": "300000.00"})
    record = threshold.history.first()
    assert (record.upper_limit, record.history_user) == (300000, admin_user)
