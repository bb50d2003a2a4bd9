"""Stored results: the provisional result of a dossier, recomputed by every use case that changes
what it depends on (in its transaction, under the dossier's lock); every stored result of a period
at once (phase changes, the `refresh_results` command); the frozen results of finalization; and the
one way to change a mark after it (with a reason, the group recomputed)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import typed_reason
from portal.models import User

from ..engine import DossierResult, score_dossier
from ..explain import step_text
from ..models import AppraisalMark, Criterion, Dossier, Phase, ProvisionalResult, Result, ScoringPeriod
from ..selectors.dossier import criteria_set_for, engine_input
from ..selectors.results import DossierComputation, counted_input, dossier_computation, is_counted, period_computations
from ..selectors.stored_detail import computation_after_cell, detail_read, stored_detail
from ._base import set_reason

STORED = ("self_total", "appraised_total", "bonus", "penalty", "total", "band_code", "classified", "penalty_count")


def _stored_fields(result: DossierResult) -> dict:
    return {
        "self_total": result.self_total,
        "appraised_total": result.appraised_total,
        "bonus": result.bonus,
        "penalty": result.penalty,
        "total": result.total,
        "band_code": result.band or "",
        "classified": result.classified,
        "penalty_count": result.penalty_count,
    }


def dossier_result_refresh(*, dossier: Dossier) -> DossierComputation:
    """Recomputes one dossier's stored provisional result from its rows and returns the engine's
    computation on them (what the dossier's own page shows). Called by every use case that changes
    the rows, inside its transaction, after `dossier_lock`: two queries and the engine on one dossier."""
    computation = dossier_computation(dossier)
    counted = computation.result
    known = criteria_set_for(dossier)
    if not is_counted(dossier):
        counted = score_dossier(known.spec, counted_input(dossier, computation.input, known.spec))
    fields = {**_stored_fields(counted), "detail": stored_detail(known.pk, computation), "computed_at": timezone.now()}
    if not ProvisionalResult.objects.filter(dossier_id=dossier.pk).update(**fields):
        ProvisionalResult.objects.create(dossier_id=dossier.pk, **fields)
    return computation


def dossier_result_update(
    *,
    dossier: Dossier,
    code: str,
    stored: dict | None,
    score: tuple[str, bool, bool] | None,
    marks: list[tuple[str, str]] | None = None,
) -> DossierComputation:
    """After one cell of criterion `code` was saved (under the dossier's lock, `stored` being the
    detail of its provisional result read with the lock): recomputes that criterion's leaf from
    its row alone — `score` (self raw, not applicable, filled in by the portal) and, when its marks
    changed, all its `marks` ((scorer, raw) in the order first saved; None: unchanged, the stored
    appraisal stands) — and the totals from the other leaves as stored, then stores the result.
    No other row is read; the result equals `dossier_result_refresh`'s (tests/scoring/
    test_incremental_results.py). Without a usable stored detail it is that refresh."""
    known = criteria_set_for(dossier)
    spec = known.spec
    detail = detail_read(stored, known.pk, spec)
    computation = None
    if detail is not None:
        real = engine_input(
            dossier, spec, scores={code: score} if score else {}, marks={code: marks or []}, adjustments=detail.items
        )
        computation = computation_after_cell(spec, detail, real, code, marks_changed=marks is not None)
    if computation is None:
        return dossier_result_refresh(dossier=dossier)
    fields = {"detail": stored_detail(known.pk, computation), "computed_at": timezone.now()}
    # A private draft counts as empty (its stored totals do not move with its cells).
    if is_counted(dossier):
        fields.update(_stored_fields(computation.result))
    ProvisionalResult.objects.filter(dossier_id=dossier.pk).update(**fields)
    return computation


def _period_locked(period: ScoringPeriod) -> list[Dossier]:
    """The period's dossiers, locked (in one order, so two refreshes of a period queue up)."""
    return list(
        Dossier.objects.select_for_update(of=("self",))
        .filter(period=period)
        .select_related("agency", "agency_version", "group")
        .order_by("pk")
    )


def _store_provisional(computed: list[tuple[Dossier, DossierResult, DossierComputation]]) -> int:
    now = timezone.now()
    ProvisionalResult.objects.bulk_create(
        [
            ProvisionalResult(
                dossier=d, computed_at=now, detail=stored_detail(criteria_set_for(d).pk, real), **_stored_fields(r)
            )
            for d, r, real in computed
        ],
        update_conflicts=True,
        unique_fields=["dossier"],
        update_fields=[*STORED, "detail", "computed_at"],
    )
    return len(computed)


@transaction.atomic
def results_refresh(*, period: ScoringPeriod) -> int:
    """Recomputes the stored provisional result of every dossier of the period (a phase change may
    make drafts count; the `refresh_results` command repairs rows written around the services).
    Returns how many were stored."""
    return _store_provisional(period_computations(period, _period_locked(period)))


def _store_final(period: ScoringPeriod, computed: list[tuple[Dossier, DossierResult]], reason: str) -> int:
    existing = {r.dossier_id: r for r in Result.objects.filter(dossier__period=period)}
    for dossier, r in computed:
        result = existing.get(dossier.pk) or Result(dossier=dossier)
        result.self_total, result.appraised_total = r.self_total, r.appraised_total
        result.bonus, result.penalty, result.total = r.bonus, r.penalty, r.total
        result.band_code, result.classified, result.rank = r.band or "", r.classified, r.rank
        result.steps = [step_text(s, criteria_set_for(dossier).band_labels) for s in r.steps]
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
        set_reason(result, reason)
        result.save()
    return len(computed)


def results_store(*, period: ScoringPeriod, reason: str) -> int:
    """Computes and stores every dossier's Result (totals, class, rank per group, the steps in
    words), and brings the provisional results up to date with them; runs inside the transaction
    of the use case that freezes or changes the results."""
    computed = period_computations(period, _period_locked(period))
    _store_provisional(computed)
    return _store_final(period, [(d, r) for d, r, _real in computed], reason) if computed else 0


@transaction.atomic
def final_mark_change(
    *, dossier: Dossier, criterion: Criterion, raw: str, reason: str, by: User, version: int | None
) -> AppraisalMark:
    """After finalization a result changes only this way: a reviewer, a reason, recorded, and the
    group's totals, classes and ranks recomputed. `version` is that of the mark the page showed."""
    from .appraisal import mark_save

    if dossier.period.phase != Phase.FINAL:
        raise ValidationError(_("The period is not final yet."))
    reason = typed_reason(reason)
    if not reason.strip():
        raise ValidationError({"reason": _("A change after finalization needs a reason.")})
    saved = mark_save(
        dossier=dossier,
        criterion=criterion,
        scorer=by.agency,
        raw=raw,
        by=by,
        comment=reason,
        version=version,
        reason=f"after final: {reason}",
    )
    results_store(period=dossier.period, reason=f"recomputed: {reason}")
    return saved.row
