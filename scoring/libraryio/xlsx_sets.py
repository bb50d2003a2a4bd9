"""A regulation with several criteria sets as one workbook (Quảng Bình 3140: set 01 for provincial
bodies, set 02 for district and commune committees).

“Văn bản” carries the regulation's fields only; each set has its own sheets, named after the set's
code: “Tiêu chí 01” (the published columns, as in a one-set workbook), “Bộ tiêu chí 01” (the set's
fields: name, groups, scale, arithmetic), “Xếp loại 01”, “Điều kiện 01”, “Tỷ lệ 01”. The sets are
read in the order of their “Tiêu chí …” sheets; reading the workbook back gives the same regulation.
A code that cannot name a sheet (too long, or a character Excel forbids) is replaced by the set's
number in the file (1, 2 …): the code itself is always in the set's fields.
"""

from __future__ import annotations

import io

from openpyxl import Workbook

from portal.spreadsheets import WorkbookRefused, open_uploaded_workbook

from .document import FORMAT, LibraryError, LibraryErrors, Location, RegulationDoc, document_to_data
from .parsing import parse_document
from .xlsx_io import (
    CRITERIA_SHEET,
    META_FIELDS,
    META_SHEET,
    QUOTA_SHEET,
    _write_criteria,
    _write_meta,
    one_set_data,
    read_fields,
    read_set_content,
    write_one,
    write_set_tables,
)

SET_SHEET = "Bộ tiêu chí"
REGULATION_FIELDS = [field for field in META_FIELDS if field[0] == "regulation"]
SET_FIELDS = [field for field in META_FIELDS if field[0] == "criteria_set"]
SHEET_NAME_MAX = 31  # Excel's limit
FORBIDDEN = set("[]:*?/\\")
LONGEST_PREFIX = max(len(name) for name in (CRITERIA_SHEET, SET_SHEET, QUOTA_SHEET, "Xếp loại", "Điều kiện")) + 1


def _suffixes(codes: list[str]) -> list[str]:
    """The sheet-name ending of each set: its code, or its number when a code cannot name a sheet
    (or two codes would name the same sheets)."""
    usable = all(
        code and len(code) + LONGEST_PREFIX <= SHEET_NAME_MAX and not FORBIDDEN & set(code) and code == code.strip()
        for code in codes
    )
    if not usable or len({code.lower() for code in codes}) != len(codes):
        codes = [str(number) for number in range(1, len(codes) + 1)]
    return [f" {code}" for code in codes]


def write_xlsx(doc: RegulationDoc) -> bytes:
    """The regulation as a workbook: one set in the published layout, several each on its sheets."""
    return write_several(doc) if len(doc.specs) > 1 else write_one(doc)


def read_xlsx(content: bytes, known_agencies: set[str] | None = None) -> RegulationDoc:
    """Parses and validates a workbook written by write_xlsx (or filled in by hand), one set or
    several. The file is bounded first (portal.spreadsheets.open_uploaded_workbook): a refusal is
    one error naming the limit."""
    try:
        with open_uploaded_workbook(content, data_only=False) as book:
            errors: list[LibraryError] = []
            several = CRITERIA_SHEET not in book and set_suffixes(book)
            data = several_sets_data(book, errors) if several else one_set_data(book, errors)
    except WorkbookRefused as refused:
        raise LibraryErrors([LibraryError(Location(), refused.messages[0])]) from None
    try:
        doc = parse_document(data, known_agencies)
    except LibraryErrors as more:
        errors = errors + more.errors
    if errors:
        raise LibraryErrors(errors)
    return doc


def write_several(doc: RegulationDoc) -> bytes:
    """Every set of the regulation in one workbook, the sheets of each set named after it."""
    data = document_to_data(doc)
    wb = Workbook()
    first = wb.active
    _write_meta(first, data, REGULATION_FIELDS)
    first.title = META_SHEET
    suffixes = _suffixes([s.code for s in doc.specs])
    for spec, content, suffix in zip(doc.specs, data["criteria_sets"], suffixes, strict=True):
        _write_criteria(wb.create_sheet(), doc.meta, spec, CRITERIA_SHEET + suffix)
        _write_meta(wb.create_sheet(SET_SHEET + suffix), {"criteria_set": content}, SET_FIELDS)
        write_set_tables(wb, content, suffix)
    # The first set's criteria open the workbook, as in a one-set file.
    wb.active = wb.sheetnames.index(CRITERIA_SHEET + suffixes[0])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def set_suffixes(book) -> list[str]:
    """The sheet-name endings of the sets of a several-set workbook, in the workbook's order."""
    prefix = CRITERIA_SHEET + " "
    return [name[len(CRITERIA_SHEET) :] for name in book.sheetnames if name.startswith(prefix)]


def several_sets_data(book, errors: list[LibraryError]) -> dict:
    """The document a several-set workbook holds, each field with its cell (as parse_document reads
    it: `criteria_sets`, one entry per set with its fields and content)."""
    entries = []
    for suffix in set_suffixes(book):
        fields = read_fields(book, SET_SHEET + suffix, ("criteria_set",), errors)["criteria_set"]
        entries.append({**fields, **read_set_content(book, errors, suffix)})
    return {
        "format": FORMAT,
        **read_fields(book, META_SHEET, ("regulation",), errors),
        "criteria_sets": entries,
        "__at__": Location(sheet=META_SHEET, cell="A1"),
        "__where__": {},
    }
