"""Each arithmetic field a library file states, in both (or every) settings: where rounding happens
and to how many places, where the ceiling applies, how co-scorers combine without a primary scorer,
what "fewer penalties" counts, where unclassified agencies rank and whether their total is shown.

Each expected number is worked out by hand in the comment above it.
"""

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils.translation import gettext

from scoring.engine import (
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    DossierInput,
    GateEffect,
    GateSpec,
    GateTrigger,
    Mark,
    NodeKind,
    PenaltyMeasure,
    RoundAt,
    Scorers,
    ScoreType,
    UnclassifiedRank,
    evaluate_group,
    score_dossier,
)
from scoring.engine import CriterionInput as In
from scoring.libraryio import LibraryErrors, read_yaml

BANDS = (
    BandSpec("tot", "Tốt", D(90), None),
    BandSpec("kha", "Khá", D(70), D(90)),
    BandSpec("trung_binh", "Trung bình", D(50), D(70)),
    BandSpec("yeu", "Yếu", D(0), D(50)),
)


def item(code, max_points, score_type=ScoreType.PERCENT_LINEAR, params=None, scorers=None):
    return CriterionSpec(code, code, NodeKind.ITEM, D(max_points), score_type, params or {}, scorers=scorers)


def ten_tens(**arithmetic) -> CriteriaSetSpec:
    """Ten percentage criteria of 10 points (100 in all), a bonus, two penalties, the usual classes."""
    return CriteriaSetSpec(
        "01",
        "Bộ thử",
        D(100),
        tuple(item(str(n), 10) for n in range(1, 11)),
        bonus=(CriterionSpec("T1", "T1", NodeKind.BONUS, D(5), ScoreType.RANGE),),
        penalties=(
            CriterionSpec("TR2", "TR2", NodeKind.PENALTY, D(10), ScoreType.COUNT, {"per_case": 2}),
            CriterionSpec(
                "TR3", "TR3", NodeKind.PENALTY, D(5), ScoreType.COUNT, {"per_case": 1, "auto_source": "late_days"}
            ),
        ),
        bands=BANDS,
        gates=(GateSpec("G3", "Không nộp hồ sơ", GateTrigger.NO_DOSSIER, GateEffect.NOT_CLASSIFIED),),
        bonus_cap=D(5),
        penalty_cap=D(10),
        ceiling=D(100),
        **arithmetic,
    )


def unit(key="a", percent="100", marks=None, **kw) -> DossierInput:
    """An agency whose ten criteria are each appraised at `percent` %."""
    inputs = {str(n): In(marks=marks or (Mark("so-noi-vu", percent),)) for n in range(1, 11)}
    return DossierInput(key=key, name=kw.pop("name", key.upper()), group="khoi-so", inputs=inputs, **kw)


# --- where rounding happens, and to how many places ---------------------------------------------


def test_rounding_every_mark_lifts_49_99_into_trung_binh_rounding_the_total_does_not():
    # each criterion 10 × 49,9945 % = 4,99945; ten of them = 49,9945 exactly
    every_mark = score_dossier(ten_tens(round_at=RoundAt.MARK), unit(percent="49.9945"))
    only_total = score_dossier(ten_tens(round_at=RoundAt.TOTAL), unit(percent="49.9945"))
    # every mark rounded: 4,99945 → 5,00, ten times → 50,00 → Trung bình
    assert (every_mark.total, every_mark.band) == (D("50.00"), "trung_binh")
    # only the total: 49,9945 → 49,99 → Yếu
    assert (only_total.total, only_total.band) == (D("49.99"), "yeu")


def test_rounding_each_criterion_rounds_the_combined_mark_not_each_mark():
    spec = ten_tens(round_at=RoundAt.MARK, combine=CombineRule.AVERAGE)
    three = (Mark("a", "0.44"), Mark("b", "0.44"), Mark("c", "0.64"))  # 0,044 / 0,044 / 0,064 points
    dossier = DossierInput("x", "X", "khoi-so", inputs={"1": In(marks=three)})
    # every mark: 0,04 + 0,04 + 0,06 = 0,14 / 3 = 0,04666… → 0,05
    assert score_dossier(spec, dossier).criteria["1"].final_points == D("0.05")
    # each criterion: (0,044 + 0,044 + 0,064) / 3 = 0,050666… → 0,05; with three marks that round
    # the other way the two settings part: 0,0044 ×2 and 0,0064 on a 1-point criterion
    tiny = dataclasses.replace(spec, criteria=(item("1", 1), *spec.criteria[1:]), max_total=D(91))
    tiny_marks = DossierInput("x", "X", "khoi-so", inputs={"1": In(marks=three)})
    # every mark: 0,0044 → 0,00; 0,0044 → 0,00; 0,0064 → 0,01 → average 0,00333… → 0,00
    assert score_dossier(tiny, tiny_marks).criteria["1"].final_points == D("0.00")
    # each criterion: (0,0044 + 0,0044 + 0,0064) / 3 = 0,00506… → 0,01
    by_criterion = dataclasses.replace(tiny, round_at=RoundAt.CRITERION)
    assert score_dossier(by_criterion, tiny_marks).criteria["1"].final_points == D("0.01")


