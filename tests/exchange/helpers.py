"""Building import files in tests: CSV text in any encoding, XLSX workbooks with typed cells."""

from io import BytesIO

from openpyxl import Workbook

from dari.accounts.audit import Actor
from dari.exchange.importing import IMPORTERS, run_import
from dari.exchange.tables import read_table


def csv_bytes(text: str, encoding: str = "utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_bytes(user, kind: str, data: bytes, name: str = "file.csv", *, dry_run: bool = False, **options):
    actor = Actor(user) if user is not None else Actor.system()
    return run_import(actor, IMPORTERS[kind], read_table(data, name), dry_run=dry_run, **options)
