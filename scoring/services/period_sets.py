"""Changing the further criteria sets a period applies (admin inline, or here directly): every
existing dossier moves to the set that now names its group, carrying what was typed by criterion
code as a version change does (services.versions); what cannot carry stays on the old criteria,
listed in the record (PeriodVersionChange: who, when, why, from which sets to which). Agencies of a
group a new set names get their dossier. Refused, nothing changed, once the period is final."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cleaning import typed_reason
from portal.models import User

from ..models import CriteriaSet, Dossier, PeriodCriteriaSet, PeriodVersionChange, ScoringPeriod
from ..selectors.dossier import period_sets_problems, set_for_group
from ..selectors.regulations import criteria_set_data
from .periods import period_open_dossiers
from .results import results_refresh
from .versions import SetMove, VersionDiff, carry_apply, carry_diff


def further_sets_problems(period: ScoringPeriod, further_sets: Sequence[CriteriaSet]) -> list[str]:
    """Why the period cannot apply these further sets (besides its own): final, a set twice, a group
    named by two sets, another province's set, or a group whose agencies have dossiers that no set
    would apply to any more. What the admin's inline checks before it saves."""
    if period.is_final:
        return [_("The period is final: the criteria sets it applies and the set of each dossier stay as they are.")]
    sets = [(each, tuple(each.applies_to_groups)) for each in [period.criteria_set, *further_sets]]
    problems = period_sets_problems(sets)
    if any(each.regulation.province_id != period.province_id for each in further_sets):
        problems.append(_("The criteria set belongs to another province."))
    groups = Dossier.objects.filter(period=period).values_list("group__code", "group__name").distinct()
    for code, name in groups.order_by("group__code"):
        if set_for_group(sets, code) is None:
            problems.append(
                _("No criteria set of the period would apply to the group %(group)s, whose agencies have dossiers.")
                % {"group": name}
            )
    return problems


def further_sets_diff(period: ScoringPeriod, further_sets: Sequence[CriteriaSet]) -> VersionDiff:
    """The dossiers that change set with these further sets, and what carries over (by code)."""
    sets = [(each, tuple(each.applies_to_groups)) for each in [period.criteria_set, *further_sets]]
    moves: dict[tuple[int, int], SetMove] = {}
    dossiers = Dossier.objects.filter(period=period).select_related("agency_version", "group").order_by("pk")
    for dossier in dossiers:
        now = dossier.criteria_set_id or period.criteria_set_id
        target = set_for_group(sets, dossier.group.code)
        if target is None or target.pk == now:
            continue
        move = moves.get((now, target.pk))
        if move is None:
            move = moves[(now, target.pk)] = SetMove(criteria_set_data(now), criteria_set_data(target.pk))
        move.dossiers[dossier.pk] = dossier
    return carry_diff(list(moves.values()))


@transaction.atomic
def period_further_sets_change(
    *, period: ScoringPeriod, further_sets: Sequence[CriteriaSet], by: User | None, reason: str
) -> PeriodVersionChange | None:
    """The period applies `further_sets` (in this order) besides its own: each dossier moves to the
    set that names its group, what was typed carried by criterion code; the change recorded with
    who and why; new dossiers for the groups a new set names; results recomputed. None when the
    sets stay the same. Refused (ValidationError, nothing changed) once the period is final."""
    period = ScoringPeriod.objects.select_for_update().select_related("criteria_set__regulation").get(pk=period.pk)
    if by is not None and not by.has_perm("scoring.manage_period", period):
        raise ValidationError(_("Only the reviewer or the province administrator changes the period's criteria sets."))
    problems = further_sets_problems(period, further_sets)
    if problems:
        raise ValidationError(problems)
    rows = list(PeriodCriteriaSet.objects.filter(period=period).select_related("criteria_set__regulation"))
    if [row.criteria_set_id for row in rows] == [each.pk for each in further_sets]:
        return None
    reason = typed_reason(reason).strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for changing the period's criteria sets.")})
    diff = further_sets_diff(period, further_sets)
    old_codes = [period.criteria_set.library_code, *(row.criteria_set.library_code for row in rows)]
    new_codes = [period.criteria_set.library_code, *(each.library_code for each in further_sets)]
    carry_apply(diff, main_set_id=period.criteria_set_id, reason=f"criteria sets → {', '.join(new_codes)}: {reason}")
    PeriodCriteriaSet.objects.filter(period=period).delete()
    PeriodCriteriaSet.objects.bulk_create(
        PeriodCriteriaSet(period=period, criteria_set=each, order=order) for order, each in enumerate(further_sets, 1)
    )
    record = PeriodVersionChange.objects.create(
        period=period,
        from_sets=old_codes,
        to_sets=new_codes,
        carried=dict(diff.carried),
        left_behind=diff.left_behind,
        reason=reason,
        by=by,
    )
    if not period_open_dossiers(period=period, as_of=period.self_assessment_opens_on):
        results_refresh(period=period)
    return record
