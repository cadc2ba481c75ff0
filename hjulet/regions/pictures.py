"""A hub's logo is its first picture (hjulet/core/pictures.py): changed by national
coordinators and the hub's own coordinators, seen by everyone."""

from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Hub
from .services import can_edit_hub


def register_kinds() -> None:
    pictures.register(
        pictures.page_kind(
            "hub",
            Hub,
            gettext_lazy("regional hub"),
            can_edit=can_edit_hub,
            url_name="regions:hub-start",
        )
    )


def logo_of(hub: Hub):
    return hub.pictures.first()
