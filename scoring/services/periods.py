"""A period's life: creating it with its dossiers, moving it between phases, finalizing it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import AgencyVersion, Province, Role, User
from portal.selectors import users_of_agency
from portal.services import notification_send

from ..models import CriteriaSet, Dossier, Explanation, PeriodCriteriaSet, Phase, PhaseChange, ScoringPeriod
from ..phases import Permit, calendar_starts, default_phases, phases_problems, phases_stored
from ..selectors.dossier import period_sets_problems, set_for_group
from ._base import about_period, dossier_url, set_reason
from .committee import committee_notify
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
    phases: list[dict] | None = None,
    further_sets: Sequence[CriteriaSet] = (),
    open_dossiers: bool = True,
) -> ScoringPeriod:
    """Pins the criteria set (and `further_sets`, each for the groups it names) and opens a dossier
    for every agency of the sets' groups, as the agency was on `agencies_as_of` (default: the day
    self-assessment opens), scored against its group's set. The phases are the built-in six unless
    the province gives its own (`scoring.phases`)."""
    if not (self_assessment_opens_on <= self_assessment_due_on <= appraisal_due_on <= explanation_due_on):
        raise ValidationError(_("The phase dates must follow one another."))
    sets = [(each, tuple(each.applies_to_groups)) for each in [criteria_set, *further_sets]]
    problems = period_sets_problems(sets)
    if problems or any(each.regulation.province_id != province.pk for each, _groups in sets):
        raise ValidationError(problems or _("The criteria set belongs to another province."))
    period = ScoringPeriod(
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
        phases=default_phases() if phases is None else phases,
    )
    problems = phases_check(period, period.phases)
    if problems:
        raise ValidationError(problems)
    period.phases = phases_stored(period.phases)
    period.phase = period.phases[0]["key"]
    period.save()
    PeriodCriteriaSet.objects.bulk_create(
        PeriodCriteriaSet(period=period, criteria_set=each, order=order)
        for order, each in enumerate(further_sets, start=1)
    )
    if open_dossiers:  # a contest enters the entrants its organiser names (services.contest) instead
        period_open_dossiers(period=period, as_of=agencies_as_of or self_assessment_opens_on)
    return period


@transaction.atomic
def period_open_dossiers(*, period: ScoringPeriod, as_of: dt.date) -> int:
    """Creates the missing dossiers: every agency of the sets' groups as it was on `as_of`, each
    scored against the set that names its group (the period's own set: left empty)."""
    sets = period.sets()
    versions = AgencyVersion.objects.valid_on(as_of).filter(agency__province_id=period.province_id, group__isnull=False)
    created = 0
    for version in versions.select_related("agency", "group"):
        if not version.group.takes_part_in(period.program):  # enterprises never join a DVCQ period
            continue
        criteria_set = set_for_group(sets, version.group.code)
        if criteria_set is None:  # no set of the period applies to the agency's group
            continue
        dossier, was_created = Dossier.objects.get_or_create(
            period=period,
            agency=version.agency,
            defaults={
                "agency_version": version,
                "group": version.group,
                "criteria_set": None if criteria_set.pk == period.criteria_set_id else criteria_set,
            },
        )
        if was_created:
            prefill_write(dossier)
            created += 1
    if created:
        results_refresh(period=period)  # every dossier has its stored result from the start
    return created


def expected_phase(period: ScoringPeriod, day: dt.date) -> str:
    """The phase the calendar says the period is in on `day`: the last of its phases entered by then
    (final only by finalization)."""
    return period.phase_table.expected(day)


def _lock_phase(period: ScoringPeriod) -> None:
    """Locks the period's row and reloads its phase and phases into `period`: two moves at once (a
    reviewer and the calendar, two browsers) are checked one after the other."""
    fresh = ScoringPeriod.objects.select_for_update().filter(pk=period.pk).values("phase", "phases").get()
    period.phase, period.phases = fresh["phase"], fresh["phases"]


@transaction.atomic
def period_set_phase(*, period: ScoringPeriod, phase: str, by: User | None, reason: str = "") -> ScoringPeriod:
    """Moves the period to another of its phases when the move is allowed: by the calendar (no
    person) forward; by a reviewer or the province's administrator one step on or back, with a
    reason. Final only by finalizing, never out of it. A refused move changes nothing."""
    _lock_phase(period)
    if by is not None and not by.has_perm("scoring.manage_period", period):
        raise ValidationError(_("Only the reviewer or the province administrator moves a period's phase."))
    problem = period.phase_table.move_problem(period.phase, phase, by_person=by is not None)
    if problem:
        raise ValidationError(problem)
    reason = typed_text(PhaseChange, "reason", reason, NOTE_MAX_CHARS)
    if by is not None and not reason.strip():
        raise ValidationError({"reason": _("Give the reason for moving the phase.")})
    if phase == period.phase:
        return period
    before = period.current_phase
    PhaseChange.objects.create(period=period, from_phase=period.phase, to_phase=phase, by=by, reason=reason.strip())
    period.phase = phase
    set_reason(period, reason or "automatic by date")
    period.save()
    # What counts changes with the phase: drafts kept private during self-assessment count after it.
    results_refresh(period=period)
    if period.current_phase.allows(Permit.RESULTS_PUBLISHED) and not before.allows(Permit.RESULTS_PUBLISHED):
        _notify_agencies(period, _("Provisional appraisal results are published"), "explanation")
        committee_notify(period=period, key="published", title=_("Provisional appraisal results are published"))
    return period


def phases_check(period: ScoringPeriod, phases) -> list[str]:
    """What is wrong with giving the period these phases: the list itself (`phases_problems`, with
    the period's dates), a final period's phases, the current phase left out."""
    problems = phases_problems(phases, calendar_starts(period))
    if problems:
        return problems
    if period.pk and period.is_final and phases_stored(phases) != period.phases:
        return [_("The period is final; its phases stay as they were.")]
    if period.pk and period.phase not in {entry["key"] for entry in phases}:
        return [_("The current phase “%(phase)s” stays among the phases.") % {"phase": period.get_phase_display()}]
    return []


@transaction.atomic
def period_set_phases(*, period: ScoringPeriod, phases: list[dict], by: User | None, reason: str = "") -> ScoringPeriod:
    """Gives the period other phases (one more round, other names, days or switches), checked as a
    whole; the period's history keeps the old ones."""
    _lock_phase(period)
    if by is not None and not by.has_perm("scoring.manage_period", period):
        raise ValidationError(_("Only the reviewer or the province administrator changes a period's phases."))
    problems = phases_check(period, phases)
    if problems:
        raise ValidationError(problems)
    was_over = period.phase_table.self_assessment_over(period.phase)
    period.phases = phases_stored(phases)
    set_reason(period, reason or "phases changed")
    period.save()
    if period.phase_table.self_assessment_over(period.phase) != was_over:
        results_refresh(period=period)  # drafts count, or stop counting, in the current phase
    return period


def _calendar_is_ahead(period: ScoringPeriod, day: dt.date) -> bool:
    table = period.phase_table
    at, due = table.index(period.phase), table.index(table.expected(day))
    return at is not None and due is not None and due > at


def period_auto_switch(*, day: dt.date) -> list[ScoringPeriod]:
    """Moves every period with auto-switch forward to the phase its dates say (never backwards)."""
    moved = []
    for period in ScoringPeriod.objects.filter(auto_switch=True).exclude(phase=Phase.FINAL):
        if _calendar_is_ahead(period, day):
            with transaction.atomic():
                _lock_phase(period)
                if _calendar_is_ahead(period, day):
                    moved.append(period_set_phase(period=period, phase=expected_phase(period, day), by=None))
    return moved


def _notify_agencies(period: ScoringPeriod, title: str, key: str) -> None:
    title = about_period(title, period)
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
    last = period.phase_table.previous(Phase.FINAL)
    if last is None or period.phase != last.key:
        raise ValidationError(
            _("Finalize the period in its last phase, “%(phase)s”.") % {"phase": last.label if last else ""}
        )
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
    committee_notify(period=period, key="final", title=_("The results of the period are final"))
    return count
