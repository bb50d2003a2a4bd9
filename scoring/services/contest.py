"""Contests (cuộc thi): setting one up on a "Dân vận khéo" period, and a judge's marks.

A judge's marks are the judge's alone: saved only by the judge, only while the period lets
appraisers mark, each with who, when and why (history with a change reason)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import Agency, AgencyVersion, Program, Province, User

from ..engine import ScoreInputError, points_for
from ..engine.contest import PanelRule
from ..engine.leaf import canonical_raw, quantize
from ..models import Contest, ContestJudge, CriteriaSet, Dossier, JudgeMark, PeriodCriteriaSet, ScoringPeriod
from ..selectors.contest import entrant_set, sheet_nodes
from ..selectors.dossier import period_sets_problems, set_for_group
from ._base import set_reason
from .periods import period_create


def awards_problems(awards: object) -> list[str]:
    """What is wrong with a contest's prizes as data (a list of {code, name, count})."""
    if not isinstance(awards, list):
        return [_("The prizes must be a list.")]
    problems, codes = [], set()
    for entry in awards:
        if not isinstance(entry, dict) or not {"code", "name", "count"} <= entry.keys():
            problems.append(_("Each prize needs its code, name and number of places."))
            continue
        if not isinstance(entry["count"], int) or entry["count"] < 0:
            problems.append(_("The number of places of %(name)s must be a whole number, 0 or more.") % entry)
        if entry["code"] in codes:
            problems.append(_("Two prizes have the code %(code)s.") % entry)
        codes.add(entry["code"])
    return problems


@transaction.atomic
def contest_create(
    *,
    period: ScoringPeriod,
    judges: Iterable[tuple[User, str]],
    combine: str = PanelRule.AVERAGE,
    awards: list[dict] | None = None,
    theme: str = "",
    by: User | None,
) -> Contest:
    """A contest on a "Dân vận khéo" period with its panel (people and their titles), rule and prizes."""
    if period.program != Program.DVK:
        raise ValidationError(_("A contest is a period of the “Dân vận khéo” programme."))
    contest = Contest(period=period, combine=PanelRule(combine).value, theme=theme)
    if awards is not None:
        contest.awards = awards
    problems = awards_problems(contest.awards)
    if problems:
        raise ValidationError(problems)
    set_reason(contest, "contest created")
    contest.save()
    for order, (user, title) in enumerate(judges):
        if user.province_id != period.province_id:
            raise ValidationError(_("A judge must belong to the contest's province."))
        judge = ContestJudge(contest=contest, user=user, title=title, order=order)
        set_reason(judge, "panel")
        judge.save()
    return contest


@transaction.atomic
def judge_marks_save(
    *,
    contest: Contest,
    judge: ContestJudge,
    dossier: Dossier,
    marks: Mapping[str, str],
    comments: Mapping[str, str] | None = None,
    by: User,
    reason: str = "",
) -> list[JudgeMark]:
    """Saves the judge's marks on one entrant (criterion code → raw; an empty value takes a mark
    back). All or nothing: one wrong mark refuses the whole sheet."""
    if judge.contest_id != contest.pk or judge.user_id != by.pk:
        raise ValidationError(_("Only the judge enters the judge's marks."))
    if dossier.period_id != contest.period_id:
        raise ValidationError(_("This unit does not take part in the contest."))
    if not contest.period.current_phase.allows("reviewers_mark"):
        raise ValidationError(_("The panel does not mark in this phase of the contest."))
    data = entrant_set(contest, dossier)
    nodes = {n.code: n for n in sheet_nodes(data.spec)}
    unknown = set(marks) - nodes.keys()
    if unknown:
        raise ValidationError(_("Not a criterion of the contest: %(codes)s") % {"codes": ", ".join(sorted(unknown))})
    comments = comments or {}
    current = {m.criterion_id: m for m in JudgeMark.objects.select_for_update().filter(judge=judge, dossier=dossier)}
    saved = []
    for code, raw in marks.items():
        node, criterion = nodes[code], data.criteria[code]
        mark = current.get(criterion.pk)
        raw = (raw or "").strip()
        if not raw:
            if mark is not None:
                set_reason(mark, reason or "judge took the mark back")
                mark.delete()
            continue
        try:
            raw = canonical_raw(node, raw)
            points = quantize(points_for(node, raw), data.rounding)
        except ScoreInputError as error:
            error.params.setdefault("criterion", code)
            raise
        comment = typed_text(JudgeMark, "comment", comments.get(code, ""), NOTE_MAX_CHARS)
        if mark is not None and mark.raw == raw and mark.comment == comment:
            saved.append(mark)
            continue
        if mark is None:
            mark = JudgeMark(judge=judge, dossier=dossier, criterion=criterion)
        mark.raw, mark.points, mark.comment, mark.entered_by = raw, points, comment, by
        set_reason(mark, reason or "judge's mark")
        mark.save()
        saved.append(mark)
    return saved


