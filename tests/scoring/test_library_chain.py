"""The shipped library: Tây Ninh 731 → 1743 → 1563 load with import_regulation and diff along the
chain; Quảng Bình 3140 carries two criteria sets and an 85-point scale; every file states its
arithmetic; a regulation with several sets goes through export and import unchanged."""

import io
from decimal import Decimal as D
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

from scoring.engine import CriterionInput, DossierInput, Mark, score_dossier
from scoring.libraryio import read_yaml
from scoring.libraryio.document import SET_FIELDS
from scoring.models import CriteriaSet, Regulation
from scoring.selectors import criteria_set_by_code, criteria_set_spec

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library"
CHAIN = ["tay-ninh-731-2019.yaml", "tay-ninh-1743-2021.yaml", "tay-ninh-1563-2022.yaml"]
QB = LIBRARY / "quang-binh-3140-2022.yaml"
ARITHMETIC = {
    "rounding",
    "round_at",
    "ceiling",
    "ceiling_at",
    "combine",
    "tie_break_penalties",
    "unclassified_rank",
    "show_unclassified_total",
}


def load(path: Path) -> str:
    out = io.StringIO()
    call_command("import_regulation", str(path), stdout=out)
    return out.getvalue()


def command(*args) -> list[str]:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().splitlines()


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_file_states_its_arithmetic(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    sets = data.get("criteria_sets") or [data["criteria_set"]]
    for criteria_set in sets:
        assert ARITHMETIC <= set(criteria_set), f"{path.name} {criteria_set['code']}"
        assert ARITHMETIC <= SET_FIELDS


def test_the_tay_ninh_chain_loads_and_points_back(tay_ninh):
    for name in CHAIN:
        assert "Loaded" in load(LIBRARY / name)
    new = Regulation.objects.get(code="tn-1563-2022")
    assert (new.so_ky_hieu, new.issued_on.isoformat(), new.is_reconstruction) == ("1563/QĐ-UBND", "2022-08-01", True)
    assert new.replaces.code == "tn-1743-2021"
    assert new.replaces.replaces.code == "tn-731-2019"
    assert "1563" in new.note or "10/10/20/20/20/20" in new.note
    spec = criteria_set_spec(criteria_set_by_code(province=tay_ninh, code="tn-1563-2022"))
    # six criteria worth 10/10/20/20/20/20 (BRIEF §2, confirmed)
    assert [(c.code, c.max_points) for c in spec.criteria] == [
        ("1", D(10)),
        ("2", D(10)),
        ("3", D(20)),
        ("4", D(20)),
        ("5", D(20)),
        ("6", D(20)),
    ]


def test_diff_follows_731_to_1743_to_1563(tay_ninh):
    for name in CHAIN:
        load(LIBRARY / name)
    lines = command("diff_regulation", "--chain", "tn-1563-2022")
    first = lines.index("== 731/QĐ-UBND (tn-731-2019) → 1743/QĐ-UBND (tn-1743-2021)")
    second = lines.index("== 1743/QĐ-UBND (tn-1743-2021) → 1563/QĐ-UBND (tn-1563-2022)")
    step_one, step_two = lines[first + 1 : second], lines[second + 1 :]
    # 731 → 1743: five criteria become six; criterion 1 is now about directives, worth 10 not 20
    assert "Tiêu chí 1: điểm tối đa 20 → 10" in step_one
    assert any(line.startswith("Tiêu chí 1: thay đổi tiêu đề: “Kết quả thực hiện nhiệm vụ") for line in step_one)
    assert any(line.startswith("Đã thêm tiêu chí 6 (20 điểm): “Tình hình thực") for line in step_one)
    assert any(line.startswith("Đã bỏ tiêu chí 2.6.a (3 điểm)") for line in step_one)
    # 1743 → 1563: the one modelled change, Chỉ thị 33/CT-TTg (26/11/2021) cited from 1563 on
    assert step_two == [
        "Tiêu chí 1.2: thay đổi tiêu đề: “Quán triệt, triển khai Quy định 23-QĐ/TW và Chỉ thị 16/CT-TTg về "
        "công tác dân vận” → “Quán triệt, triển khai Quy định 23-QĐ/TW, Chỉ thị 16/CT-TTg và Chỉ thị "
        "33/CT-TTg về công tác dân vận”"
    ]
    # the same three named one by one
    assert command("diff_regulation", "tn-731-2019", "tn-1743-2021", "tn-1563-2022") == lines


def test_quang_binh_loads_two_sets_for_two_kinds_of_unit(tay_ninh):
    assert "qb-3140-2022:01, qb-3140-2022:02" in load(QB)
    sets = {cs.code: cs for cs in CriteriaSet.objects.filter(regulation__code="qb-3140-2022")}
    assert sorted(sets) == ["01", "02"]
    assert sets["01"].applies_to_groups == ["khoi-so"]
    assert sets["02"].applies_to_groups == ["khoi-huyen", "khoi-xa"]
    for criteria_set in sets.values():
        spec = criteria_set_spec(criteria_set)
        assert spec.max_total == D(100)
        assert spec.node("3").max_points == D(15)  # the PAR criterion: 100 − 85


def test_a_unit_without_a_par_index_is_scored_on_85_and_classified_on_100(tay_ninh):
    load(QB)
    spec = criteria_set_spec(criteria_set_by_code(province=tay_ninh, code="qb-3140-2022:01"))
    # every applicable criterion at 90 %: 13,5 + 18 + 18 + 13,5 + 13,5 = 76,5 of 85
    marks = {code: CriterionInput(self_raw="90", marks=(Mark("so-noi-vu", "90"),)) for code in "12456"}
    marks["3"] = CriterionInput(not_applicable=True)
    result = score_dossier(spec, DossierInput("so-x", "Sở X", "khoi-so", inputs=marks))
    # 76,5 × 100 / 85 = 90 → Tốt
    assert (result.total, result.band) == (D(90), "tot")
    rescale = next(step for step in result.steps if step.rule == "na_rescale")
    assert (rescale.before, rescale.detail["achievable"], rescale.after) == (D("76.50"), D(85), D("90.00"))


def test_a_two_set_regulation_round_trips_through_export_and_import(tay_ninh, tmp_path):
    load(QB)
    out = tmp_path / "qb.yaml"
    command("export_regulation", "qb-3140-2022", "-o", str(out))
    exported = read_yaml(out.read_bytes())
    assert exported == read_yaml(QB.read_bytes())
    assert [s.code for s in exported.specs] == ["01", "02"]
    # one set alone is an ordinary one-set file, in YAML or Excel
    one = tmp_path / "qb-02.yaml"
    command("export_regulation", "qb-3140-2022:02", "-o", str(one))
    assert read_yaml(one.read_bytes()).specs == (exported.specs[1],)
    command("export_regulation", "qb-3140-2022:02", "--format", "xlsx", "-o", str(tmp_path / "qb-02.xlsx"))
    Regulation.objects.filter(code="qb-3140-2022").delete()
    assert "qb-3140-2022:01, qb-3140-2022:02" in load(out)


def test_stored_arithmetic_is_what_the_file_says(tay_ninh, tmp_path):
    text = (LIBRARY / "dan-van-kheo-2024.yaml").read_text(encoding="utf-8")
    text = text.replace("  rounding: 1\n", "  rounding: 0\n").replace("round_at: criterion", "round_at: total")
    text = text.replace("unclassified_rank: last", "unclassified_rank: none")
    text = text.replace("show_unclassified_total: true", "show_unclassified_total: false")
    path = tmp_path / "dvk.yaml"
    path.write_text(text, encoding="utf-8")
    load(path)
    spec = criteria_set_spec(criteria_set_by_code(province=tay_ninh, code="dvk-2024"))
    assert (spec.rounding, spec.round_at, spec.unclassified_rank, spec.show_unclassified_total) == (
        0,
        "total",
        "none",
        False,
    )


def test_a_file_with_both_layouts_is_refused_with_the_line(tay_ninh, tmp_path, capsys):
    text = QB.read_text(encoding="utf-8").replace("criteria_sets:\n", 'criteria_set: {code: "01"}\ncriteria_sets:\n')
    path = tmp_path / "both.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError):
        load(path)
    line = text.splitlines().index('criteria_set: {code: "01"}') + 1
    assert f"dòng {line}: " in capsys.readouterr().err
    assert not Regulation.objects.filter(code="qb-3140-2022").exists()
