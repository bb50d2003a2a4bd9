"""The Vietnamese catalogue is complete, compiled, and covers every string in the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "portal" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
SOURCES = ["portal", "plans", "scoring", "reports", "templates"]


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    # A .po edited without `make messages` would ship stale Vietnamese.
    # Keyed by context too: "Failed" of a document and "Failed" of a reminder are different words.
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in polib.mofile(str(MO)) if not e.msgid_plural}
    stale = [
        e.msgid
        for e in polib.pofile(str(PO)).translated_entries()
        if not e.msgid_plural and compiled.get((e.msgctxt, e.msgid)) != e.msgstr
    ]
    assert stale == []


def test_catalogue_covers_every_string_in_the_code(tmp_path):
    # Extract afresh from a copy of the sources and compare: a new string without a translation fails.
    for name in SOURCES:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    (tmp_path / "portal" / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "vi", "--no-location", "-v0"],
        cwd=tmp_path,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DEBUG": "true"},
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "portal/locale/vi/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO)) if not e.obsolete}
    assert sorted(fresh - known) == []


def test_vietnamese_even_when_the_browser_prefers_english(client, db):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng nhập" in page and '<html lang="vi">' in page


def test_english_ui_when_chosen_in_the_footer(client, db):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page and '<html lang="en">' in page
