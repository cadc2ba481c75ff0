"""Challenges and ideas carry pictures (hjulet/core/pictures.py): a challenge's are changed by
those who manage it, an idea's by its author; a hidden idea's pictures are seen only by those
who still see the idea."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Challenge, Idea
from .services import can_manage_challenge, can_see


def _is_author(actor: object, idea: Idea) -> bool:
    return getattr(actor, "is_authenticated", False) and idea.author_id == actor.pk


def register_kinds() -> None:
    pictures.register(
        pictures.PictureKind(
            code="challenge",
            model=Challenge,
            label=gettext_lazy("challenge"),
            can_edit=can_manage_challenge,
            can_see=pictures.seen_by_everyone,
            url=lambda challenge: reverse("arenas:challenge-detail", args=[challenge.slug]),
        )
    )
    pictures.register(
        pictures.PictureKind(
            code="idea",
            model=Idea,
            label=gettext_lazy("idea"),
            can_edit=_is_author,
            can_see=can_see,
            url=lambda idea: reverse("arenas:idea-detail", args=[idea.pk]),
        )
    )
