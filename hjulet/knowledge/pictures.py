"""Initiatives and methods carry pictures (hjulet/core/pictures.py): those who may edit one
change its pictures; everyone sees them, as they see the entry."""

from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Initiative, Method
from .services import can_edit_initiative, can_edit_method


def register_kinds() -> None:
    pictures.register(
        pictures.page_kind(
            "initiative",
            Initiative,
            gettext_lazy("initiative"),
            can_edit=can_edit_initiative,
            url_name="knowledge:initiative-detail",
        ),
        pictures.page_kind(
            "method",
            Method,
            gettext_lazy("method"),
            can_edit=can_edit_method,
            url_name="knowledge:method-detail",
        ),
    )
