"""Guards for the Finnish, Swedish and English catalogues."""

import re
import shutil
import subprocess
import sys

import polib
import pytest

from tests.conftest import REPO_ROOT

LOCALE = REPO_ROOT / "osallistu" / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]")


def _catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_complete(language):
    untranslated = [
        entry.msgid
        for entry in _catalogue(language)
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_placeholders_match(language):
    mismatched = []
    for entry in _catalogue(language):
        singular = set(PLACEHOLDER.findall(entry.msgid))
        if not entry.msgid_plural:
            if set(PLACEHOLDER.findall(entry.msgstr)) != singular:
                mismatched.append((entry.msgid, entry.msgstr))
            continue
        # A singular form may leave out the count ("The suburb ..."), as its English source does,
        # or use the plural's placeholders; the plural form needs exactly the plural's.
        plural = set(PLACEHOLDER.findall(entry.msgid_plural))
        forms = [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
        for form in forms[:-1]:
            if set(PLACEHOLDER.findall(form)) not in (singular, plural):
                mismatched.append((entry.msgid, form))
        if set(PLACEHOLDER.findall(forms[-1])) != plural:
            mismatched.append((entry.msgid_plural, forms[-1]))
    assert mismatched == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is not installed")
def test_catalogues_contain_every_marked_string(tmp_path):
    """Fail when code or templates mark a string that `makemessages` has not added yet."""
    copy = tmp_path / "osallistu"
    shutil.copytree(
        REPO_ROOT / "osallistu", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "fi",
            "--ignore=static",
            "--no-obsolete",
            "-v0",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": ""},
    )
    fresh = {entry.msgid for entry in polib.pofile(str(copy / "locale/fi/LC_MESSAGES/django.po"))}
    committed = {entry.msgid for entry in _catalogue("fi") if not entry.obsolete}
    assert sorted(fresh - committed) == [], "run makemessages (see docs/translations.md)"
