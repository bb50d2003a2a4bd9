"""A cell's save recomputes the dossier's result from the changed row and the stored detail (issue 10):
its result must be the engine's full run on all the rows, whatever the set's arithmetic — where it
rounds (round_at), where the ceiling applies (ceiling_at), group caps, not-applicable criteria
excluded and rescaled, bonus and penalty caps, gates. Checked on random sets and random sequences
of saves by the engine alone (hypothesis), and through the services on Decision 731 with its
arithmetic changed, comparing the stored row with a recomputation from every row."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from decimal import Decimal as D

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring import services
from scoring.engine import (
    SET_COMBINE_RULES,
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionInput,
    CriterionSpec,
    DossierInput,
    GateEffect,
    GateSpec,
    GateTrigger,
    Mark,
    NAPolicy,
    NodeKind,
    PenaltyMeasure,
    RoundAt,
    Scorers,
    ScoreType,
    score_dossier,
)
from scoring.libraryio import read_yaml
from scoring.models import AppraisalMark, CriterionScore, Dossier, Phase, ProvisionalResult
from scoring.selectors import criteria_set_for, dossier_computation
from scoring.selectors.results import DossierComputation
from scoring.selectors.stored_detail import computation_after_cell, detail_read, stored_detail
from tests.scoring.cycle_helpers import LIBRARY, criterion, fill_complete, period_on

SCORERS = ("so-noi-vu", "vp-ubnd", "thanh-tra")
BANDS = (
    BandSpec("tot", "Tốt", D(90), None),
    BandSpec("kha", "Khá", D(70), D(90), order=1),
    BandSpec("trung_binh", "Trung bình", D(50), D(70), order=2),
    BandSpec("yeu", "Yếu", D(0), D(50), order=3),
)
SET_ID = 7


# --- the engine alone: random sets, random dossiers, random sequences of one-cell saves ---------------


@st.composite
def leaves_of(draw, group: int) -> tuple[CriterionSpec, ...]:
    leaves = []
    for n in range(1, draw(st.integers(1, 4)) + 1):
        if draw(st.booleans()):
            scorers = None  # the set's rule
        else:
            primary = draw(st.sampled_from((None, *SCORERS)))
            rule = draw(st.sampled_from(list(CombineRule)))
            scorers = Scorers(primary=primary, co=tuple(s for s in SCORERS if s != primary), combine=rule)
        leaves.append(
            CriterionSpec(
                f"{group}.{n}", f"{group}.{n}", NodeKind.ITEM, D(draw(st.integers(1, 15))), ScoreType.PERCENT_LINEAR,
                scorers=scorers, na_policy=draw(st.sampled_from(list(NAPolicy))),
                applies_to_groups=draw(st.sampled_from(((), (), ("khoi-a",), ("khoi-b",)))),
            )
        )  # fmt: skip
    return tuple(leaves)


@st.composite
def criteria_sets(draw) -> CriteriaSetSpec:
    groups = []
    for g in range(1, draw(st.integers(1, 3)) + 1):
        children = draw(leaves_of(g))
        room = int(sum(c.max_points for c in children))
        # A group's maximum below its children's sum: its cap bites.
        cap = D(draw(st.integers(1, room + 2)))
        groups.append(CriterionSpec(str(g), str(g), NodeKind.GROUP, cap, ScoreType.SUM_CHILDREN, children=children))
    max_total = sum((g.max_points for g in groups), D(0))
    return CriteriaSetSpec(
        "S", "S", max_total, tuple(groups),
        bonus=(CriterionSpec("T", "T", NodeKind.BONUS, D(5), ScoreType.RANGE),),
        penalties=(
            CriterionSpec("P", "P", NodeKind.PENALTY, D(10), ScoreType.COUNT, {"per_case": 2}),
            CriterionSpec("L", "L", NodeKind.PENALTY, D(5), ScoreType.COUNT, {"per_case": 1, "auto_source": "late_days"}),
        ),
        bands=BANDS,
        gates=(
            GateSpec("G1", "G1", GateTrigger.PENALTY, GateEffect.CAP_AT_BAND, target="P", band="kha"),
            GateSpec("G2", "G2", GateTrigger.FLAG, GateEffect.NOT_CLASSIFIED, target="ky_luat"),
        ),
        bonus_cap=D(draw(st.integers(0, 5))),
        penalty_cap=D(draw(st.integers(0, 10))),
        rescale_to=draw(st.sampled_from((None, D(100), max_total + 5))),
        ceiling=draw(st.sampled_from((None, D(95), D(100)))),
        rounding=draw(st.integers(0, 2)),
        round_at=draw(st.sampled_from(list(RoundAt))),
        ceiling_at=draw(st.sampled_from(list(CeilingAt))),
        combine=draw(st.sampled_from(SET_COMBINE_RULES)),
        tie_break_penalties=draw(st.sampled_from(list(PenaltyMeasure))),
    )  # fmt: skip


percents = st.integers(0, 1_000_000).map(lambda n: str(D(n) / 10_000))  # 0 … 100 %, four decimals
marks_of = st.lists(st.tuples(st.sampled_from(SCORERS), percents), unique_by=lambda m: m[0], max_size=3).map(
    lambda ms: tuple(Mark(s, raw) for s, raw in ms)
)


@st.composite
def dossiers(draw, spec: CriteriaSetSpec) -> DossierInput:
    inputs = {
        node.code: CriterionInput(
            self_raw=draw(st.one_of(st.none(), percents)),
            marks=draw(marks_of),
            not_applicable=draw(st.integers(0, 9)) == 0,
        )
        for node in spec.walk()
        if node.is_leaf and draw(st.integers(0, 5))  # some criteria have no row at all
    }
    return DossierInput(
        "a", "A", "khoi-a", inputs=inputs,
        adjustments={"T": str(draw(st.integers(0, 10)) / D(2)), "P": str(draw(st.integers(0, 3))), "L": draw(st.integers(0, 3))},
        flags=frozenset(draw(st.sampled_from(((), ("ky_luat",))))),
        has_dossier=draw(st.booleans()),
    )  # fmt: skip


def outcome(result) -> tuple:
    """Everything a stored result and a cell's answer show (not the explanation's steps)."""
    return (
        result.self_total, result.appraised_total, result.bonus, result.penalty, result.total, result.band,
        result.classified, result.penalty_count, result.gated_by, result.criteria, result.leaves,
    )  # fmt: skip


def as_stored(computation: DossierComputation) -> dict:
    """The detail as the database gives it back (JSON)."""
    return json.loads(json.dumps(stored_detail(SET_ID, computation)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_cells_save_recomputed_from_the_stored_detail_is_the_full_computation(data):
    spec = data.draw(criteria_sets())
    current = data.draw(dossiers(spec))
    detail = as_stored(DossierComputation.of(current, score_dossier(spec, current)))
    codes = [node.code for node in spec.walk() if node.is_leaf]
    for _ in range(data.draw(st.integers(1, 8))):
        code = data.draw(st.sampled_from(codes))
        before = current.inputs.get(code, CriterionInput())
        marks_changed = data.draw(st.booleans())
        if marks_changed:  # a scorer's mark: the criterion's marks read again
            entry = replace(before, marks=data.draw(marks_of))
            given_row = entry
        else:  # the agency's self-score: the marks stay (their combined appraisal is stored)
            entry = replace(before, self_raw=data.draw(st.one_of(st.none(), percents)))
            given_row = replace(entry, marks=())
        current = replace(current, inputs={**current.inputs, code: entry})
        expected = DossierComputation.of(current, score_dossier(spec, current))
        real = replace(current, inputs={code: given_row}, adjustments=detail["items"])
        after = computation_after_cell(spec, detail_read(detail, SET_ID, spec), real, code, marks_changed=marks_changed)
        if after is None:  # only a self-score on a criterion stored as not applicable: recomputed
            assert not marks_changed and detail["leaves"][code][3]
            after = expected
        assert outcome(after.result) == outcome(expected.result)
        assert after.marked_by == expected.marked_by
        detail = as_stored(after)
        assert detail == as_stored(expected)


def test_a_stored_detail_of_another_set_or_version_is_not_used():
    spec_731 = read_yaml((LIBRARY / "tay-ninh-731-2019.yaml").read_bytes()).spec
    computation = DossierComputation.of(
        DossierInput("a", "A", "khoi-so"), score_dossier(spec_731, DossierInput("a", "A", "khoi-so"))
    )
    detail = as_stored(computation)
    assert detail_read(detail, SET_ID, spec_731) is not None
    assert detail_read(detail, SET_ID + 1, spec_731) is None  # another criteria set
    assert detail_read({**detail, "v": 0}, SET_ID, spec_731) is None  # written by another version
    fewer = {**detail, "leaves": {c: v for c, v in detail["leaves"].items() if c != "1.1"}}
    assert detail_read(fewer, SET_ID, spec_731) is None  # the set's criteria changed
    assert detail_read({}, SET_ID, spec_731) is None


# --- through the services: Decision 731 with its arithmetic changed ------------------------------------

VARIANTS = {
    # Only the total rounded, to one place; the ceiling after the penalty; the penalty capped at 1.
    "total, after penalty": (
        ("round_at: criterion", "round_at: total"), ("ceiling_at: before_penalty", "ceiling_at: after_penalty"),
        ("rounding: 2", "rounding: 1"), ("penalty_cap: 10", "penalty_cap: 1"),
    ),
    # Every mark and subtotal rounded, to whole points; the bonus capped at 2.
    "mark, whole points": (("round_at: criterion", "round_at: mark"), ("rounding: 2", "rounding: 0"), ("bonus_cap: 5", "bonus_cap: 2")),
}  # fmt: skip


def period_on_731_variant(province, changes):
    content = (LIBRARY / "tay-ninh-731-2019.yaml").read_text(encoding="utf-8")
    for old, new in changes:
        assert old in content, old
        content = content.replace(old, new, 1)
    services.regulation_import_file(province=province, name="731.yaml", content=content.encode())
    return period_on(province, "tn-731-2019", year=2021, agencies_as_of=dt.date(2021, 10, 30))


@pytest.fixture(params=sorted(VARIANTS))
def variant(request, monkeypatch):
    """The cycle (tests/scoring/conftest.py) built on the regulation's variant."""
    from tests.scoring import cycle_helpers

    changes = VARIANTS[request.param]
    monkeypatch.setattr(cycle_helpers, "period_2021_on_731", lambda province: period_on_731_variant(province, changes))
    return request.param


