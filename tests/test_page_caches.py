"""What the pages keep between requests (issue 14): the menu per language and set of roles; and the
shortcuts that stand in for Django's slower paths (filter fields without crispy's templates, project
addresses, status labels), each giving what the slow path gives.

The menu shows no reference data (only links named in the code's own messages), so nothing but the
language and the roles can change it."""

import re

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.db.models import Model
from django.http import QueryDict
from django.urls import reverse, set_script_prefix
from django.utils import translation

from accounts.roles import Role
from projects.models import Project
from projects.models.projects import project_url
from projects.selectors.intakes import IntakeFilter
from projects.selectors.projects import ProjectFilter
from projects.templatetags.filter_fields import filter_field


def _main_menu(html: str) -> str:
    return re.search(r'<ul class="navbar-nav me-auto">.*?</ul>', html, re.S).group(0)


def _menu_keys() -> list[str]:
    return [key for key in cache._cache if "template.cache.main_menu" in key]


def _label(text: str, language: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_the_menu_is_cached_per_language_and_role_set(client, pm, pmolead):
    client.force_login(pm)
    english = _main_menu(client.get(reverse("home")).content.decode())
    assert ">Approvals<" in english and ">Portfolio<" not in english
    assert len(_menu_keys()) == 1
    assert _main_menu(client.get(reverse("home")).content.decode()) == english and len(_menu_keys()) == 1

    pm.language = "nl"
    pm.save()
    dutch = _main_menu(client.get(reverse("home")).content.decode())
    assert f">{_label('Approvals', 'nl')}<" in dutch and dutch != english
    assert len(_menu_keys()) == 2

    client.force_login(pmolead)
    lead = _main_menu(client.get(reverse("home")).content.decode())
    assert ">Portfolio<" in lead and lead != english

    # A role given takes effect on the next page: the roles are part of the key.
    client.force_login(pm)
    pm.groups.add(Group.objects.get(name=Role.PMO_LEAD))
    assert f">{_label('Portfolio', 'nl')}<" in _main_menu(client.get(reverse("home")).content.decode())


def test_the_user_menu_and_language_buttons_follow_the_language(client, pm):
    client.force_login(pm)
    html = client.get(reverse("home")).content.decode()
    assert ">Project manager<" in html and 'aria-current="true">EN<' in html
    pm.language = "fr"
    pm.save()
    html = client.get(reverse("home")).content.decode()
    assert f">{_label('Change password', 'fr')}<" in html and 'aria-current="true">FR<' in html
    cached = cache.get(make_template_fragment_key("language_buttons", ["fr"]))
    assert cached is not None and 'aria-current="true">FR<' in cached


def _pm_options(client) -> str:
    html = client.get(reverse("projects:list")).content.decode()
    return re.search(r'<select name="project_manager".*?</select>', html, re.S).group(0)


def test_the_project_manager_drop_down_follows_people_and_groups(client, pmolead, pm, pm2, support):
    client.force_login(pmolead)
    options = _pm_options(client)
    assert f'value="{pm.pk}"' in options and f'value="{pm2.pk}"' in options and f'value="{support.pk}"' not in options

    support.groups.add(Group.objects.get(name=Role.PROJECT_MANAGER))
    pm2.groups.clear()
    pm.first_name, pm.last_name = "Petra", "Mertens"
    pm.save()
    options = _pm_options(client)
    assert f'value="{support.pk}"' in options and f'value="{pm2.pk}"' not in options
    assert f'<option value="{pm.pk}">Petra Mertens</option>' in options


def _collapsed(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()


@pytest.mark.parametrize("query", ["", "status=closed&q=a<b\"c", "status=nonsense&level=9", "project_manager=999999"])
def test_filter_fields_are_the_markup_crispy_gives(pm, query):
    for filter_class, model in ((ProjectFilter, Project), (IntakeFilter, None)):
        queryset = (model or filter_class._meta.model).objects.none()
        crispy = [as_crispy_field(field) for field in filter_class(QueryDict(query), queryset=queryset).form]
        fast = [filter_field(field) for field in filter_class(QueryDict(query), queryset=queryset).form]
        assert [_collapsed(html) for html in fast] == [_collapsed(html) for html in crispy]


def test_a_project_address_is_the_one_reverse_gives(db):
    for code in ("PRJ-2026-0042", "PRJ-2026-00421", "odd code é"):
        assert project_url(code) == reverse("projects:detail", args=[code])
    set_script_prefix("/pmo/")
    try:
        assert project_url("PRJ-2026-0042") == "/pmo/projects/PRJ-2026-0042/" == reverse("projects:detail",
                                                                                          args=["PRJ-2026-0042"])
    finally:
        set_script_prefix("/")


@pytest.mark.parametrize("language", ["en", "nl", "fr"])
def test_status_and_level_labels_are_the_ones_django_gives(language):
    status, level = Project._meta.get_field("status"), Project._meta.get_field("level")
    with translation.override(language):
        for value in [*Project.Status.values, "not-a-status"]:
            project = Project(status=value, level=2)
            assert project.get_status_display() == Model._get_FIELD_display(project, status)
        for value in [*Project.Level.values, 7]:
            project = Project(level=value)
            assert project.get_level_display() == Model._get_FIELD_display(project, level)
