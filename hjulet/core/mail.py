"""E-mail goes out through the task queue once the transaction that caused it commits."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def render_templated_mail(
    *, template: str, context: dict[str, Any], language: str = "sv"
) -> tuple[str, str]:
    """The subject (on one line) and body of ``<template>_subject.txt``/``_body.txt`` in
    ``language``: what send_templated_mail sends, for a preview too."""
    with translation.override(language):
        full_context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", full_context).strip()
        body = render_to_string(f"{template}_body.txt", full_context)
    return " ".join(subject.split()), body


def send_templated_mail(
    *, to: str, template: str, context: dict[str, Any], language: str = "sv"
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the recipient's
    language and queue the message to be sent after commit."""
    subject, body = render_templated_mail(template=template, context=context, language=language)
    transaction.on_commit(lambda: send_email.enqueue(to=[to], subject=subject, body=body))
