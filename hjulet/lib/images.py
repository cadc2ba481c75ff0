"""Reading an uploaded picture safely and re-encoding it into a few widths.

A picture is accepted when Pillow recognises its content (not its name) as JPEG, PNG or WebP,
its header verifies, it is not larger than ``max_pixels`` (a decompression bomb: a small file
that unpacks into gigabytes) and it decodes completely. It is then turned upright by its EXIF
orientation and re-encoded from its pixels alone, so nothing of the file's metadata (EXIF with
GPS position and camera serial numbers, XMP, comments, ICC profiles) survives.

Errors are ``ImageError`` with a ``code`` and ``params`` for the caller to turn into a message
in the reader's language; this module knows nothing of Django.
"""

import io
import warnings
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = ("JPEG", "PNG", "WEBP")
#: 40 megapixels: any camera's photo, far less than what a bomb unpacks into.
MAX_PIXELS = 40_000_000
#: The widths a picture is offered in (never wider than the original).
WIDTHS = (400, 800, 1600)
#: Smaller than this on either side is no picture to show.
MIN_SIDE = 64
QUALITY = 80
CONTENT_TYPE = "image/webp"
EXTENSION = "webp"


class ImageError(Exception):
    """The file is not a picture Hjulet accepts. ``code`` says why.

    Codes: ``empty``, ``too_large`` (``megabytes``), ``not_image``, ``wrong_format``
    (``format``), ``too_many_pixels`` (``megapixels``), ``too_small`` (``pixels``),
    ``unreadable``.
    """

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


def read_image(data: bytes, *, max_bytes: int, max_pixels: int = MAX_PIXELS) -> Image.Image:
    """The picture in ``data``, decoded, upright and in RGB or RGBA; ``ImageError`` if it is
    not one we accept."""
    if not data:
        raise ImageError("empty")
    if len(data) > max_bytes:
        raise ImageError("too_large", megabytes=max_bytes // (1024 * 1024))
    with warnings.catch_warnings():
        # Pillow warns above half its own bomb limit; our limit is checked below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            probe = Image.open(io.BytesIO(data), formats=None)
        except (UnidentifiedImageError, Image.DecompressionBombError) as error:
            if isinstance(error, Image.DecompressionBombError):
                raise ImageError("too_many_pixels", megapixels=max_pixels // 1_000_000) from error
            raise ImageError("not_image") from error
        except Exception as error:  # any decoder failure: an unreadable file
            raise ImageError("unreadable") from error
        if probe.format not in FORMATS:
            raise ImageError("wrong_format", format=probe.format or "")
        width, height = probe.size
        if width * height > max_pixels:
            raise ImageError("too_many_pixels", megapixels=max_pixels // 1_000_000)
        if min(width, height) < MIN_SIDE:
            raise ImageError("too_small", pixels=MIN_SIDE)
        try:
            probe.verify()
            image = Image.open(io.BytesIO(data))
            image.load()
            image = ImageOps.exif_transpose(image)
        except Exception as error:  # truncated or damaged content
            raise ImageError("unreadable") from error
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")


def renditions(image: Image.Image, widths: tuple[int, ...] = WIDTHS) -> list[Rendition]:
    """``image`` re-encoded as WebP at each of ``widths`` that is narrower than the image,
    and at its own width when it is narrower than the widest; pixels only, no metadata."""
    wanted = sorted({min(width, image.width) for width in widths})
    out = []
    for width in wanted:
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.LANCZOS)
        # A fresh image holds the pixels and nothing else of the original's info.
        clean = Image.new(resized.mode, resized.size)
        clean.paste(resized)
        buffer = io.BytesIO()
        clean.save(buffer, format="WEBP", quality=QUALITY, method=4)
        out.append(Rendition(width=width, height=height, data=buffer.getvalue()))
    return out