def test_rounding_zero_places_means_whole_points():
    # 10 × 33,3 % = 3,33 per criterion; 33,3 in all
    whole = score_dossier(ten_tens(rounding=0, round_at=RoundAt.TOTAL), unit(percent="33.3"))
    two = score_dossier(ten_tens(rounding=2, round_at=RoundAt.TOTAL), unit(percent="33.3"))
    assert whole.total == D("33") and whole.total.as_tuple().exponent == 0
    assert two.total == D("33.30")


YAML = """\
format: dvcq-regulation/1
regulation: {{code: thu, program: dvcq, so_ky_hieu: 1/QĐ-UBND, title: Thử, issuer: UBND tỉnh}}
criteria_set:
  code: "01"
  name: Bộ thử
  max_total: 10
{fields}
criteria:
  - {{code: "1", title: Một, max: 10, type: percent_linear}}
classification:
  - {{code: dat, label: Đạt, min: 5}}
  - {{code: chua_dat, label: Chưa đạt, min: 0, max: 5}}
"""


def read(fields: str):
    return read_yaml(YAML.format(fields=fields)).spec


def test_a_file_saying_rounding_0_gets_whole_points_not_two_places():
    assert read("  rounding: 0").rounding == 0
    assert read("  rounding: 1").rounding == 1


def test_a_file_leaving_the_arithmetic_out_gets_the_documented_defaults():
    spec = read("")
    assert (spec.rounding, spec.round_at, spec.ceiling, spec.ceiling_at) == (
        2,
        RoundAt.TOTAL,
        D(10),
        CeilingAt.BEFORE_PENALTY,
    )
    assert (spec.combine, spec.tie_break_penalties) == (CombineRule.AVERAGE, PenaltyMeasure.CASES)
    assert (spec.unclassified_rank, spec.show_unclassified_total) == (UnclassifiedRank.LAST, True)


@pytest.mark.parametrize("value", ["3", "1.5", "-1"])
def test_rounding_beyond_two_places_or_fractional_is_refused_with_its_line(value):
    with pytest.raises(LibraryErrors) as refused:
        read(f"  rounding: {value}")
    # (the message's Vietnamese is in the catalogue: “rounding” là số chữ số thập phân, từ 0 đến 2.)
    places = gettext("“%(field)s” is a number of decimal places from 0 to %(max)s.") % {"field": "rounding", "max": 2}
    assert str(refused.value).startswith("dòng 7: ")
    assert (places in str(refused.value)) or value == "-1"


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ("  round_at: cuoi", "mark, criterion, total"),
        ("  combine: primary_wins", "average, maximum, minimum"),
        ("  ceiling_at: sau", "before_penalty, after_penalty"),
        ("  tie_break_penalties: diem", "cases, days, points"),
        ("  unclassified_rank: dau", "last, by_total, none"),
    ],
)
def test_a_wrong_arithmetic_choice_is_refused_with_its_line_and_the_choices(fields, allowed):
    with pytest.raises(LibraryErrors) as refused:
        read(fields)
    [error] = refused.value.errors
    assert str(error.where) == "dòng 7"
    assert error.message.endswith(f"{allowed}.")


# --- the ceiling: before or after the penalty ------------------------------------------------------


def test_ceiling_before_the_penalty_keeps_the_penalty():
    # appraised 98 + bonus 5 = 103 → capped at 100, then − penalty 2 (one TR2 case) = 98
    spec = ten_tens(ceiling_at=CeilingAt.BEFORE_PENALTY)
    result = score_dossier(spec, unit(percent="98", adjustments={"T1": 5, "TR2": 1}))
    assert (result.appraised_total, result.bonus, result.penalty, result.total) == (D(98), D(5), D(2), D(98))


def test_ceiling_after_the_penalty_lets_surplus_bonus_absorb_it():
    # 98 + 5 − 2 = 101 → capped at 100: the penalty left no trace
    spec = ten_tens(ceiling_at=CeilingAt.AFTER_PENALTY)
    result = score_dossier(spec, unit(percent="98", adjustments={"T1": 5, "TR2": 1}))
    assert result.total == D(100)


# --- co-scorers when the set names no primary scorer ----------------------------------------------


@pytest.mark.parametrize(
    ("rule", "expected"),
    [(CombineRule.AVERAGE, D("5")), (CombineRule.MAXIMUM, D("8")), (CombineRule.MINIMUM, D("2"))],
)
def test_co_scorers_without_a_primary_combine_by_the_sets_rule_in_any_order(rule, expected):
    spec = dataclasses.replace(ten_tens(combine=rule), criteria=(item("1", 10, ScoreType.RANGE),), max_total=D(10))
    marks = (Mark("huyen", "2"), Mark("ban-dan-van", "8"))
    entered = [DossierInput("x", "X", "khoi-so", inputs={"1": In(marks=order)}) for order in (marks, marks[::-1])]
    # marks 2,0 and 8,0: the same answer whichever was entered first
    assert [score_dossier(spec, d).criteria["1"].final_points for d in entered] == [expected, expected]


