"""Challenges and ideas carry pictures (hjulet/core/pictures.py): a challenge's are changed by
those who manage it, an idea's by its author; a hidden idea's pictures are seen only by those
who still see the idea."""

from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Challenge, Idea
from .services import can_manage_challenge, can_see


def _is_author(actor: object, idea: Idea) -> bool:
    return getattr(actor, "is_authenticated", False) and idea.author_id == actor.pk


def register_kinds() -> None:
    pictures.register(
        pictures.page_kind(
            "challenge",
            Challenge,
            gettext_lazy("challenge"),
            can_edit=can_manage_challenge,
            url_name="arenas:challenge-detail",
        ),
        pictures.page_kind(
            "idea",
            Idea,
            gettext_lazy("idea"),
            can_edit=_is_author,
            can_see=can_see,
            url_name="arenas:idea-detail",
            url_arg="pk",
        ),
    )
