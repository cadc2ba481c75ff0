import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

PO_FILE = Path(settings.BASE_DIR) / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_swedish_catalogue_is_complete():
    catalogue = polib.pofile(str(PO_FILE))
    assert catalogue.untranslated_entries() == []
    assert catalogue.fuzzy_entries() == []
    assert len(catalogue) > 100


def test_every_source_string_is_in_the_catalogue(tmp_path):
    """Run makemessages on a copy of the sources: nothing may be missing from locale/sv."""
    assert shutil.which("xgettext"), "GNU gettext is needed: apt-get install gettext"
    base = Path(settings.BASE_DIR)
    for folder in ("hjulet", "templates", "config"):
        shutil.copytree(
            base / folder,
            tmp_path / folder,
            ignore=shutil.ignore_patterns("__pycache__", "tests", "data"),
        )
    shutil.copy(base / "manage.py", tmp_path / "manage.py")
    (tmp_path / "locale").mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "sv", "--no-location"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(tmp_path / "locale/sv/LC_MESSAGES/django.po"))
    catalogue = {entry.msgid for entry in polib.pofile(str(PO_FILE))}
    missing = sorted({entry.msgid for entry in extracted} - catalogue)
    assert missing == [], "Run `make messages` and translate: " + repr(missing[:5])


def test_placeholders_survive_translation():
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]")
    for entry in polib.pofile(str(PO_FILE)):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert (
                sorted(placeholder.findall(entry.msgid)) == sorted(placeholder.findall(translation))
                or entry.msgid_plural
            ), entry.msgid


@pytest.mark.django_db
def test_pages_are_swedish_by_default_even_for_english_browsers(client):
    response = client.get(reverse("site:home"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in" in response.content.decode()


@pytest.mark.django_db
def test_language_switch_sets_english_and_back(client):
    response = client.post(reverse("set-language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("site:home")).content.decode()
    assert '<html lang="en">' in page
    assert "Log in" in page
    client.post(reverse("set-language"), {"language": "sv", "next": "/"})
    assert '<html lang="sv">' in client.get(reverse("site:home")).content.decode()


@pytest.mark.django_db
def test_signed_in_users_get_their_chosen_language(as_user, member):
    member.language = "en"
    member.save()
    assert '<html lang="en">' in as_user(member).get("/").content.decode()


@pytest.mark.django_db
def test_api_answers_in_english_when_asked(client):
    swedish = client.get("/api/v1/organisations/999999").json()["detail"]
    english = client.get("/api/v1/organisations/999999", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["detail"] == "Not found."
    assert swedish != english["detail"]
