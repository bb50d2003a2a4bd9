"""Each built-in score type, asked through the registry as every consumer asks it: points, the
stored form of a mark, parameter checks, widget, Excel hint and display. No database, no Django."""

from decimal import Decimal as D

import pytest

from scoring.engine import NodeKind, ScoreInputError, ScoreType
from scoring.engine import score_types as registry
from scoring.engine.score_types import MAX_CODE_LENGTH, ScoreTypeDef, Text, Widget
from scoring.engine.types import CriterionSpec

LEVELS = {"levels": [{"code": "dung_han", "label": "Đúng hạn", "points": 3}, {"code": "tre_han", "label": "Trễ hạn", "points": D("1.5")}]}  # fmt: skip
BANDS = {"bands": [{"min": 90, "points": 6}, {"min": 80, "points": 4}, {"min": 0, "points": 0}]}


def node(score_type, max_points=10, params=None, kind=NodeKind.ITEM) -> CriterionSpec:
    return CriterionSpec("1.1", "Tiêu chí", kind, D(max_points), score_type, params or {})


def ask(spec: CriterionSpec) -> ScoreTypeDef:
    return registry.get(spec.score_type)


@pytest.mark.parametrize(
    ("score_type", "max_points", "params", "raw", "points", "stored"),
    [
        (ScoreType.BOOLEAN, 5, {}, "Có", D(5), "true"),
        (ScoreType.BOOLEAN, 5, {}, "không", D(0), "false"),
        (ScoreType.LEVELS, 3, LEVELS, "tre_han", D("1.5"), "tre_han"),
        (ScoreType.RANGE, 5, {"step": "0.5"}, "3,5", D("3.5"), "3.5"),
        (ScoreType.PERCENT_LINEAR, 15, {}, "90", D("13.5"), "90"),
        (ScoreType.PERCENT_BANDED, 6, BANDS, "85,0", D(4), "85"),
        (ScoreType.IMPORTED_INDEX, 10, {"source": "PAR"}, "82.5", D("8.25"), "82.5"),
        (ScoreType.IMPORTED_INDEX, 6, {"source": "PAR", **BANDS}, "91", D(6), "91"),
        (ScoreType.COUNT_DEDUCT, 5, {"per_case": 1}, "2", D(3), "2"),
        (ScoreType.COUNT_DEDUCT, 5, {"per_case": 2, "cap": 3}, "4", D(2), "4"),
        (ScoreType.COUNT, 10, {"per_case": 2}, "3", D(6), "3"),
        (ScoreType.COUNT, 10, {"per_case": 2}, "9", D(10), "9"),
    ],
)
def test_points_and_stored_form_of_each_type(score_type, max_points, params, raw, points, stored):
    spec = node(score_type, max_points, params)
    assert ask(spec).points(spec, raw) == points
    assert ask(spec).canonical(spec, raw) == stored


def test_a_level_may_be_typed_as_its_label_and_is_stored_as_its_code():
    spec = node(ScoreType.LEVELS, 3, LEVELS)
    assert ask(spec).canonical(spec, "Trễ hạn") == "tre_han"
    assert ask(spec).canonical(spec, " đúng hạn ") == "dung_han"
    with_comma = node(ScoreType.LEVELS, 6, {"levels": [{"code": "co", "label": "Có mô hình, hiệu quả", "points": 6}]})
    assert ask(with_comma).canonical(with_comma, "Có mô hình  hiệu quả") == "co"  # as an Excel list offers it
    with pytest.raises(ScoreInputError) as error:
        ask(spec).canonical(spec, "Sớm hạn")
    assert error.value.code == "unknown_level"
    with pytest.raises(ScoreInputError):
        ask(spec).points(spec, "Trễ hạn")  # the engine reads stored marks: codes only


@pytest.mark.parametrize(
    ("score_type", "params", "raw", "code"),
    [
        (ScoreType.RANGE, {"step": "0.5"}, "3.25", "off_step"),
        (ScoreType.RANGE, {"min": 1}, "0", "out_of_range"),
        (ScoreType.PERCENT_LINEAR, {}, "101", "percent_out_of_range"),
        (ScoreType.COUNT_DEDUCT, {}, "1.5", "not_a_count"),
        (ScoreType.BOOLEAN, {}, "có lẽ", "not_yes_no"),
        (ScoreType.SUM_CHILDREN, {}, "1", "not_scorable"),
    ],
)
def test_each_type_refuses_what_it_cannot_read(score_type, params, raw, code):
    spec = node(score_type, 10, params)
    with pytest.raises(ScoreInputError) as error:
        ask(spec).canonical(spec, raw)
    assert error.value.code == code


def test_a_penalty_per_case_counts_its_cases_for_the_tie_break():
    count, yes = node(ScoreType.COUNT, 10, {"per_case": 2}), node(ScoreType.BOOLEAN, 10)
    assert ask(count).cases(count, "3") == 3
    assert ask(yes).cases(yes, "true") == 1


