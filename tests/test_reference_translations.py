"""Reference data per language (issue 13, item 14): project types, their phases, checklist templates
and items are edited per language in the admin and read in the reader's language, English where
theirs is missing; what a project copies of them keeps every language."""

import datetime as dt

import pytest
from django.urls import reverse

from projects.models import ChecklistTemplate, ProjectType
from projects.services.plan import activity_create, phases_create_from_template
from projects.services.quality import checklist_run_start, checklist_runs_from_project_type

from .factories import ProjectFactory

READERS = [("nl", "Netwerkinstallatie", "Ontwerp", "Veiligheidsinspectie op de site",
            "Het veiligheidsplan van de site"),
           ("fr", "Installation réseau", "Conception", "Inspection de sécurité sur site",
            "Le plan de sécurité du site")]


@pytest.fixture
def site(pm, support):
    project = ProjectFactory(project_manager=pm, support_officer=support, status="planning",
                             project_type=ProjectType.objects.get(name="Network installation"))
    phases_create_from_template(project)
    checklist_runs_from_project_type(project)
    design = project.phases.get(position=1)
    activity_create(project_id=project.pk, by=pm, data={
        "name": "Survey the ducts", "planned_start": dt.date(2027, 1, 4), "planned_end": dt.date(2027, 1, 8),
        "phase": design})
    return project


def _read_as(client, user, language, url):
    user.language = language
    user.save()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "project_type", "phase", "checklist", "item"), READERS)
def test_reference_data_shows_in_the_readers_language(client, pm, site, language, project_type, phase, checklist,
                                                      item):
    assert project_type in _read_as(client, pm, language, site.get_absolute_url())
    assert f"<td>{phase}</td>" in _read_as(client, pm, language, reverse("projects:plan", args=[site.code]))
    register = _read_as(client, pm, language, reverse("projects:quality", args=[site.code]))
    assert checklist in register and "Site-safety inspection" not in register
    run = site.checklist_runs.get(standard=ChecklistTemplate.Standard.SAFETY)
    page = _read_as(client, pm, language, reverse("projects:checklist", args=[site.code, run.number]))
    assert checklist in page and item in page and "The site safety plan" not in page


def test_english_readers_read_english_and_a_missing_translation_falls_back_to_english(client, pm, site):
    assert "Network installation" in _read_as(client, pm, "en", site.get_absolute_url())
    ProjectType.objects.filter(name="Network installation").update(name_fr=None)
    template = ChecklistTemplate.objects.get(standard=ChecklistTemplate.Standard.SAFETY)
    template.items.filter(position=0).update(text_fr="")
    run = checklist_run_start(project_id=site.pk, by=pm, template_id=template.pk, phase="Installation")
    assert "Network installation" in _read_as(client, pm, "fr", site.get_absolute_url())
    page = _read_as(client, pm, "fr", reverse("projects:checklist", args=[site.code, run.number]))
    assert "The site safety plan is on site and the team knows it." in page  # no French: the English
    assert "Toute personne présente sur le site" in page  # the next item has its French


def test_a_new_checklist_run_copies_every_language_whatever_the_starters_language(client, pm, site):
    from django.utils import translation

    template = ChecklistTemplate.objects.get(standard=ChecklistTemplate.Standard.LMRA)
    with translation.override("fr"):  # a French-speaking PM starts it
        run = checklist_run_start(project_id=site.pk, by=pm, template_id=template.pk, phase="Installation")
    assert (run.name_en, run.name_nl) == ("Last-minute risk analysis", "Last-minute risicoanalyse (LMRA)")
    assert run.answers.get(position=0).text_en == "I know which task I am about to do, and how."
    assert run.answers.get(position=0).text_nl.startswith("Ik weet")


def test_the_admin_edits_each_language_and_readers_get_theirs(client, admin_user, pm, site):
    project_type = ProjectType.objects.get(name="Network installation")
    client.force_login(admin_user)
    url = reverse("admin:projects_projecttype_change", args=[project_type.pk])
    form = client.get(url).content.decode()
    for field in ("name_en", "name_nl", "name_fr", "phases_en", "phases_nl", "phases_fr"):
        assert f'name="{field}"' in form
    inline = {"checklists-TOTAL_FORMS": "0", "checklists-INITIAL_FORMS": "0"}
    data = {"name_en": "Network installation", "name_nl": "Netwerkaanleg", "name_fr": "Déploiement réseau",
            "phases_en": "Initiation\nDesign\nBuild", "phases_nl": "Opstart\nOntwerp", "phases_fr": "",
            "active": "on", "required_fields": ["scope"], "required_attachments": ["offer"], **inline}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "Give as many phases as in English" in refused.content.decode()
    data["phases_nl"] = "Opstart\nOntwerp\nBouw"
    assert client.post(url, data).status_code == 302
    project_type.refresh_from_db()
    assert (project_type.phases_en, project_type.phases_nl, project_type.phases_fr) == (
        ["Initiation", "Design", "Build"], ["Opstart", "Ontwerp", "Bouw"], [])
    assert "Netwerkaanleg" in _read_as(client, pm, "nl", site.get_absolute_url())
    record = project_type.history.first()
    assert record.name_nl == "Netwerkaanleg"  # each language's change is audited
    client.force_login(admin_user)
    for page in ("history", "add"):
        target = (reverse("admin:projects_projecttype_history", args=[project_type.pk]) if page == "history"
                  else reverse("admin:projects_projecttype_add"))
        assert client.get(target).status_code == 200
    assert client.get(reverse("admin:projects_projecttype_simple_history",
                              args=[project_type.pk, record.history_id])).status_code == 200
    assert client.get(reverse("admin:projects_checklisttemplate_add")).status_code == 200
    fresh = ProjectFactory(project_manager=pm, project_type=project_type)
    phases_create_from_template(fresh)
    assert [(p.name_en, p.name_nl, p.name_fr) for p in fresh.phases.all()] == [
        ("Initiation", "Opstart", None), ("Design", "Ontwerp", None), ("Build", "Bouw", None)]
    from django.utils import translation

    with translation.override("fr"):
        assert [p.name for p in fresh.phases.all()] == ["Initiation", "Design", "Build"]  # no French: English


def test_the_highlight_report_names_the_phase_in_the_reports_language(pm, site):
    from reporting.models import HighlightReport
    from reporting.services.reports import weekly_drafts

    site.customer.language = "fr"
    site.customer.save()
    pm.language = "nl"
    pm.save()
    site.status = "execution"
    site.save()
    weekly_drafts(dt.date(2027, 1, 4))
    phases = {r.variant: r.facts["header"]["phase"] for r in HighlightReport.objects.filter(project=site)}
    assert phases == {"external": "Conception", "internal": "Ontwerp"}