# --- setting a contest up (the organiser's form) -----------------------------------------------------


@dataclass(frozen=True)
class ContestSetup:
    """What the organiser states of a contest: its name and year, the published criteria set (and
    further sets, each for the groups it names), theme, combine rule, places per prize (code →
    count, in the contest's order of prizes), the entrants and the judging panel."""

    name: str
    year: int
    criteria_set: CriteriaSet
    further_sets: tuple[CriteriaSet, ...] = ()
    theme: str = ""
    combine: str = PanelRule.AVERAGE
    places: Mapping[str, int] | None = None
    entrants: tuple[Agency, ...] = ()
    judges: tuple[User, ...] = ()


def _dates(year: int) -> dict[str, dt.date]:
    """A contest's calendar within its year; its phases are moved by the organiser (no switch by date)."""
    return {
        "self_assessment_opens_on": dt.date(year, 1, 1),
        "self_assessment_due_on": dt.date(year, 9, 30),
        "appraisal_due_on": dt.date(year, 10, 31),
        "explanation_due_on": dt.date(year, 11, 15),
        "decision_due_on": dt.date(year, 12, 15),
    }


def _awards_with_places(awards: list[dict], places: Mapping[str, int] | None) -> list[dict]:
    if places is None:
        return awards
    return [{**award, "count": places.get(award["code"], award["count"])} for award in awards]


def _setup_problems(province: Province, setup: ContestSetup) -> dict[str, list[str]]:
    problems: dict[str, list[str]] = {}
    sets = [setup.criteria_set, *setup.further_sets]
    if any(each.regulation.province_id != province.pk for each in sets):
        problems.setdefault("criteria_set", []).append(_("The criteria set belongs to another province."))
    set_problems = period_sets_problems([(each, tuple(each.applies_to_groups)) for each in sets])
    if set_problems:
        problems.setdefault("further_sets", []).extend(set_problems)
    if not setup.entrants:
        problems.setdefault("entrants", []).append(_("Choose at least one entrant."))
    if any(agency.province_id != province.pk for agency in setup.entrants):
        problems.setdefault("entrants", []).append(_("An entrant must be a unit of the contest's province."))
    if not setup.judges:
        problems.setdefault("judges", []).append(_("Choose at least one judge."))
    if any(user.province_id != province.pk for user in setup.judges):
        problems.setdefault("judges", []).append(_("A judge must belong to the contest's province."))
    if setup.places is not None and any(count < 0 for count in setup.places.values()):
        problems.setdefault(None, []).append(_("The number of places of a prize must be 0 or more."))
    return problems


def _marked(contest: Contest) -> bool:
    return JudgeMark.objects.filter(judge__contest=contest).exists()


def _entrant_versions(agencies: Iterable[Agency], year: int) -> tuple[dict[int, AgencyVersion], list[str]]:
    """Each entrant as it was in the contest's year (its latest version of that year), and what
    stops one from entering: no version that year, or no group (khối)."""
    agencies = list(agencies)
    versions: dict[int, AgencyVersion] = {}
    for version in (
        AgencyVersion.objects.valid_in_year(year)
        .filter(agency__in=agencies)
        .select_related("group")
        .order_by("agency_id", "valid_from")
    ):
        versions[version.agency_id] = version  # the latest of the year wins
    problems = []
    for agency in agencies:
        version = versions.get(agency.pk)
        if version is None:
            problems.append(_("%(unit)s did not exist in %(year)s.") % {"unit": agency, "year": year})
        elif version.group_id is None:
            problems.append(_("%(unit)s belongs to no group (khối).") % {"unit": version.name})
    return versions, problems