@pytest.fixture
def variant_cycle(variant, cycle):
    return cycle


CELLS = {
    "1.1": ["100", "70,55", "33,3333", "0"], "1.2": ["0", "2", "5"], "2.2": ["4", "1,5", "2,5"],
    "2.5": ["hieu_qua", "khong", "co_dang_ky"], "5.1": ["true", "false"],
}  # fmt: skip
AGENCIES = ["so-tu-phap", "so-y-te"]
saves = st.one_of(
    st.tuples(st.sampled_from(["self", "mark", "comark"]), st.sampled_from(AGENCIES), st.sampled_from(sorted(CELLS)), st.integers(0, 3)),
    st.tuples(st.just("submit"), st.sampled_from(AGENCIES), st.just(""), st.just(0)),
    st.tuples(st.just("phase"), st.just(""), st.just(""), st.sampled_from([Phase.SELF_ASSESSMENT, Phase.APPRAISAL])),
)  # fmt: skip


def _save(cycle, write) -> None:
    kind, agency, code, value = write
    people, period = cycle["people"], cycle["period"]
    if kind == "phase":
        period.refresh_from_db()
        services.period_set_phase(period=period, phase=value, by=people["reviewer"], reason="Theo kế hoạch")
        return
    dossier = Dossier.objects.select_related("period__criteria_set", "agency", "agency_version", "group").get(
        period=period, agency__code=agency
    )
    staff = {"so-tu-phap": people["staff"], "so-y-te": people["other_staff"]}[agency]
    if kind == "submit":
        fill_complete(dossier, staff)
        services.dossier_submit(
            dossier=dossier, by={"so-tu-phap": people["head"], "so-y-te": people["other_head"]}[agency]
        )
        return
    c = criterion(dossier, code)
    raw = CELLS[code][value % len(CELLS[code])]
    if kind == "self":
        version = CriterionScore.objects.filter(dossier=dossier, criterion=c).values_list("version", flat=True).first()
        services.self_score_save(dossier=dossier, criterion=c, by=staff, raw=raw, version=version or 0)
    else:
        by = people["reviewer" if kind == "mark" else "coreviewer"]
        mark = AppraisalMark.objects.filter(dossier=dossier, criterion=c, scorer=by.agency).first()
        services.mark_save(dossier=dossier, criterion=c, scorer=by.agency, raw=raw, by=by, version=mark.version if mark else 0)  # fmt: skip


