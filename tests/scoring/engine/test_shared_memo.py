"""A group is scored with one memo of each criterion's points per distinct mark (the engine's
hot path at national scale): scoring the dossiers together must give exactly what scoring each
alone gives, and marks that compare equal across types (True, 1, Decimal(1), "1") never share
an entry."""

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from scoring.engine import (
    CriteriaSetSpec,
    CriterionInput,
    CriterionSpec,
    DossierInput,
    Mark,
    NodeKind,
    ScoreInputError,
    ScoreType,
    score_dossier,
)

from .test_order_independence import SETTINGS, criteria_sets, dossiers, outcome


@SETTINGS
@given(st.data())
def test_dossiers_scored_with_one_shared_memo_equal_each_scored_alone(data):
    spec = data.draw(criteria_sets())
    group = [data.draw(dossiers(spec, key)) for key in ("a", "b", "c")]
    memo: dict = {}
    together = [outcome(score_dossier(spec, d, memo=memo)) for d in group]
    assert together == [outcome(score_dossier(spec, d)) for d in group]


def test_marks_equal_across_types_are_kept_apart_and_a_refused_mark_is_refused_every_time():
    count = CriterionSpec("C", "C", NodeKind.ITEM, D(10), ScoreType.COUNT_DEDUCT, {"per_case": 2})
    spec = CriteriaSetSpec("S", "S", D(10), (count,))
    memo: dict = {}

    def total(raw):
        entry = CriterionInput(marks=(Mark("so-noi-vu", raw),))
        return score_dossier(spec, DossierInput("a", "A", "g", inputs={"C": entry}), memo=memo).total

    assert total("1") == total(1) == total(D(1)) == D(8)
    for _ in range(2):
        try:
            total(True)  # a yes/no is no count of cases, however often it comes
        except ScoreInputError as error:
            assert error.code == "not_a_number"
        else:
            raise AssertionError("True read as one case")
    assert ("C", bool, True) not in memo
