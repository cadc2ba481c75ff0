"""Stories carry pictures (hjulet/core/pictures.py): their author and those who review
stories change them; they are seen by whoever sees the story."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from hjulet.core import pictures

from .models import Story
from .services import can_edit_story, can_see_story


def register_kinds() -> None:
    pictures.register(
        pictures.PictureKind(
            code="story",
            model=Story,
            label=gettext_lazy("story"),
            can_edit=can_edit_story,
            can_see=can_see_story,
            url=lambda story: reverse("stories:story-detail", args=[story.pk]),
        )
    )
