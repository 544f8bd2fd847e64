"""XLSX workbooks: typed cells, money formats with the code, frozen bold header, widths for Korean."""

from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest

from dari.core.documents import Column, Sheet, write_xlsx

TITLE_KO = "바이오산업 육성 협력 기반 구축 업무 협약"


def load(content: bytes):
    return openpyxl.load_workbook(BytesIO(content))


def agreements_sheet() -> Sheet:
    return Sheet(
        title="협약",
        columns=[
            Column("제목"),
            Column("당사자 수", "int"),
            Column("금액", "money"),
            Column("비율", "decimal", places=1),
            Column("보고일", "date"),
            Column("서명", "datetime", time_zone="America/Los_Angeles"),
            Column("메모", width=30),
        ],
        rows=[
            [
                TITLE_KO,
                4,
                (Decimal("10000000"), "USD"),
                Decimal("12.25"),
                date(2024, 1, 18),
                datetime(2024, 1, 17, 18, 30, tzinfo=UTC),
                "",
            ],
            ["MOU", 2, (Decimal("5000000"), "KRW"), None, None, None, None],
        ],
    )


def test_cells_keep_their_types_and_korean_text():
    sheet = load(write_xlsx([agreements_sheet()]))["협약"]

    first = [cell for cell in sheet[2]]
    assert first[0].value == TITLE_KO and first[0].data_type == "s"
    assert first[1].value == 4 and first[1].data_type == "n"
    assert first[2].value == 10000000 and first[2].data_type == "n"
    assert first[3].value == pytest.approx(12.25)
    assert first[4].value == datetime(2024, 1, 18) and first[4].is_date
    assert first[4].number_format == "yyyy-mm-dd"
    # Excel times have no zone: the wall-clock time in the column's zone, which the header names.
    assert first[5].value == datetime(2024, 1, 17, 10, 30) and first[5].is_date
    assert first[5].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["F1"].value == "서명 (America/Los_Angeles)"
    assert [cell.value for cell in sheet[3]][3:] == [None, None, None, None]


def test_money_number_format_shows_the_currency_code_and_its_minor_units():
    sheet = load(write_xlsx([agreements_sheet()]))["협약"]

    assert sheet["C2"].number_format == '"USD" #,##0.00'
    assert sheet["C3"].number_format == '"KRW" #,##0'
    assert sheet["C3"].value == 5000000


def test_money_column_with_a_fixed_currency_takes_plain_amounts():
    content = write_xlsx([Sheet("s", [Column("amount", "money", currency="CNY")], [[Decimal("1.5")]])])

    cell = load(content).active["A2"]
    assert cell.value == 1.5 and cell.number_format == '"CNY" #,##0.00'


def test_header_row_is_bold_and_frozen():
    sheet = load(write_xlsx([agreements_sheet()]))["협약"]

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1])
    assert [cell.value for cell in sheet[1]][:3] == ["제목", "당사자 수", "금액"]


def test_widths_count_korean_characters_as_two_columns_and_honour_explicit_widths():
    sheet = load(write_xlsx([agreements_sheet()]))["협약"]

    # 17 Hangul syllables (34 columns) and 6 spaces, plus 2 of padding.
    assert sheet.column_dimensions["A"].width == 42
    assert sheet.column_dimensions["C"].width == len("USD 10,000,000.00") + 2
    assert sheet.column_dimensions["G"].width == 30


def test_text_that_looks_like_a_formula_stays_text():
    content = write_xlsx([Sheet("s", [Column("name")], [['=HYPERLINK("http://example.com","x")']])])

    cell = load(content).active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.com","x")'


def test_several_sheets_keep_their_order_and_get_valid_unique_titles():
    sheets = [
        Sheet("성과 [2024]", [Column("a")], [["x"]]),
        Sheet("성과 [2024]", [Column("a")], [["y"]]),
        Sheet("a" * 40, [Column("a")], []),
    ]

    workbook = load(write_xlsx(sheets))

    assert workbook.sheetnames == ["성과 2024", "성과 2024 (2)", "a" * 31]


def test_wrong_values_are_refused():
    with pytest.raises(ValueError):
        write_xlsx([Sheet("s", [Column("n", "int")], [[1.5]])])
    with pytest.raises(ValueError):
        write_xlsx([Sheet("s", [Column("t", "datetime", time_zone="Asia/Seoul")], [[datetime(2024, 1, 1)]])])
    with pytest.raises(ValueError):
        write_xlsx([Sheet("s", [Column("a")], [["x", "y"]])])
    with pytest.raises(ValueError):
        Column("t", "datetime")
    with pytest.raises(ValueError):
        Column("t", "percent")
