"""The history of one criterion of a dossier, as the grid's "History" link shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..models import AppraisalMark, Criterion, CriterionScore, Dossier, Evidence, Explanation


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    who: object
    what: str
    value: str
    reason: str


def criterion_history(dossier: Dossier, criterion: Criterion, *, show_marks: bool) -> list[HistoryEvent]:
    """Every change on one criterion of a dossier, newest first: self-score, marks (only with
    `show_marks`: the same as the grid shows), evidence, explanations."""
    events: list[HistoryEvent] = []
    for h in CriterionScore.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk).select_related(
        "history_user"
    ):
        events.append(HistoryEvent(h.history_date, h.history_user, "self", h.self_raw, h.history_change_reason or ""))
    marks = AppraisalMark.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk)
    for h in marks.select_related("history_user", "scorer") if show_marks else ():
        events.append(
            HistoryEvent(h.history_date, h.history_user, f"mark:{h.scorer.code}", h.raw, h.history_change_reason or "")
        )
    for h in Evidence.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk).select_related("history_user"):
        label = h.file_name or f"{h.doc_number} {h.summary}".strip()
        events.append(
            HistoryEvent(
                h.history_date, h.history_user, f"evidence:{h.history_type}", label, h.history_change_reason or ""
            )
        )
    for h in Explanation.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk).select_related(
        "history_user"
    ):
        events.append(
            HistoryEvent(h.history_date, h.history_user, f"explanation:{h.decision}", h.text[:200], h.decision_reason)
        )
    return sorted(events, key=lambda e: e.at, reverse=True)
