"""User text is escaped everywhere: the demo content's free text (titles, descriptions,
comments, ideas, questions, answers …) is replaced by markup that would run if it were not
escaped, and every page a visitor and a coordinator reach is checked. No field renders
Markdown or HTML, so escaping (Django's autoescape, and highlight.py for search snippets) is
the whole defence."""

import os
import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client

from hjulet.accounts.models import User

from .crawl import crawl

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"
RAW_TAG = re.compile(r"<(?:img|script)\b[^>]*(?:onerror|>alert)", re.IGNORECASE)
CAPABILITIES = (
    "/initiativ/", "/metoder/", "/forskarverkstad/", "/effekt/", "/utlysningar/", "/enkater/",
    "/utmaningar/", "/arenor/", "/organisationer/",
)  # fmt: skip
APPS = (
    "accounts",
    "knowledge",
    "scienceshop",
    "impact",
    "support",
    "surveys",
    "arenas",
    "spreading",
)
# Text the code reads as something else: names, codes, expressions, languages.
NOT_FREE_TEXT = {
    "name", "code", "relevant", "constraint", "choice_filter", "appearance", "calculation",
    "languages", "language", "form_id", "form_version", "password", "kind", "token_hash",
    "secret_hash", "filename", "file_type", "format", "org_number", "iris_id", "orgnr",
}  # fmt: skip


def poison_free_text() -> int:
    poisoned = 0
    for model in apps.get_models():
        if model._meta.app_label not in APPS:
            continue
        fields = [
            field.name
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not isinstance(field, models.SlugField | models.EmailField | models.URLField)
            and not field.choices
            and not field.unique
            and field.name not in NOT_FREE_TEXT
            and (field.max_length or 1000) >= len(PAYLOAD) + 12
        ]
        for pk in model.objects.values_list("pk", flat=True) if fields else []:
            model.objects.filter(pk=pk).update(**{f: f"{PAYLOAD} {pk}" for f in fields})
            poisoned += 1
    return poisoned


def test_user_text_is_escaped_on_every_page(reference_data):
    call_command("load_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115
    coordinator = Client()
    coordinator.force_login(User.objects.get(email="koordinator@exempel.se"))
    assert poison_free_text() > 50
    shown_on = set()
    for client in (Client(), coordinator):
        for path in crawl(client):
            html = client.get(path).content.decode()
            assert PAYLOAD not in html and "<script>alert" not in html, path
            assert not RAW_TAG.search(html), (path, RAW_TAG.search(html).group(0))
            if ESCAPED in html:
                shown_on.add(path)
    for prefix in CAPABILITIES:
        assert any(path.startswith(prefix) for path in shown_on), (prefix, sorted(shown_on))
