"""The interface exists in English, Russian and Tajik: every string extracted, translated, compiled."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "mediateka"
LOCALES = ["ru", "tg"]


def _po(language: str) -> polib.POFile:
    return polib.pofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", LOCALES)
def test_every_interface_string_is_translated_and_none_is_fuzzy(language):
    catalogue = _po(language)
    assert not [e.msgid for e in catalogue.untranslated_entries()]
    assert not [e.msgid for e in catalogue.fuzzy_entries()]


@pytest.mark.parametrize("language", [*LOCALES, "en"])
def test_compiled_catalogue_matches_its_source(language):
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in _po(language).translated_entries()
    }
    compiled = polib.mofile(str(PACKAGE / "locale" / language / "LC_MESSAGES" / "django.mo"))
    built = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in compiled if e.msgid
    }
    assert built == source, "run: cd src/mediateka && msgfmt -o locale/LANG/LC_MESSAGES/django.mo ..."


def test_catalogues_hold_every_string_of_the_source(tmp_path):
    if not shutil.which("xgettext"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("xgettext (apt-get install gettext) is required in CI")
        pytest.skip("NOTICE: xgettext not found (apt-get install gettext)")
    copy = tmp_path / "mediateka"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    env = dict(os.environ, MEDIATEKA_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(tmp_path))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mediateka",
            "manage",
            "makemessages",
            "-l",
            "ru",
            "--no-obsolete",
            "--ignore",
            "*/migrations/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = {(e.msgctxt, e.msgid) for e in polib.pofile(str(copy / "locale/ru/LC_MESSAGES/django.po"))}
    known = {(e.msgctxt, e.msgid) for e in _po("ru")}
    assert not sorted(extracted - known, key=str), "run makemessages and translate the new strings"
