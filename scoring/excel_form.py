"""The agency's self-assessment form as .xlsx: download, fill in offline, upload, preview, apply.

Columns a person fills in: Điểm tự chấm, Ghi chú, Giải trình khi không có tài liệu. Marks are
typed as the criterion's score type says (its hint in column “Cách nhập điểm”): a level as its
label (“Đúng hạn”) or code, yes/no as Có/Không. Every cell is validated on
upload and named in the error (“ô F9”), and nothing is written before the preview is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from portal.cleaning import NOTE_MAX_CHARS, normalize_typed, typed_text
from portal.spreadsheets import WorkbookRefused, header_row, open_uploaded_workbook, put, workbook_bytes

from . import score_types
from .engine import ScoreInputError
from .engine.leaf import canonical_raw
from .explain import input_error_text
from .models import CriterionScore
from .selectors.dossier import DossierData

SHEET = "Tự chấm"
HEADERS = [
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Hướng dẫn chấm",
    "Cách nhập điểm",
    "Điểm tự chấm",
    "Ghi chú",
    "Giải trình khi không có tài liệu",
]
RAW, NOTE, WHY = 6, 7, 8
FIRST_ROW = 5


def dossier_workbook(data: DossierData) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    dossier = data.dossier
    ws.cell(row=1, column=1, value=f"PHIẾU TỰ CHẤM ĐIỂM — {dossier.period.name}").font = Font(bold=True, size=13)
    put(ws, 2, 1, f"Cơ quan, đơn vị: {dossier.agency_version.name}")
    put(ws, 3, 1, "Điền các cột Điểm tự chấm, Ghi chú, Giải trình; không sửa cột STT.")
    header_row(ws, 4, HEADERS)
    row = FIRST_ROW
    for node in data.spec.walk():
        score = data.scores.get(node.code)
        put(ws, row, 1, node.code)
        put(ws, row, 2, node.title).alignment = Alignment(wrap_text=True)
        put(ws, row, 3, node.max_points)  # General: "20", "2.5" (Excel shows "0.##" as "20.")
        if node.is_leaf:
            _leaf_cells(ws, row, node, score)
        else:
            for column in range(1, 4):
                ws.cell(row=row, column=column).font = Font(bold=True)
        row += 1
    for column, width in zip("ABCDEFGH", [8, 60, 10, 40, 30, 14, 30, 40], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "C5"
    return workbook_bytes(wb)


def _leaf_cells(ws, row: int, node, score: CriterionScore | None) -> None:
    """How to type the mark (the score type's hint), what is stored, and a list to choose from
    when the type offers one. The form is a Vietnamese document, whatever the page's language."""
    with translation.override("vi"):
        put(ws, row, 4, node.guidance)
        put(ws, row, 5, score_types.hint(node))
        if score:
            put(ws, row, RAW, score_types.display(node, score.self_raw))
            put(ws, row, NOTE, score.note)
            put(ws, row, WHY, score.no_evidence_reason)
        # A list offers its values as they read (a level's label, Có/Không), which are typed back.
        options = [score_types.display(node, value) for value, _label in score_types.widget(node).choices]
    if options and node.self_scorable:
        validation = DataValidation(
            type="list", formula1='"' + ",".join(o.replace(",", " ") for o in options) + '"', allow_blank=True
        )
        ws.add_data_validation(validation)
        validation.add(ws.cell(row=row, column=RAW))


@dataclass(frozen=True)
class CellChange:
    code: str
    field: str  # raw | note | no_evidence_reason
    before: str
    after: str


@dataclass(frozen=True)
class CellError:
    cell: str
    code: str
    message: str


def _typed_raw(node, text: str) -> str:
    """A typed mark in its stored form (a level's label → its code, Có → true, 3,5 → 3.5)."""
    return canonical_raw(node, text) if text.strip() else ""


def _text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return normalize_typed(str(value))  # as the cell saves store it, so an unchanged note is no change


def parse_dossier_workbook(content: bytes, data: DossierData) -> tuple[list[CellChange], list[CellError]]:
    """Compares an uploaded form with the dossier: the changes it would make, and every bad cell.
    A file over the upload limits (portal.spreadsheets) is one error naming the limit."""
    try:
        with open_uploaded_workbook(content, data_only=True) as book:
            if SHEET not in book:
                return [], [CellError("", "", _("This is not the portal's self-assessment form (.xlsx)."))]
            return _compare(book.rows(SHEET, min_row=FIRST_ROW, max_col=WHY), data)
    except WorkbookRefused as refused:
        return [], [CellError("", "", refused.messages[0])]


def _compare(rows, data: DossierData) -> tuple[list[CellChange], list[CellError]]:
    nodes = {n.code: n for n in data.spec.walk() if n.is_leaf}
    changes: list[CellChange] = []
    errors: list[CellError] = []
    seen = set()
    for cells in rows:
        code = _text(cells[0])
        if code not in nodes:
            continue
        seen.add(code)
        node = nodes[code]
        score = data.scores.get(code)
        raw_cell = cells[RAW - 1]
        old_raw = score.self_raw if score else ""
        if node.self_scorable and not (score and score.is_automatic):
            try:
                new_raw = _typed_raw(node, _text(raw_cell))
            except ScoreInputError as error:
                errors.append(CellError(raw_cell.coordinate, code, input_error_text(error, node)))
                continue
            if new_raw != old_raw:
                changes.append(CellChange(code, "raw", old_raw, new_raw))
        for column, field in ((NOTE, "note"), (WHY, "no_evidence_reason")):
            try:
                new = typed_text(CriterionScore, field, _text(cells[column - 1]), NOTE_MAX_CHARS)
            except ValidationError as error:
                errors.append(CellError(cells[column - 1].coordinate, code, " ".join(error.messages)))
                continue
            old = getattr(score, field) if score else ""
            if new != old:
                changes.append(CellChange(code, field, old, new))
    if not seen:
        errors.append(CellError("A5", "", _("No criterion of this dossier was found in column STT.")))
    return changes, errors