def _enter(contest: Contest, agencies: Iterable[Agency]) -> None:
    """Dossiers for the entrants not yet entered, each on the set that names its group (else the
    contest's own); the entrants no longer named leave — unless a judge has marked them."""
    period = contest.period
    wanted = {agency.pk: agency for agency in agencies}
    current = {d.agency_id: d for d in Dossier.objects.filter(period=period).select_related("agency_version")}
    leaving = [d for agency_id, d in current.items() if agency_id not in wanted]
    marked = set(JudgeMark.objects.filter(dossier__in=leaving).values_list("dossier__agency_version__name", flat=True))
    if marked:
        raise ValidationError(
            {"entrants": _("Judges have already marked %(units)s: they stay in the contest.")
             % {"units": ", ".join(sorted(marked))}}
        )  # fmt: skip
    for dossier in leaving:
        set_reason(dossier, "left the contest")
        dossier.delete()
    joining = [agency for pk, agency in wanted.items() if pk not in current]
    versions, problems = _entrant_versions(joining, period.year)
    if problems:
        raise ValidationError({"entrants": problems})
    sets = period.sets()
    for agency in joining:
        version = versions[agency.pk]
        criteria_set = set_for_group(sets, version.group.code) or period.criteria_set
        dossier = Dossier(
            period=period, agency=agency, agency_version=version, group=version.group,
            criteria_set=None if criteria_set.pk == period.criteria_set_id else criteria_set,
        )  # fmt: skip
        set_reason(dossier, "entered in the contest")
        dossier.save()


@transaction.atomic
def contest_enter(*, contest: Contest, agencies: Iterable[Agency], by: User | None) -> None:
    """The contest's entrants as named (the admin's list): new ones enter on their group's set, the
    others leave unless a judge has marked them."""
    _enter(contest, agencies)


def _seat(contest: Contest, users: Iterable[User]) -> None:
    """The panel as named: new judges take their seats after the others; a judge who has marked
    keeps the seat (the marks are theirs)."""
    users = list(users)
    wanted = {user.pk for user in users}
    seats = {j.user_id: j for j in ContestJudge.objects.filter(contest=contest).select_related("user")}
    leaving = [j for user_id, j in seats.items() if user_id not in wanted]
    marked = sorted({str(m.judge) for m in JudgeMark.objects.filter(judge__in=leaving).select_related("judge__user")})
    if marked:
        raise ValidationError(
            {"judges": _("%(judges)s have already marked: they stay on the panel.") % {"judges": ", ".join(marked)}}
        )
    for judge in leaving:
        set_reason(judge, "left the panel")
        judge.delete()
    order = max((j.order for j in seats.values()), default=-1)
    for user in users:
        if user.pk not in seats:
            order += 1
            judge = ContestJudge(contest=contest, user=user, order=order)
            set_reason(judge, "panel")
            judge.save()


def _raise(problems: dict[str | None, list[str]]) -> None:
    if problems:
        named = {field or "__all__": messages for field, messages in problems.items()}
        raise ValidationError(named)


