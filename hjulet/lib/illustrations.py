"""Simple drawn illustrations for demo content, made with Pillow (nothing is downloaded).

Each motif is a function that draws on a 1200 × 750 canvas and has a Swedish description of
exactly what it draws, for the picture's alt text. ``draw(motif)`` returns PNG bytes.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1200, 750
SKY_TOP, SKY_BOTTOM = (170, 210, 240), (232, 243, 250)
GRASS = (120, 180, 110)
INK = (40, 50, 70)
SUN = (250, 200, 60)
RED = (200, 60, 50)
BLUE = (40, 110, 190)
GREEN = (60, 150, 90)
ORANGE = (240, 140, 40)
PURPLE = (130, 80, 170)
WOOD = (170, 120, 70)
PAPER = (250, 248, 240)


@dataclass(frozen=True)
class Motif:
    code: str
    description: str
    paint: Callable[[ImageDraw.ImageDraw], None]


def _gradient(top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT))
    draw = ImageDraw.Draw(image)
    for y in range(HEIGHT):
        t = y / (HEIGHT - 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (WIDTH, y)], fill=colour)
    return image


def _person(draw: ImageDraw.ImageDraw, x: int, y: int, colour: tuple[int, int, int]) -> None:
    """A seated person seen from the front: head and shoulders, centred on ``x``."""
    draw.ellipse([x - 38, y - 150, x + 38, y - 74], fill=(235, 190, 150), outline=INK, width=4)
    draw.rounded_rectangle(
        [x - 70, y - 70, x + 70, y + 60], radius=40, fill=colour, outline=INK, width=4
    )


def _sun(draw: ImageDraw.ImageDraw, x: int, y: int, r: int = 70) -> None:
    for ray in range(12):
        angle = ray * math.pi / 6
        draw.line(
            [
                (x + (r + 15) * math.cos(angle), y + (r + 15) * math.sin(angle)),
                (x + (r + 45) * math.cos(angle), y + (r + 45) * math.sin(angle)),
            ],
            fill=SUN,
            width=8,
        )
    draw.ellipse([x - r, y - r, x + r, y + r], fill=SUN)


def _ground(draw: ImageDraw.ImageDraw, y: int = 560) -> None:
    draw.rectangle([0, y, WIDTH, HEIGHT], fill=GRASS)


def _talk(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(246, 236, 220))
    for x, colour in ((330, BLUE), (600, ORANGE), (870, GREEN)):
        _person(draw, x, 470, colour)
    draw.rounded_rectangle([200, 500, 1000, 560], radius=12, fill=WOOD, outline=INK, width=4)
    draw.rectangle([260, 560, 290, 720], fill=WOOD)
    draw.rectangle([910, 560, 940, 720], fill=WOOD)
    for x in (420, 700):
        draw.rounded_rectangle([x, 450, x + 50, 500], radius=8, fill=PAPER, outline=INK, width=4)
        draw.arc([x + 40, 460, x + 70, 490], -90, 90, fill=INK, width=4)
    for x, y in ((180, 90), (500, 60), (820, 90)):
        draw.rounded_rectangle(
            [x, y, x + 200, y + 110], radius=30, fill=PAPER, outline=INK, width=4
        )
        draw.polygon([(x + 60, y + 108), (x + 100, y + 108), (x + 70, y + 150)], fill=PAPER)
        for dot in range(3):
            draw.ellipse([x + 55 + dot * 35, y + 45, x + 75 + dot * 35, y + 65], fill=INK)


def _shop(draw: ImageDraw.ImageDraw) -> None:
    _ground(draw, 580)
    draw.rectangle([380, 300, 820, 580], fill=RED, outline=INK, width=5)
    draw.polygon([(350, 305), (600, 150), (850, 305)], fill=(90, 60, 50), outline=INK)
    draw.rectangle([440, 330, 760, 390], fill=PAPER, outline=INK, width=4)
    draw.text((600, 360), "BUTIK", fill=INK, anchor="mm", font_size=44)
    draw.rectangle([555, 440, 645, 580], fill=(240, 230, 210), outline=INK, width=4)
    draw.rectangle([420, 430, 520, 510], fill=(200, 230, 250), outline=INK, width=4)
    draw.rectangle([680, 430, 780, 510], fill=(200, 230, 250), outline=INK, width=4)
    for level in range(4):
        top = 250 + level * 80
        draw.polygon(
            [(1000, top), (920 - level * 15, top + 120), (1080 + level * 15, top + 120)],
            fill=(40, 110, 70),
        )
    draw.rectangle([985, 570, 1015, 610], fill=(90, 60, 40))


def _sports(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(236, 242, 248))
    for y in (300, 520):
        draw.rectangle([120, y, 1080, y + 24], fill=WOOD, outline=INK, width=3)
    for x, colour in ((200, ORANGE), (330, BLUE), (460, RED)):
        draw.ellipse([x - 60, 180, x + 60, 300], fill=colour, outline=INK, width=4)
    draw.line([(200, 180), (200, 300)], fill=INK, width=3)
    draw.chord([600, 150, 800, 350], 180, 360, fill=GREEN, outline=INK, width=4)
    draw.rectangle([600, 246, 800, 262], fill=GREEN, outline=INK, width=3)
    for x in (900, 960):
        draw.rounded_rectangle([x, 60, x + 34, 520], radius=16, fill=RED, outline=INK, width=4)
    draw.rectangle([180, 400, 520, 520], fill=PURPLE, outline=INK, width=4)
    draw.ellipse([640, 380, 780, 520], outline=INK, width=10)
    draw.ellipse([700, 440, 720, 460], fill=INK)


def _ideas(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(240, 240, 236))
    draw.rectangle([120, 80, 860, 640], fill=PAPER, outline=INK, width=6)
    colours = [SUN, ORANGE, (140, 200, 240), (160, 220, 150), (240, 160, 190)]
    for row in range(3):
        for column in range(4):
            x, y = 160 + column * 175, 120 + row * 170
            draw.rectangle([x, y, x + 140, y + 130], fill=colours[(row + column) % 5])
            for line in range(3):
                draw.line(
                    [(x + 20, y + 35 + line * 30), (x + 120, y + 35 + line * 30)], fill=INK, width=4
                )
    draw.ellipse([910, 180, 1090, 360], fill=SUN, outline=INK, width=5)
    draw.rectangle([965, 360, 1035, 430], fill=(160, 160, 160), outline=INK, width=5)
    for ray in range(5):
        angle = math.pi + ray * math.pi / 4
        draw.line(
            [
                (1000 + 110 * math.cos(angle), 270 + 110 * math.sin(angle)),
                (1000 + 150 * math.cos(angle), 270 + 150 * math.sin(angle)),
            ],
            fill=ORANGE,
            width=8,
        )


def _houses(draw: ImageDraw.ImageDraw) -> None:
    _ground(draw, 600)
    _sun(draw, 1040, 130)
    for x, height, colour in (
        (120, 380, (220, 180, 120)),
        (430, 460, (200, 140, 110)),
        (740, 340, (170, 190, 200)),
    ):
        draw.rectangle([x, 600 - height, x + 260, 600], fill=colour, outline=INK, width=5)
        for row in range(height // 90):
            for column in range(3):
                wx, wy = x + 30 + column * 75, 600 - height + 30 + row * 90
                draw.rectangle(
                    [wx, wy, wx + 50, wy + 50],
                    fill=SUN if (row + column) % 2 else (200, 230, 250),
                    outline=INK,
                    width=3,
                )


def _tools(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(232, 238, 232))
    draw.ellipse([650, 160, 1080, 590], outline=INK, width=14)
    draw.ellipse([845, 355, 885, 395], fill=INK)
    for spoke in range(12):
        angle = spoke * math.pi / 6
        draw.line(
            [(865, 375), (865 + 205 * math.cos(angle), 375 + 205 * math.sin(angle))],
            fill=(120, 120, 120),
            width=4,
        )
    draw.line([(180, 620), (560, 160)], fill=(130, 130, 140), width=40)
    draw.ellipse([500, 100, 620, 220], fill=(130, 130, 140))
    draw.ellipse([535, 135, 585, 185], fill=(232, 238, 232))
    draw.line([(180, 160), (560, 620)], fill=WOOD, width=36)
    draw.rectangle([120, 110, 280, 200], fill=(90, 90, 100), outline=INK, width=4)


def _path(draw: ImageDraw.ImageDraw) -> None:
    _sun(draw, 980, 150)
    draw.ellipse([-300, 420, 700, 1100], fill=(110, 175, 100))
    draw.ellipse([400, 470, 1500, 1150], fill=(90, 160, 90))
    draw.polygon([(560, 750), (760, 750), (640, 470), (610, 470)], fill=(230, 210, 160))
    draw.rectangle([220, 360, 250, 520], fill=(100, 70, 40))
    draw.ellipse([140, 230, 330, 410], fill=(50, 130, 70))


def _screens(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(238, 236, 246))
    draw.rounded_rectangle([220, 140, 560, 640], radius=40, fill=INK)
    draw.rounded_rectangle([245, 190, 535, 590], radius=12, fill=(220, 235, 250))
    draw.rounded_rectangle([640, 180, 1060, 600], radius=30, fill=INK)
    draw.rounded_rectangle([670, 210, 1030, 570], radius=10, fill=(220, 235, 250))
    for cx, cy, r in ((390, 390, 70), (850, 390, 90)):
        draw.ellipse([cx - r, cy - r, cx, cy], fill=RED)
        draw.ellipse([cx, cy - r, cx + r, cy], fill=RED)
        draw.polygon(
            [(cx - r + 4, cy - r // 2 + 10), (cx + r - 4, cy - r // 2 + 10), (cx, cy + r)], fill=RED
        )


def _books(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(244, 240, 230))
    draw.rectangle([80, 620, 1120, 660], fill=WOOD)
    for index, colour in enumerate((BLUE, RED, GREEN, PURPLE, ORANGE)):
        y = 560 - index * 80
        x = 160 + (index % 2) * 30
        draw.rectangle([x, y, x + 460, y + 60], fill=colour, outline=INK, width=4)
        draw.line([(x + 30, y + 30), (x + 200, y + 30)], fill=PAPER, width=5)
    draw.ellipse([700, 160, 980, 440], fill=(210, 235, 250), outline=INK, width=16)
    draw.line([(940, 410), (1080, 580)], fill=INK, width=36)


def _agreement(draw: ImageDraw.ImageDraw) -> None:
    draw.rectangle([0, 0, WIDTH, HEIGHT], fill=(236, 240, 236))
    for x in (160, 640):
        draw.rectangle([x, 90, x + 400, 640], fill=PAPER, outline=INK, width=5)
        for line in range(6):
            draw.line(
                [(x + 40, 160 + line * 50), (x + 360, 160 + line * 50)],
                fill=(150, 150, 160),
                width=5,
            )
        draw.line([(x + 40, 560), (x + 240, 560)], fill=INK, width=4)
        draw.arc([x + 50, 500, x + 200, 560], 200, 340, fill=BLUE, width=5)
    draw.line([(980, 660), (1120, 420)], fill=BLUE, width=22)
    draw.polygon([(970, 678), (968, 650), (990, 662)], fill=INK)


MOTIFS = {
    motif.code: motif
    for motif in (
        Motif(
            "talk",
            (
                "Tecknad bild: tre personer sitter runt ett bord med kaffekoppar och pratbubblor "
                "ovanför sig."
            ),
            _talk,
        ),
        Motif(
            "shop",
            (
                "Tecknad bild: en liten röd butik med skylten BUTIK, en dörr och två fönster, "
                "bredvid en gran under en blå himmel."
            ),
            _shop,
        ),
        Motif(
            "sports",
            (
                "Tecknad bild: hyllor med bollar i olika färger, en cykelhjälm, en lila låda, ett "
                "par röda skidor och ett hjul."
            ),
            _sports,
        ),
        Motif(
            "ideas",
            (
                "Tecknad bild: en tavla full av färgglada lappar med anteckningar och en tänd "
                "glödlampa bredvid."
            ),
            _ideas,
        ),
        Motif(
            "houses",
            (
                "Tecknad bild: tre flerfamiljshus med rutor av fönster, några upplysta, på en "
                "gräsmatta under en gul sol."
            ),
            _houses,
        ),
        Motif(
            "tools",
            "Tecknad bild: en skiftnyckel och en hammare i kors bredvid ett cykelhjul med ekrar.",
            _tools,
        ),
        Motif(
            "path",
            (
                "Tecknad bild: en stig som slingrar sig mellan gröna kullar, ett träd och en gul "
                "sol på himlen."
            ),
            _path,
        ),
        Motif(
            "screens",
            (
                "Tecknad bild: en mobiltelefon och en surfplatta bredvid varandra, med ett rött "
                "hjärta på skärmarna."
            ),
            _screens,
        ),
        Motif(
            "books",
            (
                "Tecknad bild: en trave böcker i olika färger på en hylla och ett stort "
                "förstoringsglas."
            ),
            _books,
        ),
        Motif(
            "agreement",
            "Tecknad bild: två papper med text och namnteckningar och en blå penna.",
            _agreement,
        ),
    )
}


def draw(code: str) -> bytes:
    """The motif ``code`` as PNG bytes."""
    image = _gradient(SKY_TOP, SKY_BOTTOM)
    MOTIFS[code].paint(ImageDraw.Draw(image))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