def test_a_primary_that_has_not_marked_leaves_the_co_scorers_to_the_sets_rule():
    primary_wins = Scorers(primary="so-noi-vu", co=("vp-ubnd", "thanh-tra"), combine=CombineRule.PRIMARY_WINS)
    criterion = item("1", 10, ScoreType.RANGE, scorers=primary_wins)
    spec = dataclasses.replace(ten_tens(combine=CombineRule.MINIMUM), criteria=(criterion,), max_total=D(10))
    co_only = (Mark("vp-ubnd", "9"), Mark("thanh-tra", "4"))
    with_primary = (*co_only, Mark("so-noi-vu", "7"))
    for marks in (co_only, co_only[::-1]):
        assert score_dossier(spec, DossierInput("x", "X", "g", inputs={"1": In(marks=marks)})).total == D(4)
    assert score_dossier(spec, DossierInput("x", "X", "g", inputs={"1": In(marks=with_primary)})).total == D(7)


# --- what "fewer penalties" counts -------------------------------------------------------------------


def late_and_disciplined(spec):
    """Same appraised total (90) and the same 4 penalty points: A sent its dossier 4 days late
    (1 case, 4 days), B had two disciplinary cases (2 cases, 0 days). B was submitted first."""
    first, later = dt.datetime(2022, 11, 20, tzinfo=dt.UTC), dt.datetime(2022, 11, 24, tzinfo=dt.UTC)
    a = unit("a", "90", adjustments={"TR3": 4}, submitted_at=later)
    b = unit("b", "90", adjustments={"TR2": 2}, submitted_at=first)
    return [(r.key, r.rank) for r in evaluate_group(spec, [a, b])]


def test_fewer_penalty_cases_ranks_the_late_unit_first():
    assert late_and_disciplined(ten_tens(tie_break_penalties=PenaltyMeasure.CASES)) == [("a", 1), ("b", 2)]


def test_fewer_days_late_ranks_the_unit_that_was_on_time_first():
    assert late_and_disciplined(ten_tens(tie_break_penalties=PenaltyMeasure.DAYS)) == [("b", 1), ("a", 2)]


def test_fewer_penalty_points_compares_points_even_where_the_ceiling_evened_the_totals():
    # after the penalty, 100 + 5 − 3 and 100 + 5 − 5 are both capped at 100: points 3 < 5 decide
    spec = ten_tens(tie_break_penalties=PenaltyMeasure.POINTS, ceiling_at=CeilingAt.AFTER_PENALTY)
    a = unit("a", "100", adjustments={"T1": 5, "TR3": 3}, name="Z")
    b = unit("b", "100", adjustments={"T1": 5, "TR2": 2, "TR3": 1}, name="A")
    ranked = evaluate_group(spec, [b, a])
    assert [(r.key, r.total, r.penalty) for r in ranked] == [("a", D(100), D(3)), ("b", D(100), D(5))]
    assert ranked[1].steps[-1].detail["by"] == "penalty_count"
    # counted in cases instead, A's 3 days late are one case, B has two disciplinary cases and one
    # late dossier: the same order, decided by cases
    by_cases = evaluate_group(dataclasses.replace(spec, tie_break_penalties=PenaltyMeasure.CASES), [b, a])
    assert [(r.key, r.penalty_count) for r in by_cases] == [("a", 1), ("b", 3)]


# --- unclassified agencies: where they rank, whether their total is shown -------------------------


def group_with_an_unclassified_leader(**arithmetic):
    """C sent no dossier (gate G3: not classified) but holds the highest marks on record."""
    spec = ten_tens(**arithmetic)
    return evaluate_group(spec, [unit("a", "80"), unit("b", "60"), unit("c", "95", has_dossier=False)])


def test_unclassified_ranked_last_by_default():
    ranked = group_with_an_unclassified_leader(unclassified_rank=UnclassifiedRank.LAST)
    assert [(r.key, r.rank, r.classified) for r in ranked] == [("a", 1, True), ("b", 2, True), ("c", 3, False)]


def test_unclassified_ranked_by_total_among_the_others():
    ranked = group_with_an_unclassified_leader(unclassified_rank=UnclassifiedRank.BY_TOTAL)
    assert [(r.key, r.rank) for r in ranked] == [("c", 1), ("a", 2), ("b", 3)]


def test_unclassified_listed_without_a_rank():
    ranked = group_with_an_unclassified_leader(unclassified_rank=UnclassifiedRank.NONE)
    assert [(r.key, r.rank) for r in ranked] == [("a", 1), ("b", 2), ("c", None)]


@pytest.mark.parametrize("shown", [True, False])
def test_whether_an_unclassified_total_is_shown(shown):
    ranked = group_with_an_unclassified_leader(show_unclassified_total=shown)
    assert {r.key: r.total_shown for r in ranked} == {"a": True, "b": True, "c": shown}
    assert ranked[-1].total == D(95)  # the number is kept; only its display follows the set
