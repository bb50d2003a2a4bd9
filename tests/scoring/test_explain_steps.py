"""Every kind of engine step reads as a Vietnamese sentence on the score sheet: no English left, and
none of the engine's internal codes (rules, combine rules, tie-breaks, scorer or class codes)."""

import re
from decimal import Decimal as D

import pytest
from django.utils import translation

from scoring.engine import CombineRule, Step, StepKind
from scoring.explain import STEP_TEXTS, TIE_BREAKS, step_text

K = StepKind
SCORERS = {"so-noi-vu": D("13.5"), "vp-ubnd": D("14.1")}
SAMPLES = [
    Step(K.NOT_IN_GROUP, "2.1", after=D(0)),
    Step(K.NA_ZERO, "2.1", after=D(0)),
    Step(K.NA_FULL, "2.1", after=D(5)),
    Step(K.NA_EXCLUDE, "2.1", after=D(0)),
    *(Step(K.COMBINE, "1.1", after=D("13.8"), detail={"rule": rule.value, "marks": SCORERS}) for rule in CombineRule),
    Step(K.FALLBACK_SELF, "2.2", after=D("3.5")),
    Step(K.APPRAISED_REPLACES_SELF, "2.2", before=D(4), after=D("3.5")),
    Step(K.CAP_NODE, "2", before=D(42), after=D(40)),
    Step(K.NA_RESCALE, before=D(80), after=D("94.12"), detail={"excluded": D(15), "achievable": D(85)}),
    Step(K.RESCALE, before=D(80), after=D("94.12"), detail={"to": D(100)}),
    Step(K.BONUS, "T1", after=D(2), detail={"raw": "true"}),
    Step(K.BONUS_CAP, before=D(7), after=D(5)),
    Step(K.PENALTY, "TR2", after=D(4), detail={"raw": "2"}),
    Step(K.PENALTY_CAP, before=D(12), after=D(10)),
    Step(K.FLOOR, before=D(-2), after=D(0)),
    Step(K.CEILING, before=D(103), after=D(100)),
    Step(K.BAND, after=D("91.5"), detail={"band": "tot"}),
    Step(K.BAND, after=D("91.5"), detail={"band": None}),
    Step(K.GATE_CAP, "G1", detail={"from": "tot", "to": "kha"}),
    Step(K.GATE_NOT_CLASSIFIED, "G3", detail={"band": "tot"}),
    Step(K.GATE_NO_CHANGE, "G4", detail={"band": "kha"}),
    Step(K.QUOTA, detail={"band": "tot", "to": "kha", "allowed": 2, "percent": D(50)}),
    *(Step(K.TIE_BREAK, detail={"after": "so-y-te", "by": by}) for by in TIE_BREAKS),
]
BANDS = {"tot": "Tốt", "kha": "Khá"}
# Codes of the engine that must never reach a reader.
INTERNAL = {
    *(k.value for k in StepKind),
    *(r.value for r in CombineRule),
    *TIE_BREAKS,
    *SCORERS,
    "so-y-te",
    *BANDS,
}


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)}


def test_every_kind_of_step_has_a_text_and_a_sample_here():
    assert set(STEP_TEXTS) == set(StepKind)
    assert {s.rule for s in SAMPLES} == set(StepKind)


@pytest.mark.parametrize(
    "step", SAMPLES, ids=lambda s: f"{s.rule.value}-{s.detail.get('rule') or s.detail.get('by') or ''}"
)
def test_every_step_reads_in_vietnamese(step):
    with translation.override("en"):
        english = step_text(step, BANDS)
    with translation.override("vi"):
        vietnamese = step_text(step, BANDS)
    assert vietnamese != english
    left_in_english = words(english) & words(vietnamese)
    assert not left_in_english, vietnamese
    codes = [code for code in INTERNAL if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", vietnamese)]
    assert not codes, vietnamese
