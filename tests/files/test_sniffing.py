"""The type of a file is read from its content: the allow-list, and what is refused."""

import pytest

from dari.files import sniffing

from .conftest import EXE_BYTES, PDF_BYTES, PNG_BYTES, xlsx_bytes


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        (PDF_BYTES, "report.pdf", sniffing.PDF),
        (PNG_BYTES, "chart.png", sniffing.PNG),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "photo.jpg", sniffing.JPEG),
        (xlsx_bytes(), "kpi.xlsx", sniffing.XLSX),
        ("기관,금액\n스텔스 바이오,100\n".encode(), "amounts.csv", sniffing.CSV),
        ("기관,금액\n스텔스 바이오,100\n".encode("cp949"), "amounts.csv", sniffing.CSV),
        ("\ufeffname,amount\n".encode(), "excel-export.csv", sniffing.CSV),
        ("회의록: 울산 방문\n".encode(), "minutes.txt", sniffing.TEXT),
    ],
)
def test_allowed_types_are_recognized_by_content(data, filename, expected):
    assert sniffing.sniff_bytes(data, filename) == expected


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        (EXE_BYTES, None),  # puremagic names it; the name varies with its signature database
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 57, "ELF executable"),
        (b"<!DOCTYPE html><html><script>alert(1)</script></html>", "HTML, SVG or XML markup"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "HTML, SVG or XML markup"),
        (b"  \n<SCRIPT>steal()</SCRIPT>", "HTML, SVG or XML markup"),
        (b"#!/bin/sh\nrm -rf /\n", "script"),
        (xlsx_bytes(with_macros=True), "MS Office Open XML"),  # a workbook with macros
        (b"\x00\x01\x02\x03binary", "unknown binary data"),
    ],
)
def test_executables_markup_and_unknown_binaries_are_refused(data, detected):
    with pytest.raises(sniffing.RefusedType) as refused:
        sniffing.sniff_bytes(data, "innocent.pdf")
    assert refused.value.detected
    if detected is not None:
        assert refused.value.detected.startswith(detected)
