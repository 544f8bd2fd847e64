"""Templates and exports: the files a person downloads for each kind."""

from __future__ import annotations

from .importing import IMPORTERS
from .tables import CSV, XLSX, write_csv, write_table_xlsx

#: The type of an XLSX template column by the importer's column type.
XLSX_TYPES = {"date": "date", "number": "decimal"}


def template_name(kind: str, fmt: str) -> str:
    return f"dari-{kind}-template.{fmt}"


def template_file(kind: str, fmt: str = CSV) -> bytes:
    """The empty file of ``kind``: one header row, the columns an import reads (in both languages
    where a field has both). The Import page lists what each column takes."""
    header = [column.name for column in IMPORTERS[kind].columns]
    if fmt == XLSX:
        types = [XLSX_TYPES.get(column.type, "text") for column in IMPORTERS[kind].columns]
        return write_table_xlsx(kind, header, types, [])
    return write_csv(header, [])
