import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from .conftest import needs

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nl", "fr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_compiled(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    assert {(e.msgid, e.msgstr) for e in mo if e.msgid} == {(e.msgid, e.msgstr) for e in po.translated_entries()}


def test_the_catalogs_hold_every_string_of_the_code(tmp_path):
    """Extract the messages again from a copy of the code and compare with the catalogs."""
    needs(shutil.which("xgettext") is not None, "needs gettext (xgettext)")
    copy = tmp_path / "src"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "__pycache__", "*.mo"))
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete", "-l", "nl",
         "--ignore", "locale/*"],
        cwd=copy, check=True, capture_output=True,
    )
    extracted = {e.msgid for e in polib.pofile(str(copy / "locale/nl/LC_MESSAGES/django.po"))}
    committed = {e.msgid for e in polib.pofile(str(ROOT / "locale/nl/LC_MESSAGES/django.po"))}
    assert extracted - committed == set(), "run `make messages` and translate the new strings"


def test_french_puts_a_non_breaking_space_before_colons_semicolons_and_marks():
    po = polib.pofile(str(ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    bare = re.compile(r"(?<![\u00a0\u202f\d/])[:;!?](?=\s|$)")
    assert [e.msgstr for e in po.translated_entries() if bare.search(e.msgstr)] == []


def test_dutch_says_medewerker_for_a_resource_and_concept_for_a_draft():
    po = {e.msgid: e.msgstr for e in polib.pofile(str(ROOT / "locale" / "nl" / "LC_MESSAGES" / "django.po"))}
    assert (po["Resource"], po["Resources"], po["No resources yet."]) == ("Medewerker", "Medewerkers",
                                                                          "Nog geen medewerkers.")
    assert po["Draft to complete: %(title)s"].startswith("Concept")
    drafts = [msgstr for msgid, msgstr in po.items() if re.search(r"\bdraft", msgid, re.I)]
    assert drafts and not [m for m in drafts if "ontwerp" in m.lower()]
