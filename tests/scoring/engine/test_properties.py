"""Properties of the engine that must hold for any regulation and any marks (hypothesis)."""

import random
from decimal import Decimal as D

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from scoring.engine import (
    BandSpec,
    CriteriaSetSpec,
    CriterionInput,
    CriterionSpec,
    DossierInput,
    Mark,
    NAPolicy,
    NodeKind,
    ScoreType,
    band_problems,
    classify,
    evaluate_group,
    score_dossier,
)
from scoring.engine.leaf import bands_of, levels_of

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
points = st.integers(min_value=0, max_value=40).map(lambda n: D(n) / 2)  # 0 … 20 in halves


@st.composite
def trees(draw, depth=0, max_points=None):
    """A criterion subtree of RANGE leaves whose parents equal the sum of their children."""
    code = draw(st.uuids()).hex[:8]
    if depth >= 2 or draw(st.booleans()):
        top = max_points if max_points is not None else draw(points.filter(lambda p: p > 0))
        na = draw(st.sampled_from(list(NAPolicy)))
        return CriterionSpec(code, code, NodeKind.ITEM, top, ScoreType.RANGE, {}, na_policy=na)
    children = tuple(draw(st.lists(trees(depth=depth + 1), min_size=1, max_size=3)))
    return CriterionSpec(
        code, code, NodeKind.GROUP, sum((c.max_points for c in children), D(0)), ScoreType.SUM_CHILDREN,
        children=children,
    )  # fmt: skip


DEFAULT_BANDS = (
    BandSpec("tot", "Tốt", D(90), None),
    BandSpec("kha", "Khá", D(70), D(90)),
    BandSpec("tb", "Trung bình", D(50), D(70)),
    BandSpec("yeu", "Yếu", D(0), D(50)),
)


@st.composite
def criteria_sets(draw):
    tops = tuple(draw(st.lists(trees(), min_size=1, max_size=4)))
    total = sum((t.max_points for t in tops), D(0))
    bonus = (CriterionSpec("T", "T", NodeKind.BONUS, D(5), ScoreType.RANGE),)
    penalty = (CriterionSpec("P", "P", NodeKind.PENALTY, D(10), ScoreType.COUNT, {"per_case": 2}),)
    return CriteriaSetSpec(
        "S", "S", total, tops, bonus=bonus, penalties=penalty, bands=DEFAULT_BANDS,
        bonus_cap=D(draw(st.integers(0, 5))), penalty_cap=D(draw(st.integers(0, 10))), rescale_to=D(100),
    )  # fmt: skip


def leaves(spec):
    return [n for n in spec.walk() if n.is_leaf]


@st.composite
def dossiers(draw, spec):
    inputs = {}
    for leaf in leaves(spec):
        raw = draw(st.integers(0, int(leaf.max_points * 2))) / D(2)
        inputs[leaf.code] = CriterionInput(
            self_raw=raw if draw(st.booleans()) else None,
            marks=(Mark("snv", raw),) if draw(st.booleans()) else (),
            not_applicable=draw(st.booleans()) and draw(st.booleans()),
        )
    adjustments = {"T": draw(st.integers(0, 10)) / D(2), "P": draw(st.integers(0, 8))}
    return DossierInput("k", "Đơn vị", "g", inputs=inputs, adjustments=adjustments)


@SETTINGS
@given(st.data())
def test_total_stays_between_zero_and_the_scale(data):
    spec = data.draw(criteria_sets())
    result = score_dossier(spec, data.draw(dossiers(spec)))
    assert D(0) <= result.total <= spec.highest_total
    assert result.total == result.total.quantize(D("0.01"))


