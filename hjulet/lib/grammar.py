"""Small pieces of grammar for generated text (no Django here).

``genitive("Fritidsbanken Umeå", "sv")`` gives "Fritidsbanken Umeås", so that an e-mail can say
"för Fritidsbanken Umeås räkning". Swedish adds -s without an apostrophe, adds nothing to a name
that already ends in s, x or z ("Hans", "Max", "Fritz"), and joins the s with a colon after an
abbreviation or a figure ("SVT:s", "Coompanion Nord AB:s", "Agenda 2030:s"), as Språkrådet
advises. English adds 's, or only the apostrophe after s.
"""

SILENT_ENDINGS = ("s", "x", "z")


def _is_abbreviation(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return word[-1].isdigit() or (len(letters) >= 2 and all(c.isupper() for c in letters))


def genitive(name: str, language: str = "sv") -> str:
    """The genitive of a name in ``language`` ("sv" or "en"; other languages as English)."""
    name = name.strip()
    if not name:
        return name
    last_word = name.split()[-1]
    if language.startswith("sv"):
        if _is_abbreviation(last_word):
            return name + ":s"
        if name[-1].lower() in SILENT_ENDINGS:
            return name
        if not name[-1].isalnum():  # "Café Ett!" has no good genitive: keep the name
            return name
        return name + "s"
    if name[-1].lower() == "s":
        return name + "'"
    return name + "'s"
