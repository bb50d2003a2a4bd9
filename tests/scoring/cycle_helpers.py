"""Steps of the cycle done through the services, for tests that start further along."""

import datetime as dt

from scoring import services
from scoring.engine.types import ScoreType
from scoring.models import Criterion, Dossier
from scoring.selectors import criteria_set_spec

FULL = {
    ScoreType.BOOLEAN: "true",
    ScoreType.PERCENT_LINEAR: "100",
    ScoreType.PERCENT_BANDED: "100",
    ScoreType.IMPORTED_INDEX: "100",
    ScoreType.COUNT_DEDUCT: "0",
}


def full_mark(node) -> str:
    if node.score_type is ScoreType.LEVELS:
        return str(node.params["levels"][0]["code"])
    if node.score_type in FULL:
        return FULL[node.score_type]
    return format(node.max_points.normalize(), "f")


def fill_complete(dossier: Dossier, by, marks: dict[str, str] | None = None) -> None:
    """Self-scores every criterion the agency scores (full marks unless given) with a reference as evidence."""
    marks = marks or {}
    spec = criteria_set_spec(dossier.period.criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set=dossier.period.criteria_set)}
    for node in spec.walk():
        if not node.is_leaf or not node.self_scorable:
            continue
        score = dossier.scores.filter(criterion=criteria[node.code]).first()
        if score and score.is_automatic:
            continue
        services.self_score_save(
            dossier=dossier, criterion=criteria[node.code], by=by, raw=marks.get(node.code, full_mark(node))
        )
        services.evidence_add(
            dossier=dossier, criterion=criteria[node.code], by=by, doc_number="12/BC-STP",
            doc_date=dt.date(2021, 10, 1), summary=f"Báo cáo tiêu chí {node.code}",
        )  # fmt: skip


def criterion(dossier: Dossier, code: str) -> Criterion:
    return Criterion.objects.get(criteria_set=dossier.period.criteria_set, code=code)