@pytest.mark.parametrize(
    ("score_type", "params", "messages"),
    [
        (ScoreType.LEVELS, {}, ["Levels need a list “levels” of code, label and points."]),
        (
            ScoreType.LEVELS,
            {"levels": [{"code": "a", "label": "Có", "hiệu quả": None, "points": 1}]},
            ["Unknown field “%(field)s”."],
        ),  # fmt: skip
        (
            ScoreType.LEVELS,
            {"levels": [{"code": "a", "points": 20}]},
            ["Level “%(level)s” gives %(points)s points, outside 0–%(max)s."],
        ),  # fmt: skip
        (
            ScoreType.PERCENT_BANDED,
            {"bands": [{"min": 50, "points": 1}, {"min": 50, "points": 2}]},
            ["Two percentage bands start at the same value."],
        ),  # fmt: skip
        (ScoreType.IMPORTED_INDEX, {}, ["An imported index needs its “source” (e.g. PAR, SIPAS)."]),
        (ScoreType.RANGE, {"step": 0}, ["The step must be a positive number."]),
        (ScoreType.COUNT_DEDUCT, {"per_case": "-1"}, ["“per_case” must be a positive number."]),
        (ScoreType.COUNT, {"per_case": 2}, []),
        (ScoreType.BOOLEAN, {}, []),
    ],
)
def test_each_type_checks_its_own_parameters(score_type, params, messages):
    spec = node(score_type, 10, params)
    problems = list(ask(spec).param_problems(spec))
    assert all(isinstance(p, Text) for p in problems)
    assert [p.message for p in problems] == messages


def test_widgets_offer_a_list_or_a_text_box_with_its_placeholder():
    levels, yes = node(ScoreType.LEVELS, 3, LEVELS), node(ScoreType.BOOLEAN, 5)
    assert ask(levels).widget(levels) == Widget(choices=(("dung_han", "Đúng hạn (3)"), ("tre_han", "Trễ hạn (1,5)")))
    assert [value for value, _label in ask(yes).widget(yes).choices] == ["true", "false"]
    assert ask(yes).widget(yes).choices[0][1] == Text("Yes")
    ranged = node(ScoreType.RANGE, 5, {"min": 1})
    assert ask(ranged).widget(ranged) == Widget(placeholder="1–5")
    percent = node(ScoreType.PERCENT_BANDED, 6, BANDS)
    assert ask(percent).widget(percent) == Widget(placeholder="%")
    cases = node(ScoreType.COUNT_DEDUCT, 5)
    assert ask(cases).widget(cases).placeholder == Text("cases")


def test_excel_hints_and_display_of_stored_marks():
    ranged = node(ScoreType.RANGE, 5, {"step": "0.5"})
    assert ask(ranged).hint(ranged) == Text(
        "Points %(min)s–%(max)s, in steps of %(step)s", {"min": D(0), "max": D(5), "step": D("0.5")}
    )
    assert ask(ranged).display(ranged, "3.5") == "3,5"
    levels = node(ScoreType.LEVELS, 3, LEVELS)
    assert [t.params["label"] for t in ask(levels).hint(levels)] == ["Đúng hạn", "Trễ hạn"]
    assert ask(levels).display(levels, "tre_han") == "Trễ hạn"
    yes = node(ScoreType.BOOLEAN, 5)
    assert ask(yes).display(yes, "false") == Text("No")


def test_full_marks_earn_the_maximum():
    for spec in (
        node(ScoreType.BOOLEAN, 5),
        node(ScoreType.LEVELS, 3, LEVELS),
        node(ScoreType.RANGE, D("7.5")),
        node(ScoreType.PERCENT_LINEAR, 15),
        node(ScoreType.PERCENT_BANDED, 6, BANDS),
        node(ScoreType.COUNT_DEDUCT, 5),
        node(ScoreType.COUNT, 5, {"per_case": 2}, NodeKind.PENALTY),
    ):
        assert ask(spec).points(spec, ask(spec).full_marks(spec)) == spec.max_points, spec.score_type


def test_the_registry_knows_every_built_in_type_and_where_each_may_be_used():
    assert {str(t.code) for t in registry.all_types()} >= {str(t) for t in ScoreType}
    for definition in registry.all_types():
        assert definition.label and definition.used_for and len(str(definition.code)) <= MAX_CODE_LENGTH
    assert registry.allowed_for(NodeKind.PENALTY) == ["boolean", "count"]
    assert registry.allowed_for(NodeKind.BONUS) == ["boolean", "levels", "range"]
    assert registry.allowed_for(NodeKind.GROUP) == ["sum_children"]
    assert registry.code_of("levels") is ScoreType.LEVELS
    assert registry.numeric_params() >= {"points", "min", "per_case", "cap", "step"}


def test_a_code_is_registered_once_and_fits_the_column():
    class Again(ScoreTypeDef):
        code = "boolean"
        label = "Again"

    class TooLong(ScoreTypeDef):
        code = "x" * (MAX_CODE_LENGTH + 1)
        label = "Too long"

    for cls in (Again, TooLong):
        with pytest.raises(ValueError):
            registry.register(cls)
    assert type(registry.get("boolean")).__name__ == "YesNo"
