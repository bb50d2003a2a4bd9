"""The agency's self-assessment: marks the portal fills in, the cells, evidence, submitting and
reopening a dossier."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.selectors import criterion_source_status
from portal.cleaning import NOTE_MAX_CHARS, typed_reason, typed_text
from portal.models import User
from portal.uploads import check_upload

from ..engine import points_for
from ..engine.leaf import canonical_raw, quantize, score_type_of
from ..engine.types import NodeKind
from ..models import Adjustment, Criterion, CriterionScore, Dossier, Evidence
from ..selectors.dossier import criteria_set_for, dossier_data, index_value, spec_for
from ..selectors.grid import completeness_problems
from ._base import CellSaved, check_version, dossier_lock, dossier_lock_stored, notify_agency, set_reason
from .receipts import receipt_write
from .results import dossier_result_refresh, dossier_result_update


def _auto_raw(dossier: Dossier, node) -> str | None:
    """What the portal knows for this criterion: the status of the record the regulation names as
    its source (a deliverable's timeliness, the unit's "Dân vận khéo" models …) read through the
    criterion's auto_map, or an imported index."""
    params = node.params
    source = params.get("auto_source")
    if source and params.get("auto_map"):
        status = criterion_source_status(
            agency=dossier.agency, year=dossier.period.year, source=source, today=timezone.localdate()
        )
        # A status the map leaves out (not due yet, no model registered) leaves the mark to people.
        return str(params["auto_map"][status]) if status in params["auto_map"] else None
    index = score_type_of(node).imported_index(node)
    if index:
        source, offset = index
        value = index_value(agency=dossier.agency, source=source, year=dossier.period.year + offset)
        return None if value is None else format(value, "f")
    return None


@transaction.atomic
def dossier_prefill(dossier: Dossier) -> int:
    """Fills in (again) the marks the portal computes itself, and the dossier's result with them;
    returns how many changed."""
    dossier_lock(dossier)
    changed = prefill_write(dossier)
    if changed:
        dossier_result_refresh(dossier=dossier)
    return changed


def prefill_write(dossier: Dossier) -> int:
    """dossier_prefill's writes alone, for use cases that recompute results once after them."""
    known = criteria_set_for(dossier)
    spec, criteria = known.spec, known.criteria
    changed = 0
    for node in spec.walk():
        if not node.is_leaf:
            continue
        raw = _auto_raw(dossier, node)
        if raw is None:
            continue
        score, _created = CriterionScore.objects.get_or_create(dossier=dossier, criterion=criteria[node.code])
        if score.self_raw != raw or not score.is_automatic:
            score.self_raw = raw
            score.self_points = quantize(points_for(node, raw), spec.rounding)
            score.is_automatic = True
            score.version += 1
            set_reason(score, "automatic")
            score.save()
            changed += 1
    for node in spec.bonus:
        raw = _auto_raw(dossier, node)
        if raw is not None:
            changed += _auto_bonus_write(dossier, criteria[node.code], canonical_raw(node, raw))
    return changed


def _auto_bonus_write(dossier: Dossier, criterion: Criterion, raw: str) -> int:
    """A bonus the portal's records give (a model the province recognised): entered, and kept in
    step with the records until the reviewer sets it by hand (entered_by)."""
    adjustment = Adjustment.objects.filter(dossier=dossier, criterion=criterion).first()
    if adjustment is not None and (adjustment.entered_by_id is not None or adjustment.raw == raw):
        return 0
    adjustment = adjustment or Adjustment(dossier=dossier, criterion=criterion)
    adjustment.raw, adjustment.reason = raw, "automatic"
    set_reason(adjustment, "automatic")
    adjustment.save()
    return 1


@transaction.atomic
def self_score_save(
    *,
    dossier: Dossier,
    criterion: Criterion,
    by: User,
    raw: str | None = None,
    note: str | None = None,
    no_evidence_reason: str | None = None,
    version: int | None,
) -> CellSaved[CriterionScore]:
    """Saves what the agency typed in one cell, and the dossier's result with it (from the changed
    row and the stored result: services.results.dossier_result_update). A bad mark raises
    ScoreInputError (nothing saved); a save based on an outdated page raises StaleEdit (the other
    person's value stays)."""
    stored = dossier_lock_stored(dossier)
    score = self_score_write(
        dossier=dossier, criterion=criterion, by=by, raw=raw, note=note, no_evidence_reason=no_evidence_reason,
        version=version,
    )  # fmt: skip
    # The criterion's marks did not change: its leaf and the totals are recomputed from this row.
    row = (score.self_raw, score.not_applicable, score.is_automatic)
    return CellSaved(score, dossier_result_update(dossier=dossier, code=criterion.code, stored=stored, score=row))


