"""A minimal streaming XLSX writer: rows go out as they come, memory stays flat (SPEC §5.1).

The workbook is a zip written to an unseekable sink (entries carry data descriptors), so every
chunk of bytes can be sent to the client before the next rows are read. Cells are inline
strings; no styles. A sheet holds at most :data:`SHEET_ROWS` rows including its heading row;
more rows continue on «Лист2», «Лист3», … each starting with the heading row again.
"""

import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

# Excel's row limit per sheet (2^20), the heading row included.
SHEET_ROWS = 1_048_576
# Rows written between two yields of compressed bytes.
FLUSH_ROWS = 2000
SHEET_NAME = "Лист{}"

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_SHEET_HEAD = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_MAIN_NS}"><sheetData>'
).encode()
_SHEET_TAIL = b"</sheetData></worksheet>"
# Characters XML 1.0 cannot carry at all (they are dropped from a cell).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class _Sink:
    """An unseekable file-like object that collects what zipfile writes until it is taken."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self._parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Nothing to flush: the bytes wait in memory until :meth:`take`."""

    def take(self) -> bytes:
        data = b"".join(self._parts)
        self._parts.clear()
        return data


def _cell(value: str) -> str:
    text = escape(_NOT_XML.sub("", value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _row(number: int, values: Sequence[str]) -> bytes:
    return (f'<row r="{number}">' + "".join(_cell(v) for v in values) + "</row>").encode()


def _workbook(sheets: int) -> bytes:
    entries = "".join(
        f'<sheet name="{SHEET_NAME.format(n)}" sheetId="{n}" r:id="rId{n}"/>' for n in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}"><sheets>{entries}</sheets></workbook>'
    ).encode()


def _workbook_rels(sheets: int) -> bytes:
    entries = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
        for n in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Relationships xmlns="{_PKG_REL_NS}">{entries}</Relationships>'
    ).encode()


def _content_types(sheets: int) -> bytes:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{_SHEET_TYPE}"/>'
        for n in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    ).encode()


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL_NS}"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
).encode()


def xlsx_chunks(
    heading: Sequence[str], rows: Iterable[Sequence[str]], *, sheet_rows: int = SHEET_ROWS
) -> Iterator[bytes]:
    """The bytes of an XLSX workbook with ``heading`` and ``rows``, in chunks as the rows arrive.

    ``sheet_rows`` (at least 2) is the row limit of a sheet including its heading row.
    """
    sink = _Sink()
    sheets = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        sheet = None
        used = sheet_rows
        pending: list[bytes] = []
        for values in rows:
            if used == sheet_rows:
                if sheet is not None:
                    sheet.write(b"".join(pending) + _SHEET_TAIL)
                    pending.clear()
                    sheet.close()
                sheets += 1
                sheet = book.open(f"xl/worksheets/sheet{sheets}.xml", "w", force_zip64=True)
                sheet.write(_SHEET_HEAD + _row(1, heading))
                used = 1
            used += 1
            pending.append(_row(used, values))
            if len(pending) >= FLUSH_ROWS:
                sheet.write(b"".join(pending))
                pending.clear()
                yield sink.take()
        if sheet is None:
            sheets = 1
            book.writestr("xl/worksheets/sheet1.xml", _SHEET_HEAD + _row(1, heading) + _SHEET_TAIL)
        else:
            sheet.write(b"".join(pending) + _SHEET_TAIL)
            sheet.close()
        book.writestr("xl/workbook.xml", _workbook(sheets))
        book.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(sheets))
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("[Content_Types].xml", _content_types(sheets))
    yield sink.take()
