"""State changes of the assessment cycle. Each service is one use case in a transaction and records
who, when and why (simple_history change reasons); the views decide *whether* via scoring.rules."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.selectors import deliverable_status_for_agency
from portal.models import Agency, AgencyVersion, Province, Role, User
from portal.selectors import users_of_agency
from portal.services import notification_send
from portal.uploads import check_upload

from ..engine import ScoreInputError, evaluate_group, points_for
from ..engine.leaf import canonical_raw, quantize
from ..engine.types import NodeKind, ScoreType
from ..models import (
    PHASE_ORDER,
    Adjustment,
    AppraisalMark,
    CriteriaSet,
    Criterion,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    Phase,
    PhaseChange,
    Result,
    ScoringPeriod,
)
from ..selectors.cycle import completeness_problems, dossier_data, index_value, period_dossier_data
from ..selectors.regulations import criteria_set_spec


class StaleEdit(Exception):
    """Somebody saved this value after the page was loaded; the later save is refused."""

    def __init__(self, current, by: User | None, at: dt.datetime | None):
        super().__init__("stale")
        self.current = current
        self.by = by
        self.at = at


def _reason(instance, reason: str) -> None:
    instance._change_reason = reason[:100] if reason else ""


# --- periods ------------------------------------------------------------------------------------


@transaction.atomic
def period_create(
    *,
    province: Province,
    year: int,
    criteria_set: CriteriaSet,
    name: str,
    self_assessment_opens_on: dt.date,
    self_assessment_due_on: dt.date,
    appraisal_due_on: dt.date,
    explanation_due_on: dt.date,
    decision_due_on: dt.date | None = None,
    grace_days: int = 3,
    program: str = "dvcq",
    agencies_as_of: dt.date | None = None,
    by: User | None = None,
) -> ScoringPeriod:
    """Pins the criteria set and opens a dossier for every agency of the set's groups, as the agency
    was on `agencies_as_of` (default: the day self-assessment opens)."""
    if not (self_assessment_opens_on <= self_assessment_due_on <= appraisal_due_on <= explanation_due_on):
        raise ValidationError(_("The phase dates must follow one another."))
    period = ScoringPeriod.objects.create(
        province=province,
        year=year,
        program=program,
        name=name,
        criteria_set=criteria_set,
        self_assessment_opens_on=self_assessment_opens_on,
        self_assessment_due_on=self_assessment_due_on,
        grace_days=grace_days,
        appraisal_due_on=appraisal_due_on,
        explanation_due_on=explanation_due_on,
        decision_due_on=decision_due_on,
    )
    period_open_dossiers(period=period, as_of=agencies_as_of or self_assessment_opens_on)
    return period


@transaction.atomic
def period_open_dossiers(*, period: ScoringPeriod, as_of: dt.date) -> int:
    """Creates the missing dossiers: every agency of the set's groups as it was on `as_of`."""
    criteria_set = period.criteria_set
    versions = AgencyVersion.objects.valid_on(as_of).filter(agency__province_id=period.province_id, group__isnull=False)
    if criteria_set.applies_to_groups:
        versions = versions.filter(group__code__in=criteria_set.applies_to_groups)
    created = 0
    for version in versions.select_related("agency", "group"):
        dossier, was_created = Dossier.objects.get_or_create(
            period=period, agency=version.agency, defaults={"agency_version": version, "group": version.group}
        )
        if was_created:
            dossier_prefill(dossier)
            created += 1
    return created


def expected_phase(period: ScoringPeriod, day: dt.date) -> str:
    """The phase the calendar says the period is in on `day` (final only by finalization)."""
    if day < period.self_assessment_opens_on:
        return Phase.PREPARATION
    if day <= period.self_assessment_due_on + dt.timedelta(days=period.grace_days):
        return Phase.SELF_ASSESSMENT
    if day <= period.appraisal_due_on:
        return Phase.APPRAISAL
    if day <= period.explanation_due_on:
        return Phase.EXPLANATION
    return Phase.SETTLEMENT


@transaction.atomic
def period_set_phase(*, period: ScoringPeriod, phase: str, by: User | None, reason: str = "") -> ScoringPeriod:
    """Moves the period to a phase; a person must give a reason, and a final period stays final."""
    if period.phase == Phase.FINAL:
        raise ValidationError(_("The period is final; change a result with a reason instead."))
    if phase == Phase.FINAL:
        raise ValidationError(_("A period becomes final only by finalizing it."))
    if by is not None and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for moving the phase.")})
    if phase == period.phase:
        return period
    PhaseChange.objects.create(period=period, from_phase=period.phase, to_phase=phase, by=by, reason=reason.strip())
    period.phase = phase
    _reason(period, reason or "automatic by date")
    period.save()
    if phase == Phase.EXPLANATION:
        _notify_agencies(period, _("Provisional appraisal results are published"), "explanation")
    return period


