"""Writing spreadsheets people open in Excel or LibreOffice: Vietnamese headers, frozen panes,
number formats, and text that would run as a formula kept inert."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def put(ws, row: int, column: int, value: Any, number_format: str | None = None):
    """Writes one cell; a string that a spreadsheet would evaluate is stored as plain text."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.number_format = "@"
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = "0"  # ranks and counts are whole numbers
    elif isinstance(value, (float, Decimal)) and number_format:
        cell.number_format = number_format
    return cell


def header_row(ws, row: int, labels: list[str], fill: PatternFill = HEADER_FILL) -> None:
    for column, label in enumerate(labels, start=1):
        cell = ws.cell(row=row, column=column, value=label)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")


def table_sheet(
    ws,
    title: str | None,
    headers: list[str],
    rows: list[list[Any]],
    widths: list[int] | None = None,
    number_format: str = "0.00",
    freeze_columns: int = 1,
) -> None:
    """A titled table: optional title row, a header row, data rows; panes frozen below the header."""
    start = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        start = 3
    header_row(ws, start, headers)
    for r, values in enumerate(rows, start=start + 1):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, number_format)
    ws.freeze_panes = ws.cell(row=start + 1, column=freeze_columns + 1)
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
