"""Spreadsheets for staff: the ranking, and the full score matrix (agencies × criteria)."""

from __future__ import annotations

from openpyxl import Workbook

from portal.spreadsheets import table_sheet, workbook_bytes
from scoring.models import Phase, ScoringPeriod
from scoring.selectors import criteria_set_spec, period_dossier_data, ranking

from .selectors import ROMAN


def ranking_workbook(period: ScoringPeriod) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Xếp hạng"
    headers = [
        "STT",
        "Cơ quan, đơn vị",
        "Khối",
        "Tự chấm",
        "Thẩm định",
        "Thưởng",
        "Trừ",
        "Tổng",
        "Xếp loại",
        "Xếp hạng",
    ]
    rows = []
    for index, (group, members) in enumerate(ranking(period)):
        rows.append(
            [ROMAN[index] if index < len(ROMAN) else index + 1, group.name, "", None, None, None, None, None, "", None]
        )
        for number, r in enumerate(members, start=1):
            rows.append([
                number, r["dossier"].agency_version.name, group.name, r["self_total"], r["appraised_total"],
                r["bonus"], r["penalty"], r["total"], r["band_label"] if r["classified"] else "Không xếp loại",
                r["rank"] if r["classified"] else None,
            ])  # fmt: skip
    title = f"Kết quả đánh giá, xếp loại công tác dân vận chính quyền năm {period.year}"
    if period.phase != Phase.FINAL:
        title += " (tạm tính)"
    table_sheet(ws, title, headers, rows, widths=[6, 55, 30, 10, 10, 9, 9, 10, 14, 9], freeze_columns=2)
    return workbook_bytes(wb)


def matrix_workbook(period: ScoringPeriod) -> bytes:
    """Final points per criterion for every agency (rows) — the sheet analysts pivot in Excel."""
    from scoring.engine import score_dossier

    spec = criteria_set_spec(period.criteria_set)
    leaves = [n for n in spec.walk() if n.is_leaf]
    wb = Workbook()
    ws = wb.active
    ws.title = "Ma trận điểm"
    headers = ["Cơ quan, đơn vị", "Khối"] + [f"{n.code} (tối đa {n.max_points.normalize()})" for n in leaves] + ["Tổng"]
    rows = []
    for data in sorted(
        period_dossier_data(period), key=lambda d: (d.dossier.group.order, d.dossier.agency_version.name)
    ):
        result = score_dossier(spec, data.engine_input())
        rows.append(
            [data.dossier.agency_version.name, data.dossier.group.name]
            + [result.criteria[n.code].final_points if n.code in result.criteria else None for n in leaves]
            + [result.total]
        )
    table_sheet(
        ws,
        f"Ma trận điểm năm {period.year}",
        headers,
        rows,
        widths=[50, 30] + [11] * len(leaves) + [10],
        freeze_columns=2,
    )
    return workbook_bytes(wb)
