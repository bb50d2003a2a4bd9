"""The ranking and score-matrix spreadsheets as LibreOffice reads them: numbers are numbers (a
column's maximum "20", not "2E+1" nor text), agencies in Vietnamese order, and A4 landscape
printing with the header rows on every page."""

from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from portal.text import vi_sort_key
from reports import excel
from scoring.models import Result, ScoringPeriod
from scoring.selectors import criteria_set_spec
from tests.helpers import xlsx_resaved_by_libreoffice, xlsx_to_csv_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def period_2021(demo_db):
    return ScoringPeriod.objects.get(year=2021)


@pytest.fixture
def matrix(period_2021, tmp_path):
    path = tmp_path / "ma-tran.xlsx"
    path.write_bytes(excel.matrix_workbook(period_2021))
    return path


def assert_prints_a4_landscape(ws, title_rows: str) -> None:
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)  # one page wide, as long as needed
    assert ws.print_title_rows == title_rows


def test_matrix_maxima_and_points_are_numbers_to_libreoffice(period_2021, matrix, tmp_path):
    spec = criteria_set_spec(period_2021.criteria_set)
    leaves = [n for n in spec.walk() if n.is_leaf]
    ws = load_workbook(xlsx_resaved_by_libreoffice(matrix, tmp_path)).active
    header = [c.value for c in ws[3]]
    maxima = [c.value for c in ws[4]]
    assert header[2:-1] == [n.code for n in leaves] and header[-1] == "Tổng"
    assert maxima[0] == "Điểm tối đa"
    for cell, leaf in zip(ws[4][2:-1], leaves, strict=True):
        assert cell.data_type == "n" and D(str(cell.value)) == leaf.max_points
    assert ws[4][-1].value == 100
    justice = next(row for row in ws.iter_rows(min_row=5) if row[0].value == "Sở Tư pháp")
    total = Result.objects.get(dossier__period=period_2021, dossier__agency__code="so-tu-phap").total
    assert justice[-1].data_type == "n" and D(str(justice[-1].value)) == total
    assert all(c.data_type == "n" for c in justice[2:])
    assert justice[-1].number_format == "0.00"  # the criteria set's two decimal places
    # As shown: whole maxima without a decimal part or an exponent.
    shown = xlsx_to_csv_rows(matrix, tmp_path)[3]
    assert shown[2:4] == ["3", "4"] and shown[-1] == "100"  # 1743: 1.1 and 1.2
    assert not any("E+" in value for value in shown)


def test_matrix_rows_are_in_vietnamese_order_within_each_group(period_2021, matrix, tmp_path):
    rows = xlsx_to_csv_rows(matrix, tmp_path)[4:]
    by_group: dict[str, list[str]] = {}
    for name, group, *_ in rows:
        by_group.setdefault(group, []).append(name)
    units = by_group["Khối đơn vị sự nghiệp thuộc UBND tỉnh"]
    assert units == sorted(units, key=vi_sort_key)
    # Đ is a letter after D, not after Z: "Đài Phát thanh…" comes before "Trường…".
    assert units.index("Đài Phát thanh và Truyền hình Tây Ninh") < units.index("Trường Cao đẳng Sư phạm Tây Ninh")
    for names in by_group.values():
        assert names == sorted(names, key=vi_sort_key)


def test_both_spreadsheets_print_on_a4_landscape_with_their_header_rows_on_every_page(period_2021, matrix, tmp_path):
    ranking = tmp_path / "xep-hang.xlsx"
    ranking.write_bytes(excel.ranking_workbook(period_2021))
    for path, title_rows in ((ranking, "$3:$3"), (matrix, "$3:$4")):
        assert_prints_a4_landscape(load_workbook(path).active, title_rows)
        # LibreOffice keeps them: it understood them.
        assert_prints_a4_landscape(load_workbook(xlsx_resaved_by_libreoffice(path, tmp_path)).active, title_rows)


def test_ranking_points_and_ranks_are_numbers(period_2021, tmp_path):
    path = tmp_path / "xep-hang.xlsx"
    path.write_bytes(excel.ranking_workbook(period_2021))
    ws = load_workbook(xlsx_resaved_by_libreoffice(path, tmp_path)).active
    justice = next(row for row in ws.iter_rows(min_row=4) if row[1].value == "Sở Tư pháp")
    result = Result.objects.get(dossier__period=period_2021, dossier__agency__code="so-tu-phap")
    assert [c.data_type for c in justice[3:8]] == ["n"] * 5
    assert D(str(justice[7].value)) == result.total and justice[9].value == result.rank
    assert justice[0].value == 1 and justice[0].data_type == "n"  # STT
