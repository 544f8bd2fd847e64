"""How wide a text looks in a fixed grid: East Asian wide characters (Hangul, Han, kana, full-width
forms) take two columns, every other character one.

Used to size spreadsheet columns and to lay out chart labels without measuring fonts.
"""

import unicodedata


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace grid, e.g. ``display_width("협약 MOU") == 8``."""
    return sum(_columns(character) for character in text)


def _columns(character: str) -> int:
    if unicodedata.combining(character):
        return 0
    return 2 if unicodedata.east_asian_width(character) in ("W", "F") else 1
