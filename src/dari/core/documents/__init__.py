"""Documents Dari hands out: PDF (WeasyPrint, from a template extending
``documents/base_print.html``) and XLSX (openpyxl, typed cells)."""

from .pdf import LocalStaticFetcher, render_pdf
from .xlsx import Column, Sheet, write_xlsx

__all__ = ["Column", "LocalStaticFetcher", "Sheet", "render_pdf", "write_xlsx"]
