"""Documents Dari hands out: PDF (WeasyPrint, from a template extending
``documents/base_print.html``) and XLSX (openpyxl, typed cells)."""

from .pdf import RENDER_STEPS, LocalStaticFetcher, pdf_response, render_pdf, requested_language
from .xlsx import Column, Sheet, write_xlsx

__all__ = [
    "RENDER_STEPS",
    "Column",
    "LocalStaticFetcher",
    "Sheet",
    "pdf_response",
    "render_pdf",
    "requested_language",
    "write_xlsx",
]
