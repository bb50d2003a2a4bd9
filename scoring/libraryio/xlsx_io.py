"""Excel round trip of a criteria set (openpyxl).

Sheet “Tiêu chí” opens with the five columns provinces publish (STT | Tiêu chí | Điểm tối đa |
Hướng dẫn chấm | Tài liệu kiểm chứng); the columns after them carry what the portal needs to read
the sheet back identically (kind, score type, parameters, scorers…). Other sheets: “Văn bản”
(regulation and set fields), “Xếp loại” (classes), “Điều kiện” (gates), “Tỷ lệ” (quotas).
Text that a spreadsheet would run as a formula is stored as plain text. A regulation with several
sets gets these sheets once per set (`xlsx_sets`, which reads and writes every workbook).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.spreadsheets import header_row, put

from ..engine.types import CriterionSpec, NodeKind
from .document import (
    FORMAT,
    LibraryError,
    Location,
    RegulationDoc,
    criterion_to_data,
    document_to_data,
)

CRITERIA_SHEET = "Tiêu chí"
META_SHEET = "Văn bản"
BANDS_SHEET = "Xếp loại"
GATES_SHEET = "Điều kiện"
QUOTA_SHEET = "Tỷ lệ"

# (header, document field) — the first five are the published layout.
CRITERIA_COLUMNS = [
    ("STT", "code"),
    ("Tiêu chí", "title"),
    ("Điểm tối đa", "max"),
    ("Hướng dẫn chấm", "guidance"),
    ("Tài liệu kiểm chứng", "evidence"),
    ("Loại", "kind"),
    ("Kiểu chấm", "type"),
    ("Tham số", "params"),
    ("Tự chấm", "self_scorable"),
    ("Khi không áp dụng", "na_policy"),
    ("Khối áp dụng", "applies_to_groups"),
    ("Cơ quan chấm chính", "scorers.primary"),
    ("Cơ quan phối hợp chấm", "scorers.co"),
    ("Cách kết hợp điểm", "scorers.combine"),
]
KIND_LABELS = {NodeKind.GROUP: "Nhóm", NodeKind.ITEM: "Tiêu chí", NodeKind.BONUS: "Thưởng", NodeKind.PENALTY: "Trừ"}
LABEL_KINDS = {v: k for k, v in KIND_LABELS.items()}
META_FIELDS = [
    ("regulation", "code", "Mã văn bản trong thư viện"),
    ("regulation", "program", "Chương trình (dvcq, dvk, cqtt, qcdc, par)"),
    ("regulation", "so_ky_hieu", "Số, ký hiệu"),
    ("regulation", "alt_so_ky_hieu", "Số, ký hiệu khác (nguồn ghi khác)"),
    ("regulation", "title", "Trích yếu"),
    ("regulation", "issuer", "Cơ quan ban hành"),
    ("regulation", "signer", "Người ký"),
    ("regulation", "issued_on", "Ngày ban hành"),
    ("regulation", "effective_from", "Hiệu lực từ"),
    ("regulation", "effective_to", "Hiệu lực đến"),
    ("regulation", "replaces", "Thay thế văn bản"),
    ("regulation", "source_url", "Nguồn"),
    ("regulation", "is_reconstruction", "Dữ liệu phục dựng, cần đối chiếu"),
    ("regulation", "note", "Ghi chú"),
    ("criteria_set", "code", "Mã bộ tiêu chí"),
    ("criteria_set", "name", "Tên bộ tiêu chí"),
    ("criteria_set", "applies_to_groups", "Khối áp dụng"),
    ("criteria_set", "max_total", "Tổng điểm tối đa"),
    ("criteria_set", "rescale_to", "Quy đổi về thang điểm"),
    ("criteria_set", "ceiling", "Tổng điểm tối đa kể cả điểm thưởng"),
    ("criteria_set", "bonus_cap", "Điểm thưởng tối đa"),
    ("criteria_set", "penalty_cap", "Điểm trừ tối đa"),
    ("criteria_set", "ceiling_at", "Trần tổng điểm áp dụng trước/sau điểm trừ (before_penalty, after_penalty)"),
    ("criteria_set", "rounding", "Số chữ số thập phân"),
    ("criteria_set", "round_at", "Làm tròn ở (mark: từng điểm chấm, criterion: từng tiêu chí, total: chỉ tổng)"),
    (
        "criteria_set",
        "combine",
        "Kết hợp điểm của các cơ quan chấm khi không có cơ quan chấm chính (average, maximum, minimum)",
    ),
    ("criteria_set", "tie_break_penalties", "Bằng điểm: “ít điểm trừ hơn” tính theo (cases, days, points)"),
    ("criteria_set", "unclassified_rank", "Đơn vị không xếp loại đứng ở (last, by_total, none)"),
    ("criteria_set", "show_unclassified_total", "Hiện tổng điểm của đơn vị không xếp loại"),
    ("criteria_set", "fallback_to_self", "Giữ điểm tự chấm khi chưa thẩm định"),
]
BAND_COLUMNS = [("Mã", "code"), ("Xếp loại", "label"), ("Từ (≥)", "min"), ("Đến (<)", "max")]
GATE_COLUMNS = [
    ("Mã", "code"),
    ("Nội dung", "title"),
    ("Kích hoạt khi", "trigger"),
    ("Đối tượng", "target"),
    ("Hệ quả", "effect"),
    ("Xếp loại tối đa", "band"),
]
QUOTA_COLUMNS = [("Xếp loại", "band"), ("Tỷ lệ tối đa (%)", "max_percent")]
MACHINE_FILL = PatternFill("solid", fgColor="EDEDED")


# --- writing ---------------------------------------------------------------------------------


NUMERIC_FIELDS = {
    "max",
    "min",
    "max_percent",
    "max_total",
    "rescale_to",
    "ceiling",
    "bonus_cap",
    "penalty_cap",
    "rounding",
}


def _put(ws, row: int, column: int, value: Any, field: str = ""):
    """Writes a value; text a spreadsheet would evaluate (=, +, -, @) is kept as inert text.

    Only numeric fields become numbers: a code such as "01" or "1.2" must stay text.
    """
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        value = "có" if value else "không"
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif isinstance(value, str) and field in NUMERIC_FIELDS and _looks_numeric(value):
        value = Decimal(value)
    return put(ws, row, column, value)


def _looks_numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return text.replace(".", "", 1).replace("-", "", 1).isdigit()


def _header(ws, row: int, columns: list[tuple[str, str]], machine_from: int | None = None) -> None:
    header_row(ws, row, [label for label, _field in columns])
    for i in range(machine_from + 1 if machine_from else len(columns) + 1, len(columns) + 1):
        ws.cell(row=row, column=i).fill = MACHINE_FILL


def _criterion_rows(node: CriterionSpec, depth: int = 0):
    yield node, depth
    for child in node.children:
        yield from _criterion_rows(child, depth + 1)


def write_one(doc: RegulationDoc) -> bytes:
    """A one-set regulation as a workbook in the published layout (several sets: `xlsx_sets`)."""
    data = document_to_data(doc)
    wb = Workbook()
    _write_criteria(wb.active, doc.meta, doc.spec)
    _write_meta(wb.create_sheet(META_SHEET), data)
    write_set_tables(wb, data)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_set_tables(wb, content: dict, suffix: str = "") -> None:
    """A set's classes, gates and quotas, each on its sheet (named after the set with `suffix`)."""
    for title, columns, rows in (
        (BANDS_SHEET, BAND_COLUMNS, content["classification"]),
        (GATES_SHEET, GATE_COLUMNS, content["gates"]),
        (QUOTA_SHEET, QUOTA_COLUMNS, content["quota"]),
    ):
        _write_table(wb.create_sheet(title + suffix), columns, rows)


