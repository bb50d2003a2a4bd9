"""What a contest's pages read: the contests a person may open, a judge's own sheet and progress,
and the results — every judge's sheet scored by the criteria set, combined by the contest's rule,
ranked and awarded (scoring.engine.contest). All marks of a contest come in one query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Prefetch

from portal.text import vi_sort_key

from .. import score_types
from ..engine import CriterionInput, DossierInput, Mark, score_dossier
from ..engine.contest import EntrantScore, rank_entrants
from ..engine.types import CriterionSpec, NodeKind
from ..models import Contest, ContestJudge, Dossier, JudgeMark
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
    """The judge's OWN marks on one entrant, a row per criterion to mark — never another judge's."""
    data = contest_set(contest)
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
    """Each entrant with how many of the criteria to mark the judge has marked (the judge's own)."""
    spec = contest_set(contest).spec
    codes = required_codes(spec)
    ids = [contest_set(contest).criteria[c].pk for c in codes]
    counts = dict(
        JudgeMark.objects.filter(judge=judge, criterion_id__in=ids)
        .values_list("dossier_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [ProgressRow(d, counts.get(d.pk, 0), len(codes)) for d in contest_entrants(contest)]


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


def contest_results(contest: Contest) -> ContestResults:
    """Every judge's sheet of every entrant scored by the set (a sheet missing a scored criterion does
    not count), combined by the contest's rule, ranked with ties shared, prizes by rank."""
    data = contest_set(contest)
    spec = data.spec
    code_of = {c.pk: code for code, c in data.criteria.items()}
    adjustments = {n.code for n in (*spec.bonus, *spec.penalties)}
    required = required_codes(spec)
    judges = contest_judges(contest)
    entrants = contest_entrants(contest)
    sheets: dict[tuple[int, int], dict[str, str]] = defaultdict(dict)
    for judge_id, dossier_id, criterion_id, raw in JudgeMark.objects.filter(
        judge__contest=contest, dossier__period_id=contest.period_id
    ).values_list("judge_id", "dossier_id", "criterion_id", "raw"):
        if criterion_id in code_of:
            sheets[(judge_id, dossier_id)][code_of[criterion_id]] = raw
    scores = []
    for dossier in entrants:
        totals = {}
        for judge in judges:
            sheet = sheets.get((judge.pk, dossier.pk), {})
            if not required <= sheet.keys():
                continue
            key = f"judge-{judge.pk}"
            result = score_dossier(
                spec,
                DossierInput(
                    key=str(dossier.pk),
                    name=dossier.agency_version.name,
                    group="",
                    inputs={
                        c: CriterionInput(marks=(Mark(key, raw),)) for c, raw in sheet.items() if c not in adjustments
                    },
                    adjustments={c: raw for c, raw in sheet.items() if c in adjustments},
                ),
            )
            totals[key] = result.total
        scores.append(EntrantScore(key=str(dossier.pk), name=dossier.agency_version.name, judge_totals=totals))
    ranked = rank_entrants(scores, contest.combine, contest.award_specs, spec.rounding, vi_sort_key)
    by_key = {str(d.pk): d for d in entrants}
    rows = [ResultRow(by_key[e.key], e, [e.judge_totals.get(f"judge-{j.pk}") for j in judges]) for e in ranked]
    return ContestResults(judges, rows, spec.rounding)
