"""What still stops a dossier's submission — a self-scorable criterion left empty, or a score with
neither evidence nor a written reason — read from the dossier's data (the grid) or, on a cell's
save, from its rows alone (one query). The grid's module re-exports these names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Exists, OuterRef

from ..models import CriterionScore, Dossier, Evidence
from .dossier import DossierData, criteria_set_for


def completeness_problems(data: DossierData) -> list[tuple[str, str]]:
    """(criterion code, problem) that stop a submission: a self-scorable criterion left empty, or a
    score with neither evidence nor a written explanation."""
    evidenced = {code for code, items in data.evidence.items() if items}
    return _problems(data.spec, data.dossier.group.code, data.scores, evidenced)


def _problems(spec, group_code: str, scores: dict, evidenced: set[str]) -> list[tuple[str, str]]:
    problems = []
    for node in spec.walk():
        if not node.is_leaf or not node.self_scorable:
            continue
        if node.applies_to_groups and group_code not in node.applies_to_groups:
            continue
        score = scores.get(node.code)
        if score and score.not_applicable:
            continue
        if score is None or score.self_raw in ("", None):
            problems.append((node.code, "missing"))
        elif node.code not in evidenced and not score.no_evidence_reason.strip() and not score.is_automatic:
            problems.append((node.code, "no_evidence"))
    return problems


@dataclass(frozen=True)
class MissingItem:
    """One thing that stops a submission, linked to its row of the grid."""

    code: str
    title: str
    problem: str  # "missing" (no self-score) or "no_evidence" (neither evidence nor a reason)

    @property
    def anchor(self) -> str:
        return f"row-{self.code}"


def missing_items(data: DossierData) -> list[MissingItem]:
    """completeness_problems with each criterion's title, in the grid's order (no query)."""
    return _titled(data.spec, completeness_problems(data))


def _titled(spec, problems) -> list[MissingItem]:
    return [MissingItem(code=code, title=spec.node(code).title, problem=problem) for code, problem in problems]


class _ScoreFacts(NamedTuple):
    """What a score row tells about a submission (missing_items_of)."""

    criterion_id: int
    self_raw: str
    not_applicable: bool
    no_evidence_reason: str
    is_automatic: bool
    has_evidence: bool


def missing_items_of(dossier: Dossier) -> tuple[list[MissingItem], set[str]]:
    """missing_items for a cell's save, which holds no DossierData, and the codes of the scored
    criteria that have evidence: one query (the scores' few fields, whether evidence exists), whatever
    the size of the dossier. A criterion with evidence but no score is missing either way."""
    known = criteria_set_for(dossier)
    has_evidence = Exists(Evidence.objects.filter(dossier=dossier, criterion=OuterRef("criterion")))
    # Plain rows, not model instances: this runs on every autosave, for every row of the dossier.
    rows = (
        CriterionScore.objects.filter(dossier=dossier)
        .annotate(has_evidence=has_evidence)
        .values_list(*_ScoreFacts._fields)
    )
    scores = {known.by_pk[row[0]].code: _ScoreFacts(*row) for row in rows}
    evidenced = {code for code, s in scores.items() if s.has_evidence}
    problems = _problems(known.spec, dossier.group.code, scores, evidenced)
    return _titled(known.spec, problems), evidenced
