"""Read-only queries of the scoring app."""

from __future__ import annotations

from collections import defaultdict

from portal.models import Province

from ..engine.types import (
    BandSpec,
    CombineRule,
    CriteriaSetSpec,
    CriterionSpec,
    GateEffect,
    GateSpec,
    GateTrigger,
    NAPolicy,
    NodeKind,
    QuotaSpec,
    Scorers,
    ScoreType,
)
from ..libraryio import RegulationDoc, RegulationMeta
from ..models import CriteriaSet, Criterion, Regulation


def criteria_set_by_code(*, province: Province, code: str) -> CriteriaSet:
    """A set named "REGULATION" (its only set) or "REGULATION:SET"; raises CriteriaSet.DoesNotExist."""
    regulation_code, _, set_code = code.partition(":")
    sets = CriteriaSet.objects.select_related("regulation").filter(
        regulation__province=province, regulation__code=regulation_code
    )
    if set_code:
        return sets.get(code=set_code)
    return sets.get()


def criteria_set_spec(criteria_set: CriteriaSet) -> CriteriaSetSpec:
    """The engine's view of a stored criteria set, read in a constant number of queries."""
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
            score_type=ScoreType(row.score_type),
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
    return CriteriaSetSpec(
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
    """A stored criteria set as a library document, ready to write as YAML or .xlsx."""
    return RegulationDoc(meta=regulation_meta(criteria_set.regulation), spec=criteria_set_spec(criteria_set))