def assert_stored_is_a_full_recomputation(period) -> None:
    """Each dossier's stored row (totals and detail) is what recomputing it from all its rows stores."""
    from tests.scoring.test_stored_results import assert_stored_is_the_engines

    assert_stored_is_the_engines(period)
    for dossier in period.dossiers.select_related("period__criteria_set", "agency", "agency_version", "group"):
        expected = stored_detail(criteria_set_for(dossier).pk, dossier_computation(dossier))
        assert ProvisionalResult.objects.get(dossier=dossier).detail == json.loads(json.dumps(expected)), dossier


@settings(max_examples=8, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(saves, min_size=1, max_size=8))
def test_any_sequence_of_cell_saves_stores_what_a_full_recomputation_stores(variant_cycle, sequence):
    from django.db import transaction

    with transaction.atomic():
        for write in sequence:
            try:
                with transaction.atomic():
                    _save(variant_cycle, write)
            except Exception as refused:  # a refusal (locked, bad value, stale) writes nothing
                assert type(refused).__name__ in ("ValidationError", "ScoreInputError", "StaleEdit"), refused
            assert_stored_is_a_full_recomputation(variant_cycle["period"])
        transaction.set_rollback(True)


def test_a_save_without_a_stored_detail_recomputes_the_dossier(cycle):
    """A stored row from before the detail existed (or repaired by hand): the next save computes the
    dossier from its rows and stores the detail."""
    justice = cycle["dossiers"]["so-tu-phap"]
    ProvisionalResult.objects.filter(dossier=justice).update(detail={})
    services.self_score_save(dossier=justice, criterion=criterion(justice, "2.2"), by=cycle["people"]["staff"], raw="3", version=0)  # fmt: skip
    assert ProvisionalResult.objects.get(dossier=justice).detail["leaves"]["2.2"][0] == "3.00"
    assert_stored_is_a_full_recomputation(cycle["period"])


