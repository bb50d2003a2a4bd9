"""A regulation with several criteria sets in Excel (Quảng Bình 3140): `export_regulation CODE
--format xlsx` and the admin's export write every set, each on its own sheets named after the set;
importing that workbook back gives the same regulation, set by set; a broken cell names its set's
sheet."""

import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from scoring.libraryio import LibraryErrors, read_xlsx, read_yaml, write_xlsx
from scoring.models import CriteriaSet, Regulation
from scoring.selectors.regulations import regulation_by_code, regulation_full_document
from tests.factories import UserFactory
from tests.scoring.test_library_chain import QB, command, load

SHEETS_PER_SET = ["Tiêu chí", "Bộ tiêu chí", "Xếp loại", "Điều kiện", "Tỷ lệ"]


@pytest.fixture
def exported(tay_ninh, tmp_path):
    load(QB)
    out = tmp_path / "qb-3140-2022.xlsx"
    assert command("export_regulation", "qb-3140-2022", "--format", "xlsx", "-o", str(out)) == [f"Wrote {out}"]
    return out


def test_the_workbook_has_each_sets_sheets_named_after_the_set(exported):
    book = load_workbook(exported)
    assert book.sheetnames == ["Văn bản"] + [f"{name} {code}" for code in ("01", "02") for name in SHEETS_PER_SET]
    assert book.active.title == "Tiêu chí 01"
    # Each set's criteria in the published columns; set 02 for the district and commune committees.
    for code in ("01", "02"):
        sheet = book[f"Tiêu chí {code}"]
        assert [c.value for c in sheet[3][:5]] == [
            "STT",
            "Tiêu chí",
            "Điểm tối đa",
            "Hướng dẫn chấm",
            "Tài liệu kiểm chứng",
        ]
        stored = CriteriaSet.objects.get(regulation__code="qb-3140-2022", code=code)
        assert sheet["A2"].value.endswith(stored.name)
        par = next(row for row in sheet.iter_rows(min_row=4) if row[0].value == "3")
        assert D(str(par[2].value)) == D(15)  # the PAR criterion: 100 − 85
    fields = {row[0].value: row[1].value for row in book["Bộ tiêu chí 02"].iter_rows(min_row=2)}
    assert fields["criteria_set.code"] == "02"
    assert fields["criteria_set.applies_to_groups"] == "khoi-huyen, khoi-xa"
    regulation = {row[0].value: row[1].value for row in book["Văn bản"].iter_rows(min_row=2)}
    assert regulation["regulation.so_ky_hieu"] == "3140/QĐ-UBND"
    assert not any(str(key).startswith("criteria_set.") for key in regulation)


def test_importing_the_workbook_back_gives_the_same_regulation(exported, tay_ninh):
    original = read_yaml(QB.read_bytes())
    assert read_xlsx(exported.read_bytes()) == original  # the file itself
    before = regulation_full_document(regulation_by_code(province=tay_ninh, code="qb-3140-2022"))
    Regulation.objects.filter(code="qb-3140-2022").delete()
    assert "qb-3140-2022:01, qb-3140-2022:02" in load(exported)  # import_regulation reads the workbook
    after = regulation_full_document(regulation_by_code(province=tay_ninh, code="qb-3140-2022"))
    assert after == before
    assert [s.code for s in after.specs] == ["01", "02"]
    assert after.specs[1].applies_to_groups == ("khoi-huyen", "khoi-xa")


def test_a_one_set_workbook_keeps_its_layout(tay_ninh, tmp_path):
    load(QB)
    out = tmp_path / "qb-02.xlsx"
    command("export_regulation", "qb-3140-2022:02", "--format", "xlsx", "-o", str(out))
    assert load_workbook(out).sheetnames == ["Tiêu chí", "Văn bản", "Xếp loại", "Điều kiện", "Tỷ lệ"]
    assert read_xlsx(out.read_bytes()).specs == (read_yaml(QB.read_bytes()).specs[1],)


def test_a_broken_cell_names_its_sets_sheet(exported):
    book = load_workbook(exported)
    sheet = book["Tiêu chí 02"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "2")
    row[2].value = "hai mươi"
    book.save(exported)
    with pytest.raises(LibraryErrors) as failure:
        read_xlsx(exported.read_bytes())
    assert f"ô C{row[0].row} của trang “Tiêu chí 02”" in str(failure.value)


def test_set_codes_that_cannot_name_a_sheet_are_numbered(tay_ninh):
    doc = read_yaml(QB.read_bytes())
    specs = tuple(s.__class__(**{**s.__dict__, "code": f"bộ/{s.code}"}) for s in doc.specs)
    doc = doc.__class__(meta=doc.meta, specs=specs)
    content = write_xlsx(doc)
    assert load_workbook(io.BytesIO(content)).sheetnames[1:3] == ["Tiêu chí 1", "Bộ tiêu chí 1"]
    assert [s.code for s in read_xlsx(content).specs] == ["bộ/01", "bộ/02"]


def test_the_admin_exports_the_whole_regulation_to_its_own_province_only(client, tay_ninh):
    load(QB)
    regulation = Regulation.objects.get(code="qb-3140-2022")
    url = reverse("admin:scoring_regulation_export_all", args=[regulation.pk, "xlsx"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:scoring_regulation_change", args=[regulation.pk])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert 'filename="qb-3140-2022.xlsx"' in response["Content-Disposition"]
    assert read_xlsx(response.content) == read_yaml(QB.read_bytes())
    yaml_file = client.get(reverse("admin:scoring_regulation_export_all", args=[regulation.pk, "yaml"]))
    assert read_yaml(yaml_file.content) == read_yaml(QB.read_bytes())
    elsewhere = UserFactory(is_staff=True, roles=["admin"])  # the admin of a province of its own
    assert elsewhere.province_id not in (None, tay_ninh.pk)
    client.force_login(elsewhere)
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(is_staff=True, roles=["admin"], agency=tay_ninh.agencies.first()))
    assert client.get(url).status_code == 200
