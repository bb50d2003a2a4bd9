"""Moving a period that is not final to a newer version of its regulation (1743 → 1563): what the
agencies and appraisers typed carries over wherever the new version has a criterion of the same
code; what cannot stays on the old criterion rows, listed, never deleted. The reviewer sees the
diff first (`period_version_diff`) and confirms exactly that diff (its `digest`)."""

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
    PeriodVersionChange,
    ScoringPeriod,
)
from ..selectors.regulations import criteria_set_data
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


@dataclass
class VersionDiff:
    """What moving the period's own set to `new_set` does, before anything is changed."""

    from_set: str
    to_set: str
    carried: Counter = field(default_factory=Counter)  # kind → rows that carry over
    left_behind: list[dict] = field(default_factory=list)  # one entry per row kept on the old set
    agencies: list[AgencyDiff] = field(default_factory=list)
    # criterion codes of the old set the new one lacks, and those only the new one has
    dropped_codes: list[str] = field(default_factory=list)
    new_codes: list[str] = field(default_factory=list)
    moves: list[tuple[object, int, str | None]] = field(default_factory=list)  # (row, new criterion id, points)

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
        """What the reviewer confirmed: the same rows carried and left, or the move is refused."""
        carried = sorted((type(row).__name__, row.pk, new) for row, new, _points in self.moves)
        left = sorted((entry["kind"], entry["id"]) for entry in self.left_behind)
        return hashlib.sha256(repr((self.from_set, self.to_set, carried, left)).encode()).hexdigest()[:16]


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
    """The diff the reviewer confirms: per kind and per agency, what carries over (same criterion
    code, a scored criterion in both, a mark the new type accepts) and what cannot."""
    old, new = criteria_set_data(period.criteria_set_id), criteria_set_data(new_set.pk)
    diff = VersionDiff(from_set=old.library_code, to_set=new.library_code)
    new_nodes = {n.code: n for n in (*new.spec.walk(), *new.spec.bonus, *new.spec.penalties)}
    old_nodes = {n.code: n for n in (*old.spec.walk(), *old.spec.bonus, *old.spec.penalties)}
    diff.dropped_codes = [code for code in old.criteria if code not in new.criteria]
    diff.new_codes = [code for code in new.criteria if code not in old.criteria]
    dossiers = {
        d.pk: d
        for d in Dossier.objects.filter(period=period, criteria_set__isnull=True).select_related("agency_version")
    }
    per_agency: dict[int, AgencyDiff] = {pk: AgencyDiff(d.agency_version.name) for pk, d in dossiers.items()}
    for kind, model in KINDS.items():
        for row in model.objects.filter(dossier_id__in=dossiers, criterion_id__in=old.by_pk).order_by("pk"):
            code = old.by_pk[row.criterion_id].code
            node = new_nodes.get(code)
            why = _carry_problem(kind, row, old_nodes[code], node)
            if why:
                diff.left_behind.append(
                    {"kind": kind, "id": row.pk, "agency": per_agency[row.dossier_id].name, "code": code, "why": why}
                )
                per_agency[row.dossier_id].left += 1
                continue
            diff.moves.append((row, new.criteria[code].pk, _new_points(kind, row, node)))
            diff.carried[kind] += 1
            per_agency[row.dossier_id].carried += 1
    diff.agencies = sorted(per_agency.values(), key=lambda a: a.name)
    return diff


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


@transaction.atomic
def period_change_version(
    *, period: ScoringPeriod, new_set: CriteriaSet, by: User, reason: str, confirmed: str
) -> PeriodVersionChange:
    """Moves the period's own criteria set to `new_set` as confirmed (`confirmed`: the digest of the
    diff the reviewer was shown): rows carry over by criterion code, their points recomputed on the
    new criterion; the others stay on the old criteria, listed in the record. Who, when and why are
    kept; results are recomputed. Refused (nothing changed) for agency users and final periods."""
    period = ScoringPeriod.objects.select_for_update().select_related("criteria_set").get(pk=period.pk)
    problem = _problem(period, new_set, by)
    if problem:
        raise ValidationError(problem)
    reason = typed_reason(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for moving the period to another version.")})
    diff = period_version_diff(period=period, new_set=new_set)
    if confirmed != diff.digest:
        raise ValidationError(_("The dossiers changed since the diff was shown; look at it again and confirm."))
    rounding = criteria_set_data(new_set.pk).spec.rounding
    for row, criterion_id, points in diff.moves:
        row.criterion_id = criterion_id
        if isinstance(row, CriterionScore) and points is not None:
            row.self_points = quantize(points, rounding)
        elif isinstance(row, AppraisalMark):
            row.points = quantize(points, rounding)
        set_reason(row, f"version {diff.from_set} → {diff.to_set}: {reason}")
        row.save()
    record = PeriodVersionChange.objects.create(
        period=period,
        from_sets=[diff.from_set],
        to_sets=[diff.to_set],
        carried=dict(diff.carried),
        left_behind=diff.left_behind,
        reason=reason,
        by=by,
    )
    period.criteria_set = new_set
    set_reason(period, f"version {diff.from_set} → {diff.to_set}: {reason}")
    period.save()
    results_refresh(period=period)
    return record


def left_behind_by_agency(record: PeriodVersionChange) -> dict[str, list[dict]]:
    """The rows a version change could not carry over, per agency (they are kept on the old set)."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    for entry in record.left_behind:
        grouped[entry["agency"]].append(entry)
    return dict(grouped)
