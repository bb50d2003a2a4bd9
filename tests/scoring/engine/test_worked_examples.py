"""Worked examples on the reconstructed Decision 731 set (BRIEF §4) and the Dân vận khéo set.

Each expected number is computed by hand in the comment above it.
"""

import datetime as dt
import subprocess
import sys
from decimal import Decimal as D

import pytest

from scoring.engine import CriterionInput as In
from scoring.engine import DossierInput, Mark, ScoreInputError, evaluate_group, score_dossier

SNV, VP, TT = "so-noi-vu", "vp-ubnd", "thanh-tra"


def typical_inputs(**overrides):
    """A department's year: the numbers of the worked example below."""
    inputs = {
        "1.1": In(self_raw=95, marks=(Mark(SNV, 90), Mark(VP, 94))),  # appraised (13.5 + 14.1) / 2 = 13.8
        "1.2": In(self_raw=0, marks=(Mark(SNV, 1), Mark(VP, 1))),  # one task overdue: 5 − 1 = 4
        "2.1": In(self_raw="dung_han", marks=(Mark(SNV, "dung_han"),)),  # 3
        "2.2": In(self_raw=4, marks=(Mark(SNV, "3.5"),)),  # 3.5
        "2.3": In(self_raw=5, marks=(Mark(SNV, "4,5"),)),  # 4.5 (typed with a comma)
        "2.4": In(self_raw=92, marks=(Mark(TT, 85),)),  # 85 % → band ≥ 80 → 4
        "2.5": In(self_raw="hieu_qua", marks=(Mark(SNV, "co_dang_ky"),)),  # 3
        "2.6.a": In(self_raw="dung_han", marks=(Mark(SNV, "dung_han"),)),  # 3
        "2.6.b": In(self_raw="dung_han", marks=(Mark(SNV, "tre_han"),)),  # 1.5
        "3": In(self_raw="80.05", marks=(Mark(SNV, "80.05"), Mark(VP, "80.05"))),  # 20 × 80,05 % = 16.01
        "4": In(self_raw="83.45", marks=(Mark(SNV, "83.45"), Mark(VP, "83.45"))),  # 15 × 83,45 % = 12.5175 → 12.52
        "5.1": In(self_raw=True, marks=(Mark(SNV, True),)),  # 5
        "5.2": In(self_raw=5, marks=(Mark(SNV, 4),)),  # 4
        "5.3": In(self_raw=True, marks=(Mark(SNV, True),)),  # 5
    }
    inputs.update(overrides)
    return inputs


def dossier(key="so-tu-phap", name="Sở Tư pháp", group="khoi-so", **kw):
    return DossierInput(key=key, name=name, group=group, **{"inputs": typical_inputs(), **kw})


def test_731_worked_example(spec_731):
    # 1: 13.8 + 4 = 17.8; 2: 3 + 3.5 + 4.5 + 4 + 3 + 4.5 = 22.5; 3: 16.01; 4: 12.52; 5: 14
    # appraised total 82.83; bonus T2 1.5; penalty TR3 two days late = 2 → 82.33 → Khá
    result = score_dossier(spec_731, dossier(adjustments={"T2": "1.5", "TR3": 2}))
    assert result.criteria["1"].final_points == D("17.8")
    assert result.criteria["2"].final_points == D("22.5")
    assert result.criteria["4"].final_points == D("12.52")
    assert result.appraised_total == D("82.83")
    assert (result.bonus, result.penalty) == (D("1.5"), D("2"))
    assert result.total == D("82.33")
    assert result.band == "kha"
    assert result.classified


def test_self_total_is_kept_beside_the_appraised_one(spec_731):
    # self: 1.1 95 % → 14.25, 1.2 → 5 (group 19.25); 2: 3 + 4 + 5 + 6 + 6 + 3 + 3 = 30;
    # 3: 16.01; 4: 12.52; 5: 5 + 5 + 5 = 15 → 92.78
    result = score_dossier(spec_731, dossier())
    assert result.self_total == D("92.78")
    assert result.criteria["2.5"].self_points == D("6")
    assert result.criteria["2.5"].appraised_points == D("3")
    assert any(s.rule == "appraised_replaces_self" and s.criterion == "2.5" for s in result.steps)


def test_no_par_index_is_left_out_and_the_rest_rescaled(spec_731):
    # 17.8 + 22.5 + 12.52 + 14 = 66.82 of 80 achievable → × 100 / 80 = 83.525 → 83.53
    inputs = typical_inputs(**{"3": In(not_applicable=True)})
    result = score_dossier(spec_731, dossier(inputs=inputs))
    assert result.total == D("83.53")
    step = next(s for s in result.steps if s.rule == "na_rescale")
    assert step.detail["excluded"] == D("20")


def test_hot_spot_caps_the_class_at_kha(spec_731):
    perfect = {code: In(self_raw=v, marks=(Mark(SNV, v),)) for code, v in {
        "1.1": 100, "1.2": 0, "2.1": "dung_han", "2.2": 4, "2.3": 5, "2.4": 100, "2.5": "hieu_qua",
        "2.6.a": "dung_han", "2.6.b": "dung_han", "3": 100, "4": 100, "5.1": True, "5.2": 5, "5.3": True}.items()}  # fmt: skip
    clean = score_dossier(spec_731, dossier(inputs=perfect))
    assert (clean.total, clean.band) == (D("100"), "tot")
    hot = score_dossier(spec_731, dossier(inputs=perfect, adjustments={"TR1": True}))
    # 100 − 5 = 95 is in the Tốt band, but gate G1 caps the class at Khá
    assert (hot.total, hot.band, hot.gated_by) == (D("95"), "kha", ("G1",))


