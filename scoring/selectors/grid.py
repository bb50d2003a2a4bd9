"""The dossier as the paper form: one row per criterion with what the user may see of it (the whole
grid, or one row and the groups above it after a cell's save), and what still stops a submission."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User

from .. import score_types
from ..engine import DossierResult, score_dossier
from ..engine.types import CriterionSpec, NAPolicy, NodeKind
from ..models import (
    AppraisalMark,
    Criterion,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    Phase,
    ScoringPeriod,
)
from ..models.cycle import NAStatus, SubmissionReceipt
from ..score_types import ShownWidget
from .checklist import MissingItem, completeness_problems, missing_items, missing_items_of  # noqa: F401
from .dossier import DossierData, criteria_set_for, marks_criterion, scorer_codes_for
from .results import DossierComputation


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
    has_evidence: bool | None = None  # known without the evidence itself (a cell's row after its save)

    def _shown(self, key: str, stored: str) -> str:
        if self.typed and self.typed.get(key) is not None:
            return self.typed[key]
        return stored or ""

    @property
    def shown_raw(self) -> str:
        """What the self-score box holds: as typed after a refusal, else the stored mark in the
        format the person typed it ("8,5")."""
        if self.typed and self.typed.get("raw") is not None:
            return self.typed["raw"]
        return score_types.box_value(self.node, self.score.self_raw if self.score else "")

    @property
    def unit(self) -> str:
        """What the number in the box counts (“%”, “trường hợp”, “điểm”); none for a list."""
        return "" if self.widget.is_list else score_types.unit(self.node)

    @property
    def na_declarable(self) -> bool:
        """The regulation lets the agency declare this criterion not applicable to it (its
        na_policy is not “zero”) and the agency scores it itself."""
        return (
            self.node.is_leaf
            and self.node.self_scorable
            and self.applies
            and self.node.na_policy is not NAPolicy.ZERO
            and not (self.score and self.score.is_automatic)
        )

    @property
    def na_status(self) -> str:
        return self.score.na_status if self.score else ""

    @property
    def na_declared(self) -> bool:
        """The agency's declaration stands (awaiting the reviewer, or accepted): no score is asked."""
        return self.na_status in (NAStatus.PENDING, NAStatus.ACCEPTED)

    @property
    def shown_note(self) -> str:
        return self._shown("note", self.score.note if self.score else "")

    @property
    def shown_why(self) -> str:
        return self._shown("no_evidence_reason", self.score.no_evidence_reason if self.score else "")

    @property
    def shown_mark(self) -> str:
        if self.typed and self.typed.get("mark") is not None:
            return self.typed["mark"]
        return score_types.box_value(self.node, self.my_mark.raw if self.my_mark else "")

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
    def evidenced(self) -> bool:
        return bool(self.evidence) if self.has_evidence is None else self.has_evidence

    @property
    def needs_evidence_reason(self) -> bool:
        return bool(self.score and self.score.self_raw and not self.evidenced and not self.score.no_evidence_reason)

    @cached_property
    def widget(self) -> ShownWidget:
        """How the mark is entered: as the criterion's score type says."""
        return score_types.widget(self.node)

    @property
    def takes_marks(self) -> bool:
        """A criterion not applicable to the dossier (not for its group, or set not applicable)
        takes no marks: the engine leaves it out of the total."""
        return self.applies and not (self.score and self.score.not_applicable)


class _Form:
    """What one user may see of a dossier's rows, given the engine's result and who marked what."""

    def __init__(self, dossier: Dossier, user: User | None, result: DossierResult, marked_by, *, show_marks: bool):
        known = criteria_set_for(dossier)
        self.dossier, self.user, self.result, self.show_marks = dossier, user, result, show_marks
        self.criteria, self.scorers = known.criteria, known.scorers
        self.marked_by: dict[str, set[str]] = marked_by  # criterion code → agencies that marked it
        self.mine = scorer_codes_for(user)
        self.final = dossier.period.phase == Phase.FINAL

    def can_mark(self, node: CriterionSpec) -> bool:
        if node.kind is NodeKind.GROUP:
            return False
        scorers = self.scorers.get(node.code)
        return marks_criterion(self.user, scorers.all if scorers else None)

    def blind(self, node: CriterionSpec) -> bool:
        """A scorer who has not marked a criterion yet must not see the others' marks on it."""
        if self.final or not self.show_marks:
            return False
        if not node.is_leaf:
            return any(self.blind(child) for child in node.children)
        marked = self.marked_by.get(node.code, set())
        return bool(marked) and not (marked & self.mine) and self.can_mark(node)

    def row(self, node: CriterionSpec, depth: int, *, score, marks, **details) -> GridRow:
        hidden = self.blind(node)
        res = self.result.criteria.get(node.code)
        return GridRow(
            node=node,
            criterion=self.criteria[node.code],
            depth=depth,
            score=score,
            marks=marks,
            visible_marks=[] if hidden or not self.show_marks else marks,
            my_mark=next((m for m in marks if m.scorer.code in self.mine), None),
            self_points=res.self_points if res else None,
            # A blind scorer sees no appraised points, gap or subtotal either: they are the others' marks.
            appraised_points=(res.appraised_points if node.is_leaf else res.final_points)
            if (res and self.show_marks and not hidden)
            else None,
            final_points=res.final_points if res else None,
            applies=not node.applies_to_groups or self.dossier.group.code in node.applies_to_groups,
            can_mark=self.can_mark(node),
            blind=hidden,
            **{"evidence": [], "explanations": [], "requests": [], **details},
        )


