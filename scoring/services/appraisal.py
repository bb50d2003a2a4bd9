"""The appraisal: a scorer's marks, the reviewer's bonus and penalty items, flags and
not-applicable criteria, and requests for more evidence."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cleaning import EXPLANATION_MAX_CHARS, NOTE_MAX_CHARS, normalize_typed, typed_reason, typed_text
from portal.models import Agency, User
from portal.uploads import check_upload

from ..engine import ScoreInputError, points_for
from ..engine.leaf import canonical_raw, quantize
from ..engine.types import NodeKind
from ..models import Adjustment, AppraisalMark, Criterion, CriterionScore, Dossier, EvidenceRequest
from ..selectors.dossier import marks_with_names, spec_for
from ._base import CellSaved, check_version, dossier_lock, dossier_lock_stored, notify_agency, set_reason
from .results import dossier_result_refresh, dossier_result_update


def _not_applicable() -> ValidationError:
    return ValidationError(_("This criterion does not apply to this agency; it takes no mark."))


@transaction.atomic
def mark_save(
    *,
    dossier: Dossier,
    criterion: Criterion,
    scorer: Agency,
    raw: str,
    by: User,
    comment: str = "",
    version: int | None,
    reason: str = "",
) -> CellSaved[AppraisalMark]:
    """Saves one appraiser's mark (the scorer is the user's agency) and the dossier's result, from
    the criterion's own rows and the stored result (services.results.dossier_result_update); stale
    saves are refused. A criterion not for the dossier's group, or set not applicable to it, takes
    no mark: the engine leaves it out of the total."""
    if dossier.agency_id == scorer.pk:
        raise ValidationError(_("Nobody appraises their own agency."))
    spec = spec_for(dossier)
    node = spec.node(criterion.code)
    if node.applies_to_groups and dossier.group.code not in node.applies_to_groups:
        raise _not_applicable()
    stored = dossier_lock_stored(dossier)
    score = (
        CriterionScore.objects.filter(dossier=dossier, criterion=criterion)
        .values_list("self_raw", "not_applicable", "is_automatic")
        .first()
    )
    if score is not None and score[1]:
        raise _not_applicable()
    if not (raw or "").strip():
        raise ScoreInputError("empty")
    raw = canonical_raw(node, raw)
    points = quantize(points_for(node, raw), spec.rounding)
    marks = list(marks_with_names(AppraisalMark.objects.filter(dossier=dossier, criterion=criterion)))
    mark = next((m for m in marks if m.scorer_id == scorer.pk), None)
    if mark is None:
        mark = AppraisalMark(dossier=dossier, criterion=criterion, scorer=scorer)
    check_version(mark, version, current=mark.raw, by="entered_by", at="entered_at")
    mark.raw, mark.points, mark.comment = raw, points, typed_text(AppraisalMark, "comment", comment, NOTE_MAX_CHARS)
    mark.version += 1
    mark.entered_by = by
    set_reason(mark, reason or "appraisal")
    created = mark.pk is None
    mark.save()
    given = [(m.scorer.code, m.raw) for m in (*marks, mark)] if created else [(m.scorer.code, m.raw) for m in marks]
    computation = dossier_result_update(dossier=dossier, code=criterion.code, stored=stored, score=score, marks=given)
    # The marks as the row shows them (a new mark's scorer has no name read yet: the page reads them).
    return CellSaved(mark, computation, marks=None if created else marks)


@transaction.atomic
def adjustment_save(
    *, dossier: Dossier, criterion: Criterion, raw: str, reason: str, by: User, evidence=None
) -> Adjustment | None:
    """Applies (or, with an empty value, removes) a bonus or penalty item, always with a reason."""
    dossier_lock(dossier)
    adjustment = adjustment_write(
        dossier=dossier, criterion=criterion, raw=raw, reason=reason, by=by, evidence=evidence
    )
    dossier_result_refresh(dossier=dossier)
    return adjustment


def adjustment_write(
    *, dossier: Dossier, criterion: Criterion, raw: str, reason: str, by: User, evidence=None
) -> Adjustment | None:
    """adjustment_save's write alone, for use cases that change several things of a dossier under
    its lock and recompute its result once."""
    reason = typed_text(Adjustment, "reason", reason, NOTE_MAX_CHARS)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the bonus or penalty.")})
    spec = spec_for(dossier)
    node = spec.node(criterion.code)
    if node.kind not in (NodeKind.BONUS, NodeKind.PENALTY):
        raise ValidationError(_("This is not a bonus or penalty item."))
    existing = Adjustment.objects.filter(dossier=dossier, criterion=criterion).first()
    if not raw.strip():
        if existing:
            existing._change_reason = reason[:100]
            existing.delete()
        return None
    raw = canonical_raw(node, raw)  # refuses a bad value before anything is written
    adjustment = existing or Adjustment(dossier=dossier, criterion=criterion)
    adjustment.raw, adjustment.reason, adjustment.entered_by = raw, reason.strip(), by
    if evidence is not None:
        checked = check_upload(evidence)
        adjustment.evidence.save(checked.name, evidence, save=False)
    set_reason(adjustment, reason)
    adjustment.save()
    return adjustment


@transaction.atomic
def criterion_set_not_applicable(
    *, dossier: Dossier, criterion: Criterion, value: bool, reason: str, by: User
) -> CriterionScore:
    """Marks a criterion of the dossier not applicable (or applicable again), with a reason."""
    dossier_lock(dossier)
    score = not_applicable_write(dossier=dossier, criterion=criterion, value=value, reason=reason, by=by)
    dossier_result_refresh(dossier=dossier)
    return score


def not_applicable_write(
    *, dossier: Dossier, criterion: Criterion, value: bool, reason: str, by: User
) -> CriterionScore:
    """criterion_set_not_applicable's write alone (see adjustment_write)."""
    reason = typed_reason(reason)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    score, _created = CriterionScore.objects.get_or_create(dossier=dossier, criterion=criterion)
    score.not_applicable = value
    score.version += 1
    score.updated_by = by
    set_reason(score, reason)
    score.save()
    return score


@transaction.atomic
def dossier_set_flags(*, dossier: Dossier, flags: list[str], reason: str, by: User) -> Dossier:
    """Replaces the dossier's flags (the facts gates read), with a reason."""
    dossier_lock(dossier)
    flags_write(dossier=dossier, flags=flags, reason=reason, by=by)
    dossier_result_refresh(dossier=dossier)
    return dossier


def flags_write(*, dossier: Dossier, flags: list[str], reason: str, by: User) -> Dossier:
    """dossier_set_flags's write alone (see adjustment_write)."""
    reason = typed_reason(reason)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    dossier.flags = sorted({normalize_typed(f) for f in flags if f.strip()})
    set_reason(dossier, reason)
    dossier.save()
    return dossier


@transaction.atomic
def evidence_request_create(*, dossier: Dossier, criterion: Criterion, message: str, by: User) -> EvidenceRequest:
    """Asks the agency for more evidence on a criterion; its people are notified."""
    message = typed_text(EvidenceRequest, "message", message, EXPLANATION_MAX_CHARS)
    if not message.strip():
        raise ValidationError({"message": _("Say what evidence is needed.")})
    request = EvidenceRequest.objects.create(
        dossier=dossier, criterion=criterion, message=message.strip(), requested_by=by
    )
    notify_agency(
        dossier,
        key=f"evidence-request:{request.pk}",
        title=_("More evidence requested for criterion %(code)s") % {"code": criterion.code},
        body=message.strip(),
    )
    return request
