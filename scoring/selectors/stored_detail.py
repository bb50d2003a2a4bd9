"""The stored detail of a provisional result: each leaf criterion's exact result, what one cell's
save recomputes the dossier's totals from (`scoring.services.results`), and the gaps the
dashboard sums."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..engine import DossierInput, score_dossier
from ..engine.types import CriteriaSetSpec, CriterionResult
from .results import DossierComputation, marked_by_of

DETAIL_VERSION = 1


def _number(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def stored_detail(set_id: int, computation: DossierComputation) -> dict:
    """What a provisional result stores beside its totals (`ProvisionalResult.detail`): the engine's
    exact result of every leaf criterion on the dossier's real data (self points, combined
    appraisal, final points, not applicable, excluded, who marked it), the bonus and penalty items
    as the engine read them, the criteria set they belong to, and the self − appraised gaps. Exact: Decimal to text and back
    is the same number, so totals summed from these equal the engine's on the rows."""
    marked = computation.marked_by
    return {
        "v": DETAIL_VERSION,
        "set": set_id,
        "leaves": {
            code: [
                _number(r.self_points), _number(r.appraised_points), _number(r.final_points),
                r.not_applicable, r.excluded, sorted(marked.get(code, ())),
            ]
            for code, r in computation.result.leaves.items()
        },
        "items": dict(computation.input.adjustments),
        # Self − appraised of each criterion the agency scored and appraisers marked: what the
        # dashboard's criterion gaps average over the period (reports.selectors.dashboard.criterion_gaps).
        "gaps": {
            code: str(r.self_points - r.appraised_points)
            for code, r in computation.result.leaves.items()
            if marked.get(code) and r.self_points is not None and r.appraised_points is not None
            and not r.not_applicable
        },
    }  # fmt: skip


@dataclass(frozen=True)
class StoredDetail:
    """A stored detail read back for the engine (`score_dossier(known=…)`)."""

    leaves: dict[str, CriterionResult]
    marked_by: dict[str, frozenset[str]]
    items: dict


def detail_read(detail: dict | None, set_id: int, spec: CriteriaSetSpec) -> StoredDetail | None:
    """The stored detail of a dossier scored against the set `set_id`, or None when it cannot stand
    for the rows (none stored yet, another version of it, another set, another list of criteria):
    the caller recomputes the dossier from its rows."""
    if not detail or detail.get("v") != DETAIL_VERSION or detail.get("set") != set_id:
        return None
    stored = detail.get("leaves") or {}
    maxima = {node.code: node.max_points for node in spec.walk() if node.is_leaf}
    if stored.keys() != maxima.keys():
        return None
    leaves, marked_by = {}, {}
    for code, (self_points, appraised, final, not_applicable, excluded, scorers) in stored.items():
        leaves[code] = CriterionResult(
            code, maxima[code], _decimal(self_points), _decimal(appraised), Decimal(final), not_applicable, excluded
        )
        if scorers:
            marked_by[code] = frozenset(scorers)
    return StoredDetail(leaves, marked_by, dict(detail.get("items") or {}))


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def computation_after_cell(
    spec: CriteriaSetSpec, stored: StoredDetail, real: DossierInput, code: str, *, marks_changed: bool
) -> DossierComputation | None:
    """The engine's computation on a dossier after a save of one cell of criterion `code`, from the
    dossier's stored detail (every other leaf as stored) and `real`: the dossier's input holding
    only that criterion's row (its self-score and, when `marks_changed`, all its marks; otherwise
    its combined appraisal is the stored one) and the stored bonus and penalty items. Caps,
    rescaling, rounding, ceiling, bonus, penalty, class and gates are the engine's own on the same
    exact leaf values as a full run, hence its result. None when the detail cannot say (the
    criterion not in it, or stored as not applicable while only its self-score changed)."""
    before = stored.leaves.get(code)
    if before is None or (not marks_changed and before.not_applicable):
        return None
    others = {c: r for c, r in stored.leaves.items() if c != code}
    appraised = None if marks_changed else {code: before.appraised_points}
    result = score_dossier(spec, real, known=others, appraised=appraised)
    marked_by = dict(stored.marked_by)
    if marks_changed:
        marked_by.pop(code, None)
        marked_by.update(marked_by_of(real))
    return DossierComputation(real, result, marked_by)
