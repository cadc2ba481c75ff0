"""E-mail goes out through the task queue once the transaction that caused it commits."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .tasks import send_email


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def send_templated_mail(
    *, to: str, template: str, context: dict[str, Any], language: str = "sv"
) -> None:
    """Render ``<template>_subject.txt`` and ``<template>_body.txt`` in the recipient's
    language and queue the message to be sent after commit."""
    with translation.override(language):
        full_context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"{template}_subject.txt", full_context).strip()
        body = render_to_string(f"{template}_body.txt", full_context)
    transaction.on_commit(
        lambda: send_email.enqueue(to=[to], subject=" ".join(subject.split()), body=body)
    )
