"""Excel workbooks with typed cells: numbers stay numbers, dates stay dates, money keeps its code.

Each sheet has a bold, frozen header row and columns wide enough for their Korean text (a Hangul
syllable counts as two columns). Text cells are always written as text, so a value such as
``=HYPERLINK(...)`` typed into Dari never becomes a formula in someone's spreadsheet.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from typing import Literal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dari.core.display_width import display_width
from dari.core.money import MINOR_UNITS
from dari.core.timezones import in_zone

ColumnType = Literal["text", "int", "decimal", "money", "date", "datetime"]
COLUMN_TYPES = ("text", "int", "decimal", "money", "date", "datetime")

MIN_WIDTH = 6
MAX_WIDTH = 60
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
# Characters Excel refuses in a sheet title, and openpyxl in a cell (XML 1.0 control characters).
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Column:
    """One column: its header, the type of its cells and, optionally, its width in characters.

    - ``text``: strings (anything else is written with ``str``);
    - ``int``, ``decimal`` (``places`` decimals shown): numbers;
    - ``money``: ``(amount, currency)`` pairs, or amounts in the column's ``currency``; the number
      format shows the code, e.g. ``"USD" #,##0.00``;
    - ``date``: dates; ``datetime``: aware datetimes, written as the wall-clock time in ``time_zone``
      (required), which the header names, since Excel times carry no zone.

    ``None`` is an empty cell in every type.
    """

    header: str
    type: ColumnType = "text"
    width: float | None = None
    time_zone: str | None = None
    currency: str | None = None
    places: int = 2

    def __post_init__(self):
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"unknown column type {self.type!r}; one of {', '.join(COLUMN_TYPES)}")
        if self.type == "datetime" and not self.time_zone:
            raise ValueError(f"datetime column {self.header!r} needs a time_zone")

    @property
    def header_text(self) -> str:
        return f"{self.header} ({self.time_zone})" if self.type == "datetime" else self.header


@dataclass
class Sheet:
    """A worksheet: a title (cut to Excel's 31 characters), its columns, and rows of values in
    column order."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence] = field(default_factory=list)


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The ``.xlsx`` bytes of a workbook with ``sheets`` in order.

    Raises ``ValueError`` when a row has more values than its sheet has columns, a ``datetime`` is
    naive, or a value does not fit its column's type.
    """
    workbook = Workbook(write_only=True)
    used_titles: set[str] = set()
    for sheet in sheets:
        worksheet = workbook.create_sheet(_unique_title(sheet.title, used_titles))
        rows = [list(row) for row in sheet.rows]
        cells = [[_cell_value(column, value) for column, value in _pair(sheet.columns, row)] for row in rows]
        for index, column in enumerate(sheet.columns, start=1):
            width = column.width or _auto_width(column, [row[index - 1] for row in cells])
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        worksheet.append([_header_cell(worksheet, column) for column in sheet.columns])
        for row in cells:
            worksheet.append(
                [_write_cell(worksheet, value, number_format) for value, number_format, _ in row]
            )
    if not sheets:
        workbook.create_sheet("Sheet")
    output = BytesIO()
    workbook.save(output)
    return output.getvalue()


def _pair(columns: Sequence[Column], row: list) -> list[tuple[Column, object]]:
    if len(row) > len(columns):
        raise ValueError(f"a row has {len(row)} values for {len(columns)} columns")
    return list(zip(columns, row + [None] * (len(columns) - len(row)), strict=True))


def _unique_title(title: str, used: set[str]) -> str:
    base = " ".join(_TITLE_FORBIDDEN.sub(" ", _clean(title)).split()).strip("'")[:31] or "Sheet"
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate, number = base[: 31 - len(suffix)] + suffix, number + 1
    used.add(candidate.lower())
    return candidate


def _clean(text: str) -> str:
    return _ILLEGAL_CHARACTERS.sub("", text)


def _header_cell(worksheet, column: Column) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=_clean(column.header_text))
    cell.data_type = "s"
    cell.font = Font(bold=True)
    return cell


def _write_cell(worksheet, value, number_format: str | None) -> WriteOnlyCell:
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # Never a formula: openpyxl would otherwise store "=..." as one.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _cell_value(column: Column, value) -> tuple[object, str | None, str]:
    """The cell's value, its number format, and how it reads (for the column width)."""
    if value is None:
        return None, None, ""
    kind = column.type
    if kind == "text":
        text = _clean(str(value))
        return text, None, text
    if kind == "int":
        if isinstance(value, bool) or int(value) != value:
            raise ValueError(f"{column.header!r}: {value!r} is not a whole number")
        return int(value), "#,##0", f"{int(value):,}"
    if kind == "decimal":
        number = Decimal(str(value))
        places = column.places
        number_format = "#,##0" + ("." + "0" * places if places else "")
        return number, number_format, f"{number:,.{places}f}"
    if kind == "money":
        amount, currency = value if isinstance(value, tuple) else (value, column.currency)
        if not currency:
            raise ValueError(f"{column.header!r}: money without a currency")
        amount = Decimal(str(amount))
        places = MINOR_UNITS.get(currency, 2)
        number_format = f'"{currency}" #,##0' + ("." + "0" * places if places else "")
        return amount, number_format, f"{currency} {amount:,.{places}f}"
    if kind == "date":
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{column.header!r}: {value!r} is not a date")
        return value, DATE_FORMAT, value.isoformat()
    # datetime
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{column.header!r}: {value!r} is not an aware datetime")
    local = in_zone(value, column.time_zone).replace(tzinfo=None)
    return local, DATETIME_FORMAT, f"{local:%Y-%m-%d %H:%M}"


def _auto_width(column: Column, cells: list[tuple[object, str | None, str]]) -> float:
    """Wide enough for the header and the longest value as shown, within bounds; bold header and
    Excel's cell padding get two extra columns."""
    widest = max([_widest_line(column.header_text), *(_widest_line(text) for _, _, text in cells)])
    return float(min(max(widest + 2, MIN_WIDTH), MAX_WIDTH))


def _widest_line(text: str) -> int:
    return max((display_width(line) for line in text.splitlines()), default=0)
