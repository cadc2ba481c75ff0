"""Small pictures for tests, made with Pillow."""

import io

from PIL import Image


def png(width: int = 640, height: int = 480) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class RewindingFile(io.BytesIO):
    """A file a test client may send several times: every read starts from the beginning."""

    def __init__(self, name: str, content: bytes) -> None:
        super().__init__(content)
        self.name = name

    def read(self, size: int | None = -1) -> bytes:
        self.seek(0)
        return super().read(size)
