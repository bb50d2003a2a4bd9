"""What a contest's pages read: the contests a person may open, a judge's own sheet and progress,
and the results — every judge's sheet scored by the criteria set, combined by the contest's rule,
ranked and awarded (scoring.engine.contest). All marks of a contest come in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from portal.models import AgencyVersion, Province
from portal.text import vi_sort_key

from .. import score_types
from ..engine import CriterionInput, DossierInput, Mark, score_dossier
from ..engine.contest import EntrantScore, rank_entrants
from ..engine.types import CriterionSpec, NodeKind
from ..models import Contest, ContestJudge, CriteriaSet, Dossier, JudgeMark
from .regulations import CriteriaSetData, criteria_set_data


def contest_of(pk: int) -> Contest | None:
    return (
        Contest.objects.filter(pk=pk)
        .select_related("period__province", "period__criteria_set__regulation")
        .order_by()
        .first()
    )


def contests_of(user) -> list[Contest]:
    """The contests of the user's province the user may open (the list page), each knowing the
    user's seat on its panel (one query for all)."""
    seats = Prefetch("judges", queryset=ContestJudge.objects.filter(user_id=user.pk), to_attr="seats")
    rows = Contest.objects.filter(period__province_id=user.province_id).select_related("period").prefetch_related(seats)
    result = []
    for contest in rows.order_by("-period__year", "pk"):
        contest.seat = contest.seats[0] if contest.seats else None
        contest.__dict__["_judge_for"] = {user.pk: contest.seat}
        if user.has_perm("scoring.view_contest", contest):
            result.append(contest)
    return result


def contest_set(contest: Contest) -> CriteriaSetData:
    """The contest's published criteria set (the period's own, read once per process)."""
    return criteria_set_data(contest.period.criteria_set_id)


def entrant_set(contest: Contest, dossier: Dossier) -> CriteriaSetData:
    """The set an entrant is entered on: its dossier's (a further set of the contest's period, for
    the groups that set names), else the contest's own. From memory: no query."""
    return criteria_set_data(dossier.criteria_set_id or contest.period.criteria_set_id)


def sheet_nodes(spec) -> list[CriterionSpec]:
    """What a judge marks: every scored criterion (not the groups that sum them), then the bonus and
    penalty items, in the set's order."""
    return [n for n in spec.walk() if n.is_leaf and n.kind == NodeKind.ITEM] + [*spec.bonus, *spec.penalties]


def required_codes(spec) -> frozenset[str]:
    """A judge's sheet of an entrant counts once every scored criterion has a mark (bonus items may
    stay empty: no bonus)."""
    return frozenset(n.code for n in spec.walk() if n.is_leaf and n.kind == NodeKind.ITEM)


def contest_entrants(contest: Contest) -> list[Dossier]:
    """The entrants (the period's dossiers), their names in Vietnamese order."""
    rows = list(Dossier.objects.filter(period_id=contest.period_id).select_related("agency_version").order_by())
    return sorted(rows, key=lambda d: (vi_sort_key(d.agency_version.name), d.pk))


def contest_entrant_or_none(contest: Contest, dossier_id: int) -> Dossier | None:
    return (
        Dossier.objects.filter(pk=dossier_id, period_id=contest.period_id)
        .select_related("agency_version")
        .order_by()
        .first()
    )


@dataclass
class SheetRow:
    node: CriterionSpec
    criterion_id: int
    raw: str = ""
    shown: str = ""
    points: Decimal | None = None
    comment: str = ""
    widget: score_types.ShownWidget | None = None
    box: str = ""


def judge_sheet(contest: Contest, judge: ContestJudge, dossier: Dossier) -> list[SheetRow]:
    """The judge's OWN marks on one entrant, a row per criterion of the entrant's set to mark — never
    another judge's."""
    data = entrant_set(contest, dossier)
    mine = {m.criterion_id: m for m in JudgeMark.objects.filter(judge=judge, dossier=dossier)}
    rows = []
    for node in sheet_nodes(data.spec):
        criterion = data.criteria[node.code]
        mark = mine.get(criterion.pk)
        raw = mark.raw if mark else ""
        rows.append(
            SheetRow(
                node=node,
                criterion_id=criterion.pk,
                raw=raw,
                shown=score_types.display(node, raw),
                points=mark.points if mark else None,
                comment=mark.comment if mark else "",
                widget=score_types.widget(node),
                box=score_types.box_value(node, raw),
            )
        )
    return rows


@dataclass
class ProgressRow:
    dossier: Dossier
    marked: int
    required: int

    @property
    def is_complete(self) -> bool:
        return self.marked >= self.required


def judge_progress(contest: Contest, judge: ContestJudge) -> list[ProgressRow]:
    """Each entrant with how many of the criteria to mark (of the set it is entered on) the judge
    has marked (the judge's own)."""
    entrants = contest_entrants(contest)
    required = {}  # set id → ids of the criteria a complete sheet needs
    for dossier in entrants:
        data = entrant_set(contest, dossier)
        if data.pk not in required:
            required[data.pk] = {data.criteria[c].pk for c in required_codes(data.spec)}
    ids = set().union(*required.values()) if required else set()
    marked: dict[int, set[int]] = defaultdict(set)
    for dossier_id, criterion_id in JudgeMark.objects.filter(judge=judge, criterion_id__in=ids).values_list(
        "dossier_id", "criterion_id"
    ):
        marked[dossier_id].add(criterion_id)
    rows = []
    for dossier in entrants:
        needed = required[entrant_set(contest, dossier).pk]
        rows.append(ProgressRow(dossier, len(marked[dossier.pk] & needed), len(needed)))
    return rows