@SETTINGS
@given(st.data())
def test_raising_one_leaf_never_lowers_the_total(data):
    spec = data.draw(criteria_sets())
    dossier = data.draw(dossiers(spec))
    leaf = data.draw(st.sampled_from(leaves(spec)))
    current = dossier.inputs[leaf.code]
    assume(not current.not_applicable)
    low = data.draw(st.integers(0, int(leaf.max_points * 2))) / D(2)
    high = data.draw(st.integers(int(low * 2), int(leaf.max_points * 2))) / D(2)

    def with_mark(raw):
        inputs = {**dossier.inputs, leaf.code: CriterionInput(self_raw=raw, marks=(Mark("snv", raw),))}
        return score_dossier(spec, DossierInput("k", "Đơn vị", "g", inputs=inputs, adjustments=dossier.adjustments))

    assert with_mark(low).total <= with_mark(high).total
    assert with_mark(low).appraised_total <= with_mark(high).appraised_total


@SETTINGS
@given(st.data())
def test_not_applicable_rescale_keeps_the_100_point_scale(data):
    spec = data.draw(criteria_sets())
    all_leaves = leaves(spec)
    excluded = {
        n.code
        for n in data.draw(
            st.lists(st.sampled_from(all_leaves), max_size=len(all_leaves) - 1, unique_by=lambda n: n.code)
        )
    }
    assume(len(excluded) < len(all_leaves))
    inputs = {}
    for leaf in all_leaves:
        if leaf.code in excluded:
            inputs[leaf.code] = CriterionInput(not_applicable=True)
        else:
            inputs[leaf.code] = CriterionInput(marks=(Mark("snv", leaf.max_points),))
    only_exclusions = all(leaf.na_policy is not NAPolicy.ZERO for leaf in all_leaves if leaf.code in excluded)
    assume(only_exclusions)
    result = score_dossier(spec, DossierInput("k", "Đơn vị", "g", inputs=inputs))
    # Everything that applies is at its maximum: the agency must reach exactly the full scale.
    assert result.appraised_total == D(100)


@SETTINGS
@given(st.lists(st.integers(1, 199), min_size=1, max_size=5, unique=True), st.integers(0, 400))
def test_bands_built_from_cut_points_partition_the_range(cuts, x):
    edges = [D(0), *sorted(D(c) / 2 for c in cuts)]
    bands = tuple(
        BandSpec(f"b{i}", f"b{i}", edges[i], edges[i + 1] if i + 1 < len(edges) else None) for i in range(len(edges))
    )
    assert band_problems(bands) == []
    total = D(x) / 4
    matches = [b for b in bands if b.min_points <= total and (b.max_points is None or total < b.max_points)]
    assert len(matches) == 1
    assert classify(bands, total) == matches[0].code


@SETTINGS
@given(st.integers(1, 99), st.integers(1, 99))
def test_broken_bands_are_detected(a, b):
    assume(a != b)
    low, high = sorted((D(a), D(b)))
    gap = (BandSpec("x", "x", D(0), low), BandSpec("y", "y", high, None))
    overlap = (BandSpec("x", "x", D(0), high), BandSpec("y", "y", low, None))
    assert [p for p, _ in band_problems(gap)] == ["gap"]
    assert [p for p, _ in band_problems(overlap)] == ["overlap"]


@SETTINGS
@given(st.data())
def test_ranking_is_a_total_order_independent_of_input_order(data):
    spec = data.draw(criteria_sets())
    count = data.draw(st.integers(1, 6))
    group = []
    for i in range(count):
        d = data.draw(dossiers(spec))
        group.append(DossierInput(f"k{i}", f"Đơn vị {i % 2}", "g", inputs=d.inputs, adjustments=d.adjustments))
    first = evaluate_group(spec, group)
    shuffled = list(group)
    random.Random(data.draw(st.integers())).shuffle(shuffled)
    second = evaluate_group(spec, shuffled)
    assert [r.key for r in first] == [r.key for r in second]
    assert [r.rank for r in first] == list(range(1, count + 1))
    totals = [r.total for r in first if r.classified]
    assert totals == sorted(totals, reverse=True)


def test_library_parameters_are_read_back_as_decimals(spec_731):
    levels = levels_of(spec_731.node("2.1"))
    assert [D(str(level["points"])) for level in levels] == [D(3), D("1.5"), D(0)]
    assert bands_of(spec_731.node("2.4"))[0] == (D(90), D(6))
