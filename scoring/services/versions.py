"""Moving a period that is not final to a newer version of its regulation (1743 → 1563; Quảng Bình
3140's sets 01 and 02 → a newer regulation's 01 and 02, paired by set code): what the agencies and
appraisers typed carries over wherever the new set has a criterion of the same code; what cannot
stays on the old criterion rows, listed, never deleted. The reviewer sees the diff first
(`period_version_diff`) and confirms exactly that diff (its `digest`).

The carrying itself (`carry_diff`, `carry_apply`) also moves the dossiers of a group to another set
of the same period when its further sets change (`services.period_sets`)."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.cleaning import typed_reason
from portal.models import User

from ..engine import ScoreInputError, points_for
from ..engine.leaf import quantize
from ..engine.types import NodeKind
from ..models import (
    Adjustment,
    AppraisalMark,
    CriteriaSet,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    PeriodCriteriaSet,
    PeriodVersionChange,
    ScoringPeriod,
)
from ..selectors.dossier import period_sets_problems, set_for_group
from ..selectors.regulations import CriteriaSetData, criteria_set_data
from ._base import set_reason
from .results import results_refresh

# What a dossier holds per criterion, and how a person names it.
KINDS = {
    "score": CriterionScore,
    "mark": AppraisalMark,
    "evidence": Evidence,
    "request": EvidenceRequest,
    "explanation": Explanation,
    "adjustment": Adjustment,
}
KIND_LABELS = {
    "score": gettext_lazy("Self-assessed scores"),
    "mark": gettext_lazy("Appraisers' marks"),
    "evidence": gettext_lazy("Evidence"),
    "request": gettext_lazy("Requests for evidence"),
    "explanation": gettext_lazy("Explanations"),
    "adjustment": gettext_lazy("Reviewer's adjustments"),
}


@dataclass
class AgencyDiff:
    name: str
    carried: int = 0
    left: int = 0
    set_code: str = ""  # the set the agency's dossier moves from (several sets: named on the page)


@dataclass
class SetMove:
    """Dossiers moving from one criteria set to another, and what that does to their rows."""

    old: CriteriaSetData
    new: CriteriaSetData | None  # None: the new version has no set of this code (the move is refused)
    dossiers: dict[int, Dossier] = field(default_factory=dict)
    carried: int = 0
    left: int = 0
    dropped_codes: list[str] = field(default_factory=list)  # the old set's criteria the new one lacks
    new_codes: list[str] = field(default_factory=list)  # criteria only the new one has


@dataclass
class VersionDiff:
    """What moving the period's sets (or some dossiers) to other sets does, before anything changes."""

    sets: list[SetMove] = field(default_factory=list)
    carried: Counter = field(default_factory=Counter)  # kind → rows that carry over
    left_behind: list[dict] = field(default_factory=list)  # one entry per row kept on the old set
    agencies: list[AgencyDiff] = field(default_factory=list)
    # (row, new criterion id, points or None, the new set's rounding)
    moves: list[tuple[object, int, object, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # why the move cannot be done (nothing is done)

    @property
    def from_sets(self) -> list[str]:
        return [each.old.library_code for each in self.sets]

    @property
    def to_sets(self) -> list[str]:
        return [each.new.library_code if each.new else "—" for each in self.sets]

    @property
    def from_set(self) -> str:
        return ", ".join(self.from_sets)

    @property
    def to_set(self) -> str:
        return ", ".join(self.to_sets)

    @property
    def several(self) -> bool:
        return len(self.sets) > 1

    @property
    def dropped_codes(self) -> list[str]:
        return self._codes("dropped_codes")

    @property
    def new_codes(self) -> list[str]:
        return self._codes("new_codes")

    def _codes(self, name: str) -> list[str]:
        """Criterion codes of one kind of difference; with several sets each after its set's code."""
        if not self.several:
            return [code for each in self.sets for code in getattr(each, name)]
        return [f"{each.old.spec.code}: {code}" for each in self.sets for code in getattr(each, name)]

    def by_kind(self) -> list[tuple[str, int, int]]:
        """(kind of row, rows carried over, rows that cannot), for the kinds the period has."""
        left = Counter(entry["kind"] for entry in self.left_behind)
        return [(KIND_LABELS[k], self.carried[k], left[k]) for k in KINDS if self.carried[k] or left[k]]

    def left_rows(self) -> list[dict]:
        """What cannot carry over, each with its kind in words, per agency then criterion code."""
        rows = [{**entry, "kind_label": KIND_LABELS[entry["kind"]]} for entry in self.left_behind]
        return sorted(rows, key=lambda e: (e["agency"], e["code"], e["kind"]))

    @property
    def carried_total(self) -> int:
        return sum(self.carried.values())

    @property
    def digest(self) -> str:
        """What the reviewer confirmed: the same sets, dossiers, rows carried and left, or refused."""
        carried = sorted((type(row).__name__, row.pk, new) for row, new, _points, _places in self.moves)
        left = sorted((entry["kind"], entry["id"]) for entry in self.left_behind)
        dossiers = sorted((each.old.pk, each.new.pk if each.new else 0, *sorted(each.dossiers)) for each in self.sets)
        state = (self.from_sets, self.to_sets, dossiers, carried, left)
        return hashlib.sha256(repr(state).encode()).hexdigest()[:16]


def carry_diff(sets: list[SetMove]) -> VersionDiff:
    """Per kind and per agency, what carries over when each move's dossiers change set (same
    criterion code, a scored criterion in both, a mark the new type accepts) and what cannot."""
    diff = VersionDiff(sets=sets)
    for move in sets:
        old, new = move.old, move.new
        per_agency = {pk: AgencyDiff(d.agency_version.name, set_code=old.spec.code) for pk, d in move.dossiers.items()}
        diff.agencies += per_agency.values()
        if new is None:
            continue
        move.dropped_codes = [code for code in old.criteria if code not in new.criteria]
        move.new_codes = [code for code in new.criteria if code not in old.criteria]
        new_nodes = {n.code: n for n in (*new.spec.walk(), *new.spec.bonus, *new.spec.penalties)}
        old_nodes = {n.code: n for n in (*old.spec.walk(), *old.spec.bonus, *old.spec.penalties)}
        if not move.dossiers:
            continue
        for kind, model in KINDS.items():
            for row in model.objects.filter(dossier_id__in=move.dossiers, criterion_id__in=old.by_pk).order_by("pk"):
                code = old.by_pk[row.criterion_id].code
                node = new_nodes.get(code)
                agency = per_agency[row.dossier_id]
                why = _carry_problem(kind, row, old_nodes[code], node)
                if why:
                    entry = {"kind": kind, "id": row.pk, "agency": agency.name, "code": code, "why": why}
                    diff.left_behind.append({**entry, "set": old.library_code})
                    agency.left += 1
                    move.left += 1
                    continue
                diff.moves.append((row, new.criteria[code].pk, _new_points(kind, row, node), new.spec.rounding))
                diff.carried[kind] += 1
                agency.carried += 1
                move.carried += 1
    diff.agencies.sort(key=lambda a: a.name)
    return diff


def carry_apply(diff: VersionDiff, *, main_set_id: int, reason: str) -> None:
    """Moves the rows as the diff says (points recomputed on the new criterion) and each dossier of
    a move to its new set (empty: the period's main set), every change with `reason`."""
    for row, criterion_id, points, rounding in diff.moves:
        row.criterion_id = criterion_id
        if isinstance(row, CriterionScore) and points is not None:
            row.self_points = quantize(points, rounding)
        elif isinstance(row, AppraisalMark):
            row.points = quantize(points, rounding)
        set_reason(row, reason)
        row.save()
    for move in diff.sets:
        target = None if move.new.pk == main_set_id else move.new.pk
        for dossier in move.dossiers.values():
            if dossier.criteria_set_id != target:
                dossier.criteria_set_id = target
                set_reason(dossier, reason)
                dossier.save(update_fields=["criteria_set"])


def _carry_problem(kind: str, row, old_node, node) -> str:
    """Why a row cannot carry over to the new criterion of its code ("" when it can). A mark of
    another score type would change meaning (3 points read as 3 %): it stays where it was."""
    if node is None:
        return _("The new version has no criterion with this code.")
    if node.kind is NodeKind.GROUP:
        return _("The criterion is a group of criteria in the new version.")
    if node.score_type != old_node.score_type:
        return _("The new version scores this criterion differently.")
    raw = row.self_raw if kind == "score" else getattr(row, "raw", None) if kind in ("mark", "adjustment") else None
    if raw:
        try:
            points_for(node, raw)
        except ScoreInputError:
            return _("The value %(raw)s is not a valid mark of the new criterion.") % {"raw": raw}
    return ""


def _new_points(kind: str, row, node):
    if kind == "score" and row.self_raw:
        return points_for(node, row.self_raw)
    if kind == "mark":
        return points_for(node, row.raw)
    return None


# --- a period moved to a newer version --------------------------------------------------------------


def _problem(period: ScoringPeriod, new_set: CriteriaSet, by: User | None) -> str:
    if by is None or not by.has_perm("scoring.manage_period", period):
        return _("Only the reviewer or the province administrator moves a period to another version.")
    if period.is_final:
        return _("The period is final; its criteria set stays as it was.")
    if new_set.pk == period.criteria_set_id:
        return _("The period already applies this criteria set.")
    if new_set.regulation.province_id != period.province_id or new_set.regulation.program != period.program:
        return _("The criteria set is not one of this province's sets for the programme.")
    return ""


def period_version_diff(*, period: ScoringPeriod, new_set: CriteriaSet) -> VersionDiff:
    """The diff the reviewer confirms. A period with one set moves to `new_set`; a period with
    several moves every set to the set of the same code in `new_set`'s regulation (Quảng Bình 3140's
    01 and 02 → the newer regulation's 01 and 02): a set with no counterpart, or a group the new
    sets would score elsewhere, is a problem listed and the move refused."""
    sets = period.sets()
    problems: list[str] = []
    if len(sets) == 1:
        pairs = [(sets[0][0], new_set)]
    else:
        by_code = {each.code: each for each in CriteriaSet.objects.filter(regulation_id=new_set.regulation_id)}
        pairs = [(old, by_code.get(old.code)) for old, _groups in sets]
        for old, new in pairs:
            if new is None:
                problems.append(
                    _("The regulation %(regulation)s has no criteria set %(code)s to replace %(set)s.")
                    % {"regulation": new_set.regulation.so_ky_hieu, "code": old.code, "set": old.library_code}
                )
    paired = {old.pk: new for old, new in pairs}
    moves = {old.pk: SetMove(criteria_set_data(old.pk), new and criteria_set_data(new.pk)) for old, new in pairs}
    new_sets = [(new, tuple(new.applies_to_groups)) for _old, new in pairs if new is not None]
    if len(new_sets) == len(pairs):
        problems += period_sets_problems(new_sets)
    dossiers = Dossier.objects.filter(period=period).select_related("agency_version", "group")
    for dossier in dossiers.order_by("pk"):
        old_id = dossier.criteria_set_id or period.criteria_set_id
        if old_id not in moves:  # scored against a set the period no longer applies: stays there
            continue
        moves[old_id].dossiers[dossier.pk] = dossier
        new = paired[old_id]
        if len(pairs) == 1 or new is None:  # one set applies to every agency of the period
            continue
        lands = set_for_group(new_sets, dossier.group.code)
        if lands is None or lands.pk != new.pk:
            problem = _("In the new version the group %(group)s is not scored against %(set)s.") % {
                "group": dossier.group.name, "set": new.library_code
            }  # fmt: skip
            if problem not in problems:
                problems.append(problem)
    diff = carry_diff(list(moves.values()))
    diff.problems = problems
    return diff


@transaction.atomic
def period_change_version(
    *, period: ScoringPeriod, new_set: CriteriaSet, by: User, reason: str, confirmed: str
) -> PeriodVersionChange:
    """Moves every set the period applies to the newer version as confirmed (`confirmed`: the
    digest of the diff the reviewer was shown): rows carry over by criterion code, their points
    recomputed on the new criterion; the others stay on the old criteria, listed in the record. Who,
    when and why are kept; results are recomputed. Refused (nothing changed) for agency users, final
    periods and a move whose sets cannot be paired."""
    period = ScoringPeriod.objects.select_for_update().select_related("criteria_set").get(pk=period.pk)
    problem = _problem(period, new_set, by)
    if problem:
        raise ValidationError(problem)
    reason = typed_reason(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for moving the period to another version.")})
    diff = period_version_diff(period=period, new_set=new_set)
    if diff.problems:
        raise ValidationError(diff.problems)
    if confirmed != diff.digest:
        raise ValidationError(_("The dossiers changed since the diff was shown; look at it again and confirm."))
    text = f"version {diff.from_set} → {diff.to_set}: {reason}"
    paired = {move.old.pk: move.new.pk for move in diff.sets}
    main = paired[period.criteria_set_id]
    carry_apply(diff, main_set_id=main, reason=text)
    for row in PeriodCriteriaSet.objects.filter(period=period):
        row.criteria_set_id = paired.get(row.criteria_set_id, row.criteria_set_id)
        row.save(update_fields=["criteria_set"])
    record = PeriodVersionChange.objects.create(
        period=period,
        from_sets=diff.from_sets,
        to_sets=diff.to_sets,
        carried=dict(diff.carried),
        left_behind=diff.left_behind,
        reason=reason,
        by=by,
    )
    period.criteria_set_id = main
    set_reason(period, text)
    period.save()
    results_refresh(period=period)
    return record


def left_behind_by_agency(record: PeriodVersionChange) -> dict[str, list[dict]]:
    """The rows a version change could not carry over, per agency (they are kept on the old set)."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in record.left_behind:
        grouped[entry["agency"]].append(entry)
    return dict(grouped)