def grid_rows(data: DossierData, user: User | None, *, show_marks: bool) -> tuple[list[GridRow], DossierResult]:
    """The dossier as the paper form: criteria in order with self and appraised points per node.

    Other scorers' marks on a criterion stay hidden from a scorer until they have entered their own.
    """
    result = score_dossier(data.spec, data.engine_input(with_marks=show_marks))
    marked_by = {code: {m.scorer.code for m in marks} for code, marks in data.marks.items()}
    form = _Form(data.dossier, user, result, marked_by, show_marks=show_marks)
    rows: list[GridRow] = []

    def visit(node: CriterionSpec, depth: int) -> None:
        rows.append(
            form.row(
                node,
                depth,
                score=data.scores.get(node.code),
                marks=data.marks.get(node.code, []),
                evidence=data.evidence.get(node.code, []),
                explanations=data.explanations.get(node.code, []),
                requests=data.requests.get(node.code, []),
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for top in data.spec.criteria:
        visit(top, 0)
    return rows, result


@dataclass(frozen=True)
class CellRows:
    """One criterion's row after a save of its cell, the groups above it (their subtotals change
    with it) and the dossier's result; `blind` as for the whole grid (totals hidden)."""

    row: GridRow
    parents: list[GridRow]
    result: DossierResult
    blind: bool


def cell_rows(
    dossier: Dossier,
    code: str,
    user: User | None,
    *,
    show_marks: bool,
    computation: DossierComputation,
    score: CriterionScore | None,
    marks: list[AppraisalMark],
    has_evidence: bool | None,
) -> CellRows:
    """A cell's row as `grid_rows` would give it, from the engine's computation on the dossier (the
    one its save made) and the row's own score and marks: no other row is read."""
    spec = criteria_set_for(dossier).spec
    form = _Form(dossier, user, computation.result, computation.marked_by, show_marks=show_marks)
    path: list[tuple[CriterionSpec, int]] = []

    def find(node: CriterionSpec, depth: int, above: list) -> bool:
        if node.code == code:
            path.extend([*above, (node, depth)])
            return True
        return any(find(child, depth + 1, [*above, (node, depth)]) for child in node.children)

    for top in spec.criteria:
        if find(top, 0, []):
            break
    else:
        raise LookupError(code)  # not a criterion of the form (a bonus or penalty item)
    *groups, (node, depth) = path
    row = form.row(node, depth, score=score, marks=marks, has_evidence=has_evidence)
    parents = [form.row(g, d, score=None, marks=[]) for g, d in groups]
    blind = any(form.blind(leaf) for leaf in spec.walk() if leaf.is_leaf)
    return CellRows(row=row, parents=parents, result=computation.result, blind=blind)


@dataclass(frozen=True)
class Deadline:
    """The self-assessment deadline as the grid shows it: the day, and the days left (negative:
    days late; within the grace days a submission is still taken, marked late)."""

    due_on: dt.date
    days_left: int
    grace_days: int

    @property
    def is_late(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    @property
    def grace_left(self) -> int:
        return self.grace_days + self.days_left


def self_assessment_deadline(period: ScoringPeriod, today: dt.date) -> Deadline:
    return Deadline(
        due_on=period.self_assessment_due_on,
        days_left=(period.self_assessment_due_on - today).days,
        grace_days=period.grace_days,
    )


def last_saved_at(scores) -> dt.datetime | None:
    """When the agency last saved a cell of the dossier (from the scores the page already holds)."""
    return max((s.updated_at for s in scores if s.updated_by_id), default=None)


def edit_refusal(user: User, dossier: Dossier) -> str | None:
    """Why the user's change to the dossier's grid cannot be saved, said to the person who typed it
    (a page opened before the head submitted, or before the phase moved on); None when the reason
    is not the dossier's state (the user never could edit it)."""
    from ..rules import is_agency_member, is_dossier_locked, is_own_agency, is_self_assessment_open

    if not (is_own_agency(user, dossier) and is_agency_member(user, dossier)):
        return None
    kept = _("Your change was not saved; it is still in the box.")
    if is_dossier_locked(user, dossier):
        who = dossier.submitted_by
        at = timezone.localtime(dossier.submitted_at).strftime("%H:%M %d/%m/%Y") if dossier.submitted_at else ""
        name = (who.get_full_name() or who.username) if who else _("the agency head")
        locked = _("The dossier was submitted at %(at)s by %(who)s and is now locked.") % {"at": at, "who": name}
        return f"{locked} {kept}"
    if not is_self_assessment_open(user, dossier):
        phase = dossier.period.get_phase_display()
        closed = _("Self-assessment is closed (the period is now in phase “%(phase)s”).") % {"phase": phase}
        return f"{closed} {kept}"
    return None


def latest_receipt(dossier: Dossier) -> SubmissionReceipt | None:
    """The receipt of the dossier's latest submission, if it was ever submitted."""
    return SubmissionReceipt.objects.filter(dossier=dossier).select_related("dossier__period").first()
