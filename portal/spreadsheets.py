"""Spreadsheets people open in Excel or LibreOffice, both ways.

Writing: Vietnamese headers, frozen panes, numbers stored as numbers with their formats, A4
landscape printing with the header rows on every page, and text that would run as a formula kept
inert. Reading an uploaded workbook: only through `open_uploaded_workbook`, which bounds the
file before openpyxl sees it (zip checks, every sheet's real extent) and while it is read (row and
column caps, a time budget).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.parsers import expat

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from .downloads import protect_download
from .zipcheck import ZipRefused, grouped, open_checked_zip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plain_number(value: Decimal) -> int | Decimal:
    """A Decimal as a spreadsheet stores it: 20, not 2E+1 (openpyxl writes str(value) into the file)."""
    if value == value.to_integral_value():
        return int(value)
    return Decimal(format(value, "f"))


def places_format(places: int) -> str:
    """The number format showing `places` decimals ("0.00"); Excel shows the reader's decimal comma."""
    return "0." + "0" * places if places > 0 else "0"


def put(ws, row: int, column: int, value: Any, number_format: str | None = None):
    """Writes one cell; a string that a spreadsheet would evaluate is stored as plain text."""
    is_decimal = isinstance(value, Decimal)  # points: shown with `number_format`, whole or not
    cell = ws.cell(row=row, column=column, value=plain_number(value) if is_decimal else value)
    if isinstance(value, str):
        cell.number_format = "@"
        if value.startswith(FORMULA_STARTS):
            cell.data_type = "s"
            cell.quotePrefix = True
    elif (is_decimal or isinstance(value, float)) and number_format:
        cell.number_format = number_format
    elif isinstance(value, int) and not isinstance(value, bool):
        cell.number_format = "0"  # ranks and counts are whole numbers
    return cell


def header_row(ws, row: int, labels: list[Any], fill: PatternFill = HEADER_FILL) -> None:
    """A bold, filled row of labels; a number in it (a column's maximum) is stored as a number."""
    for column, label in enumerate(labels, start=1):
        cell = put(ws, row, column, label) if label is not None else ws.cell(row=row, column=column)
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
    subheader: list[Any] | None = None,
) -> None:
    """A titled table: optional title row, a header row (and a second one, e.g. each column's
    maximum), data rows; panes frozen below the headers, which repeat on every printed page."""
    start = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
        start = 3
    header_row(ws, start, headers)
    last_header = start
    if subheader:
        last_header += 1
        header_row(ws, last_header, subheader)
    for r, values in enumerate(rows, start=last_header + 1):
        for c, value in enumerate(values, start=1):
            put(ws, r, c, value, number_format)
    ws.freeze_panes = ws.cell(row=last_header + 1, column=freeze_columns + 1)
    for i, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    print_setup(ws, title_rows=f"{start}:{last_header}")


def print_setup(ws, *, title_rows: str) -> None:
    """A4 landscape, as wide as the page, `title_rows` repeated at the top of every printed page,
    page numbers in the footer."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.6, right=0.4, top=0.6, bottom=0.6, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "Trang &P/&N"


def workbook_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    return protect_download(HttpResponse(content), filename=filename, content_type=XLSX_TYPE)


# --- reading an uploaded workbook ------------------------------------------------------------------


class WorkbookRefused(ValidationError):
    """The uploaded workbook breaks a limit or cannot be read; the message says which, in Vietnamese."""


@dataclass(frozen=True)
class ReadCell:
    row: int
    column: int
    value: Any

    @property
    def coordinate(self) -> str:
        return f"{get_column_letter(self.column)}{self.row}"


def _unreadable() -> WorkbookRefused:
    return WorkbookRefused(_("The file cannot be read as an Excel workbook (.xlsx)."), code="unreadable")


def _too_many_rows() -> WorkbookRefused:
    limit = settings.UPLOAD_XLSX_MAX_ROWS
    return WorkbookRefused(
        _("A sheet of the workbook has more than %(limit)s rows; at most %(limit)s rows are accepted.")
        % {"limit": grouped(limit)},
        code="too_many_rows",
    )


def _too_many_columns() -> WorkbookRefused:
    limit = settings.UPLOAD_XLSX_MAX_COLUMNS
    return WorkbookRefused(
        _("A sheet of the workbook has more than %(limit)s columns; at most %(limit)s columns are accepted.")
        % {"limit": grouped(limit)},
        code="too_many_columns",
    )


class _Budget:
    """One deadline for the whole reading of a file (time.monotonic: immune to clock changes)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise WorkbookRefused(
                _(
                    "Reading the workbook took longer than %(seconds)s seconds and was stopped; split it into smaller files."
                )
                % {"seconds": f"{self.seconds:g}"},
                code="too_slow",
            )


# Rows and cells of a sheet, in the transitional and the strict namespace; any part can be a sheet
# (the workbook's relationships say which), so every part is counted.
_SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_ROW_TAGS = {f"{ns} row" for ns in _SHEET_NAMESPACES}
_CELL_TAGS = {f"{ns} c" for ns in _SHEET_NAMESPACES}