@dataclass
class ResultRow:
    dossier: Dossier
    entrant: EntrantScore
    judge_totals: list[Decimal | None] = field(default_factory=list)  # in the panel's order


@dataclass
class ContestResults:
    judges: list[ContestJudge]
    rows: list[ResultRow]
    places: int

    def awarded(self) -> list[ResultRow]:
        return [row for row in self.rows if row.entrant.award is not None]


def contest_judges(contest: Contest) -> list[ContestJudge]:
    return list(ContestJudge.objects.filter(contest=contest).select_related("user").order_by("order", "pk"))


def _sheet_total(data: CriteriaSetData, dossier: Dossier, key: str, sheet: dict[str, str]) -> Decimal | None:
    """One judge's total of one entrant by the entrant's set; None while a scored criterion has no mark."""
    if not required_codes(data.spec) <= sheet.keys():
        return None
    adjustments = {n.code for n in (*data.spec.bonus, *data.spec.penalties)}
    result = score_dossier(
        data.spec,
        DossierInput(
            key=str(dossier.pk),
            name=dossier.agency_version.name,
            group="",
            inputs={c: CriterionInput(marks=(Mark(key, raw),)) for c, raw in sheet.items() if c not in adjustments},
            adjustments={c: raw for c, raw in sheet.items() if c in adjustments},
        ),
    )
    return result.total


def judge_total(contest: Contest, judge: ContestJudge, rows: list[SheetRow], dossier: Dossier) -> Decimal | None:
    """The judge's OWN total of the entrant (from the sheet's rows: no query), once every scored
    criterion has the judge's mark."""
    sheet = {row.node.code: row.raw for row in rows if row.raw}
    return _sheet_total(entrant_set(contest, dossier), dossier, f"judge-{judge.pk}", sheet)


def contest_results(contest: Contest) -> ContestResults:
    """Every judge's sheet of every entrant scored by the set the entrant is entered on (a sheet
    missing a scored criterion does not count), combined by the contest's rule, ranked with ties
    shared, prizes by rank."""
    spec = contest_set(contest).spec
    judges = contest_judges(contest)
    entrants = contest_entrants(contest)
    set_of = {d.pk: entrant_set(contest, d) for d in entrants}
    sheets: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for judge_id, dossier_id, criterion_id, raw in JudgeMark.objects.filter(
        judge__contest=contest, dossier__period_id=contest.period_id
    ).values_list("judge_id", "dossier_id", "criterion_id", "raw"):
        criterion = set_of[dossier_id].by_pk.get(criterion_id) if dossier_id in set_of else None
        if criterion is not None:
            sheets[(judge_id, dossier_id)][criterion.code] = raw
    scores = []
    for dossier in entrants:
        totals = {}
        for judge in judges:
            key = f"judge-{judge.pk}"
            total = _sheet_total(set_of[dossier.pk], dossier, key, sheets.get((judge.pk, dossier.pk), {}))
            if total is not None:
                totals[key] = total
        scores.append(EntrantScore(key=str(dossier.pk), name=dossier.agency_version.name, judge_totals=totals))
    ranked = rank_entrants(scores, contest.combine, contest.award_specs, spec.rounding, vi_sort_key)
    by_key = {str(d.pk): d for d in entrants}
    rows = [ResultRow(by_key[e.key], e, [e.judge_totals.get(f"judge-{j.pk}") for j in judges]) for e in ranked]
    return ContestResults(judges, rows, spec.rounding)


# --- what the organiser's form offers --------------------------------------------------------------


def contest_set_choices(province: Province) -> list[CriteriaSet]:
    """Every criteria set the province has published (any programme, any set of a regulation),
    newest regulation first."""
    return list(
        CriteriaSet.objects.filter(regulation__province=province)
        .select_related("regulation")
        .order_by("-regulation__issued_on", "regulation__code", "code")
    )


def entrant_choices(province: Province, contest: Contest | None = None) -> list[tuple[str, list[tuple[int, str]]]]:
    """The units that may enter, by group (khối) in the province's order, their names in Vietnamese
    order: every unit as it is today, and the contest's entrants as they were entered."""
    versions = list(
        AgencyVersion.objects.valid_on(timezone.localdate())
        .filter(agency__province=province, group__isnull=False)
        .select_related("group")
        .order_by()
    )
    if contest is not None:
        entered = Dossier.objects.filter(period_id=contest.period_id).select_related("agency_version__group")
        versions += [d.agency_version for d in entered.order_by()]
    names: dict[int, AgencyVersion] = {}
    for version in versions:
        names.setdefault(version.agency_id, version)
    groups: dict[int, tuple] = {}
    for version in names.values():
        group = version.group
        groups.setdefault(group.pk, (group.order, group.name, []))[2].append((version.agency_id, version.name))
    return [
        (name, sorted(rows, key=lambda row: (vi_sort_key(row[1]), row[0])))
        for _order, name, rows in sorted(groups.values(), key=lambda g: (g[0], vi_sort_key(g[1])))
    ]


def judge_choices(province: Province) -> list[tuple[int, str]]:
    """The province's active users a panel may seat, by name in Vietnamese order."""
    rows = (
        get_user_model()
        .objects.filter(province=province, is_active=True)
        .values_list("pk", "full_name", "username", "position")
    )
    labelled = [(pk, f"{name or username}{f' — {position}' if position else ''} ({username})")
                for pk, name, username, position in rows]  # fmt: skip
    return sorted(labelled, key=lambda row: (vi_sort_key(row[1]), row[0]))
