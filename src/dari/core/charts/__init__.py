"""Charts drawn on the server as SVG text: the same markup goes inline into a page and into a PDF.

Hand-built SVG rather than matplotlib: labels stay ``<text>`` (so WeasyPrint sets them in the
page's Noto CJK font and they can be searched and read aloud), the output is small and
deterministic, and no plotting stack is needed for three simple chart kinds. Every function is pure:
data in, SVG text out, all text escaped, so callers may mark the result safe.
"""

from .bar import bar_chart, stacked_bar_chart
from .line import line_chart
from .svg import PAGE_CHART_WIDTH, PALETTE, Series

__all__ = ["PAGE_CHART_WIDTH", "PALETTE", "Series", "bar_chart", "line_chart", "stacked_bar_chart"]