def _too_much_content() -> WorkbookRefused:
    return WorkbookRefused(
        _("The workbook holds too much content (more than %(limit)s XML elements); split it into smaller files.")
        % {"limit": grouped(settings.UPLOAD_XLSX_MAX_ELEMENTS)},
        code="too_many_elements",
    )


def _scan_part(archive, info, budget: _Budget, counted: list[int]) -> None:
    """Streams one XML part with expat before openpyxl builds anything from it: refuses a DTD (Excel
    never writes one; entity tricks need one), rows or columns past the caps, counted from the
    cells themselves since a sheet's own <dimension> can say anything, and more elements in the
    whole file than the cap (openpyxl loads shared strings and styles whole, in Python objects)."""
    max_rows, max_columns = settings.UPLOAD_XLSX_MAX_ROWS, settings.UPLOAD_XLSX_MAX_COLUMNS
    max_elements = settings.UPLOAD_XLSX_MAX_ELEMENTS
    state = {"rows": 0, "row": 0, "cells": 0, "column": 0, "events": counted[0]}

    def start(name, attrs):
        if name in _ROW_TAGS:
            state["rows"] += 1
            reference = attrs.get("r")
            state["row"] = int(float(reference)) if reference else state["row"] + 1
            state["cells"] = state["column"] = 0
            if state["row"] > max_rows or state["rows"] > max_rows:
                raise _too_many_rows()
        elif name in _CELL_TAGS:
            state["cells"] += 1
            reference = attrs.get("r")
            state["column"] = (
                column_index_from_string(coordinate_from_string(reference)[0]) if reference else state["column"] + 1
            )
            if state["column"] > max_columns or state["cells"] > max_columns:
                raise _too_many_columns()
        state["events"] += 1
        if state["events"] > max_elements:
            raise _too_much_content()
        if state["events"] % 2048 == 0:
            budget.check()

    def no_dtd(*_args):
        raise _unreadable()

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    with archive.open(info) as stream:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
            budget.check()
        parser.Parse(b"", True)
    counted[0] = state["events"]


class UploadedWorkbook:
    """A checked workbook, opened read-only; rows come out bounded and within the time budget."""

    def __init__(self, book, budget: _Budget):
        self._book = book
        self._budget = budget

    @property
    def sheetnames(self) -> list[str]:
        return self._book.sheetnames

    def __contains__(self, sheet: str) -> bool:
        return sheet in self._book.sheetnames

    def rows(self, sheet: str, *, min_row: int = 1, max_col: int | None = None) -> Iterator[tuple[ReadCell, ...]]:
        """Rows from `min_row`, each `max_col` cells wide (or as wide as the sheet says)."""
        ws = self._book[sheet]
        if not hasattr(ws, "iter_rows"):
            raise _unreadable()
        max_rows, max_columns = settings.UPLOAD_XLSX_MAX_ROWS, settings.UPLOAD_XLSX_MAX_COLUMNS
        if (ws.max_row or 0) > max_rows:
            raise _too_many_rows()
        if (ws.max_column or 0) > max_columns:
            raise _too_many_columns()
        width = max_col or ws.max_column  # None: each row as long as its last cell
        values = ws.iter_rows(min_row=min_row, max_row=max_rows + 1, max_col=width, values_only=True)
        for index in range(min_row, max_rows + 2):
            self._budget.check()
            try:
                row = next(values)
            except StopIteration:
                return
            except Exception:  # openpyxl raises many kinds for a broken sheet
                raise _unreadable() from None
            if index > max_rows:
                raise _too_many_rows()
            row = tuple(row)[:max_columns]
            if width:
                row += (None,) * (width - len(row))
            yield tuple(ReadCell(index, column, value) for column, value in enumerate(row, start=1))


@contextmanager
def open_uploaded_workbook(content: bytes, *, data_only: bool = True) -> Iterator[UploadedWorkbook]:
    """The one way to open a workbook someone uploaded. Refuses (WorkbookRefused, naming the limit)
    a file that is not a zip from byte 0, has too many parts, unpacks too large or too steeply
    (zip bomb), nests archives, is encrypted, has too many rows or columns, or takes too long."""
    budget = _Budget(settings.UPLOAD_XLSX_MAX_SECONDS)
    stream = io.BytesIO(content)
    try:
        with open_checked_zip(stream, kind_label=".xlsx", deep=True) as archive:
            counted = [0]
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    _scan_part(archive, info, budget, counted)
    except ZipRefused as refused:
        raise WorkbookRefused(refused.messages[0], code=refused.code) from None
    except WorkbookRefused:
        raise
    except Exception:  # malformed XML, a bad cell reference, a broken member
        raise _unreadable() from None
    budget.check()
    try:
        book = load_workbook(stream, read_only=True, data_only=data_only, keep_links=False)
    except WorkbookRefused:
        raise
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise _unreadable() from None
    try:
        yield UploadedWorkbook(book, budget)
    finally:
        book.close()
