"""Regulation library files: command-line and admin import, validation, Excel round trip, diff."""

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from scoring.libraryio import read_xlsx, read_yaml, write_xlsx, write_yaml
from scoring.models import ClassBand, CriteriaSet, Criterion, CriterionScorer, Regulation
from scoring.selectors import criteria_set_by_code, criteria_set_spec, regulation_document
from tests.factories import UserFactory
from tests.helpers import xlsx_to_csv_rows

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"
TN731 = LIBRARY / "tay-ninh-731-2019.yaml"
DVK = LIBRARY / "dan-van-kheo-2024.yaml"

BROKEN = """\
format: dvcq-regulation/1
regulation:
  code: hong
  program: dvcq
  so_ky_hieu: 1/QĐ-UBND
  title: Văn bản lỗi
  issuer: UBND tỉnh
criteria_set: {code: "01", name: Bộ lỗi, max_total: 100}
criteria:
  - code: "1"
    title: Nhóm một
    max: 60
    children:
      - {code: "1.1", title: Mục một, max: 30, type: boolean}
      - {code: "1.2", title: Mục hai, max: 20, type: magic}
  - code: "1.1"
    title: Trùng mã
    max: 40
    type: range
    scorers: {primary: so-khong-co}
classification:
  - {code: tot, label: Tốt, min: 80}
  - {code: kha, label: Khá, min: 50, max: 90}
  - {code: yeu, label: Yếu, min: 0, max: 50}
"""


def load(path, **kw):
    call_command("import_regulation", str(path), stdout=io.StringIO(), **kw)


def counts():
    return (
        Regulation.objects.count(),
        CriteriaSet.objects.count(),
        Criterion.objects.count(),
        ClassBand.objects.count(),
    )


def test_both_library_files_load_into_an_empty_database(tay_ninh):
    assert counts() == (0, 0, 0, 0)
    load(TN731)
    load(DVK)
    tn = criteria_set_by_code(province=tay_ninh, code="tn-731-2019")
    assert tn.regulation.so_ky_hieu == "731/QĐ-UBND"
    assert tn.regulation.alt_so_ky_hieu == ["713/QĐ-UBND"]
    assert tn.regulation.is_reconstruction
    spec = criteria_set_spec(tn)
    assert [c.code for c in spec.criteria] == ["1", "2", "3", "4", "5"]
    assert sum(c.max_points for c in spec.criteria) == D(100)
    # Văn phòng UBND tỉnh co-scores criteria 1, 3 and 4 (seed plan).
    co_scored = sorted(
        CriterionScorer.objects.filter(agency__code="vp-ubnd", is_primary=False).values_list(
            "criterion__code", flat=True
        )
    )
    assert co_scored == ["1", "3", "4"]
    dvk = criteria_set_spec(criteria_set_by_code(province=tay_ninh, code="dvk-2024"))
    assert (dvk.max_total, dvk.ceiling, dvk.bonus_cap) == (D(95), D(100), D(5))


def test_stored_set_is_the_file_exactly(tay_ninh):
    load(TN731)
    stored = regulation_document(criteria_set_by_code(province=tay_ninh, code="tn-731-2019"))
    assert stored == read_yaml(TN731.read_bytes())
    assert read_yaml(write_yaml(stored)) == stored


def test_broken_file_lists_every_error_with_its_line_and_changes_nothing(tay_ninh, tmp_path, capsys):
    load(DVK)
    before = counts()
    path = tmp_path / "hong.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(CommandError) as failure:
        load(path)
    errors = capsys.readouterr().err
    assert "nothing was loaded" in str(failure.value)
    assert "dòng 12: Tiêu chí “1” có 60 điểm nhưng các tiêu chí thành phần cộng lại 50" in errors
    assert "dòng 15: Không có kiểu chấm “magic”" in errors
    assert "dòng 16: Mã “1.1” bị trùng (đã dùng ở dòng 14)" in errors
    assert "dòng 20: Không có cơ quan mã “so-khong-co”" in errors
    assert "Xếp loại “kha” và “tot” chồng lấn nhau" in errors
    assert counts() == before