def period_auto_switch(*, day: dt.date) -> list[ScoringPeriod]:
    """Moves every period with auto-switch forward to the phase its dates say (never backwards)."""
    moved = []
    for period in ScoringPeriod.objects.filter(auto_switch=True).exclude(phase=Phase.FINAL):
        target = expected_phase(period, day)
        if PHASE_ORDER.index(target) > PHASE_ORDER.index(period.phase):
            with transaction.atomic():
                locked = ScoringPeriod.objects.select_for_update().get(pk=period.pk)
                if PHASE_ORDER.index(target) > PHASE_ORDER.index(locked.phase):
                    moved.append(period_set_phase(period=locked, phase=target, by=None))
    return moved


def _notify_agencies(period: ScoringPeriod, title: str, key: str) -> None:
    for dossier in period.dossiers.select_related("agency"):
        for user in users_of_agency(agency=dossier.agency):
            if user.roles & {Role.AGENCY_STAFF, Role.AGENCY_HEAD}:
                notification_send(
                    recipient=user,
                    key=f"period:{period.pk}:{key}",
                    title=title,
                    url=reverse("scoring:dossier", args=[dossier.pk]),
                )


# --- self-assessment -----------------------------------------------------------------------------


def _auto_raw(dossier: Dossier, node) -> str | None:
    """What the portal knows for this criterion: deliverable timeliness or an imported index."""
    params = node.params
    source = params.get("auto_source")
    if source and params.get("auto_map"):
        status = deliverable_status_for_agency(
            agency=dossier.agency, year=dossier.period.year, type_code=source, today=timezone.localdate()
        )
        if status in ("on_time", "late", "missing"):
            return str(params["auto_map"].get(status, ""))
        return None
    if node.score_type is ScoreType.IMPORTED_INDEX and params.get("source"):
        value = index_value(
            agency=dossier.agency, source=params["source"], year=dossier.period.year + int(params.get("year_offset", 0))
        )
        return None if value is None else format(value, "f")
    return None


@transaction.atomic
def dossier_prefill(dossier: Dossier) -> int:
    """Fills in (again) the marks the portal computes itself; returns how many changed."""
    spec = criteria_set_spec(dossier.period.criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set_id=dossier.period.criteria_set_id)}
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
            _reason(score, "automatic")
            score.save()
            changed += 1
    return changed


def _check_version(row, version: int | None, *, current: str, by: User | None, at: dt.datetime | None) -> None:
    """Refuses a save made on a page loaded before someone else's save of the same row."""
    if version is not None and row.pk and row.version != version:
        raise StaleEdit(current, by, at)


@transaction.atomic
def self_score_save(
    *,
    dossier: Dossier,
    criterion: Criterion,
    by: User,
    raw: str | None = None,
    note: str | None = None,
    no_evidence_reason: str | None = None,
    version: int | None = None,
) -> CriterionScore:
    """Saves what the agency typed in one cell. A bad mark raises ScoreInputError (nothing saved);
    a save based on an outdated page raises StaleEdit (the other person's value stays)."""
    if dossier.is_locked:
        raise ValidationError(_("The dossier has been submitted and is locked."))
    spec = criteria_set_spec(dossier.period.criteria_set)
    node = spec.node(criterion.code)
    if node.kind is NodeKind.GROUP or not node.self_scorable:
        raise ValidationError(_("This criterion is not scored by the agency."))
    score, _created = CriterionScore.objects.select_for_update().get_or_create(dossier=dossier, criterion=criterion)
    if score.is_automatic and raw is not None and raw != score.self_raw:
        raise ValidationError(_("This mark is filled in by the portal from its records."))
    _check_version(score, version, current=score.self_raw, by=score.updated_by, at=score.updated_at)
    if raw is not None:
        raw = canonical_raw(node, raw) if raw.strip() else ""
        score.self_points = quantize(points_for(node, raw), spec.rounding) if raw else None
        score.self_raw = raw
    if note is not None:
        score.note = note.strip()
    if no_evidence_reason is not None:
        score.no_evidence_reason = no_evidence_reason.strip()
    score.version += 1
    score.updated_by = by
    _reason(score, "self-assessment")
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
    _reason(evidence, "added")
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
    dossier = Dossier.objects.select_for_update().get(pk=dossier.pk)
    if dossier.is_locked:
        raise ValidationError(_("The dossier has already been submitted."))
    dossier_prefill(dossier)
    problems = completeness_problems(dossier_data(dossier))
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
    _reason(dossier, "submitted late" if late_days else "submitted")
    dossier.save()
    return dossier


