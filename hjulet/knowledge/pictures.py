"""Initiatives and methods carry pictures (hjulet/core/pictures.py): those who may edit one
change its pictures; everyone sees them, as they see the entry."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Initiative, Method
from .services import can_edit_initiative, can_edit_method


def register_kinds() -> None:
    pictures.register(
        pictures.PictureKind(
            code="initiative",
            model=Initiative,
            label=gettext_lazy("initiative"),
            can_edit=can_edit_initiative,
            can_see=pictures.seen_by_everyone,
            url=lambda entry: reverse("knowledge:initiative-detail", args=[entry.slug]),
        )
    )
    pictures.register(
        pictures.PictureKind(
            code="method",
            model=Method,
            label=gettext_lazy("method"),
            can_edit=can_edit_method,
            can_see=pictures.seen_by_everyone,
            url=lambda entry: reverse("knowledge:method-detail", args=[entry.slug]),
        )
    )
