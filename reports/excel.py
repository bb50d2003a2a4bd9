"""Spreadsheets for staff: the ranking, and the full score matrix (agencies × criteria).

Numbers are stored as numbers (shown with the criteria set's decimal places), agencies in
Vietnamese order, and both print on A4 landscape with their header rows on every page.
"""

from __future__ import annotations

from openpyxl import Workbook

from portal.spreadsheets import places_format, plain_number, table_sheet, workbook_bytes
from portal.text import vi_sort_key
from scoring.models import Phase, ScoringPeriod
from scoring.selectors import criteria_set_spec, period_dossier_data, ranking

from .selectors import ROMAN, places_of


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
                number, r.dossier.agency_version.name, group.name, r.self_total, r.appraised_total,
                r.bonus, r.penalty, r.total, r.band_label if r.classified else "Không xếp loại",
                r.rank if r.classified else None,
            ])  # fmt: skip
    title = f"Kết quả đánh giá, xếp loại công tác dân vận chính quyền năm {period.year}"
    if period.phase != Phase.FINAL:
        title += " (tạm tính)"
    table_sheet(
        ws,
        title,
        headers,
        rows,
        widths=[6, 55, 30, 10, 10, 9, 9, 10, 14, 9],
        number_format=places_format(places_of(period)),
        freeze_columns=2,
    )
    return workbook_bytes(wb)


def matrix_workbook(period: ScoringPeriod, only: set[int] | None = None) -> bytes:
    """Final points per criterion for every agency (rows) — the sheet analysts pivot in Excel.

    `only`: the dossiers (ids) to include; the caller passes those the reader may see in detail."""
    from scoring.engine import score_dossier

    spec = criteria_set_spec(period.criteria_set)
    leaves = [n for n in spec.walk() if n.is_leaf]
    wb = Workbook()
    ws = wb.active
    ws.title = "Ma trận điểm"
    headers = ["Cơ quan, đơn vị", "Khối"] + [n.code for n in leaves] + ["Tổng"]
    # The second header row: each column's maximum, a number ("20", not "2E+1" nor text).
    maxima = ["Điểm tối đa", None] + [plain_number(n.max_points) for n in leaves] + [plain_number(spec.max_total)]
    rows = []
    shown = [d for d in period_dossier_data(period) if only is None or d.dossier.pk in only]
    for data in sorted(shown, key=lambda d: (d.dossier.group.order, vi_sort_key(d.dossier.agency_version.name))):
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
        number_format=places_format(places_of(period)),
        freeze_columns=2,
        subheader=maxima,
    )
    return workbook_bytes(wb)