def test_unknown_field_is_an_error_not_silently_dropped(tay_ninh, tmp_path, capsys):
    path = tmp_path / "typo.yaml"
    path.write_text(
        TN731.read_text(encoding="utf-8").replace("    max: 20\n    scorers", "    maks: 20\n    scorers", 1)
    )
    with pytest.raises(CommandError):
        load(path)
    assert "Không có trường “maks”" in capsys.readouterr().err
    assert Regulation.objects.count() == 0


def test_loading_twice_needs_replace(tay_ninh):
    load(TN731)
    with pytest.raises(CommandError):
        load(TN731)
    load(TN731, replace=True)
    assert Regulation.objects.filter(code="tn-731-2019").count() == 1


def test_excel_export_and_import_reproduce_the_set_exactly(tay_ninh, tmp_path):
    load(TN731)
    out = tmp_path / "731.xlsx"
    call_command("export_regulation", "tn-731-2019", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    original = regulation_document(criteria_set_by_code(province=tay_ninh, code="tn-731-2019"))
    assert read_xlsx(out.read_bytes()) == original
    load(out, replace=True)
    assert regulation_document(criteria_set_by_code(province=tay_ninh, code="tn-731-2019")) == original


def test_excel_sheet_has_the_published_columns(tay_ninh, tmp_path):
    load(TN731)
    out = tmp_path / "731.xlsx"
    call_command("export_regulation", "tn-731-2019", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    sheet = load_workbook(out)["Tiêu chí"]
    assert [c.value for c in sheet[3]][:5] == [
        "STT",
        "Tiêu chí",
        "Điểm tối đa",
        "Hướng dẫn chấm",
        "Tài liệu kiểm chứng",
    ]


def test_excel_file_opens_in_libreoffice_with_the_same_numbers(tay_ninh, tmp_path):
    load(TN731)
    out = tmp_path / "731.xlsx"
    call_command("export_regulation", "tn-731-2019", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    rows = xlsx_to_csv_rows(out, tmp_path)
    by_code = {row[0]: row for row in rows if row and row[0]}
    stored = {c.code: c for c in Criterion.objects.filter(criteria_set__regulation__code="tn-731-2019")}
    for code, criterion in stored.items():
        assert by_code[code][1] == criterion.title
        assert D(by_code[code][2]) == criterion.max_points
    assert by_code["4"][1] == "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính"


def test_formula_looking_text_is_exported_as_inert_text(tay_ninh, tmp_path):
    doc = read_yaml(TN731.read_bytes())
    evil = '=HYPERLINK("http://evil.example","Bấm vào")'
    node = doc.spec.criteria[4].children[0]
    patched_children = (node.__class__(**{**node.__dict__, "title": evil}), *doc.spec.criteria[4].children[1:])
    top = doc.spec.criteria[4].__class__(**{**doc.spec.criteria[4].__dict__, "children": patched_children})
    spec = doc.spec.__class__(**{**doc.spec.__dict__, "criteria": (*doc.spec.criteria[:4], top)})
    doc = doc.__class__(meta=doc.meta, spec=spec)
    path = tmp_path / "evil.xlsx"
    path.write_bytes(write_xlsx(doc))
    cell = next(c for row in load_workbook(path)["Tiêu chí"].iter_rows() for c in row if c.value == evil)
    assert cell.data_type == "s"
    assert read_xlsx(path.read_bytes()) == doc
    rows = xlsx_to_csv_rows(path, tmp_path)
    assert any(row[1] == evil for row in rows if len(row) > 1)


def test_broken_excel_names_the_cell(tay_ninh, tmp_path):
    load(TN731)
    out = tmp_path / "731.xlsx"
    call_command("export_regulation", "tn-731-2019", "--format", "xlsx", "-o", str(out), stdout=io.StringIO())
    wb = load_workbook(out)
    sheet = wb["Tiêu chí"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "2.2")
    row[2].value = "bốn"
    row[6].value = "tu_do"
    wb.save(out)
    with pytest.raises(Exception) as failure:
        read_xlsx(out.read_bytes())
    text = str(failure.value)
    assert f"ô C{row[0].row} của trang “Tiêu chí”" in text
    assert f"ô G{row[0].row} của trang “Tiêu chí”" in text


def test_diff_between_two_versions(tay_ninh, tmp_path):
    load(TN731)
    text = TN731.read_text(encoding="utf-8").replace("code: tn-731-2019", "code: tn-731-2019-sua", 1)
    text = text.replace(
        """        max: 4
        type: range""",
        """        max: 5
        type: range""",
        1,
    ).replace(
        """        max: 5
        type: range
        params: {step: 0.5}
        evidence: Quy chế""",
        """        max: 4
        type: range
        params: {step: 0.5}
        evidence: Quy chế""",
        1,
    )
    changed = tmp_path / "sua.yaml"
    changed.write_text(text, encoding="utf-8")
    load(changed)
    out = io.StringIO()
    call_command("diff_regulation", "tn-731-2019", "tn-731-2019-sua", stdout=out)
    lines = out.getvalue().splitlines()
    assert "Tiêu chí 2.2: điểm tối đa 4 → 5" in lines
    assert "Tiêu chí 2.3: điểm tối đa 5 → 4" in lines
    assert len(lines) == 2


def test_admin_imports_a_file_and_reports_errors_without_saving(client, tay_ninh):
    admin = UserFactory(is_staff=True, is_superuser=True, agency=None, province=tay_ninh)
    client.force_login(admin)
    url = reverse("admin:scoring_regulation_import")
    bad = io.BytesIO(BROKEN.encode())
    bad.name = "hong.yaml"
    page = client.post(url, {"province": tay_ninh.pk, "file": bad}).content.decode()
    assert "không nạp gì" in page
    assert "dòng 15" in page
    assert Regulation.objects.count() == 0
    good = io.BytesIO(TN731.read_bytes())
    good.name = TN731.name
    response = client.post(url, {"province": tay_ninh.pk, "file": good})
    assert response.status_code == 302
    contest = io.BytesIO(DVK.read_bytes())
    contest.name = DVK.name
    assert client.post(url, {"province": tay_ninh.pk, "file": contest}).status_code == 302
    assert set(Regulation.objects.values_list("code", "imported_by")) == {
        ("tn-731-2019", admin.pk),
        ("dvk-2024", admin.pk),
    }


def test_admin_diff_and_export(client, tay_ninh):
    load(TN731)
    load(DVK)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    a, b = CriteriaSet.objects.order_by("pk")
    page = client.get(reverse("admin:scoring_regulation_diff"), {"old": a.pk, "new": b.pk}).content.decode()
    assert "Đã bỏ tiêu chí 1" in page
    export = client.get(reverse("admin:scoring_regulation_export", args=[a.pk, "yaml"]))
    assert read_yaml(export.content) == regulation_document(a)


def test_demo_command_loads_the_chain_731_1743_1563_dan_van_kheo_and_qcdc(demo_province):
    codes = set(Regulation.objects.filter(province=demo_province).values_list("code", flat=True))
    assert codes == {"tn-731-2019", "tn-1743-2021", "tn-1563-2022", "dvk-2024", "tn-qcdc-2023"}
    call_command("load_demo_province", stdout=io.StringIO())  # also loads the second demo province
    loaded = Regulation.objects.count()
    call_command("load_demo_province", stdout=io.StringIO())
    assert Regulation.objects.count() == loaded  # loading again adds nothing
    assert set(Regulation.objects.filter(province=demo_province).values_list("code", flat=True)) == codes


def test_the_demo_never_reloads_a_regulation_its_periods_use(demo_province, tmp_path, monkeypatch):
    from scoring import demo

    for name in demo.DEMO_FILES:  # a newer copy of every shipped file, e.g. after an upgrade
        text = (demo.LIBRARY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text + "\n# Bản sửa đổi\n", encoding="utf-8")
    monkeypatch.setattr(demo, "LIBRARY", tmp_path)
    used = Regulation.objects.get(province=demo_province, code="tn-731-2019")
    demo.load_library(demo_province)
    assert Regulation.objects.get(pk=used.pk).source_sha256 == used.source_sha256  # kept as the periods scored it
