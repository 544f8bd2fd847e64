"""What the browser checks measure on a page: overflow, cramped table cells, axe-core violations.

Shared by the page walk (``test_pages.py``); each function returns the problems it found as short
sentences, so that one failing run lists every page and cell at once.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

# The sizes the pages are checked at: a phone, and a wide laptop screen.
SIZES = {"phone": {"width": 390, "height": 844}, "wide": {"width": 1400, "height": 900}}
# axe-core's impact levels that fail the check; "moderate" and "minor" are left to review.
FAILING_IMPACTS = ("serious", "critical")

# The header's height with one row of links and buttons (about 53 px; two rows are over 90).
ONE_ROW_HEADER = 70

# A chart label drawn smaller than this (CSS pixels) is too small to read.
SMALLEST_CHART_LABEL = 11

# For every visible table cell holding text: its content width, and the width of "가가가" set in
# the cell's own font (a probe appended to the cell, then removed).
MEASURE = """
(minimumLabel) => {
  const cramped = [];
  for (const cell of document.querySelectorAll("td, th")) {
    const text = cell.innerText.trim();
    if (!text || cell.getClientRects().length === 0) continue;
    const probe = document.createElement("span");
    probe.textContent = "가가가";
    probe.style.cssText = "position:absolute;visibility:hidden;white-space:nowrap";
    cell.appendChild(probe);
    const needed = probe.getBoundingClientRect().width;
    probe.remove();
    const style = getComputedStyle(cell);
    const width = cell.getBoundingClientRect().width
      - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (width + 0.5 < needed) {
      cramped.push(`${text.slice(0, 30)} (${Math.round(width)} px < ${Math.round(needed)} px)`);
    }
  }
  // The innermost elements that reach past the window's right edge, to say what overflows.
  const past = [...document.querySelectorAll("body *")].filter(element =>
    element.getBoundingClientRect().right > window.innerWidth + 1
    && ![...element.children].some(child => child.getBoundingClientRect().right > window.innerWidth + 1));
  // On a wide screen: the header in one row, the search's placeholder whole, the board's columns
  // side by side.
  const header = document.querySelector(".site-header");
  const search = document.querySelector("#site-search-q");
  const font = getComputedStyle(search);
  const context = document.createElement("canvas").getContext("2d");
  context.font = `${font.fontSize} ${font.fontFamily}`;
  const searchRoom = search.clientWidth - parseFloat(font.paddingLeft) - parseFloat(font.paddingRight);
  const columnTops = new Set([...document.querySelectorAll(".board-column")].map(column => column.offsetTop));
  // Chart labels as drawn: their font size times the SVG's scale on the screen.
  const smallLabels = [];
  for (const svg of document.querySelectorAll(".chart svg")) {
    const scale = svg.getScreenCTM().a;
    for (const text of svg.querySelectorAll("text")) {
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      if (size < minimumLabel) smallLabels.push(`${text.textContent.slice(0, 20)} (${size.toFixed(1)} px)`);
    }
  }
  return {
    smallLabels: smallLabels,
    headerHeight: header.getBoundingClientRect().height,
    placeholderCut: context.measureText(search.placeholder).width > searchRoom,
    boardRows: columnTops.size,
    past: past.slice(0, 3).map(element => `<${element.tagName.toLowerCase()} class="${element.className}">`
      + ` ${element.textContent.trim().slice(0, 30)}`),
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    cramped: cramped,
  };
}
"""

_axe = Axe()


def layout_problems(page, where: str, *, wide: bool) -> list[str]:
    """The page wider than the window, text cells narrower than three Korean syllables and chart
    labels drawn under SMALLEST_CHART_LABEL px; on a
    ``wide`` screen also a header of more than one row, a cut search placeholder and a board whose
    columns wrap."""
    measured = page.evaluate(MEASURE, SMALLEST_CHART_LABEL)
    problems = []
    if wide and measured["headerHeight"] > ONE_ROW_HEADER:
        problems.append(f"{where}: the header is {measured['headerHeight']:.0f} px high, more than one row")
    if wide and measured["placeholderCut"]:
        problems.append(f"{where}: the search field cuts its placeholder")
    if wide and measured["boardRows"] > 1:
        problems.append(f"{where}: the board's columns wrap onto {measured['boardRows']} rows")
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"{where}: {measured['scrollWidth']} px wide in a {measured['innerWidth']} px window"
            f" ({', '.join(measured['past'])})"
        )
    problems += [f"{where}: cramped cell {cell}" for cell in measured["cramped"]]
    problems += [f"{where}: chart label {label}" for label in measured["smallLabels"]]
    return problems


def axe_problems(page, where: str) -> list[str]:
    """axe-core's serious and critical violations, one line per rule with the first offending node."""
    violations = _axe.run(page).response["violations"]
    return [
        f"{where}: axe {violation['id']} ({violation['impact']}, {len(violation['nodes'])}×): "
        f"{violation['nodes'][0]['target']} {violation['nodes'][0]['failureSummary'][:160]!r}"
        for violation in violations
        if violation["impact"] in FAILING_IMPACTS
    ]
