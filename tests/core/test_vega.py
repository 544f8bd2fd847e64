"""Charts as Vega-Lite specs (dari.core.vega): the builders' specs, their SVG for PDFs (Korean text
as text, no links), and the vendored vega-embed bundle being the one the installed vl-convert makes."""

import json
import re

import pytest

from dari.core.vega import (
    BUNDLE,
    bar_spec,
    bundle_text,
    chart_svg,
    count_scale,
    stacked_bar_spec,
    timeline_spec,
)

ROWS = [
    {"label": "진행 중", "value": 3, "href": "/agreements/1/board/#status-in_progress"},
    {"label": "완료 <b>&</b>", "value": 1, "href": "/agreements/1/board/#status-done"},
]


def test_a_bar_spec_keeps_the_rows_order_links_and_tooltips():
    spec = bar_spec(
        ROWS,
        title="상태별",
        category_title="상태",
        value_title="과제",
        tooltip={"note": "메모"},
        colours=["#000", "#111"],
    )

    assert spec["data"]["values"] == ROWS
    assert spec["encoding"]["y"]["sort"] == ["진행 중", "완료 <b>&</b>"]
    assert spec["encoding"]["href"] == {"field": "href", "type": "nominal"}
    assert [tip["field"] for tip in spec["encoding"]["tooltip"]] == ["label", "value", "note"]
    assert spec["encoding"]["color"]["scale"]["range"] == ["#000", "#111"]
    assert (spec["width"], spec["autosize"]["type"]) == ("container", "fit-x")


def test_the_svg_of_a_spec_sets_its_korean_labels_as_escaped_text_without_links():
    svg = chart_svg(bar_spec(ROWS, title="상태별 과제", category_title="상태", value_title="과제 수"))

    assert svg.startswith("<svg") and 'class="chart marks"' in svg
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"상태별 과제", "진행 중", "완료 &lt;b&gt;&amp;&lt;/b&gt;", "과제 수"} <= set(texts)
    assert {"0", "1", "2", "3"} <= set(texts)  # whole numbers on a count axis
    assert "Noto Sans CJK KR" in svg
    assert "href" not in svg


def test_stacked_and_timeline_specs_render():
    rows = [
        {"label": "A", "series": "x", "value": 1, "href": "/a"},
        {"label": "A", "series": "y", "value": 2, "href": "/b"},
    ]
    stacked = stacked_bar_spec(
        rows, title="t", category_title="c", series_title="s", value_title="v", series_order=["y", "x"]
    )
    assert [row["position"] for row in stacked["data"]["values"]] == [1, 0]
    line = timeline_spec(
        [{"period": "2024 Q1", "series": "x", "value": 1, "href": "/a"}],
        title="t",
        period_title="p",
        series_title="s",
        value_title="v",
        periods=["2024 Q1"],
        series_order=["x"],
    )
    for spec in (stacked, line):
        assert chart_svg(spec).startswith("<svg")
        json.dumps(spec)  # what json_script gives the page


def test_the_vendored_bundle_names_the_installed_versions():
    import vl_convert

    header = BUNDLE.read_text(encoding="utf-8")[:600]
    assert f'"vega-embed": "{vl_convert.get_vega_embed_version()}"' in header
    assert f'"vega": "{vl_convert.get_vega_version()}"' in header
    assert (BUNDLE.parent / "vega-embed.LICENSE.txt").exists()


@pytest.mark.slow
def test_the_vendored_bundle_is_what_dari_vega_bundle_writes():
    """After upgrading vl-convert-python, run ``dari vega_bundle`` and commit the file."""
    assert BUNDLE.read_text(encoding="utf-8") == bundle_text()


@pytest.mark.parametrize(
    "largest, ticks",
    [
        (0, [0, 1]),
        (2, [0, 1, 2]),
        (6, [0, 1, 2, 3, 4, 5, 6]),
        (7, [0, 2, 4, 6, 8]),
        (99, [0, 20, 40, 60, 80, 100]),
    ],
)
def test_a_count_axis_has_whole_ticks_a_nice_step_apart(largest, ticks):
    scale = count_scale(largest)

    assert scale["axis"]["values"] == ticks
    assert scale["scale"]["domain"] == [0, ticks[-1]]
