"""The palette in hjulet.css keeps WCAG 2.2 AA contrast: every text colour on every background
it is used on, computed from the custom properties themselves (so a changed colour is checked)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from hjulet.lib.contrast import contrast

CSS = Path(settings.BASE_DIR) / "static" / "css" / "hjulet.css"

TEXT = ["--ink", "--muted", "--brand", "--brand-dark", "--accent", "--link", "--danger"]
BACKGROUNDS = ["--paper", "--wash", "--wash-warm", "--brand-tint"]


def custom_properties() -> dict[str, str]:
    root = re.search(r":root \{(.*?)\n\}", CSS.read_text(encoding="utf-8"), re.S).group(1)
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\b", root))


def test_the_contrast_formula_matches_known_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the AA grey


@pytest.mark.parametrize("text", TEXT)
@pytest.mark.parametrize("background", BACKGROUNDS)
def test_text_colours_are_aa_on_every_background(text, background):
    colours = custom_properties()
    ratio = contrast(colours[text], colours[background])
    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1, under 4.5:1"


def test_white_text_on_the_header_and_buttons_is_aa():
    colours = custom_properties()
    for background in ("--brand", "--brand-dark", "--danger"):
        assert contrast("#ffffff", colours[background]) >= 4.5, background


def test_control_borders_stand_out_from_the_page():
    """WCAG 1.4.11: what shows a control (borders of fields) is at least 3:1."""
    colours = custom_properties()
    for border in ("--line-strong", "--muted"):
        for background in ("--paper", "--wash"):
            assert contrast(colours[border], colours[background]) >= 3, (border, background)
