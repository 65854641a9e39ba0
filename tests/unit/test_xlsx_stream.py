"""The streaming XLSX writer: the workbook opens in openpyxl with every row, split over sheets."""

import io
import zipfile

import openpyxl
import pytest

from ag_app.services.xlsx_stream import xlsx_chunks

HEADING = ("№", "Код квитанции", "Вопрос 1. Что & <как>?")


def rows(n: int) -> list[tuple[str, ...]]:
    return [(str(i), f"K{i:03d}", " с пробелом " if i % 2 else "Да | Нет") for i in range(1, n + 1)]


def read(data: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return {
        ws.title: [tuple(c if c is not None else "" for c in r) for r in ws.iter_rows(values_only=True)]
        for ws in book.worksheets
    }


def test_workbook_holds_every_row_on_one_sheet():
    data = b"".join(xlsx_chunks(HEADING, rows(5)))
    assert read(data) == {"Лист1": [HEADING, *rows(5)]}


def test_empty_array_gives_a_sheet_with_the_heading():
    assert read(b"".join(xlsx_chunks(HEADING, []))) == {"Лист1": [HEADING]}


@pytest.mark.parametrize(
    ("n", "sheets"),
    [(3, {"Лист1": 3}), (4, {"Лист1": 3, "Лист2": 1}), (7, {"Лист1": 3, "Лист2": 3, "Лист3": 1})],
)
def test_rows_continue_on_further_sheets_each_with_the_heading(n, sheets):
    book = read(b"".join(xlsx_chunks(HEADING, rows(n), sheet_rows=4)))
    assert {name: len(content) - 1 for name, content in book.items()} == sheets
    assert all(content[0] == HEADING for content in book.values())
    assert [row for content in book.values() for row in content[1:]] == rows(n)


def test_package_has_the_parts_excel_needs():
    names = zipfile.ZipFile(io.BytesIO(b"".join(xlsx_chunks(HEADING, rows(2))))).namelist()
    assert {
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/worksheets/sheet1.xml",
    } <= set(names)


def test_bytes_come_out_while_rows_are_still_being_read():
    consumed = []

    def source():
        for row in rows(10_000):
            consumed.append(row)
            yield row

    chunks = xlsx_chunks(HEADING, source())
    first = next(chunks)
    assert first.startswith(b"PK")
    assert len(consumed) < 10_000
    assert read(first + b"".join(chunks))["Лист1"][1:] == rows(10_000)