@transaction.atomic
def dossier_reopen(*, dossier: Dossier, by: User, reason: str) -> Dossier:
    """The reviewer unlocks a submitted dossier for corrections, with a reason the agency sees."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening the dossier.")})
    dossier.status = Dossier.Status.REOPENED
    _reason(dossier, reason)
    dossier.save()
    for user in users_of_agency(agency=dossier.agency):
        notification_send(
            recipient=user,
            key=f"reopen:{dossier.pk}:{timezone.now().isoformat()}",
            title=_("Your dossier was reopened for corrections"),
            body=reason.strip(),
            url=reverse("scoring:dossier", args=[dossier.pk]),
        )
    return dossier


# --- appraisal -----------------------------------------------------------------------------------


@transaction.atomic
def mark_save(
    *,
    dossier: Dossier,
    criterion: Criterion,
    scorer: Agency,
    raw: str,
    by: User,
    comment: str = "",
    version: int | None = None,
    reason: str = "",
) -> AppraisalMark:
    """Saves one appraiser's mark (the scorer is the user's agency); stale saves are refused."""
    if dossier.agency_id == scorer.pk:
        raise ValidationError(_("Nobody appraises their own agency."))
    spec = criteria_set_spec(dossier.period.criteria_set)
    node = spec.node(criterion.code)
    if not (raw or "").strip():
        raise ScoreInputError("empty")
    raw = canonical_raw(node, raw)
    points = quantize(points_for(node, raw), spec.rounding)
    mark = AppraisalMark.objects.select_for_update().filter(dossier=dossier, criterion=criterion, scorer=scorer).first()
    if mark is None:
        mark = AppraisalMark(dossier=dossier, criterion=criterion, scorer=scorer)
    else:
        _check_version(mark, version, current=mark.raw, by=mark.entered_by, at=mark.entered_at)
    mark.raw, mark.points, mark.comment = raw, points, comment.strip()
    mark.version += 1
    mark.entered_by = by
    _reason(mark, reason or "appraisal")
    mark.save()
    return mark


@transaction.atomic
def adjustment_save(
    *, dossier: Dossier, criterion: Criterion, raw: str, reason: str, by: User, evidence=None
) -> Adjustment | None:
    """Applies (or, with an empty value, removes) a bonus or penalty item, always with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the bonus or penalty.")})
    spec = criteria_set_spec(dossier.period.criteria_set)
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
    _reason(adjustment, reason)
    adjustment.save()
    return adjustment


@transaction.atomic
def criterion_set_not_applicable(
    *, dossier: Dossier, criterion: Criterion, value: bool, reason: str, by: User
) -> CriterionScore:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    score, _created = CriterionScore.objects.get_or_create(dossier=dossier, criterion=criterion)
    score.not_applicable = value
    score.version += 1
    score.updated_by = by
    _reason(score, reason)
    score.save()
    return score


@transaction.atomic
def dossier_set_flags(*, dossier: Dossier, flags: list[str], reason: str, by: User) -> Dossier:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    dossier.flags = sorted({f.strip() for f in flags if f.strip()})
    _reason(dossier, reason)
    dossier.save()
    return dossier


@transaction.atomic
def evidence_request_create(*, dossier: Dossier, criterion: Criterion, message: str, by: User) -> EvidenceRequest:
    """Asks the agency for more evidence on a criterion; its people are notified."""
    if not message.strip():
        raise ValidationError({"message": _("Say what evidence is needed.")})
    request = EvidenceRequest.objects.create(
        dossier=dossier, criterion=criterion, message=message.strip(), requested_by=by
    )
    for user in users_of_agency(agency=dossier.agency):
        notification_send(
            recipient=user,
            key=f"evidence-request:{request.pk}",
            title=_("More evidence requested for criterion %(code)s") % {"code": criterion.code},
            body=message.strip(),
            url=reverse("scoring:dossier", args=[dossier.pk]),
        )
    return request


# --- explanation round ---------------------------------------------------------------------------


@transaction.atomic
def explanation_submit(*, dossier: Dossier, criterion: Criterion, text: str, by: User) -> Explanation:
    if not text.strip():
        raise ValidationError({"text": _("Write the explanation.")})
    explanation = Explanation(dossier=dossier, criterion=criterion, text=text.strip(), submitted_by=by)
    _reason(explanation, "explanation submitted")
    explanation.save()
    return explanation


