"""Reading and writing the tables people exchange with Dari: CSV and XLSX.

Reading: a CSV in UTF-8 (with or without the BOM Excel writes) or CP949 (what Korean Excel saves by
default) is decoded by trying them in that order; its delimiter (comma, semicolon, tab) is sniffed.
An XLSX sheet is read by value (never formulas), dates as dates. Every cell becomes text stripped of
surrounding spaces, or a ``date`` / number as the spreadsheet typed it; the importers read them
with :func:`read_date` and :func:`read_number`, which also take what Excel writes into a CSV (dates
as serial numbers or 2024.01.18, numbers with thousands separators).

Writing: a cell starting with ``= + - @``, a tab or a carriage return is what a spreadsheet runs as a
formula (CSV injection); exports prefix such text with ``'`` (:func:`neutralise`), and imports read
that prefix away again (:func:`unneutralise`), so an exported file imports unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

CSV, XLSX = "csv", "xlsx"
FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = date(1899, 12, 30)
MAX_EXCEL_SERIAL = 2958465  # 9999-12-31


class TableError(ValueError):
    """The file cannot be read as a table at all (not the fault of one row)."""


@dataclass
class Table:
    """A header and the rows under it (row 1 is the header, so the first row read is row 2)."""

    header: list[str]
    rows: list[list] = field(default_factory=list)
    encoding: str = ""

    def records(self):
        """``(row number, {column: value})`` for each row that is not empty."""
        width = len(self.header)
        for number, row in enumerate(self.rows, start=2):
            if not any(value not in ("", None) for value in row):
                continue
            cells = list(row[:width]) + [""] * (width - len(row))
            yield number, dict(zip(self.header, cells, strict=True))


def format_of(filename: str, data: bytes = b"") -> str:
    """``xlsx`` for a zip (an XLSX workbook is one) or a name ending in .xlsx, else ``csv``."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return XLSX
    return CSV


def read_table(data: bytes, filename: str = "", *, fmt: str | None = None) -> Table:
    """The table in ``data`` (CSV or XLSX, see the module). Raises ``TableError``."""
    fmt = fmt or format_of(filename, data)
    table = read_xlsx(data) if fmt == XLSX else read_csv(data)
    table.header = [normalise_header(name) for name in table.header]
    return table


def normalise_header(name) -> str:
    return str(name or "").strip().lstrip("\ufeff").strip().lower()


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the encoding it was in: UTF-8 with BOM, UTF-8, or CP949."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for encoding in ("utf-8", "cp949"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise TableError(_("The file is neither UTF-8 nor CP949 text. Save it as CSV UTF-8 or as XLSX."))


def read_csv(data: bytes) -> Table:
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise TableError(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None
    if not any(header):
        raise TableError(_("The file has no header row."))
    return Table(header=header, rows=rows, encoding=encoding)


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise TableError(_("The file is not an XLSX workbook that Dari can read.")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_xlsx_cell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not rows or not any(rows[0]):
        raise TableError(_("The file has no header row."))
    return Table(header=[str(value) for value in rows[0]], rows=rows[1:], encoding="xlsx")


def _xlsx_cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        return value.strip()
    return value  # int, float, bool, date


# --- reading cells -----------------------------------------------------------------------------------

_DATE = re.compile(r"^(\d{4})[-./](\d{1,2})[-./](\d{1,2})\.?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_SEPARATORS = re.compile(r"[,\s\u00a0_']")


def unneutralise(value: str) -> str:
    """Text as it was before an export neutralised it: ``'=A1`` reads ``=A1``."""
    if len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def read_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a code such as 069730 typed as a number
    if isinstance(value, datetime | date):
        return value.isoformat()
    return unneutralise(str(value).strip())


def read_date(value) -> date | None:
    """A date from an XLSX date cell, ``2024-01-18`` / ``2024.01.18`` / ``2024/1/18`` (a time after
    it is ignored), or an Excel serial number (45309). ``None`` for an empty cell; ``ValueError``."""
    if value in ("", None):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    text = str(value).strip()
    match = _DATE.match(text)
    if match:
        year, month, day = (int(part) for part in match.groups())
        return date(year, month, day)
    if text.isdigit():
        return _serial(int(text))
    raise ValueError(text)


def _serial(number) -> date:
    if not 1 <= number <= MAX_EXCEL_SERIAL or int(number) != number:
        raise ValueError(str(number))
    return EXCEL_EPOCH + timedelta(days=int(number))


def read_number(value) -> Decimal | None:
    """A number from a numeric cell or text with thousands separators (``1,234,567.50``, ``1 234``).
    ``None`` for an empty cell; ``ValueError`` for anything else."""
    if value in ("", None):
        return None
    if isinstance(value, bool):
        raise ValueError(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _SEPARATORS.sub("", str(value))
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(str(value)) from None
    if not number.is_finite():
        raise ValueError(str(value))
    return number


TRUE = {"true", "yes", "y", "1", "예", "네", "o", "t"}
FALSE = {"false", "no", "n", "0", "아니오", "아니요", "x", "f"}


def read_boolean(value) -> bool | None:
    if value in ("", None):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(text)


# --- writing ---------------------------------------------------------------------------------------


def neutralise(value):
    """Text a spreadsheet would run as a formula, prefixed with ``'``; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(neutralise(value))


def write_csv(header: list[str], rows) -> bytes:
    """UTF-8 with a BOM (so that Excel opens Korean text right), every text cell neutralised."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell_text(value) for value in row])
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_table_xlsx(title: str, header: list[str], types: list[str], rows) -> bytes:
    """An XLSX workbook of one sheet through ``write_xlsx`` (typed cells), text neutralised too: a
    text cell never is a formula in Excel, but the same sheet saved as CSV would be."""
    from dari.core.documents import Column, Sheet, write_xlsx

    columns = [Column(name, type=kind) for name, kind in zip(header, types, strict=True)]
    cells = ([neutralise(value) if isinstance(value, str) else value for value in row] for row in rows)
    return write_xlsx([Sheet(title, columns, cells)])