def _criterion_cells(node: CriterionSpec) -> dict[str, Any]:
    """A criterion flattened into the criteria sheet's columns."""
    flat = criterion_to_data(node)
    flat.pop("children", None)
    scorers = flat.pop("scorers", {}) or {}
    flat["kind"] = KIND_LABELS[node.kind]
    flat["self_scorable"] = node.self_scorable
    flat["na_policy"] = node.na_policy.value
    flat.update({f"scorers.{k}": v for k, v in scorers.items()})
    return flat


def _write_criteria(ws, meta, spec, title: str = CRITERIA_SHEET) -> None:
    ws.title = title
    ws.cell(row=1, column=1, value=meta.title).font = Font(bold=True, size=13)
    ws.cell(row=2, column=1, value=f"{meta.so_ky_hieu} — {spec.name}")
    _header(ws, 3, CRITERIA_COLUMNS, machine_from=5)
    rows = [
        *(r for top in spec.criteria for r in _criterion_rows(top)),
        *((n, 0) for n in spec.bonus),
        *((n, 0) for n in spec.penalties),
    ]
    for row, (node, depth) in enumerate(rows, start=4):
        flat = _criterion_cells(node)
        for column, (_label, key) in enumerate(CRITERIA_COLUMNS, start=1):
            value = flat.get(key)
            if value not in (None, "", [], {}):
                cell = _put(ws, row, column, value, key)
                if key == "title":
                    cell.alignment = Alignment(indent=depth, wrap_text=True)
        if node.kind is NodeKind.GROUP:
            for column in range(1, 6):
                ws.cell(row=row, column=column).font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLMN", [8, 60, 10, 40, 40, 10, 16, 30, 8, 12, 20, 16, 20, 14], strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "C4"