@transaction.atomic
def explanation_decide(
    *, explanation: Explanation, accept: bool, reason: str, by: User, new_raw: str | None = None
) -> Explanation:
    """Accepts (the mark changes) or rejects an explanation — always with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if explanation.decision != Explanation.Decision.PENDING:
        raise ValidationError(_("This explanation has already been decided."))
    if accept:
        if not (new_raw or "").strip():
            raise ValidationError({"new_raw": _("Enter the new mark.")})
        mark_save(
            dossier=explanation.dossier,
            criterion=explanation.criterion,
            scorer=by.agency,
            raw=new_raw,
            by=by,
            comment=reason,
            reason=f"explanation accepted: {reason}",
        )
    explanation.decision = Explanation.Decision.ACCEPTED if accept else Explanation.Decision.REJECTED
    explanation.decision_reason = reason.strip()
    explanation.decided_by = by
    explanation.decided_at = timezone.now()
    _reason(explanation, reason)
    explanation.save()
    for user in users_of_agency(agency=explanation.dossier.agency):
        notification_send(
            recipient=user,
            key=f"explanation:{explanation.pk}:decided",
            title=_("Your explanation on criterion %(code)s was %(decision)s")
            % {"code": explanation.criterion.code, "decision": explanation.get_decision_display().lower()},
            body=reason.strip(),
            url=reverse("scoring:dossier", args=[explanation.dossier_id]),
        )
    return explanation


# --- results --------------------------------------------------------------------------------------


def _store_results(period: ScoringPeriod, reason: str) -> int:
    from portal.text import vi_sort_key

    from ..explain import step_text

    data = period_dossier_data(period)
    if not data:
        return 0
    bands = {b.code: b.label for b in period.criteria_set.bands.all()}
    by_group: dict[str, list] = {}
    dossiers = {}
    for item in data:
        by_group.setdefault(item.dossier.group.code, []).append(item.engine_input())
        dossiers[item.dossier.agency.code] = item.dossier
    count = 0
    for inputs in by_group.values():
        for r in evaluate_group(data[0].spec, inputs, vi_sort_key):
            result = Result.objects.filter(dossier=dossiers[r.key]).first() or Result(dossier=dossiers[r.key])
            result.self_total, result.appraised_total = r.self_total, r.appraised_total
            result.bonus, result.penalty, result.total = r.bonus, r.penalty, r.total
            result.band_code, result.classified, result.rank = r.band or "", r.classified, r.rank
            result.steps = [step_text(s, bands) for s in r.steps]
            result.criteria = {
                code: {
                    "max": str(c.max_points),
                    "self": None if c.self_points is None else str(c.self_points),
                    "appraised": None if c.appraised_points is None else str(c.appraised_points),
                    "final": str(c.final_points),
                    "na": c.not_applicable,
                }
                for code, c in r.criteria.items()
            }
            _reason(result, reason)
            result.save()
            count += 1
    return count


@transaction.atomic
def period_finalize(*, period: ScoringPeriod, by: User) -> int:
    """Freezes every score: the engine computes totals, classes and ranks per group, stored as Results."""
    period = ScoringPeriod.objects.select_for_update().get(pk=period.pk)
    if period.phase == Phase.FINAL:
        raise ValidationError(_("The period is already final."))
    if period.phase != Phase.SETTLEMENT:
        raise ValidationError(_("Finalize the period in the settlement phase."))
    pending = Explanation.objects.filter(dossier__period=period, decision=Explanation.Decision.PENDING).count()
    if pending:
        raise ValidationError(_("%(n)s explanations still await a decision.") % {"n": pending})
    for dossier in period.dossiers.all():
        dossier_prefill(dossier)
    count = _store_results(period, "finalized")
    PhaseChange.objects.create(period=period, from_phase=period.phase, to_phase=Phase.FINAL, by=by, reason="finalized")
    period.phase = Phase.FINAL
    period.finalized_at = timezone.now()
    period.finalized_by = by
    _reason(period, "finalized")
    period.save()
    _notify_agencies(period, _("The results of the period are final"), "final")
    return count


@transaction.atomic
def final_mark_change(*, dossier: Dossier, criterion: Criterion, raw: str, reason: str, by: User) -> AppraisalMark:
    """After finalization a result changes only this way: a reviewer, a reason, recorded, and the
    group's totals, classes and ranks recomputed."""
    if dossier.period.phase != Phase.FINAL:
        raise ValidationError(_("The period is not final yet."))
    if not reason.strip():
        raise ValidationError({"reason": _("A change after finalization needs a reason.")})
    mark = mark_save(
        dossier=dossier,
        criterion=criterion,
        scorer=by.agency,
        raw=raw,
        by=by,
        comment=reason,
        reason=f"after final: {reason}",
    )
    _store_results(dossier.period, f"recomputed: {reason}")
    return mark
