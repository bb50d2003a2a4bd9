"""Read-only queries of the assessment cycle, each shaped for one page or export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from portal.models import Agency, Province, User
from portal.text import vi_sort_key

from ..engine import CriterionInput, DossierInput, DossierResult, Mark, evaluate_group, score_dossier
from ..engine.tree import resolve_scorers
from ..engine.types import CriteriaSetSpec, CriterionSpec, NodeKind, Scorers, ScoreType
from ..models import (
    Adjustment,
    AppraisalMark,
    Criterion,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    IndexValue,
    Phase,
    Result,
    ScoringPeriod,
)
from .regulations import criteria_set_spec

AUTO_SCORER = "he-thong"  # marks the portal fills in (deliverable timeliness, imported indexes)


def periods_of(*, province: Province) -> QuerySet[ScoringPeriod]:
    return ScoringPeriod.objects.filter(province=province).select_related("criteria_set__regulation")


def current_period(*, province: Province, program: str = "dvcq") -> ScoringPeriod | None:
    """The period people work on: the newest one not final, else the newest."""
    periods = periods_of(province=province).filter(program=program).order_by("-year")
    return periods.exclude(phase=Phase.FINAL).first() or periods.first()


def dossier_of(*, period: ScoringPeriod, agency: Agency) -> Dossier | None:
    return (
        Dossier.objects.filter(period=period, agency=agency).select_related("period", "agency_version", "group").first()
    )


# --- engine input -------------------------------------------------------------------------------


@dataclass
class DossierData:
    """Everything of one dossier the pages and the engine need, loaded in a fixed number of queries."""

    dossier: Dossier
    spec: CriteriaSetSpec
    criteria: dict[str, Criterion]
    scores: dict[str, CriterionScore]
    marks: dict[str, list[AppraisalMark]]
    evidence: dict[str, list[Evidence]]
    explanations: dict[str, list[Explanation]]
    requests: dict[str, list[EvidenceRequest]]
    adjustments: dict[str, Adjustment]
    scorers: dict[str, Scorers] = field(default_factory=dict)

    def engine_input(self, *, with_marks: bool = True) -> DossierInput:
        inputs: dict[str, CriterionInput] = {}
        for code, score in self.scores.items():
            marks: tuple[Mark, ...] = ()
            if with_marks:
                marks = tuple(Mark(m.scorer.code, m.raw) for m in self.marks.get(code, []))
                if score.is_automatic and score.self_raw and not marks:
                    marks = (Mark(AUTO_SCORER, score.self_raw),)
            inputs[code] = CriterionInput(
                self_raw=score.self_raw or None, marks=marks, not_applicable=score.not_applicable
            )
        for code, marks in self.marks.items():
            if code not in inputs and with_marks:
                inputs[code] = CriterionInput(marks=tuple(Mark(m.scorer.code, m.raw) for m in marks))
        adjustments: dict[str, Any] = {code: a.raw for code, a in self.adjustments.items()}
        for penalty in self.spec.penalties:
            if (
                penalty.params.get("auto_source") == "late_days"
                and self.dossier.late_days
                and penalty.code not in adjustments
            ):
                adjustments[penalty.code] = self.dossier.late_days
        return DossierInput(
            key=self.dossier.agency.code,
            name=self.dossier.agency_version.name,
            group=self.dossier.group.code,
            inputs=inputs,
            adjustments=adjustments,
            flags=frozenset(self.dossier.flags or []),
            has_dossier=self.dossier.submitted_at is not None,
            submitted_at=self.dossier.submitted_at,
        )


def _by_code(rows, key=lambda r: r.criterion.code):
    grouped = defaultdict(list)
    for row in rows:
        grouped[key(row)].append(row)
    return grouped


def dossier_data(dossier: Dossier, spec: CriteriaSetSpec | None = None) -> DossierData:
    spec = spec or criteria_set_spec(dossier.period.criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set_id=dossier.period.criteria_set_id)}
    return DossierData(
        dossier=dossier,
        spec=spec,
        criteria=criteria,
        scores={s.criterion.code: s for s in dossier.scores.select_related("criterion", "updated_by")},
        marks=_by_code(dossier.marks.select_related("criterion", "scorer", "entered_by")),
        evidence=_by_code(dossier.evidence.select_related("criterion")),
        explanations=_by_code(dossier.explanations.select_related("criterion", "decided_by")),
        requests=_by_code(dossier.evidence_requests.select_related("criterion")),
        adjustments={a.criterion.code: a for a in dossier.adjustments.select_related("criterion")},
        scorers=resolve_scorers(spec),
    )


def period_dossier_data(period: ScoringPeriod) -> list[DossierData]:
    """Data of every dossier of a period in a constant number of queries (ranking, finalization)."""
    spec = criteria_set_spec(period.criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set_id=period.criteria_set_id)}
    dossiers = list(
        period.dossiers.select_related("period", "agency", "agency_version", "group").prefetch_related(
            Prefetch("scores", queryset=CriterionScore.objects.select_related("criterion")),
            Prefetch("marks", queryset=AppraisalMark.objects.select_related("criterion", "scorer")),
            Prefetch("adjustments", queryset=Adjustment.objects.select_related("criterion")),
        )
    )
    scorers = resolve_scorers(spec)
    return [
        DossierData(
            dossier=d,
            spec=spec,
            criteria=criteria,
            scores={s.criterion.code: s for s in d.scores.all()},
            marks=_by_code(d.marks.all()),
            evidence={},
            explanations={},
            requests={},
            adjustments={a.criterion.code: a for a in d.adjustments.all()},
            scorers=scorers,
        )
        for d in dossiers
    ]


# --- the grid ----------------------------------------------------------------------------------


@dataclass
class GridRow:
    node: CriterionSpec
    criterion: Criterion
    depth: int
    score: CriterionScore | None
    evidence: list[Evidence]
    marks: list[AppraisalMark]
    visible_marks: list[AppraisalMark]
    my_mark: AppraisalMark | None
    explanations: list[Explanation]
    requests: list[EvidenceRequest]
    self_points: Decimal | None
    appraised_points: Decimal | None
    final_points: Decimal | None
    applies: bool
    can_mark: bool
    blind: bool = False  # the user scores it and has not yet: other marks stay hidden
    linked_tasks: list = field(default_factory=list)  # plan tasks serving this criterion
    typed: dict | None = None  # what the person just typed, shown again when the save failed

    def _shown(self, key: str, stored: str) -> str:
        if self.typed and self.typed.get(key) is not None:
            return self.typed[key]
        return stored or ""

    @property
    def shown_raw(self) -> str:
        return self._shown("raw", self.score.self_raw if self.score else "")

    @property
    def shown_note(self) -> str:
        return self._shown("note", self.score.note if self.score else "")

    @property
    def shown_why(self) -> str:
        return self._shown("no_evidence_reason", self.score.no_evidence_reason if self.score else "")

    @property
    def shown_mark(self) -> str:
        return self._shown("mark", self.my_mark.raw if self.my_mark else "")

    @property
    def shown_comment(self) -> str:
        return self._shown("comment", self.my_mark.comment if self.my_mark else "")

    @property
    def version(self) -> int:
        return self.score.version if self.score else 0

    @property
    def mark_version(self) -> int:
        return self.my_mark.version if self.my_mark else 0

    @property
    def is_group(self) -> bool:
        return self.node.kind is NodeKind.GROUP

    @property
    def gap(self) -> Decimal | None:
        if self.self_points is None or self.appraised_points is None:
            return None
        return self.appraised_points - self.self_points

    @property
    def needs_evidence_reason(self) -> bool:
        return bool(self.score and self.score.self_raw and not self.evidence and not self.score.no_evidence_reason)

    @property
    def levels(self) -> list[dict]:
        return list(self.node.params.get("levels", []))

    @property
    def widget(self) -> str:
        return {
            ScoreType.BOOLEAN: "boolean",
            ScoreType.LEVELS: "levels",
            ScoreType.PERCENT_LINEAR: "percent",
            ScoreType.PERCENT_BANDED: "percent",
            ScoreType.IMPORTED_INDEX: "percent",
            ScoreType.COUNT_DEDUCT: "count",
            ScoreType.COUNT: "count",
        }.get(self.node.score_type, "number")


def scorer_codes_for(user: User) -> set[str]:
    """The agency codes a user may enter marks as (their own agency)."""
    return {user.agency.code} if user.agency_id else set()


def may_mark(data: DossierData, node: CriterionSpec, user: User) -> bool:
    """Whether the user's agency scores this criterion: a named scorer, or (for the reviewer) a
    criterion with no scorer named at all."""
    if node.kind is NodeKind.GROUP or user.agency_id is None:
        return False
    scorers = data.scorers.get(node.code)
    mine = scorer_codes_for(user)
    if scorers and scorers.all:
        return bool(mine & set(scorers.all))
    return "reviewer" in user.roles


def grid_rows(data: DossierData, user: User, *, show_marks: bool) -> tuple[list[GridRow], DossierResult]:
    """The dossier as the paper form: criteria in order with self and appraised points per node.

    Other scorers' marks on a criterion stay hidden from a scorer until they have entered their own.
    """
    result = score_dossier(data.spec, data.engine_input(with_marks=show_marks))
    rows: list[GridRow] = []
    mine = scorer_codes_for(user)
    final = data.dossier.period.phase == Phase.FINAL

    def blind(node: CriterionSpec) -> bool:
        """A scorer who has not marked a criterion yet must not see the others' marks on it."""
        if final or not show_marks:
            return False
        if not node.is_leaf:
            return any(blind(child) for child in node.children)
        marks = data.marks.get(node.code, [])
        return may_mark(data, node, user) and not any(m.scorer.code in mine for m in marks) and bool(marks)

    def visit(node: CriterionSpec, depth: int) -> None:
        criterion = data.criteria[node.code]
        marks = data.marks.get(node.code, [])
        my_mark = next((m for m in marks if m.scorer.code in mine), None)
        hidden = blind(node)
        visible = [] if hidden else marks
        res = result.criteria.get(node.code)
        applies = not node.applies_to_groups or data.dossier.group.code in node.applies_to_groups
        rows.append(
            GridRow(
                node=node,
                criterion=criterion,
                depth=depth,
                score=data.scores.get(node.code),
                evidence=data.evidence.get(node.code, []),
                marks=marks,
                visible_marks=visible if show_marks else [],
                my_mark=my_mark,
                explanations=data.explanations.get(node.code, []),
                requests=data.requests.get(node.code, []),
                self_points=res.self_points if res else None,
                appraised_points=(res.appraised_points if node.is_leaf else res.final_points)
                if (res and show_marks)
                else None,
                final_points=res.final_points if res else None,
                applies=applies,
                can_mark=may_mark(data, node, user),
                blind=hidden,
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for top in data.spec.criteria:
        visit(top, 0)
    return rows, result


def completeness_problems(data: DossierData) -> list[tuple[str, str]]:
    """(criterion code, problem) that stop a submission: a self-scorable criterion left empty, or a
    score with neither evidence nor a written explanation."""
    problems = []
    for node in data.spec.walk():
        if not node.is_leaf or not node.self_scorable:
            continue
        if node.applies_to_groups and data.dossier.group.code not in node.applies_to_groups:
            continue
        score = data.scores.get(node.code)
        if score and score.not_applicable:
            continue
        if score is None or score.self_raw in ("", None):
            problems.append((node.code, "missing"))
        elif not data.evidence.get(node.code) and not score.no_evidence_reason.strip() and not score.is_automatic:
            problems.append((node.code, "no_evidence"))
    return problems


# --- queue, history, ranking --------------------------------------------------------------------


def appraisal_queue(*, period: ScoringPeriod, user: User, group_id=None, status=None, late=None) -> list[dict]:
    """Dossiers a reviewer or co-reviewer works through, with their own progress on each."""
    dossiers = period.dossiers.select_related("agency_version", "group", "agency").exclude(agency_id=user.agency_id)
    if group_id:
        dossiers = dossiers.filter(group_id=group_id)
    if status:
        dossiers = dossiers.filter(status=status)
    if late is not None:
        dossiers = dossiers.filter(is_late=late)
    spec = criteria_set_spec(period.criteria_set)
    scorers = resolve_scorers(spec)
    mine = scorer_codes_for(user)
    reviewer = "reviewer" in user.roles
    my_codes = {
        n.code
        for n in spec.walk()
        if n.is_leaf
        and ((scorers[n.code].all and mine & set(scorers[n.code].all)) or (not scorers[n.code].all and reviewer))
    }
    marked = dict(
        AppraisalMark.objects.filter(dossier__period=period, scorer__code__in=mine)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
    )
    pending_explanations = dict(
        Explanation.objects.filter(dossier__period=period, decision=Explanation.Decision.PENDING)
        .values_list("dossier_id")
        .annotate(n=Count("id"))
    )
    rows = []
    for dossier in dossiers:
        rows.append(
            {
                "dossier": dossier,
                "to_mark": len(my_codes),
                "marked": marked.get(dossier.pk, 0),
                "pending_explanations": pending_explanations.get(dossier.pk, 0),
            }
        )
    rows.sort(key=lambda r: (r["dossier"].group.order, vi_sort_key(r["dossier"].agency_version.name)))
    return rows


@dataclass(frozen=True)
class HistoryEvent:
    at: dt.datetime
    who: object
    what: str
    value: str
    reason: str


def criterion_history(dossier: Dossier, criterion: Criterion) -> list[HistoryEvent]:
    """Every change on one criterion of a dossier, newest first: self-score, marks, evidence, explanations."""
    events: list[HistoryEvent] = []
    for h in CriterionScore.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk).select_related(
        "history_user"
    ):
        events.append(HistoryEvent(h.history_date, h.history_user, "self", h.self_raw, h.history_change_reason or ""))
    for h in AppraisalMark.history.filter(dossier_id=dossier.pk, criterion_id=criterion.pk).select_related(
        "history_user", "scorer"
    ):
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


def provisional_results(period: ScoringPeriod, collate=vi_sort_key) -> dict[str, list[DossierResult]]:
    """What the engine says now, per group code, ranked (nothing stored)."""
    data = period_dossier_data(period)
    by_group: dict[str, list] = defaultdict(list)
    for item in data:
        by_group[item.dossier.group.code].append(item.engine_input())
    spec = data[0].spec if data else criteria_set_spec(period.criteria_set)
    return {group: evaluate_group(spec, inputs, collate) for group, inputs in by_group.items()}


def ranking(period: ScoringPeriod) -> list[tuple[object, list[dict]]]:
    """Per group (in the province's order): rank, agency, totals, class — final results when the
    period is final, otherwise the provisional computation."""
    bands = {b.code: b.label for b in period.criteria_set.bands.all()}
    dossiers = {d.agency.code: d for d in period.dossiers.select_related("agency", "agency_version", "group")}
    groups: dict[int, tuple[object, list[dict]]] = {}
    if period.phase == Phase.FINAL:
        results = Result.objects.filter(dossier__period=period).select_related("dossier__agency", "dossier__group")
        for r in results:
            d = dossiers[r.dossier.agency.code]
            groups.setdefault(d.group_id, (d.group, []))[1].append(
                {
                    "dossier": d,
                    "rank": r.rank,
                    "self_total": r.self_total,
                    "appraised_total": r.appraised_total,
                    "bonus": r.bonus,
                    "penalty": r.penalty,
                    "total": r.total,
                    "band": r.band_code,
                    "band_label": bands.get(r.band_code, ""),
                    "classified": r.classified,
                    "steps": r.steps,
                }  # fmt: skip
            )
    else:
        from ..explain import step_text

        for _code, results in provisional_results(period).items():
            for r in results:
                d = dossiers[r.key]
                groups.setdefault(d.group_id, (d.group, []))[1].append(
                    {
                        "dossier": d,
                        "rank": r.rank,
                        "self_total": r.self_total,
                        "appraised_total": r.appraised_total,
                        "bonus": r.bonus,
                        "penalty": r.penalty,
                        "total": r.total,
                        "band": r.band,
                        "band_label": bands.get(r.band, ""),
                        "classified": r.classified,
                        "steps": [step_text(s, bands) for s in r.steps],
                    }  # fmt: skip
                )
    ordered = sorted(groups.values(), key=lambda item: (item[0].order, item[0].code))
    for _group, rows in ordered:
        rows.sort(key=lambda row: row["rank"] or 10_000)
    return ordered


def best_band_share(period: ScoringPeriod, groups: list | None = None) -> tuple[Decimal | None, str]:
    """Share (%) of agencies in the set's best class, and that class's label.

    Pass the period's `ranking()` when the caller already has it: computing it runs the engine.
    """
    bands = sorted(period.criteria_set.bands.all(), key=lambda b: b.min_points, reverse=True)
    if not bands:
        return None, ""
    best = bands[0]
    rows = [row for _, group in (ranking(period) if groups is None else groups) for row in group]
    if not rows:
        return None, best.label
    in_best = sum(1 for row in rows if row["band"] == best.code)
    return (Decimal(in_best * 100) / Decimal(len(rows))).quantize(Decimal("0.01")), best.label


def index_value(*, agency: Agency, source: str, year: int) -> Decimal | None:
    value = (
        IndexValue.objects.filter(agency=agency, source__iexact=source, year=year)
        .values_list("value", flat=True)
        .first()
    )
    return value
