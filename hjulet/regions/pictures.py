"""A hub's logo is its first picture (hjulet/core/pictures.py): changed by national
coordinators and the hub's own coordinators, seen by everyone."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Hub
from .services import can_edit_hub


def register_kinds() -> None:
    pictures.register(
        pictures.PictureKind(
            code="hub",
            model=Hub,
            label=gettext_lazy("regional hub"),
            can_edit=can_edit_hub,
            can_see=pictures.seen_by_everyone,
            url=lambda hub: reverse("regions:hub-start", args=[hub.slug]),
        )
    )


def logo_of(hub: Hub):
    return hub.pictures.first()
