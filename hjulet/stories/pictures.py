"""Stories carry pictures (hjulet/core/pictures.py): their author and those who review
stories change them; they are seen by whoever sees the story."""

from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Story
from .services import can_edit_story, can_see_story


def register_kinds() -> None:
    pictures.register(
        pictures.page_kind(
            "story",
            Story,
            gettext_lazy("story"),
            can_edit=can_edit_story,
            can_see=can_see_story,
            url_name="stories:story-detail",
            url_arg="pk",
        )
    )
