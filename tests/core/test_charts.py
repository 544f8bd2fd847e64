"""Server-rendered SVG charts: valid SVG, one shape per value, every label escaped and kept as text."""

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from dari.core.charts import Series, bar_chart, line_chart, stacked_bar_chart
from dari.core.charts.svg import fit_text, format_number, nice_ticks
from dari.core.display_width import display_width

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def with_class(root: ET.Element, tag: str, css_class: str) -> list[ET.Element]:
    return [node for node in root.iter(f"{SVG}{tag}") if css_class in node.get("class", "").split()]


def texts(root: ET.Element) -> list[str]:
    return [node.text for node in root.iter(f"{SVG}text")]


def test_bar_chart_draws_one_bar_per_nonzero_value_with_korean_labels_as_text():
    svg = bar_chart(["열림", "진행 중", "완료", "중단"], [3, 1, 0, 2], title="상태별 실행 과제")

    root = parse(svg)
    bars = with_class(root, "rect", "bar")
    assert len(bars) == 3
    assert root.find(f"{SVG}title").text == "상태별 실행 과제"
    assert [node.text for node in with_class(root, "text", "category")] == ["열림", "진행 중", "완료", "중단"]
    assert [node.text for node in with_class(root, "text", "value")] == ["3", "1", "0", "2"]
    assert root.get("role") == "img"
    assert "Noto Sans CJK KR" in root.get("font-family")


def test_bar_lengths_are_proportional_to_the_values():
    root = parse(bar_chart(["a", "b"], [4, 2], title="t"))

    first, second = (float(bar.get("width")) for bar in with_class(root, "rect", "bar"))
    assert first == pytest.approx(2 * second)


def test_bar_chart_uses_one_colour_per_bar_when_given():
    root = parse(bar_chart(["a", "b"], [1, 2], title="t", colours=["#111111", "#222222"]))

    assert [bar.get("fill") for bar in with_class(root, "rect", "bar")] == ["#111111", "#222222"]


def test_labels_and_titles_are_escaped():
    svg = bar_chart(['<script>alert("x")</script>', "A & B"], [1, 1], title="<b>t</b>")

    root = parse(svg)
    assert "<script>" not in svg
    assert '<script>alert("x")</script>' in texts(root)
    assert "A & B" in texts(root)
    assert root.find(f"{SVG}title").text == "<b>t</b>"


def test_a_long_label_is_cut_with_an_ellipsis_and_kept_whole_in_the_tooltip():
    label = "생명(바이오) 산업 육성 및 타 분야의 산업 협력 기반 구축을 위한 아주 긴 항목 이름"
    root = parse(bar_chart([label], [1], title="t", width=400))

    (category,) = with_class(root, "text", "category")
    assert category.text.endswith("…")
    assert display_width(category.text) < display_width(label)
    (bar,) = with_class(root, "rect", "bar")
    assert bar.find(f"{SVG}title").text == f"{label}: 1"


def test_bar_chart_refuses_mismatched_or_negative_values():
    with pytest.raises(ValueError):
        bar_chart(["a", "b"], [1], title="t")
    with pytest.raises(ValueError):
        bar_chart(["a"], [-1], title="t")


def test_an_empty_bar_chart_is_still_valid_svg():
    root = parse(bar_chart([], [], title="비어 있음"))

    assert with_class(root, "rect", "bar") == []


def test_stacked_bar_chart_draws_one_segment_per_nonzero_value_and_a_legend():
    svg = stacked_bar_chart(
        ["울산", "San Diego", "Hangzhou"],
        [Series("투자", [1, 2, 0]), Series("계약", [3, 0, 0]), Series("Partnership", [1, 1, 0])],
        title="성과",
    )

    root = parse(svg)
    assert len(with_class(root, "rect", "bar")) == 5
    assert len(with_class(root, "rect", "legend-swatch")) == 3
    assert [node.text for node in with_class(root, "text", "legend-label")] == ["투자", "계약", "Partnership"]
    assert [node.text for node in with_class(root, "text", "value")] == ["5", "3", "0"]


def test_stacked_segments_of_a_row_sit_end_to_end():
    root = parse(stacked_bar_chart(["a"], [Series("x", [2]), Series("y", [3])], title="t"))

    first, second = with_class(root, "rect", "bar")
    assert float(second.get("x")) == pytest.approx(float(first.get("x")) + float(first.get("width")))
    assert first.get("fill") != second.get("fill")


def test_line_chart_over_dates_draws_a_line_and_a_point_per_value():
    series = [
        Series("USD", [(date(2024, 1, 1), 5), (date(2024, 3, 1), -2), (date(2024, 6, 1), Decimal("12.5"))]),
        Series("KRW", [(date(2024, 2, 1), 3)]),
    ]

    root = parse(line_chart(series, title="추이"))

    assert len(with_class(root, "polyline", "line")) == 2
    assert len(with_class(root, "circle", "point")) == 4
    ticks = [node.text for node in with_class(root, "text", "tick")]
    assert "2024-01-01" in ticks and "2024-06-01" in ticks
    assert "-5" in ticks  # the axis reaches below zero for the negative value
    assert [node.text for node in with_class(root, "text", "legend-label")] == ["USD", "KRW"]


def test_line_chart_places_datetimes_in_time_order():
    moments = [datetime(2024, 1, 18, 3, 30, tzinfo=UTC), datetime(2024, 1, 17, 18, 30, tzinfo=UTC)]
    root = parse(line_chart([Series("", [(moments[0], 2), (moments[1], 1)])], title="t"))

    (line,) = with_class(root, "polyline", "line")
    xs = [float(point.split(",")[0]) for point in line.get("points").split()]
    assert xs == sorted(xs)


def test_line_chart_refuses_dates_mixed_with_numbers():
    with pytest.raises(ValueError):
        line_chart([Series("a", [(date(2024, 1, 1), 1), (3, 1)])], title="t")


def test_charts_are_deterministic():
    assert bar_chart(["a"], [1], title="t") == bar_chart(["a"], [1], title="t")


@pytest.mark.parametrize(
    ("maximum", "expected"),
    [(3, [0, 1, 2, 3]), (10, [0, 2, 4, 6, 8, 10]), (0, [0, 1]), (0.3, [0, 0.1, 0.2, 0.3]), (1234, None)],
)
def test_nice_ticks_start_at_zero_and_reach_the_maximum(maximum, expected):
    ticks = nice_ticks(maximum)

    assert ticks[0] == 0 and ticks[-1] >= maximum
    if expected is not None:
        assert ticks == pytest.approx(expected)


def test_numbers_and_widths():
    assert format_number(1234) == "1,234"
    assert format_number(Decimal("2.50")) == "2.5"
    assert display_width("협약 MOU") == 8
    assert fit_text("abc", 1000) == "abc"
