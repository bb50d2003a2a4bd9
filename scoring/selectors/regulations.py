"""Read-only queries of the scoring app: criteria sets as the engine sees them (kept in memory:
a set never changes in place), and the regulation as a library document."""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

from django.db.models.signals import post_delete, post_save

from portal.models import Province

from ..engine import score_types
from ..engine.tree import resolve_scorers
from ..engine.types import (
    BandSpec,
    CeilingAt,
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    GateEffect,
    GateSpec,
    GateTrigger,
    NAPolicy,
    NodeKind,
    PenaltyMeasure,
    QuotaSpec,
    RoundAt,
    Scorers,
    UnclassifiedRank,
)
from ..libraryio import RegulationDoc, RegulationMeta
from ..models import ClassBand, CriteriaSet, Criterion, CriterionScorer, GateRule, QuotaRule, Regulation


def criteria_set_by_code(*, province: Province, code: str) -> CriteriaSet:
    """A set named "REGULATION" (its only set) or "REGULATION:SET"; raises CriteriaSet.DoesNotExist
    (CriteriaSet.MultipleObjectsReturned when "REGULATION" has several sets)."""
    regulation_code, _, set_code = code.partition(":")
    sets = CriteriaSet.objects.select_related("regulation").filter(
        regulation__province=province, regulation__code=regulation_code
    )
    if set_code:
        return sets.get(code=set_code)
    return sets.get()


@dataclass(frozen=True)
class CriteriaSetData:
    """A stored criteria set as every page and save of a period needs it: the engine's spec, its
    criteria rows by code and by id, who scores each criterion, the classes' labels."""

    spec: CriteriaSetSpec
    criteria: dict[str, Criterion]
    by_pk: dict[int, Criterion]
    scorers: dict[str, Scorers]
    band_labels: dict[str, str]
    # What a page names the set by: "1563/QĐ-UBND", "tn-1563-2022:01", its reconstruction note.
    pk: int = 0
    library_code: str = ""
    regulation_number: str = ""
    is_reconstruction: bool = False
    regulation_note: str = ""

    @property
    def max_total(self):
        return self.spec.max_total

    @property
    def rounding(self) -> int:
        return self.spec.rounding


# A criteria set never changes in place (a province loads a new version: a new row, a new id; the
# admin shows sets read-only), so what was read of one serves every later request of the process.
# Any write to the tables a set is read from empties the memory all the same (a replaced set, tests
# that roll back and reuse ids).
_SETS: dict[int, CriteriaSetData] = {}
_SETS_LOCK = threading.Lock()
_SETS_MAX = 256


def criteria_set_data(criteria_set_id: int) -> CriteriaSetData:
    """The set with the given id, read once per process (7 queries the first time, none after)."""
    data = _SETS.get(criteria_set_id)
    if data is None:
        data = _read_criteria_set(CriteriaSet.objects.select_related("regulation").get(pk=criteria_set_id))
        with _SETS_LOCK:
            if len(_SETS) >= _SETS_MAX:
                _SETS.clear()
            _SETS[criteria_set_id] = data
    return data


def forget_criteria_sets(**_kwargs) -> None:
    with _SETS_LOCK:
        _SETS.clear()


for _model in (Regulation, CriteriaSet, Criterion, CriterionScorer, ClassBand, GateRule, QuotaRule):
    post_save.connect(forget_criteria_sets, sender=_model, dispatch_uid=f"forget-criteria-sets-save-{_model.__name__}")
    post_delete.connect(forget_criteria_sets, sender=_model, dispatch_uid=f"forget-criteria-sets-del-{_model.__name__}")


def criteria_set_spec(criteria_set: CriteriaSet) -> CriteriaSetSpec:
    """The engine's view of a stored criteria set (read once per process: criteria_set_data)."""
    return criteria_set_data(criteria_set.pk).spec