def test_a_cells_save_reads_no_other_row_of_the_dossier(cycle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    justice = cycle["dossiers"]["so-tu-phap"]
    services.self_score_save(dossier=justice, criterion=criterion(justice, "2.2"), by=cycle["people"]["staff"], raw="3", version=0)  # fmt: skip
    c23 = criterion(justice, "2.3")
    with CaptureQueriesContext(connection) as captured:
        services.self_score_save(dossier=justice, criterion=c23, by=cycle["people"]["staff"], raw="4", version=0)
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    # The dossier with its stored result (locked), then the cell's own row; nothing else.
    assert len(reads) == 2 and "FOR UPDATE" in reads[0] and f'"criterion_id" = {c23.pk}' in reads[1], reads
    assert ProvisionalResult.objects.get(dossier=justice).detail["leaves"]["2.3"][0] == "4.00"
    assert_stored_is_a_full_recomputation(cycle["period"])


def test_the_dashboards_criterion_gaps_sum_the_stored_details(cycle):
    """Self − appraised per criterion, averaged over the dossiers the agency scored and appraisers
    marked: from the stored details, by PostgreSQL's aggregate and by the Python one alike."""
    from reports.selectors.dashboard import _gap_sums, _gap_sums_sql, criterion_gaps

    period, people, dossiers = cycle["period"], cycle["people"], cycle["dossiers"]
    for code, staff in (("so-tu-phap", "staff"), ("so-y-te", "other_staff")):
        fill_complete(dossiers[code], people[staff], {"1.1": "90", "2.2": "3,5"})
    reviewer = people["reviewer"]
    for code, c, raw in (("so-tu-phap", "2.2", "2"), ("so-y-te", "2.2", "1,5"), ("so-y-te", "1.1", "70")):
        services.mark_save(dossier=dossiers[code], criterion=criterion(dossiers[code], c), scorer=reviewer.agency, raw=raw, by=reviewer, version=0)  # fmt: skip
    services.mark_save(dossier=dossiers["so-y-te"], criterion=criterion(dossiers["so-y-te"], "1.1"), scorer=people["coreviewer"].agency, raw="80", by=people["coreviewer"], version=0)  # fmt: skip
    gaps = {g["code"]: (g["gap"], g["n"]) for g in criterion_gaps(period)}
    # 2.2: (3.5 − 2) and (3.5 − 1.5) → 1.75 over two; 1.1 (15 points): 13.5 − the average of 70 % and 80 % of 15.
    assert gaps == {"1.1": (D("2.25"), 1), "2.2": (D("1.75"), 2)}
    if connection.vendor == "postgresql":
        assert _gap_sums_sql(period) == _gap_sums(period)
