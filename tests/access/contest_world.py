"""The access world's contests: "own" (the main province's, judges still marking: the world's
co-reviewer sits on its panel), "published" (the main province's, results published; the
co-reviewer is not a judge of it) and "foreign" (the other province's). Entrants are A's and B's
agencies (X's in the other province), three judges each."""

from __future__ import annotations

import datetime as dt

from portal.models import Program, Role
from scoring import services
from scoring.engine.leaf import score_type_of
from scoring.models import Dossier, Phase
from scoring.selectors import criteria_set_by_code
from scoring.selectors.contest import contest_set, sheet_nodes
from scoring.services.contest import contest_create, judge_marks_save
from tests.factories import UserFactory
from tests.scoring.cycle_helpers import LIBRARY


def _contest(province, year: int, phase: str, judges: list, entrants: list):
    if not province.regulations.filter(code="dvk-2024").exists():
        services.regulation_import_file(
            province=province, name="dvk.yaml", content=(LIBRARY / "dan-van-kheo-2024.yaml").read_bytes()
        )
    period = services.period_create(
        province=province, year=year, program=Program.DVK, criteria_set=criteria_set_by_code(province=province, code="dvk-2024"),
        name=f"Cuộc thi Dân vận khéo {year}", self_assessment_opens_on=dt.date(year, 3, 1),
        self_assessment_due_on=dt.date(year, 9, 30), appraisal_due_on=dt.date(year, 10, 30),
        explanation_due_on=dt.date(year, 11, 5),
    )  # fmt: skip
    period.auto_switch = False
    period.save()
    for agency in entrants:
        version = agency.versions.first()
        Dossier.objects.create(period=period, agency=agency, agency_version=version, group=version.group)
    contest = contest_create(period=period, judges=[(u, "") for u in judges], by=None)
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    period.refresh_from_db()
    full = {n.code: score_type_of(n).full_marks(n) for n in sheet_nodes(contest_set(contest).spec)}
    for judge in contest.judges.select_related("user"):
        for dossier in period.dossiers.all():  # every entrant full marks: all tie for the first prize
            judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks=full, by=judge.user)
    if phase != Phase.APPRAISAL:
        services.period_set_phase(period=period, phase=phase, by=None)
    return contest


def add_contests(world) -> None:
    users, agencies = world.users, world.agencies
    main, other = agencies["own"].province, agencies["foreign"].province
    home = users["reviewer"].agency

    def judge(name, agency):
        return UserFactory(username=name, agency=agency, roles=[Role.AGENCY_STAFF])

    world.contests = {
        "own": _contest(main, 2030, Phase.APPRAISAL, [users["coreviewer"], judge("gk.a1", home), judge("gk.a2", home)],
                        [agencies["own"], agencies["other"]]),
        "published": _contest(main, 2031, Phase.EXPLANATION, [judge("gk.b1", home), judge("gk.b2", home)],
                              [agencies["own"], agencies["other"]]),
        "foreign": _contest(other, 2030, Phase.APPRAISAL, [judge("gk.x1", users["foreign_reviewer"].agency)],
                            [agencies["foreign"]]),
    }  # fmt: skip
