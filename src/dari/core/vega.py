"""Charts as Vega-Lite specifications: one spec per chart, drawn in the page by the vega-embed bundle
(``static/dari/vendor/vega-embed.js``, with tooltips and click-through) and rendered to SVG for PDFs
by vl-convert (``chart_svg``), so the page and the PDF show the same numbers.

The builders here know nothing of the domain: an app turns its figures into rows
(``{"label": ..., "value": ..., "href": ...}``) and asks for a bar, stacked-bar or timeline spec; its
words (titles, axis names, tooltip names) come translated in the active language. A page passes the
spec with ``{{ spec|json_script:"id" }}`` to ``static/dari/charts.js``: no inline script, and Vega's
expressions run in its interpreter (``ast: true``), not through ``new Function``, so the
Content-Security-Policy stays ``script-src 'self'``.

The bundle is vl-convert's own (``vl_convert.javascript_bundle()``), written to the static files by
``dari vega_bundle`` (see ``write_bundle``) and kept in the repository; a test checks that it is the
one the installed vl-convert makes.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

# The page kit's fonts: Noto Sans CJK sets Korean and Latin alike in the PDF and in the page.
FONT = '"Noto Sans CJK KR", "Noto Sans KR", "Noto Sans", sans-serif'
FONT_DIRECTORIES = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto")
#: The width of a chart in a PDF (CSS pixels); in a page a chart is as wide as its column.
PRINT_WIDTH = 520
#: Colours told apart by people with colour-blindness (Okabe-Ito), in order.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
BUNDLE = Path(__file__).resolve().parent / "static" / "dari" / "vendor" / "vega-embed.js"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def count_scale(largest) -> dict:
    """A count's axis and scale: whole-number ticks (0, 1, 2, never 0.5) a step of 1, 2 or 5 times a
    power of ten apart, at most seven, from 0 to ``largest`` or just past it. Given rather than left
    to Vega, whose ``tickMinStep`` is not kept when the width follows the container."""
    step = 1
    while largest / step > 6:
        step = step * 5 // 2 if str(step).startswith("2") else step * 2  # 1, 2, 5, 10, 20, 50...
    top = max(step, -(-int(largest) // step) * step)
    return {
        "axis": {"values": list(range(0, top + 1, step)), "format": "d"},
        "scale": {"domain": [0, top], "nice": False},
    }


CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelLimit": 180, "grid": True},
    # Under the chart in two columns: a row of long names would run past a phone's width.
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": 2, "labelLimit": 200},
    "title": {"fontSize": 14, "anchor": "start"},
    "view": {"stroke": None},
    "range": {"category": PALETTE},
    "bar": {"color": PALETTE[0]},
    "line": {"color": PALETTE[0]},
    "point": {"color": PALETTE[0]},
}


def _chart(title: str, description: str, data: list[dict], **rest) -> dict:
    return {
        "$schema": SCHEMA,
        "title": title,
        # Read aloud as the chart's name (aria-label); the page keeps a table with the same figures.
        "description": description,
        "width": "container",
        "autosize": {"type": "fit-x", "contains": "padding"},
        "data": {"values": data},
        "config": CONFIG,
        **rest,
    }


def _tooltip(fields: dict[str, str]) -> list[dict]:
    return [{"field": name, "title": title, "type": "nominal"} for name, title in fields.items()]


def bar_spec(
    rows: list[dict],
    *,
    title: str,
    category_title: str,
    value_title: str,
    tooltip: dict[str, str] | None = None,
    colours: list[str] | None = None,
) -> dict:
    """A horizontal bar chart: one bar per row (``label``, ``value``, optional ``href``), in the
    order given. ``tooltip`` maps more row fields to their names; ``colours`` gives one colour per
    row (else all the first of the palette). Bars run left to right with the labels in a column, so
    Korean and English labels of any length never overlap."""
    order = [row["label"] for row in rows]
    encoding = {
        # The labels name themselves; a rotated title beside them reads badly in Korean.
        "y": {"field": "label", "type": "nominal", "sort": order, "title": None},
        "x": {
            "field": "value",
            "type": "quantitative",
            "title": value_title,
            **count_scale(max((row["value"] for row in rows), default=0)),
        },
        "href": {"field": "href", "type": "nominal"},
        "tooltip": [
            {"field": "label", "type": "nominal", "title": category_title},
            {"field": "value", "type": "quantitative", "title": value_title},
            *_tooltip(tooltip or {}),
        ],
    }
    if colours:
        encoding["color"] = {
            "field": "label",
            "type": "nominal",
            "scale": {"domain": order, "range": colours},
            "legend": None,
        }
    description = "; ".join(f"{row['label']}: {row['value']}" for row in rows)
    return _chart(
        title,
        description,
        rows,
        height={"step": 26},
        mark={"type": "bar", "cursor": "pointer", "tooltip": True},
        encoding=encoding,
    )


def stacked_bar_spec(
    rows: list[dict],
    *,
    title: str,
    category_title: str,
    series_title: str,
    value_title: str,
    series_order: list[str],
    colours: list[str] | None = None,
    tooltip: dict[str, str] | None = None,
) -> dict:
    """A horizontal stacked bar chart: per ``label``, one segment per ``series`` (rows: ``label``,
    ``series``, ``value``, optional ``href``), stacked in ``series_order`` (coloured ``colours``,
    else the palette's), with a legend in one column (it fits under a phone's narrow plot)."""
    categories = list(dict.fromkeys(row["label"] for row in rows))
    totals = {label: sum(row["value"] for row in rows if row["label"] == label) for label in categories}
    description = "; ".join(f"{row['label']}, {row['series']}: {row['value']}" for row in rows)
    return _chart(
        title,
        description,
        # Each series' place in the stack, so the segments keep the legend's order.
        [{**row, "position": series_order.index(row["series"])} for row in rows],
        height={"step": 26},
        mark={"type": "bar", "cursor": "pointer", "tooltip": True},
        encoding={
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": categories,
                "title": None,
                "axis": {"labelLimit": 140},
            },
            "x": {
                "field": "value",
                "type": "quantitative",
                "stack": "zero",
                "title": value_title,
                **count_scale(max(totals.values(), default=0)),
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": series_title,
                "scale": {"domain": series_order, "range": colours or PALETTE},
                "legend": {"columns": 1},
            },
            "order": {"field": "position", "type": "quantitative"},
            "href": {"field": "href", "type": "nominal"},
            "tooltip": [
                {"field": "label", "type": "nominal", "title": category_title},
                {"field": "series", "type": "nominal", "title": series_title},
                {"field": "value", "type": "quantitative", "title": value_title},
                *_tooltip(tooltip or {}),
            ],
        },
    )


def timeline_spec(
    rows: list[dict],
    *,
    title: str,
    period_title: str,
    series_title: str,
    value_title: str,
    periods: list[str],
    series_order: list[str],
    colours: list[str] | None = None,
    tooltip: dict[str, str] | None = None,
) -> dict:
    """A line per ``series`` over ``periods`` (rows: ``period``, ``series``, ``value``, optional
    ``href``; the periods in order, e.g. ``2024 Q1``), coloured ``colours`` (else the palette's),
    with a point per value to hover and click."""
    description = "; ".join(f"{row['period']}, {row['series']}: {row['value']}" for row in rows)
    encoding = {
        "x": {
            "field": "period",
            "type": "ordinal",
            "sort": periods,
            "title": period_title,
            "axis": {"labelAngle": 0, "labelOverlap": True},
        },
        "y": {
            "field": "value",
            "type": "quantitative",
            "title": value_title,
            **count_scale(max((row["value"] for row in rows), default=0)),
        },
        "color": {
            "field": "series",
            "type": "nominal",
            "title": series_title,
            "scale": {"domain": series_order, "range": colours or PALETTE},
        },
    }
    return _chart(
        title,
        description,
        rows,
        height=220,
        encoding=encoding,
        layer=[
            {"mark": {"type": "line"}},
            {
                "mark": {"type": "point", "filled": True, "size": 70, "cursor": "pointer", "tooltip": True},
                "encoding": {
                    "href": {"field": "href", "type": "nominal"},
                    "tooltip": [
                        {"field": "period", "type": "nominal", "title": period_title},
                        {"field": "series", "type": "nominal", "title": series_title},
                        {"field": "value", "type": "quantitative", "title": value_title},
                        *_tooltip(tooltip or {}),
                    ],
                },
            },
        ],
    )


def _for_print(spec: dict) -> dict:
    """``spec`` for a PDF: a fixed width (there is no container) and no links or tooltips, which
    a printed page cannot follow."""
    printed = copy.deepcopy(spec)
    if printed.get("width") == "container":
        printed["width"] = PRINT_WIDTH
    printed.pop("autosize", None)
    for part in [printed, *printed.get("layer", [])]:
        encoding = part.get("encoding", {})
        encoding.pop("href", None)
        encoding.pop("tooltip", None)
        if isinstance(part.get("mark"), dict):
            part["mark"] = {
                name: value for name, value in part["mark"].items() if name not in ("cursor", "tooltip")
            }
    return printed


@functools.cache
def _converter():
    import vl_convert

    for directory in FONT_DIRECTORIES:
        if Path(directory).is_dir():
            vl_convert.register_font_directory(directory)
    return vl_convert


def chart_svg(spec: dict) -> str:
    """The SVG of ``spec`` as a PDF shows it (``_for_print``), rendered by vl-convert with Noto Sans
    CJK: labels stay ``<text>``, so the PDF's text can be searched and read. Loads no data from
    anywhere: a spec carries its values."""
    svg = _converter().vegalite_to_svg(_for_print(spec), allowed_base_urls=[])
    # The chart class lets print.css size it.
    return svg.replace('class="marks"', 'class="chart marks"', 1)


def bundle_text() -> str:
    """The vega-embed bundle vl-convert ships (vega-embed, Vega-Lite and Vega, minified), with a
    header naming its versions and licences (the file ``write_bundle`` writes)."""
    import vl_convert

    versions = {
        "vega-embed": vl_convert.get_vega_embed_version(),
        "vega": vl_convert.get_vega_version(),
        "vega-lite": vl_convert.get_vegalite_versions()[-1],
        "vl-convert-python": _package_version(),
    }
    header = (
        "/*! vega-embed bundle made by vl-convert-python (vl_convert.javascript_bundle()); do not edit:\n"
        " * regenerate with `dari vega_bundle`. "
        + json.dumps(versions, sort_keys=True)
        + "\n * Vega, Vega-Lite, vega-embed, vega-tooltip: BSD-3-Clause (c) University of Washington\n"
        " * Interactive Data Lab; d3 modules: ISC (c) Mike Bostock; other bundled modules: see\n"
        " * vega-embed.LICENSE.txt beside this file. */\n"
    )
    return header + vl_convert.javascript_bundle()


def _package_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def write_bundle(path: Path = BUNDLE) -> Path:
    """Write ``bundle_text()`` to ``path`` (the static file pages load)."""
    path.write_text(bundle_text(), encoding="utf-8")
    return path
