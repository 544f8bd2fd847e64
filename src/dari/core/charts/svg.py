"""The pieces every chart is drawn with: escaped SVG elements, a palette, axis ticks, text widths.

Text stays text (``<text>`` elements, not outlines), so a chart reads the same in the page and in
the PDF, where WeasyPrint lays it out with the same Noto CJK font as the page around it, and where
``pdftotext`` or a screen reader can read its labels.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from dari.core.display_width import display_width

FONT_FAMILY = "'Noto Sans CJK KR', 'Noto Sans KR', sans-serif"
FONT_SIZE = 12
TITLE_SIZE = 14
# A chart in a page is drawn this wide: about a phone's column, so that at 390 px its 12 px labels
# are drawn at nearly 12 px; the page kit lets it grow by at most a third on a wide screen
# (.chart-figure in dari.css). A PDF keeps the wider default of each chart function.
PAGE_CHART_WIDTH = 360
# Okabe–Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
AXIS_COLOUR = "#555555"
GRID_COLOUR = "#DDDDDD"

Number = int | float | Decimal


@dataclass(frozen=True)
class Series:
    """One named row of values (a stack in a stacked bar chart, a line in a line chart)."""

    name: str
    values: Sequence


def colour(index: int) -> str:
    return PALETTE[index % len(PALETTE)]


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """A generous estimate of the drawn width: a Hangul syllable is about 1 em, a Latin letter or
    digit about 0.55 em. Layout only needs it to keep labels from overlapping."""
    return display_width(text) * font_size * 0.55


def fit_text(text: str, max_width: float, font_size: float = FONT_SIZE) -> str:
    """``text``, cut with an ellipsis when it would be wider than ``max_width``."""
    if text_width(text, font_size) <= max_width:
        return text
    while text and text_width(text + "…", font_size) > max_width:
        text = text[:-1]
    return text + "…"


def format_number(value: Number) -> str:
    """``1,234`` for whole numbers, ``1,234.5`` otherwise (at most two decimals)."""
    if float(value) == int(value):
        return f"{int(value):,}"
    return f"{float(value):,.2f}".rstrip("0").rstrip(".")


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``maximum``: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw_step = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(factor * magnitude for factor in (1, 2, 5, 10) if factor * magnitude >= raw_step)
    if step < 1 and maximum >= 1 and float(maximum).is_integer():
        step = 1
    ticks = [0.0]
    while ticks[-1] < maximum:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def attributes(values: dict) -> str:
    """`` name="value"`` pairs, escaped; ``None`` values are left out, ``_`` becomes ``-``."""
    return "".join(
        f" {name.rstrip('_').replace('_', '-')}={quoteattr(str(value))}"
        for name, value in values.items()
        if value is not None
    )


def element(name: str, content: str = "", **attrs) -> str:
    """An SVG element; ``content`` must already be SVG (use ``text_element`` for text)."""
    if content:
        return f"<{name}{attributes(attrs)}>{content}</{name}>"
    return f"<{name}{attributes(attrs)}/>"


def text_element(text: str, **attrs) -> str:
    return f"<text{attributes(attrs)}>{escape(text)}</text>"


def number(value: float) -> str:
    """A coordinate with at most two decimals, so the SVG stays short and stable."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def document(kind: str, title: str, width: float, height: float, body: list[str], description: str) -> str:
    """The ``<svg>`` root: sized in CSS pixels, scalable (``viewBox``), named for screen readers."""
    root = attributes(
        {
            "class": f"chart chart-{kind}",
            "width": number(width),
            "height": number(height),
            "viewBox": f"0 0 {number(width)} {number(height)}",
            "role": "img",
            # Shrinks with a narrow page or column instead of overflowing it (the drawing keeps its
            # proportions through the viewBox). No "height: auto": WeasyPrint then draws a square box.
            "style": "max-width: 100%",
            "font-family": FONT_FAMILY,
            "font-size": FONT_SIZE,
        }
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{root}>'
        f"<title>{escape(title)}</title><desc>{escape(description)}</desc>" + "".join(body) + "</svg>"
    )


def title_element(title: str, width: float) -> str:
    return text_element(
        title,
        x=number(width / 2),
        y=TITLE_SIZE + 4,
        text_anchor="middle",
        font_size=TITLE_SIZE,
        font_weight="bold",
        class_="chart-title",
    )


def legend(names: Sequence[str], x: float, y: float, max_width: float) -> tuple[list[str], float]:
    """Colour swatches with series names, wrapped onto rows; returns the elements and the height."""
    parts: list[str] = []
    cursor_x, cursor_y, row_height = x, y, FONT_SIZE + 8
    for index, name in enumerate(names):
        label = fit_text(name, max_width - 20)
        item_width = 16 + text_width(label) + 16
        if cursor_x > x and cursor_x + item_width > x + max_width:
            cursor_x, cursor_y = x, cursor_y + row_height
        parts.append(
            element(
                "rect",
                x=number(cursor_x),
                y=number(cursor_y),
                width=10,
                height=10,
                fill=colour(index),
                class_="legend-swatch",
            )
            + text_element(label, x=number(cursor_x + 14), y=number(cursor_y + 9.5), class_="legend-label")
        )
        cursor_x += item_width
    return ['<g class="legend">' + "".join(parts) + "</g>"], (cursor_y - y) + row_height if names else 0
