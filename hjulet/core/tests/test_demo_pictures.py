"""The demo's drawn pictures are real pictures the service accepts, each described."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hjulet.arenas.tests.factories import make_challenge
from hjulet.core import demo_pictures, pictures
from hjulet.core.models import Picture
from hjulet.lib import illustrations

pytestmark = pytest.mark.django_db


def test_every_motif_is_drawn_and_described():
    for code, motif in illustrations.MOTIFS.items():
        image = Image.open(io.BytesIO(illustrations.draw(code)))
        assert (image.format, image.size) == ("PNG", (illustrations.WIDTH, illustrations.HEIGHT))
        assert motif.description.startswith("Tecknad bild: ")
        assert len(motif.description) <= pictures.ALT_TEXT_MAX


def test_titles_choose_their_motif():
    assert demo_pictures.motif_for("Fritidsbanken i Umeå") == "sports"
    assert demo_pictures.motif_for("Språkcafé på biblioteket i Gävle") == "talk"
    assert demo_pictures.motif_for("Social Business Board") is None


def test_hidden_ideas_pictures_are_not_handed_out(as_user, member, resident, moderator):
    from hjulet.arenas import services as arenas

    challenge = make_challenge(member, organisation=member.memberships.first().organisation)
    idea = arenas.idea_create(actor=resident, challenge=challenge, title="Idé", body="Text")
    picture = pictures.picture_add(
        actor=resident,
        target=idea,
        upload=SimpleUploadedFile("ide.png", illustrations.draw("ideas")),
        alt_text=illustrations.MOTIFS["ideas"].description,
    )
    url = f"/bilder/{picture.token}/400.webp"
    assert as_user(None).get(url).status_code == 200
    idea.is_hidden = True
    idea.save()
    assert as_user(None).get(url).status_code == 404
    assert as_user(member).get(url).status_code == 404
    author = as_user(resident).get(url)
    assert author.status_code == 200 and "no-store" in author["Cache-Control"]
    assert as_user(moderator).get(url).status_code == 200
    with pytest.raises(PermissionDenied):  # only the author changes an idea's pictures
        pictures.picture_remove(actor=member, picture=picture)
    assert Picture.objects.count() == 1
