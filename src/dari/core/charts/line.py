"""Line charts over time (a timeline of counts or amounts) or over plain numbers."""

from collections.abc import Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

from .svg import (
    AXIS_COLOUR,
    FONT_SIZE,
    GRID_COLOUR,
    TITLE_SIZE,
    Series,
    colour,
    document,
    element,
    format_number,
    legend,
    nice_ticks,
    number,
    text_element,
    text_width,
    title_element,
)

PADDING = 8
PLOT_HEIGHT = 200
X_TICKS = 5


def line_chart(series: Sequence[Series], *, title: str, width: int = 560, height: int = PLOT_HEIGHT) -> str:
    """SVG text of a line chart: per series one ``<polyline class="line">`` through its points, each
    point a ``<circle class="point">``; a legend when there is more than one series.

    A series' ``values`` are ``(x, y)`` pairs, ``x`` a ``date``, a ``datetime`` (aware, placed on
    its UTC instant; label it in the caller's zone if that matters) or a number, the same kind in
    every series; ``y`` a number, possibly negative.
    """
    points = [(_position(x), float(y)) for one in series for x, y in one.values]
    if len({isinstance(x, date) for one in series for x, _ in one.values}) > 1:
        raise ValueError("mix of dates and numbers on the x axis")
    x_values = [x for x, _ in points]
    y_values = [y for _, y in points]
    x_low, x_high = (min(x_values), max(x_values)) if points else (0.0, 1.0)
    if x_high == x_low:
        x_low, x_high = x_low - 1, x_high + 1
    y_low = min([0.0, *y_values])
    positive_ticks = nice_ticks(max([0.0, *y_values]))
    step = positive_ticks[1] - positive_ticks[0]
    y_ticks = [-step * count for count in range(int(-y_low // step) + (y_low % step != 0), 0, -1)]
    y_ticks += positive_ticks

    # The first and last x labels are centred on the plot's edges: leave room for their halves.
    half_x_label = text_width("0000-00-00") / 2
    left = max(PADDING + max(text_width(format_number(tick)) for tick in y_ticks) + PADDING, half_x_label)
    right = width - PADDING - half_x_label
    top = TITLE_SIZE + 16
    bottom = top + height

    def to_x(value: float) -> float:
        return left + (value - x_low) / (x_high - x_low) * (right - left)

    def to_y(value: float) -> float:
        return bottom - (value - y_ticks[0]) / (y_ticks[-1] - y_ticks[0]) * (bottom - top)

    body = [title_element(title, width)]
    for tick in y_ticks:
        y = to_y(tick)
        body.append(
            element("line", x1=number(left), y1=number(y), x2=number(right), y2=number(y), stroke=GRID_COLOUR)
            + text_element(
                format_number(tick),
                x=number(left - 4),
                y=number(y + FONT_SIZE * 0.35),
                text_anchor="end",
                fill=AXIS_COLOUR,
                class_="tick",
            )
        )
    sample = next((x for one in series for x, _ in one.values), None)
    for index in range(X_TICKS):
        value = x_low + (x_high - x_low) * index / (X_TICKS - 1)
        body.append(
            text_element(
                _x_label(value, sample),
                x=number(to_x(value)),
                y=number(bottom + FONT_SIZE + 4),
                text_anchor="middle",
                fill=AXIS_COLOUR,
                class_="tick",
            )
        )
    body.append(
        element(
            "line",
            x1=number(left),
            y1=number(to_y(0)),
            x2=number(right),
            y2=number(to_y(0)),
            stroke=AXIS_COLOUR,
        )
    )
    for position, one in enumerate(series):
        placed = sorted((_position(x), float(y), x, y) for x, y in one.values)
        fill = colour(position)
        body.append(
            element(
                "polyline",
                points=" ".join(f"{number(to_x(x))},{number(to_y(y))}" for x, y, _, _ in placed),
                fill="none",
                stroke=fill,
                stroke_width=2,
                class_="line",
            )
        )
        for x, y, original_x, original_y in placed:
            prefix = f"{one.name} · " if one.name else ""
            label = f"{prefix}{_x_label(x, original_x)}: {format_number(original_y)}"
            body.append(
                element(
                    "circle",
                    f"<title>{escape(label)}</title>",
                    cx=number(to_x(x)),
                    cy=number(to_y(y)),
                    r=3,
                    fill=fill,
                    class_="point",
                )
            )
    total_height = bottom + FONT_SIZE + 12
    if len(series) > 1:
        legend_parts, legend_height = legend([one.name for one in series], PADDING, total_height, width - 16)
        body.extend(legend_parts)
        total_height += legend_height
    description = "; ".join(
        f"{one.name}: " + ", ".join(f"{_x_label(_position(x), x)} {format_number(y)}" for x, y in one.values)
        for one in series
    )
    return document("line", title, width, total_height, body, description)


def _position(x) -> float:
    """Where ``x`` sits on the axis: days since 1970 for dates and datetimes, else the number."""
    if isinstance(x, datetime):
        return x.timestamp() / 86400
    if isinstance(x, date):
        return float(x.toordinal() - date(1970, 1, 1).toordinal())
    return float(x)


def _x_label(position: float, sample) -> str:
    if isinstance(sample, date):
        return date.fromordinal(round(position) + date(1970, 1, 1).toordinal()).isoformat()
    return format_number(round(position, 2))
