"""Contests (cuộc thi): setting one up on a "Dân vận khéo" period, and a judge's marks.

A judge's marks are the judge's alone: saved only by the judge, only while the period lets
appraisers mark, each with who, when and why (history with a change reason)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.cleaning import NOTE_MAX_CHARS, typed_text
from portal.models import Program, User

from ..engine import ScoreInputError, points_for
from ..engine.contest import PanelRule
from ..engine.leaf import canonical_raw, quantize
from ..models import Contest, ContestJudge, Dossier, JudgeMark, ScoringPeriod
from ..selectors.contest import contest_set, sheet_nodes
from ._base import set_reason


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
    data = contest_set(contest)
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