@transaction.atomic
def contest_setup_create(*, province: Province, setup: ContestSetup, by: User) -> Contest:
    """A contest opened from the organiser's form: its "Dân vận khéo" period of the year (in
    preparation, phases moved by the organiser), sets, rule, prizes, entrants and panel."""
    problems = _setup_problems(province, setup)
    if ScoringPeriod.objects.filter(province=province, year=setup.year, program=Program.DVK).exists():
        problems.setdefault("year", []).append(
            _("The province already has a contest (a “Dân vận khéo” period) in %(year)s.") % {"year": setup.year}
        )
    _raise(problems)
    period = period_create(
        province=province, year=setup.year, program=Program.DVK, criteria_set=setup.criteria_set, name=setup.name,
        further_sets=setup.further_sets, by=by, open_dossiers=False, **_dates(setup.year),
    )  # fmt: skip
    period.auto_switch = False
    period.save(update_fields=["auto_switch"])
    contest = contest_create(period=period, judges=[], combine=setup.combine, theme=setup.theme, by=by)
    contest.awards = _awards_with_places(contest.awards, setup.places)
    _raise({None: awards_problems(contest.awards)} if awards_problems(contest.awards) else {})
    contest.save(update_fields=["awards"])
    _enter(contest, setup.entrants)
    _seat(contest, setup.judges)
    return contest


def _change_sets(contest: Contest, setup: ContestSetup) -> None:
    """The contest's sets, changed only while no judge has marked (a mark is of its set's criteria);
    every entrant then moves to the set that names its group."""
    period = contest.period
    old = [
        period.criteria_set_id,
        *PeriodCriteriaSet.objects.filter(period=period).values_list("criteria_set_id", flat=True),
    ]
    new = [setup.criteria_set.pk, *(each.pk for each in setup.further_sets)]
    if old == new:
        return
    if _marked(contest):
        raise ValidationError({"criteria_set": _("Judges have already marked: the criteria sets stay as they are.")})
    period.criteria_set = setup.criteria_set
    period.save(update_fields=["criteria_set"])
    PeriodCriteriaSet.objects.filter(period=period).delete()
    PeriodCriteriaSet.objects.bulk_create(
        PeriodCriteriaSet(period=period, criteria_set=each, order=order)
        for order, each in enumerate(setup.further_sets, start=1)
    )
    sets = period.sets()
    for dossier in Dossier.objects.filter(period=period).select_related("group"):
        criteria_set = set_for_group(sets, dossier.group.code) or period.criteria_set
        chosen = None if criteria_set.pk == period.criteria_set_id else criteria_set
        if dossier.criteria_set_id != (chosen.pk if chosen else None):
            dossier.criteria_set = chosen
            set_reason(dossier, "contest's criteria sets changed")
            dossier.save(update_fields=["criteria_set"])


@transaction.atomic
def contest_setup_update(*, contest: Contest, setup: ContestSetup, by: User) -> Contest:
    """The organiser's changes to a contest not yet final. Sets and year stay once a judge has
    marked; an entrant marked stays entered, a judge who marked stays on the panel."""
    contest = (
        Contest.objects.select_for_update()
        .select_related("period__province", "period__criteria_set")
        .get(pk=contest.pk)
    )
    period = contest.period
    if period.is_final:
        raise ValidationError(_("The contest is final: its setup no longer changes."))
    problems = _setup_problems(period.province, setup)
    if setup.year != period.year:
        if _marked(contest):
            problems.setdefault("year", []).append(_("Judges have already marked: the year stays as it is."))
        elif ScoringPeriod.objects.filter(province=period.province, year=setup.year, program=Program.DVK).exists():
            problems.setdefault("year", []).append(
                _("The province already has a contest (a “Dân vận khéo” period) in %(year)s.") % {"year": setup.year}
            )
    _raise(problems)
    if (setup.name, setup.year) != (period.name, period.year):
        if setup.year != period.year:  # nobody has marked: the entrants enter again as they were that year
            for name, day in _dates(setup.year).items():
                setattr(period, name, day)
            Dossier.objects.filter(period=period).delete()
        period.name, period.year = setup.name, setup.year
        set_reason(period, "contest's setup changed")
        period.save()
    _change_sets(contest, setup)
    contest.theme, contest.combine = setup.theme, PanelRule(setup.combine).value
    contest.awards = _awards_with_places(contest.awards, setup.places)
    _raise({None: awards_problems(contest.awards)} if awards_problems(contest.awards) else {})
    set_reason(contest, "contest's setup changed")
    contest.save()
    _enter(contest, setup.entrants)
    _seat(contest, setup.judges)
    return contest