def _read_criteria_set(criteria_set: CriteriaSet) -> CriteriaSetData:
    rows = list(Criterion.objects.filter(criteria_set=criteria_set).prefetch_related("scorers__agency"))
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for row in rows:
        children[row.parent_id].append(row)

    def build(row: Criterion) -> CriterionSpec:
        scorers = None
        if row.combine_rule:
            marks = list(row.scorers.all())
            primary = next((s.agency.code for s in marks if s.is_primary), None)
            scorers = Scorers(
                primary=primary,
                co=tuple(s.agency.code for s in marks if not s.is_primary),
                combine=CombineRule(row.combine_rule),
            )
        return CriterionSpec(
            code=row.code,
            title=row.title,
            kind=NodeKind(row.kind),
            max_points=row.max_points,
            score_type=score_types.code_of(row.score_type),
            params=row.params,
            children=tuple(build(child) for child in children[row.pk]),
            guidance=row.guidance,
            evidence_hint=row.evidence_hint,
            self_scorable=row.self_scorable,
            na_policy=NAPolicy(row.na_policy),
            applies_to_groups=tuple(row.applies_to_groups),
            scorers=scorers,
        )

    top = [build(row) for row in children[None]]
    spec = CriteriaSetSpec(
        code=criteria_set.code,
        name=criteria_set.name,
        max_total=criteria_set.max_total,
        criteria=tuple(n for n in top if n.kind in (NodeKind.GROUP, NodeKind.ITEM)),
        bonus=tuple(n for n in top if n.kind is NodeKind.BONUS),
        penalties=tuple(n for n in top if n.kind is NodeKind.PENALTY),
        bands=tuple(BandSpec(b.code, b.label, b.min_points, b.max_points, b.order) for b in criteria_set.bands.all()),
        gates=tuple(
            GateSpec(g.code, g.title, GateTrigger(g.trigger), GateEffect(g.effect), g.target, g.band_code)
            for g in criteria_set.gates.all()
        ),
        quotas=tuple(QuotaSpec(q.band_code, q.max_percent) for q in criteria_set.quotas.all()),
        bonus_cap=criteria_set.bonus_cap,
        penalty_cap=criteria_set.penalty_cap,
        rescale_to=criteria_set.rescale_to,
        ceiling=criteria_set.ceiling,
        rounding=criteria_set.rounding,
        applies_to_groups=tuple(criteria_set.applies_to_groups),
        fallback_to_self=criteria_set.fallback_to_self,
        round_at=RoundAt(criteria_set.round_at),
        ceiling_at=CeilingAt(criteria_set.ceiling_at),
        combine=CombineRule(criteria_set.combine_rule),
        tie_break_penalties=PenaltyMeasure(criteria_set.tie_break_penalties),
        unclassified_rank=UnclassifiedRank(criteria_set.unclassified_rank),
        show_unclassified_total=criteria_set.show_unclassified_total,
    )
    return CriteriaSetData(
        spec=spec,
        criteria={row.code: row for row in rows},
        by_pk={row.pk: row for row in rows},
        scorers=resolve_scorers(spec),
        band_labels={band.code: band.label for band in spec.bands},
        pk=criteria_set.pk,
        library_code=criteria_set.library_code,
        regulation_number=criteria_set.regulation.so_ky_hieu,
        is_reconstruction=criteria_set.regulation.is_reconstruction,
        regulation_note=criteria_set.regulation.note,
    )


def regulation_meta(regulation: Regulation) -> RegulationMeta:
    return RegulationMeta(
        code=regulation.code,
        program=regulation.program,
        so_ky_hieu=regulation.so_ky_hieu,
        title=regulation.title,
        issuer=regulation.issuer,
        issued_on=regulation.issued_on,
        alt_so_ky_hieu=tuple(regulation.alt_so_ky_hieu),
        signer=regulation.signer,
        effective_from=regulation.effective_from,
        effective_to=regulation.effective_to,
        replaces=regulation.replaces_code,
        source_url=regulation.source_url,
        is_reconstruction=regulation.is_reconstruction,
        note=regulation.note,
    )


def regulation_document(criteria_set: CriteriaSet) -> RegulationDoc:
    """A stored criteria set as a library document (of that set alone), ready to write as YAML or .xlsx."""
    return RegulationDoc(meta=regulation_meta(criteria_set.regulation), specs=(criteria_set_spec(criteria_set),))


def regulation_by_code(*, province: Province, code: str) -> Regulation:
    """The province's regulation with that library code; raises Regulation.DoesNotExist."""
    return Regulation.objects.get(province=province, code=code)


def regulation_full_document(regulation: Regulation) -> RegulationDoc:
    """A stored regulation with every one of its criteria sets, as one library document."""
    sets = regulation.criteria_sets.order_by("code")
    return RegulationDoc(meta=regulation_meta(regulation), specs=tuple(criteria_set_spec(cs) for cs in sets))


def regulation_chain(*, province: Province, code: str) -> list[Regulation]:
    """The regulation and those it replaces (`replaces`), oldest first; stops at a loop."""
    chain: list[Regulation] = []
    regulation: Regulation | None = regulation_by_code(province=province, code=code)
    while regulation is not None and regulation not in chain:
        chain.append(regulation)
        regulation = regulation.replaces
    return chain[::-1]