def _write_meta(meta, data: dict, fields=META_FIELDS) -> None:
    _header(meta, 1, [("Trường", ""), ("Giá trị", ""), ("Ý nghĩa", "")])
    for i, (section, key, label) in enumerate(fields, start=2):
        _put(meta, i, 1, f"{section}.{key}")
        value = data[section].get(key)
        if isinstance(value, dt.date):
            meta.cell(row=i, column=2, value=value).number_format = "DD/MM/YYYY"
        elif value not in (None, "", []):
            _put(meta, i, 2, value, key)
        _put(meta, i, 3, label)
    meta.column_dimensions["A"].width = 30
    meta.column_dimensions["B"].width = 70
    meta.column_dimensions["C"].width = 40


def _write_table(sheet, columns: list[tuple[str, str]], rows: list[dict]) -> None:
    _header(sheet, 1, columns)
    for r, item in enumerate(rows, start=2):
        for c, (_label, key) in enumerate(columns, start=1):
            if item.get(key) not in (None, ""):
                _put(sheet, r, c, item[key], key)
    for c in range(1, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 22


# --- reading ---------------------------------------------------------------------------------


def _value(cell) -> Any:
    value = cell.value
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _row_dict(sheet: str, row_cells, columns) -> dict:
    item: dict[str, Any] = {"__where__": {}}
    for cell, (_label, key) in zip(row_cells, columns, strict=False):
        item["__where__"][key] = Location(sheet=sheet, cell=cell.coordinate)
        value = _value(cell)
        if value is not None:
            item[key] = value
    item["__at__"] = Location(sheet=sheet, cell=row_cells[0].coordinate)
    return item


def _table(book, title: str, columns, errors: list[LibraryError], required: bool = True) -> list[dict]:
    if title not in book:
        if required:
            errors.append(LibraryError(Location(), _("Sheet “%(sheet)s” is missing.") % {"sheet": title}))
        return []
    rows = []
    for cells in book.rows(title, min_row=2, max_col=len(columns)):
        if all(c.value in (None, "") for c in cells):
            continue
        rows.append(_row_dict(title, cells, columns))
    return rows


def _criteria(book, errors: list[LibraryError], sheet: str = CRITERIA_SHEET) -> tuple[list, list, list]:
    if sheet not in book:
        errors.append(LibraryError(Location(), _("Sheet “%(sheet)s” is missing.") % {"sheet": sheet}))
        return [], [], []
    rows = book.rows(sheet, max_col=len(CRITERIA_COLUMNS))
    # The table starts below the row whose first cell is “STT” (title lines may come first).
    header = next((c for c, *_rest in rows if isinstance(c.value, str) and c.value.strip().upper() == "STT"), None)
    if header is None:
        errors.append(LibraryError(Location(sheet=sheet, cell="A1"), _("No header row starting with “STT”.")))
        return [], [], []
    criteria: list[dict] = []
    bonus: list[dict] = []
    penalties: list[dict] = []
    by_code: dict[str, dict] = {}
    for cells in rows:
        if all(c.value in (None, "") for c in cells):
            continue
        item = _row_dict(sheet, cells, CRITERIA_COLUMNS)
        where = item["__where__"]
        scorers = {k.split(".", 1)[1]: item.pop(k) for k in list(item) if k.startswith("scorers.")}
        if scorers:
            scorers["__where__"] = {k: where[f"scorers.{k}"] for k in ("primary", "co", "combine")}
            scorers["__at__"] = where["scorers.primary"]
            item["scorers"] = scorers
        if "params" in item:
            try:
                item["params"] = json.loads(str(item["params"]))
            except json.JSONDecodeError:
                errors.append(LibraryError(where["params"], _("Parameters must be written as JSON.")))
                item.pop("params")
        kind = LABEL_KINDS.get(str(item.pop("kind", "Tiêu chí")))
        code = str(item.get("code", ""))
        item["code"] = code
        if kind is NodeKind.BONUS:
            bonus.append(item)
        elif kind is NodeKind.PENALTY:
            penalties.append(item)
        else:
            parent_code = code.rsplit(".", 1)[0] if "." in code else None
            parent = by_code.get(parent_code) if parent_code else None
            (parent.setdefault("children", []) if parent else criteria).append(item)
            by_code[code] = item
    return criteria, bonus, penalties


def read_fields(book, sheet: str, names: tuple[str, ...], errors: list[LibraryError]) -> dict[str, dict]:
    """The sections `names` of a “Trường | Giá trị” sheet, each field with its cell."""
    sections: dict[str, dict] = {name: {"__where__": {}} for name in names}
    if sheet in book:
        for cells in book.rows(sheet, min_row=2, max_col=2):
            name = _value(cells[0])
            if not name or "." not in str(name):
                continue
            section, key = str(name).split(".", 1)
            if section in sections:
                sections[section]["__where__"][key] = Location(sheet=sheet, cell=cells[1].coordinate)
                value = _value(cells[1])
                if value is not None:
                    sections[section][key] = value
    else:
        errors.append(LibraryError(Location(), _("Sheet “%(sheet)s” is missing.") % {"sheet": sheet}))
    for section in sections.values():
        section["__at__"] = Location(sheet=sheet, cell="A1")
    return sections


def read_set_content(book, errors: list[LibraryError], suffix: str = "") -> dict:
    """A set's criteria, bonus, penalties, classes, gates and quotas (its sheets end in `suffix`)."""
    criteria, bonus, penalties = _criteria(book, errors, CRITERIA_SHEET + suffix)
    return {
        "criteria": criteria,
        "bonus": bonus,
        "penalties": penalties,
        "classification": _table(book, BANDS_SHEET + suffix, BAND_COLUMNS, errors),
        "gates": _table(book, GATES_SHEET + suffix, GATE_COLUMNS, errors, required=False),
        "quota": _table(book, QUOTA_SHEET + suffix, QUOTA_COLUMNS, errors, required=False),
    }


def one_set_data(book, errors: list[LibraryError]) -> dict:
    """The document a one-set workbook holds, each field with its cell (as parse_document reads it)."""
    return {
        "format": FORMAT,
        **read_fields(book, META_SHEET, ("regulation", "criteria_set"), errors),
        **read_set_content(book, errors),
        "__at__": Location(sheet=CRITERIA_SHEET, cell="A1"),
        "__where__": {},
    }
