"""Horizontal bar charts: one bar per category, or one stacked bar per category.

Bars run left to right with the category labels in a column on the left, because Korean and
English labels of very different lengths then never overlap and never need rotating.
"""

from collections.abc import Sequence
from xml.sax.saxutils import escape

from .svg import (
    AXIS_COLOUR,
    FONT_SIZE,
    GRID_COLOUR,
    TITLE_SIZE,
    Number,
    Series,
    colour,
    document,
    element,
    fit_text,
    format_number,
    legend,
    nice_ticks,
    number,
    text_element,
    text_width,
    title_element,
)

ROW_HEIGHT = 28
BAR_HEIGHT = 18
PADDING = 8


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    *,
    title: str,
    width: int = 560,
    colours: Sequence[str] | None = None,
) -> str:
    """SVG text of a bar chart: one ``<rect class="bar">`` per label, its value written beside it.

    ``values`` must be non-negative and as many as ``labels``; ``colours`` (one per bar) defaults
    to the first colour of the palette for every bar.
    """
    _check_lengths(labels, [Series("", values)])
    fills = list(colours) if colours else [colour(0)] * len(labels)
    if len(fills) != len(labels):
        raise ValueError(f"{len(labels)} labels but {len(fills)} colours")
    segments = [[(value, fills[index], "")] for index, value in enumerate(values)]
    description = "; ".join(
        f"{label}: {format_number(value)}" for label, value in zip(labels, values, strict=True)
    )
    return _horizontal_bars("bar", labels, segments, title=title, width=width, description=description)


def stacked_bar_chart(
    labels: Sequence[str], series: Sequence[Series], *, title: str, width: int = 560
) -> str:
    """SVG text of a stacked bar chart: per label, one ``<rect class="bar">`` per series whose value
    is above zero, stacked left to right in the order of ``series``, with a legend and the total."""
    _check_lengths(labels, series)
    segments = [
        [(one.values[index], colour(position), one.name) for position, one in enumerate(series)]
        for index in range(len(labels))
    ]
    description = "; ".join(
        f"{label}: " + ", ".join(f"{one.name} {format_number(one.values[index])}" for one in series)
        for index, label in enumerate(labels)
    )
    return _horizontal_bars(
        "stacked-bar",
        labels,
        segments,
        title=title,
        width=width,
        description=description,
        legend_names=[one.name for one in series],
    )


def _check_lengths(labels: Sequence[str], series: Sequence[Series]) -> None:
    for one in series:
        if len(one.values) != len(labels):
            raise ValueError(f"{len(labels)} labels but {len(one.values)} values in series {one.name!r}")
        if any(value < 0 for value in one.values):
            raise ValueError("bar charts show non-negative values only")


def _horizontal_bars(
    kind: str,
    labels: Sequence[str],
    segments: list[list[tuple[Number, str, str]]],
    *,
    title: str,
    width: int,
    description: str,
    legend_names: Sequence[str] = (),
) -> str:
    totals = [sum(float(value) for value, _, _ in row) for row in segments]
    ticks = nice_ticks(max(totals, default=0))
    label_width = min(max((text_width(label) for label in labels), default=0), width * 0.4)
    value_width = text_width(format_number(ticks[-1])) + PADDING
    plot_left = PADDING + label_width + PADDING
    plot_width = max(width - plot_left - value_width - PADDING, 40)
    top = TITLE_SIZE + 16
    scale = plot_width / ticks[-1]

    body = [title_element(title, width)]
    plot_bottom = top + ROW_HEIGHT * len(labels)
    for tick in ticks:
        x = plot_left + tick * scale
        body.append(
            element("line", x1=number(x), y1=top, x2=number(x), y2=number(plot_bottom), stroke=GRID_COLOUR)
            + text_element(
                format_number(tick),
                x=number(x),
                y=number(plot_bottom + FONT_SIZE + 4),
                text_anchor="middle",
                fill=AXIS_COLOUR,
                class_="tick",
            )
        )
    for index, label in enumerate(labels):
        row_top = top + ROW_HEIGHT * index
        bar_top = row_top + (ROW_HEIGHT - BAR_HEIGHT) / 2
        text_y = number(row_top + ROW_HEIGHT / 2 + FONT_SIZE * 0.35)
        body.append(
            text_element(
                fit_text(label, label_width),
                x=number(plot_left - PADDING),
                y=text_y,
                text_anchor="end",
                class_="category",
            )
        )
        x = plot_left
        for value, fill, series_name in segments[index]:
            if value <= 0:
                continue
            bar_width = float(value) * scale
            tooltip = f"{label}{' · ' + series_name if series_name else ''}: {format_number(value)}"
            body.append(
                element(
                    "rect",
                    f"<title>{escape(tooltip)}</title>",
                    x=number(x),
                    y=number(bar_top),
                    width=number(bar_width),
                    height=BAR_HEIGHT,
                    fill=fill,
                    class_="bar",
                )
            )
            x += bar_width
        body.append(
            text_element(
                format_number(totals[index]), x=number(x + 4), y=text_y, fill=AXIS_COLOUR, class_="value"
            )
        )
    body.append(
        element(
            "line",
            x1=number(plot_left),
            y1=top,
            x2=number(plot_left),
            y2=number(plot_bottom),
            stroke=AXIS_COLOUR,
        )
    )
    height = plot_bottom + FONT_SIZE + 12
    if legend_names:
        legend_parts, legend_height = legend(legend_names, PADDING, height, width - 2 * PADDING)
        body.extend(legend_parts)
        height += legend_height
    return document(kind, title, width, height, body, description)
