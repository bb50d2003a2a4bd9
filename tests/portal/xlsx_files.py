"""Hostile and odd .xlsx files built byte by byte (openpyxl would refuse to write most of them)."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def workbook(sheet_data: str, *, sheet: str = "Tự chấm", dimension: str = "A1:H10", extra: dict | None = None) -> bytes:
    """A one-sheet workbook whose <sheetData> is `sheet_data` and whose <dimension> says `dimension`."""
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    worksheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": WORKBOOK_RELS,
        "xl/worksheets/sheet1.xml": worksheet,
        **(extra or {}),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode() if isinstance(text, str) else text)
    return out.getvalue()


def same_rows(count: int) -> str:
    """Identical rows without numbers: compress a thousandfold (the 50 KB file of 300,000 rows)."""
    return '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * count


def numbered_rows(count: int, columns: int = 1) -> str:
    """Distinct numbered rows: compress only about tenfold, so only the row cap can stop them."""
    letters = [chr(ord("A") + i) for i in range(columns)]
    return "".join(
        f'<row r="{i}">' + "".join(f'<c r="{c}{i}"><v>{i}</v></c>' for c in letters) + "</row>"
        for i in range(1, count + 1)
    )


def measured(call):
    """What `call()` returns or raises, how long it took (seconds) and its peak of Python memory (bytes)."""
    tracemalloc.start()
    started = time.monotonic()
    try:
        try:
            outcome = call()
        except Exception as error:  # noqa: BLE001 — the caller asserts on it
            outcome = error
        return outcome, time.monotonic() - started, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