def test_no_dossier_is_not_classified(spec_731):
    result = score_dossier(spec_731, dossier(inputs={}, has_dossier=False))
    assert (result.total, result.band, result.classified) == (D("0"), None, False)


def test_bonus_and_penalty_caps(spec_731):
    # bonus T1 3 + T2 2 = 5 (cap 5); penalty TR1 5 + TR2 4 cases × 2 = 8 → 13, capped at 10
    result = score_dossier(spec_731, dossier(adjustments={"T1": True, "T2": 2, "TR1": True, "TR2": 4}))
    assert (result.bonus, result.penalty) == (D("5"), D("10"))
    assert result.total == D("77.83")  # 82.83 + 5 − 10


def test_total_never_exceeds_the_scale_even_with_bonus(spec_731):
    result = score_dossier(spec_731, dossier(inputs=typical_inputs(), adjustments={"T1": True, "T2": 2}))
    assert result.total == D("87.83")
    near_full = {c: In(marks=(Mark(SNV, v),)) for c, v in {"3": 100, "4": 100}.items()}
    others = typical_inputs()
    others.update(near_full)
    capped = score_dossier(spec_731, dossier(inputs=others, adjustments={"T1": True, "T2": 2}))
    assert capped.total <= D("100")


def test_primary_wins_uses_the_primary_scorers_mark(spec_731):
    inputs = typical_inputs(**{"2.4": In(marks=(Mark(SNV, 95), Mark(TT, 75)))})
    result = score_dossier(spec_731, dossier(inputs=inputs))
    # Thanh tra tỉnh is primary for 2.4: 75 % → band ≥ 70 → 2 points
    assert result.criteria["2.4"].final_points == D("2")


def test_dan_van_kheo_reaches_100_only_with_bonus(spec_dvk):
    full = {"A.1": True, "A.2": 10, "A.3": 100, "B": 100, "C": 15, "D": 96, "E": 100, "F": "tot"}
    inputs = {code: In(marks=(Mark("huyen", v),)) for code, v in full.items()}
    without = score_dossier(spec_dvk, DossierInput("x", "Xã A", "khoi-xa", inputs=inputs))
    with_bonus = score_dossier(spec_dvk, DossierInput("x", "Xã A", "khoi-xa", inputs=inputs, adjustments={"S1": 5}))
    assert (without.total, with_bonus.total) == (D("95"), D("100"))


def test_dan_van_kheo_does_not_fall_back_to_self_scores(spec_dvk):
    inputs = {"C": In(self_raw=15)}
    result = score_dossier(spec_dvk, DossierInput("x", "Xã A", "khoi-xa", inputs=inputs))
    assert result.self_total == D("15")
    assert result.total == D("0")


def test_quota_lowers_the_excess_in_rank_order(spec_dvk):
    # 30 % of 4 agencies = 1 may be Xuất sắc: the second-ranked drops to Tốt
    def xa(key, c_points):
        full = {"A.1": True, "A.2": 10, "A.3": 100, "B": 100, "C": c_points, "D": 96, "E": 100, "F": "tot"}
        inputs = {code: In(marks=(Mark("huyen", v),)) for code, v in full.items()}
        return DossierInput(key, key, "khoi-xa", inputs=inputs)

    ranked = evaluate_group(spec_dvk, [xa("b", 12), xa("a", 15), xa("c", 10), xa("d", 0)])
    assert [(r.key, r.rank, r.total, r.band) for r in ranked] == [
        ("a", 1, D("95"), "xuat_sac"),
        ("b", 2, D("92"), "tot"),
        ("c", 3, D("90"), "tot"),
        ("d", 4, D("80"), "tot"),
    ]
    assert any(s.rule == "quota" for s in ranked[1].steps)


def test_tie_breaks_appraised_then_penalties_then_submission(spec_731):
    early, late = dt.datetime(2021, 11, 20, 9, tzinfo=dt.UTC), dt.datetime(2021, 11, 25, 9, tzinfo=dt.UTC)
    same = dossier(key="b", name="B", submitted_at=late)
    earlier = dossier(key="a", name="A", submitted_at=early)
    ranked = evaluate_group(spec_731, [same, earlier])
    assert [r.key for r in ranked] == ["a", "b"]
    assert ranked[1].steps[-1].detail["by"] == "submitted_at"


def test_out_of_range_and_off_step_marks_are_refused(spec_731):
    for raw, code in [("3.25", "off_step"), ("7", "out_of_range"), ("-1", "out_of_range"), ("abc", "not_a_number")]:
        with pytest.raises(ScoreInputError) as error:
            score_dossier(spec_731, dossier(inputs=typical_inputs(**{"2.2": In(self_raw=raw)})))
        assert error.value.code == code
    with pytest.raises(ScoreInputError) as error:
        score_dossier(spec_731, dossier(inputs=typical_inputs(**{"2.1": In(self_raw="som")})))
    assert error.value.code == "unknown_level"


def test_engine_imports_no_django():
    code = "import sys, scoring.engine; print(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
