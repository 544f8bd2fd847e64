"""The KPI charts, built in one place from the KPI module (``dari.reports.kpis``) as Vega-Lite specs
(``dari.core.vega``): the dashboard and the program page draw them, the reports render them to SVG
with ``chart_svg``. Each bar, segment and point is a figure of ``kpis``, links to the outcomes it
counts (the figure's own link) and tells in its tooltip the amounts the viewer may see, per
currency, and how many were left out. A hidden amount never reaches a spec: the specs carry what
the figures carry, and the figures leave hidden amounts out.

Words are in the active language: build the specs inside ``translation.override`` for a report.
"""

from __future__ import annotations

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from dari.core.money import format_money
from dari.core.vega import PALETTE, bar_spec, chart_svg, stacked_bar_spec, timeline_spec

from .kpis import DEFINITIONS, Figure, Filters, breakdown, breakdowns, outcome_figures

__all__ = ["chart_svg", "kpi_charts", "program_charts"]


def amounts_text(figure: Figure) -> str:
    """The figure's visible amounts, one per currency, and the number left out, in words."""
    language = get_language() or "en"
    parts = [format_money(amount, currency, language) for currency, amount in figure.amounts.items()]
    if figure.amounts_left_out:
        parts.append(
            ngettext(
                "%(counter)s confidential amount left out",
                "%(counter)s confidential amounts left out",
                figure.amounts_left_out,
            )
            % {"counter": figure.amounts_left_out}
        )
    return "; ".join(parts) or "—"


def _row(figure: Figure, **fields) -> dict:
    return {**fields, "value": figure.count, "amounts": amounts_text(figure), "href": figure.link}


def _tooltip() -> dict[str, str]:
    return {"amounts": _("Amounts")}


def kpis_bar(figures: list[Figure]) -> dict:
    """A bar per outcome KPI: how many outcomes each counts."""
    return bar_spec(
        [_row(figure, label=figure.label) for figure in figures],
        title=_("Outcomes per key figure"),
        category_title=_("Figure"),
        value_title=_("Outcomes"),
        tooltip=_tooltip(),
    )


#: Each KPI keeps its colour in every chart, whichever KPIs a chart shows.
KPI_COLOURS = dict(zip((definition.key for definition in DEFINITIONS), PALETTE, strict=False))


def _series(keys: set[str]) -> dict:
    """The series order and colours of a chart showing the KPIs ``keys``."""
    shown = [definition for definition in DEFINITIONS if definition.key in keys]
    return {
        "series_order": [str(definition.label) for definition in shown],
        "colours": [KPI_COLOURS[definition.key] for definition in shown],
    }


def stacked_by(
    user, by: str, filters: Filters, *, title: str, category_title: str, groups: list | None = None
) -> dict | None:
    """A stacked bar per group of ``breakdown(user, by)`` (or of ``groups``, that breakdown already
    made), one segment per KPI; None when no group has a figure to show."""
    groups = breakdown(user, by, filters) if groups is None else groups
    shown = [(group, figure) for group in groups for figure in group.figures if figure.count]
    if not shown:
        return None
    return stacked_bar_spec(
        [_row(figure, label=group.label, series=figure.label) for group, figure in shown],
        title=title,
        category_title=category_title,
        series_title=_("Figure"),
        value_title=_("Outcomes"),
        tooltip=_tooltip(),
        **_series({figure.key for _group, figure in shown}),
    )


def timeline(user, filters: Filters, *, groups: list | None = None) -> dict | None:
    """A line per KPI over the quarters the outcomes were reported in (every quarter from the first
    to the last, empty ones at zero); None unless they were reported in two quarters or more.
    ``groups``: the breakdown per quarter, when already made."""
    groups = breakdown(user, "quarter", filters) if groups is None else groups
    if len(groups) < 2:
        return None
    first, last = _quarter(groups[0].key), _quarter(groups[-1].key)
    by_key = {group.key: group for group in groups}
    periods, rows = [], []
    counted = {figure.key for group in groups for figure in group.figures if figure.count}
    for year, quarter in _quarters(first, last):
        key = f"{year}-Q{quarter}"
        label = _("%(year)s Q%(quarter)s") % {"year": year, "quarter": quarter}
        periods.append(label)
        group = by_key.get(key)
        for index, definition in enumerate(DEFINITIONS):
            if definition.key not in counted:
                continue
            if group is not None:
                rows.append(_row(group.figures[index], period=label, series=group.figures[index].label))
            else:
                rows.append(
                    {"period": label, "series": str(definition.label), "value": 0, "amounts": "—", "href": ""}
                )
    return timeline_spec(
        rows,
        title=_("Outcomes per quarter reported"),
        period_title=_("Quarter"),
        series_title=_("Figure"),
        value_title=_("Outcomes"),
        periods=periods,
        tooltip=_tooltip(),
        **_series(counted),
    )


def _quarter(key: str) -> tuple[int, int]:
    year, quarter = key.split("-Q")
    return int(year), int(quarter)


def _quarters(first: tuple[int, int], last: tuple[int, int]):
    year, quarter = first
    while (year, quarter) <= last:
        yield year, quarter
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def _with_breakdowns(
    charts: dict, user, filters: Filters, by: str, title: str, category_title: str, found: dict | None = None
) -> dict:
    """``charts`` with the KPIs stacked per ``by`` and over time, each when it has something to show
    (both breakdowns from one reading of the outcomes; ``found``: those breakdowns when the page
    has them already)."""
    found = found or breakdowns(user, [by, "quarter"], filters)
    stacked = stacked_by(user, by, filters, title=title, category_title=category_title, groups=found[by])
    if stacked:
        charts[f"by_{by}"] = stacked
    over_time = timeline(user, filters, groups=found["quarter"])
    if over_time:
        charts["timeline"] = over_time
    return charts


#: The breakdowns the dashboard's charts draw (``kpis.figures_and_breakdowns`` reads them with the
#: figures in one go).
DASHBOARD_BREAKDOWNS = ["program", "quarter"]


def kpi_charts(
    user,
    filters: Filters | None = None,
    *,
    figures: list[Figure] | None = None,
    found: dict | None = None,
) -> dict[str, dict]:
    """The dashboard's charts for ``user``, by name: ``kpis`` (a bar per KPI), ``by_program`` (the
    KPIs stacked per program) and ``timeline`` (the KPIs per quarter, from two quarters on); a chart
    with nothing to show is left out. ``figures`` and ``found``: the same user's figures and
    ``DASHBOARD_BREAKDOWNS`` for the same filters when the page has them already
    (``kpis.figures_and_breakdowns``), which saves their queries."""
    filters = filters or Filters()
    keys = {definition.key for definition in DEFINITIONS}
    shown = (
        [figure for figure in figures if figure.key in keys] if figures else outcome_figures(user, filters)
    )
    charts = {"kpis": kpis_bar(shown)}
    return _with_breakdowns(
        charts, user, filters, "program", _("Outcomes per program"), _("Program"), found=found
    )


def program_charts(user, program_key: str) -> dict[str, dict]:
    """A program page's charts: its KPIs per cohort (the year its startups joined, ``by_cohort``)
    and over time (``timeline``)."""
    filters = Filters(program=program_key, include_illustrative=True)
    return _with_breakdowns({}, user, filters, "cohort", _("Outcomes per cohort"), _("Cohort"))
