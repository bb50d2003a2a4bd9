"""The agency's self-assessment form as .xlsx: download, fill in offline, upload, preview, apply.

Columns a person fills in: Điểm tự chấm, Ghi chú, Giải trình khi không có tài liệu. Level marks
can be typed as their label (“Đúng hạn”) or code; yes/no as Có/Không. Every cell is validated on
upload and named in the error (“ô F9”), and nothing is written before the preview is confirmed.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from portal.spreadsheets import header_row, put, workbook_bytes

from .engine import ScoreInputError, points_for
from .engine.types import ScoreType
from .explain import fmt, input_error_text
from .selectors.cycle import DossierData

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
YES, NO = "Có", "Không"


def _how(node) -> str:
    if node.score_type is ScoreType.BOOLEAN:
        return f"{YES} / {NO}"
    if node.score_type is ScoreType.LEVELS:
        return "; ".join(f"{lv['label']} ({fmt(lv['points'])} điểm)" for lv in node.params.get("levels", []))
    if node.score_type in (ScoreType.PERCENT_LINEAR, ScoreType.PERCENT_BANDED, ScoreType.IMPORTED_INDEX):
        return "Tỷ lệ % (0–100)"
    if node.score_type in (ScoreType.COUNT_DEDUCT,):
        return "Số trường hợp"
    step = node.params.get("step")
    return f"Điểm 0–{fmt(node.max_points)}" + (f", bước {fmt(step)}" if step else "")


def _display_raw(node, raw: str) -> str:
    if not raw:
        return ""
    if node.score_type is ScoreType.BOOLEAN:
        return YES if raw.lower() in ("true", "1", "có", "yes") else NO
    if node.score_type is ScoreType.LEVELS:
        for level in node.params.get("levels", []):
            if str(level["code"]) == raw:
                return str(level["label"])
    return raw


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
        put(ws, row, 3, node.max_points, "0.##")
        if node.is_leaf:
            put(ws, row, 4, node.guidance)
            put(ws, row, 5, _how(node))
            if score:
                put(ws, row, RAW, _display_raw(node, score.self_raw))
                put(ws, row, NOTE, score.note)
                put(ws, row, WHY, score.no_evidence_reason)
            if node.score_type in (ScoreType.BOOLEAN, ScoreType.LEVELS) and node.self_scorable:
                options = (
                    [YES, NO]
                    if node.score_type is ScoreType.BOOLEAN
                    else [str(lv["label"]) for lv in node.params.get("levels", [])]
                )
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(o.replace(",", " ") for o in options) + '"', allow_blank=True
                )
                ws.add_data_validation(validation)
                validation.add(ws.cell(row=row, column=RAW))
        else:
            for column in range(1, 4):
                ws.cell(row=row, column=column).font = Font(bold=True)
        row += 1
    for column, width in zip("ABCDEFGH", [8, 60, 10, 40, 30, 14, 30, 40], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "C5"
    return workbook_bytes(wb)


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


def _to_raw(node, text: str) -> str:
    text = text.strip()
    if node.score_type is ScoreType.BOOLEAN:
        lowered = text.lower()
        if lowered in ("có", "co", "x", "yes", "true", "1", "đạt"):
            return "true"
        if lowered in ("không", "khong", "no", "false", "0"):
            return "false"
        return text
    if node.score_type is ScoreType.LEVELS:
        for level in node.params.get("levels", []):
            if text.lower() in (str(level["label"]).lower(), str(level["code"]).lower()):
                return str(level["code"])
    return text.replace(",", ".") if text else ""


def parse_dossier_workbook(content: bytes, data: DossierData) -> tuple[list[CellChange], list[CellError]]:
    """Compares an uploaded form with the dossier: the changes it would make, and every bad cell."""
    try:
        ws = load_workbook(io.BytesIO(content), data_only=True)[SHEET]
    except Exception:
        return [], [CellError("", "", _("This is not the portal's self-assessment form (.xlsx)."))]
    nodes = {n.code: n for n in data.spec.walk() if n.is_leaf}
    changes: list[CellChange] = []
    errors: list[CellError] = []
    seen = set()
    for cells in ws.iter_rows(min_row=FIRST_ROW, max_col=WHY):
        code = "" if cells[0].value is None else str(cells[0].value).strip()
        if code not in nodes:
            continue
        seen.add(code)
        node = nodes[code]
        score = data.scores.get(code)

        def text(cell) -> str:
            value = cell.value
            if value is None:
                return ""
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            return str(value).strip()

        raw_cell = cells[RAW - 1]
        new_raw = _to_raw(node, text(raw_cell))
        old_raw = score.self_raw if score else ""
        if new_raw != old_raw and node.self_scorable and not (score and score.is_automatic):
            if new_raw:
                try:
                    points_for(node, new_raw)
                except ScoreInputError as error:
                    errors.append(CellError(raw_cell.coordinate, code, input_error_text(error, node)))
                    continue
            changes.append(CellChange(code, "raw", old_raw, new_raw))
        for column, field in ((NOTE, "note"), (WHY, "no_evidence_reason")):
            new = text(cells[column - 1])
            old = getattr(score, field) if score else ""
            if new != old:
                changes.append(CellChange(code, field, old, new))
    if not seen:
        errors.append(CellError("A5", "", _("No criterion of this dossier was found in column STT.")))
    return changes, errors
