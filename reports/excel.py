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
    for index, section in enumerate(ranking(period)):
        group = section.group
        roman = ROMAN[index] if index < len(ROMAN) else index + 1
        rows.append([roman, section.title, "", None, None, None, None, None, "", None])
        for number, r in enumerate(section.rows, start=1):
            rows.append([
                number, r.dossier.agency_version.name, group.name, r.self_total, r.appraised_total,
                r.bonus, r.penalty, r.total if r.total_shown else None,
                r.band_label if r.classified else "Không xếp loại", r.rank,
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
    """Final points per criterion for every agency (rows) — the sheet analysts pivot in Excel; one
    sheet per criteria set when the period applies several (their criteria differ).

    `only`: the dossiers (ids) to include; the caller passes those the reader may see in detail."""
    shown = [d for d in period_dossier_data(period) if only is None or d.dossier.pk in only]
    by_set: dict[str, list] = {}
    main = criteria_set_spec(period.criteria_set)
    by_set[main.code] = []
    for data in shown:
        by_set.setdefault(data.spec.code, []).append(data)
    specs = {main.code: main, **{data.spec.code: data.spec for data in shown}}
    wb = Workbook()
    for index, (code, members) in enumerate(by_set.items()):
        if not members and index > 0:
            continue
        ws = wb.active if index == 0 else wb.create_sheet()
        ws.title = "Ma trận điểm" if len(by_set) == 1 else f"Bộ {code}"[:31]
        _matrix_sheet(ws, period, specs[code], members)
    return workbook_bytes(wb)


def _matrix_sheet(ws, period: ScoringPeriod, spec, members: list) -> None:
    from scoring.engine import score_dossier

    leaves = [n for n in spec.walk() if n.is_leaf]
    headers = ["Cơ quan, đơn vị", "Khối"] + [n.code for n in leaves] + ["Tổng"]
    # The second header row: each column's maximum, a number ("20", not "2E+1" nor text).
    maxima = ["Điểm tối đa", None] + [plain_number(n.max_points) for n in leaves] + [plain_number(spec.max_total)]
    rows = []
    for data in sorted(members, key=lambda d: (d.dossier.group.order, vi_sort_key(d.dossier.agency_version.name))):
        result = score_dossier(spec, data.engine_input())
        rows.append(
            [data.dossier.agency_version.name, data.dossier.group.name]
            + [result.criteria[n.code].final_points if n.code in result.criteria else None for n in leaves]
            + [result.total]
        )
    table_sheet(
        ws,
        f"Ma trận điểm năm {period.year}"
        + ("" if spec.code == criteria_set_spec(period.criteria_set).code else f" — {spec.name}"),
        headers,
        rows,
        widths=[50, 30] + [11] * len(leaves) + [10],
        number_format=places_format(spec.rounding),
        freeze_columns=2,
        subheader=maxima,
    )
