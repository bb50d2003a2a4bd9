"""A period's life: creating it with its dossiers, moving it between phases, finalizing it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import AgencyVersion, Province, Role, User
from portal.selectors import users_of_agency
from portal.services import notification_send

from ..models import PHASE_ORDER, CriteriaSet, Dossier, Explanation, Phase, PhaseChange, ScoringPeriod
from ._base import dossier_url, set_reason
from .results import results_refresh, results_store
from .self_assessment import prefill_write


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
            prefill_write(dossier)
            created += 1
    if created:
        results_refresh(period=period)  # every dossier has its stored result from the start
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
    reason = typed_text(PhaseChange, "reason", reason, NOTE_MAX_CHARS)
    if by is not None and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for moving the phase.")})
    if phase == period.phase:
        return period
    PhaseChange.objects.create(period=period, from_phase=period.phase, to_phase=phase, by=by, reason=reason.strip())
    period.phase = phase
    set_reason(period, reason or "automatic by date")
    period.save()
    # What counts changes with the phase: drafts kept private during self-assessment count after it.
    results_refresh(period=period)
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
                    recipient=user, key=f"period:{period.pk}:{key}", title=title, url=dossier_url(dossier.pk)
                )


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
    for dossier in period.dossiers.select_related("agency"):
        dossier.period = period
        prefill_write(dossier)
    count = results_store(period=period, reason="finalized")
    PhaseChange.objects.create(period=period, from_phase=period.phase, to_phase=Phase.FINAL, by=by, reason="finalized")
    period.phase = Phase.FINAL
    period.finalized_at = timezone.now()
    period.finalized_by = by
    set_reason(period, "finalized")
    period.save()
    _notify_agencies(period, _("The results of the period are final"), "final")
    return count