def self_score_write(
    *,
    dossier: Dossier,
    criterion: Criterion,
    by: User,
    raw: str | None = None,
    note: str | None = None,
    no_evidence_reason: str | None = None,
    version: int | None,
) -> CriterionScore:
    """self_score_save's write alone, under the dossier's lock (the Excel form writes many cells and
    recomputes the result once)."""
    if dossier.is_locked:
        raise ValidationError(_("The dossier has been submitted and is locked."))
    spec = spec_for(dossier)
    node = spec.node(criterion.code)
    if node.kind is NodeKind.GROUP or not node.self_scorable:
        raise ValidationError(_("This criterion is not scored by the agency."))
    score, _created = CriterionScore.objects.get_or_create(dossier=dossier, criterion=criterion)
    if score.is_automatic and raw is not None and raw != score.self_raw:
        raise ValidationError(_("This mark is filled in by the portal from its records."))
    check_version(score, version, current=score.self_raw, by="updated_by", at="updated_at")
    if raw is not None:
        raw = canonical_raw(node, raw) if raw.strip() else ""
        score.self_points = quantize(points_for(node, raw), spec.rounding) if raw else None
        score.self_raw = raw
    if note is not None:
        score.note = typed_text(CriterionScore, "note", note, NOTE_MAX_CHARS)
    if no_evidence_reason is not None:
        score.no_evidence_reason = typed_text(CriterionScore, "no_evidence_reason", no_evidence_reason, NOTE_MAX_CHARS)
    score.version += 1
    score.updated_by = by
    set_reason(score, "self-assessment")
    score.save()
    return score


@transaction.atomic
def evidence_add(
    *,
    dossier: Dossier,
    criterion: Criterion,
    by: User,
    upload=None,
    doc_number: str = "",
    doc_date: dt.date | None = None,
    summary: str = "",
    page_ref: str = "",
) -> Evidence:
    """Adds a file (checked by content, hashed) or a reference to an existing document."""
    doc_number = typed_text(Evidence, "doc_number", doc_number)
    summary = typed_text(Evidence, "summary", summary)
    page_ref = typed_text(Evidence, "page_ref", page_ref)
    if upload is None and not (doc_number.strip() and summary.strip()):
        raise ValidationError(_("Attach a file, or give the number and the summary of the document."))
    evidence = Evidence(
        dossier=dossier,
        criterion=criterion,
        kind=Evidence.Kind.FILE if upload else Evidence.Kind.REFERENCE,
        doc_number=doc_number.strip(),
        doc_date=doc_date,
        summary=summary.strip(),
        page_ref=page_ref.strip(),
        phase=dossier.period.phase,
        uploaded_by=by,
    )
    if upload is not None:
        checked = check_upload(upload)
        evidence.file.save(checked.name, upload, save=False)
        evidence.file_name, evidence.sha256, evidence.size, evidence.content_kind = (
            checked.name,
            checked.sha256,
            checked.size,
            checked.kind,
        )
    set_reason(evidence, "added")
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, by: User) -> None:
    """Removes evidence from a dossier still in draft (its history keeps the record)."""
    if evidence.dossier.is_locked:
        raise ValidationError(_("The dossier has been submitted and is locked."))
    evidence._change_reason = f"removed by {by.username}"
    evidence.delete()


@transaction.atomic
def dossier_submit(*, dossier: Dossier, by: User) -> Dossier:
    """Locks the self-assessment after checking it is complete; late (within grace) is marked late."""
    dossier_lock(dossier)
    if dossier.is_locked:
        raise ValidationError(_("The dossier has already been submitted."))
    prefill_write(dossier)
    data = dossier_data(dossier)
    problems = completeness_problems(data)
    if problems:
        raise ValidationError(
            [
                _("Criterion %(code)s has no self-score.") % {"code": code}
                if problem == "missing"
                else _("Criterion %(code)s is scored without evidence: attach a document or explain why.")
                % {"code": code}
                for code, problem in problems
            ]
        )
    now = timezone.now()
    late_days = max(0, (timezone.localdate(now) - dossier.period.self_assessment_due_on).days)
    dossier.status = Dossier.Status.SUBMITTED
    dossier.submitted_at = now
    dossier.submitted_by = by
    dossier.is_late = late_days > 0
    dossier.late_days = late_days
    set_reason(dossier, "submitted late" if late_days else "submitted")
    dossier.save()
    computation = dossier_result_refresh(dossier=dossier)  # submitted: it counts, with its lateness
    dossier.receipt = receipt_write(dossier=dossier, data=data, by=by, self_total=computation.result.self_total)
    return dossier


@transaction.atomic
def dossier_reopen(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    """The reviewer unlocks a submitted dossier for corrections, with a reason the agency sees."""
    reason = typed_reason(reason)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the dossier.")})
    dossier.status = Dossier.Status.REOPENED
    set_reason(dossier, reason)
    dossier.save()
    notify_agency(
        dossier,
        key=f"reopen:{dossier.pk}:{timezone.now().isoformat()}",
        title=_("Your dossier was reopened for corrections"),
        body=reason.strip(),
    )
    return dossier
