"""Totals never depend on the order rows come from the database nor on the order marks were
entered (hypothesis): the same marks give the same points, class, rank and explanation, whatever
combine rule, rounding place or ceiling a set states."""

import random
from decimal import Decimal as D

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.engine import (
    SET_COMBINE_RULES,
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionInput,
    CriterionSpec,
    DossierInput,
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

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SCORERS = ("so-noi-vu", "vp-ubnd", "thanh-tra", "ban-dan-van")
BANDS = (
    BandSpec("tot", "Tốt", D(90), None),
    BandSpec("kha", "Khá", D(70), D(90)),
    BandSpec("trung_binh", "Trung bình", D(50), D(70)),
    BandSpec("yeu", "Yếu", D(0), D(50)),
)


@st.composite
def leaf(draw, n: int) -> CriterionSpec:
    """A percentage criterion: its marks are percentages with up to four decimals (so every
    rounding place matters), scored by a random rule — a primary that may or may not mark."""
    max_points = D(draw(st.integers(1, 30)))
    if draw(st.booleans()):
        scorers = None  # the set's rule
    else:
        rule = draw(st.sampled_from(list(CombineRule)))
        primary = draw(st.sampled_from((None, *SCORERS)))
        scorers = Scorers(primary=primary, co=tuple(s for s in SCORERS if s != primary), combine=rule)
    return CriterionSpec(str(n), str(n), NodeKind.ITEM, max_points, ScoreType.PERCENT_LINEAR, scorers=scorers)


@st.composite
def criteria_sets(draw) -> CriteriaSetSpec:
    leaves = tuple(draw(leaf(n)) for n in range(1, draw(st.integers(1, 6)) + 1))
    return CriteriaSetSpec(
        "S",
        "S",
        sum((c.max_points for c in leaves), D(0)),
        leaves,
        bonus=(CriterionSpec("T", "T", NodeKind.BONUS, D(5), ScoreType.RANGE),),
        penalties=(
            CriterionSpec("P", "P", NodeKind.PENALTY, D(10), ScoreType.COUNT, {"per_case": 2}),
            CriterionSpec(
                "L", "L", NodeKind.PENALTY, D(5), ScoreType.COUNT, {"per_case": 1, "auto_source": "late_days"}
            ),
        ),
        bands=BANDS,
        bonus_cap=D(5),
        penalty_cap=D(10),
        rescale_to=D(100),
        rounding=draw(st.integers(0, 2)),
        round_at=draw(st.sampled_from(list(RoundAt))),
        ceiling_at=draw(st.sampled_from(list(CeilingAt))),
        combine=draw(st.sampled_from(SET_COMBINE_RULES)),
        tie_break_penalties=draw(st.sampled_from(list(PenaltyMeasure))),
        unclassified_rank=draw(st.sampled_from(list(UnclassifiedRank))),
    )


percents = st.integers(0, 1_000_000).map(lambda n: D(n) / 10_000)  # 0 … 100 %, four decimals


@st.composite
def dossiers(draw, spec: CriteriaSetSpec, key: str) -> DossierInput:
    inputs = {}
    for node in spec.criteria:
        scorers = draw(st.lists(st.sampled_from(SCORERS), unique=True, max_size=len(SCORERS)))
        inputs[node.code] = CriterionInput(
            self_raw=draw(st.one_of(st.none(), percents)),
            marks=tuple(Mark(s, draw(percents)) for s in scorers),
        )
    return DossierInput(
        key,
        key.upper(),
        "g",
        inputs=inputs,
        adjustments={"T": draw(st.integers(0, 10)) / D(2), "P": draw(st.integers(0, 3)), "L": draw(st.integers(0, 3))},
        has_dossier=draw(st.booleans()) or draw(st.booleans()),
    )


def reentered(dossier: DossierInput, rng: random.Random) -> DossierInput:
    """The same marks, read in another row order and entered in another order."""
    codes = list(dossier.inputs)
    rng.shuffle(codes)
    inputs = {}
    for code in codes:
        entry = dossier.inputs[code]
        marks = list(entry.marks)
        rng.shuffle(marks)
        inputs[code] = CriterionInput(self_raw=entry.self_raw, marks=tuple(marks), not_applicable=entry.not_applicable)
    adjustments = list(dossier.adjustments.items())
    rng.shuffle(adjustments)
    return DossierInput(
        dossier.key,
        dossier.name,
        dossier.group,
        inputs=inputs,
        adjustments=dict(adjustments),
        has_dossier=dossier.has_dossier,
    )


def outcome(result):
    return (
        result.self_total,
        result.appraised_total,
        result.bonus,
        result.penalty,
        result.total,
        result.band,
        result.classified,
        result.penalty_count,
        {code: (c.self_points, c.appraised_points, c.final_points) for code, c in result.criteria.items()},
        result.steps,
    )


@SETTINGS
@given(st.data())
def test_a_dossiers_result_does_not_depend_on_the_order_its_marks_arrive_in(data):
    spec = data.draw(criteria_sets())
    dossier = data.draw(dossiers(spec, "a"))
    rng = random.Random(data.draw(st.integers()))
    expected = outcome(score_dossier(spec, dossier))
    for _ in range(3):
        assert outcome(score_dossier(spec, reentered(dossier, rng))) == expected


@SETTINGS
@given(st.data())
def test_a_groups_ranking_does_not_depend_on_the_order_dossiers_or_marks_arrive_in(data):
    spec = data.draw(criteria_sets())
    group = [data.draw(dossiers(spec, key)) for key in ("a", "b", "c", "d")[: data.draw(st.integers(1, 4))]]
    rng = random.Random(data.draw(st.integers()))

    def ranking(dossiers):
        return [(r.key, r.rank, r.total, r.band, r.total_shown) for r in evaluate_group(spec, dossiers)]

    expected = ranking(group)
    shuffled = [reentered(d, rng) for d in group]
    rng.shuffle(shuffled)
    assert ranking(shuffled) == expected


def test_the_dan_van_kheo_marks_that_gave_2_or_8_now_give_one_answer(spec_dvk):
    # Two jury members mark criterion C (0–15 points): 2 and 8. The set names no primary scorer and
    # states `combine: average`, so both entry orders give (2 + 8) / 2 = 5.
    marks = (Mark("huyen", "2"), Mark("ban-dan-van", "8"))
    results = [
        score_dossier(spec_dvk, DossierInput("x", "Xã A", "khoi-xa", inputs={"C": CriterionInput(marks=order)}))
        for order in (marks, marks[::-1])
    ]
    assert [r.criteria["C"].final_points for r in results] == [D(5), D(5)]
