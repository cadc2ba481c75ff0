"""Pictures: checked by content, re-encoded without metadata, kept through the storage API,
changed only by those who may edit the object, handed out only to those who may see it."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from hjulet.core import pictures
from hjulet.core.models import AuditEntry, Picture
from hjulet.knowledge.tests.factories import make_initiative

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825


def photo(
    size=(1200, 900), format="JPEG", *, gps=False, orientation=None, name="bild.jpg"
) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "Kamerafabriken"  # Make
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (63.0, 49.0, 30.0), 3: "E", 4: (20.0, 15.0, 0.0)}
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format=format, exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def initiative(member):
    return make_initiative(member)


def stored_images(picture):
    for rendition in picture.renditions:
        with default_storage.open(rendition["name"]) as file:
            yield rendition, Image.open(io.BytesIO(file.read()))


def test_an_upload_is_re_encoded_into_widths_without_gps_or_other_exif(member, initiative):
    upload = photo(gps=True)
    assert Image.open(io.BytesIO(upload.read())).getexif().get_ifd(GPS_IFD)  # it was there
    picture = pictures.picture_add(
        actor=member, target=initiative, upload=upload, alt_text="Barn läser läxor vid ett bord"
    )
    assert [r["width"] for r in picture.renditions] == [400, 800, 1200]
    for rendition, image in stored_images(picture):
        assert image.format == "WEBP"
        assert (image.width, image.height) == (rendition["width"], rendition["height"])
        assert not image.getexif()
        assert "exif" not in image.info and "xmp" not in image.info
    entry = AuditEntry.objects.get(action="picture.add")
    assert entry.target_id == str(initiative.pk)
    assert entry.changes["alt_text"] == [None, "Barn läser läxor vid ett bord"]


def test_orientation_is_applied(member, initiative):
    # Orientation 6: the camera was turned; the picture is shown rotated a quarter turn.
    picture = pictures.picture_add(
        actor=member, target=initiative, upload=photo(orientation=6), alt_text="Ett porträtt"
    )
    assert (picture.width, picture.height) == (900, 1200)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "JPEG-, PNG- eller WebP-fil"),
        (b"", "tom"),
    ],
)
def test_files_that_are_not_pictures_are_refused(member, initiative, content, message):
    upload = SimpleUploadedFile("bild.jpg", content, content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=upload, alt_text="En bild")
    assert message in str(refused.value.message_dict["image"])
    assert not Picture.objects.exists()


def test_a_gif_is_refused_even_when_named_jpeg(member, initiative):
    upload = photo(format="GIF", name="bild.jpg")
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=upload, alt_text="En bild")
    assert "JPEG-, PNG- eller WebP-fil" in str(refused.value.message_dict["image"])


def test_a_truncated_picture_is_refused(member, initiative):
    whole = photo().read()
    upload = SimpleUploadedFile("bild.jpg", whole[: len(whole) // 2])
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=upload, alt_text="En bild")
    assert "skadad" in str(refused.value.message_dict["image"])


def test_a_decompression_bomb_is_refused(member, initiative):
    # A 10,000 × 10,000 PNG of one colour is a few hundred kB and would unpack to 300 MB.
    buffer = io.BytesIO()
    Image.new("L", (10_000, 10_000)).save(buffer, format="PNG", optimize=True)
    assert len(buffer.getvalue()) < 1024 * 1024
    upload = SimpleUploadedFile("bomb.png", buffer.getvalue())
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=upload, alt_text="En bild")
    assert "för många pixlar" in str(refused.value.message_dict["image"])


def test_more_than_ten_megabytes_is_refused(member, initiative):
    upload = SimpleUploadedFile("stor.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=upload, alt_text="En bild")
    assert "10 MB" in str(refused.value.message_dict["image"])


def test_a_description_or_an_explicit_decorative_choice_is_required(member, initiative):
    with pytest.raises(ValidationError) as refused:
        pictures.picture_add(actor=member, target=initiative, upload=photo(), alt_text="  ")
    assert "Beskriv vad bilden visar" in str(refused.value.message_dict["alt_text"])
    with pytest.raises(ValidationError):
        pictures.picture_add(
            actor=member, target=initiative, upload=photo(), alt_text="Sol", is_decorative=True
        )
    picture = pictures.picture_add(
        actor=member, target=initiative, upload=photo(), is_decorative=True
    )
    assert picture.alt == ""


def test_only_those_who_edit_the_object_change_its_pictures(
    member, outsider, partner_member, initiative
):
    for person in (outsider, partner_member):
        with pytest.raises(PermissionDenied):
            pictures.picture_add(actor=person, target=initiative, upload=photo(), alt_text="X")
    picture = pictures.picture_add(actor=member, target=initiative, upload=photo(), alt_text="X")
    with pytest.raises(PermissionDenied):
        pictures.picture_remove(actor=outsider, picture=picture)
    with pytest.raises(PermissionDenied):
        pictures.picture_replace(actor=outsider, picture=picture, alt_text="Y")
    assert Picture.objects.get().alt_text == "X"


def test_replacing_changes_the_address_and_removes_the_old_files(
    member, initiative, django_capture_on_commit_callbacks
):
    picture = pictures.picture_add(actor=member, target=initiative, upload=photo(), alt_text="A")
    old_names = [r["name"] for r in picture.renditions]
    with django_capture_on_commit_callbacks(execute=True):
        replaced = pictures.picture_replace(
            actor=member, picture=picture, upload=photo((800, 800)), alt_text="B"
        )
    assert replaced.token != picture.token
    assert [r["width"] for r in replaced.renditions] == [400, 800]
    assert not any(default_storage.exists(name) for name in old_names)
    assert all(default_storage.exists(r["name"]) for r in replaced.renditions)
    with django_capture_on_commit_callbacks(execute=True):
        pictures.picture_remove(actor=member, picture=replaced)
    assert not any(default_storage.exists(r["name"]) for r in replaced.renditions)
    assert list(
        AuditEntry.objects.filter(action__startswith="picture.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["picture.add", "picture.replace", "picture.remove"]


def test_a_refused_replacement_keeps_the_picture(member, initiative):
    picture = pictures.picture_add(actor=member, target=initiative, upload=photo(), alt_text="A")
    upload = SimpleUploadedFile("x.jpg", b"not a picture")
    with pytest.raises(ValidationError):
        pictures.picture_replace(actor=member, picture=picture, upload=upload, alt_text="B")
    kept = Picture.objects.get()
    assert (kept.token, kept.alt_text) == (picture.token, "A")
    assert all(default_storage.exists(r["name"]) for r in kept.renditions)


def test_the_file_view_hands_out_public_pictures_with_long_caching(as_user, member, initiative):
    picture = pictures.picture_add(actor=member, target=initiative, upload=photo(), alt_text="A")
    response = as_user(None).get(f"/bilder/{picture.token}/400.webp")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert "immutable" in response["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).width == 400
    assert as_user(None).get(f"/bilder/{picture.token}/401.webp").status_code == 404
    assert as_user(None).get("/bilder/0123456789abcdef/400.webp").status_code == 404


def test_the_pictures_page_adds_and_refuses_with_a_message(as_user, member, outsider, initiative):
    url = f"/bilder/initiative/{initiative.pk}/"
    assert as_user(outsider).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    client = as_user(member)
    refused = client.post(url, {"image": photo(), "alt_text": ""})
    assert refused.status_code == 400
    assert "Beskriv vad bilden visar" in refused.content.decode()
    assert client.post(url, {"image": photo(), "alt_text": "Ett bord"}).status_code == 302
    picture = Picture.objects.get()
    page = client.get(f"/initiativ/{initiative.slug}/").content.decode()
    assert 'alt="Ett bord"' in page and f'srcset="{picture.srcset}"' in page
    assert f'<meta property="og:image" content="http://testserver{picture.largest_url}">' in page
    assert '<meta property="og:title" content="Läxhjälp i Ersboda">' in page
    card = as_user(None).get("/initiativ/").content.decode()
    assert 'alt="Ett bord"' in card and 'loading="lazy"' in card
    assert f'width="{picture.largest["width"]}" height="{picture.largest["height"]}"' in card
