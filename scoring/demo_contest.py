"""The demo's finished contest: the "Dân vận khéo" contest of 2024 among a few communes on the
shipped 95 + 5 set (dan-van-kheo-2024.yaml), three judges who each scored every commune alone,
average without the highest and lowest total, prizes by rank — final, so its ranking, award
decision and certificates can be read after `make run`. Re-running changes nothing."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model

from portal.models import Program, Province, Role
from portal.services import user_set_roles

from . import services
from .engine.leaf import score_type_of
from .models import Contest, Phase, ScoringPeriod
from .selectors import criteria_set_by_code
from .selectors.contest import contest_entrants, contest_set, sheet_nodes
from .services.contest import contest_create, judge_marks_save

YEAR = 2024
ENTRANTS = 5  # a few communes: the rest of the group's dossiers are not entered in the demo's contest
JUDGES = {  # username → (full name, title on the panel)
    "giamkhao.1": ("Đặng Văn Quang", "Trưởng Ban Giám khảo"),
    "giamkhao.2": ("Hoàng Thị Thu", "Thành viên"),
    "giamkhao.3": ("Bùi Minh Khoa", "Thành viên"),
}


def sample_mark(node, rng: random.Random) -> str:
    """A plausible mark: full marks most of the time, otherwise the score type's own values."""
    kind = score_type_of(node)
    if node.kind == "bonus":
        return str(rng.choice([0, 1, 2, 2.5, 3, 4]))
    choices = kind.widget(node).choices
    if choices:
        return rng.choice([value for value, _label in choices])
    if node.score_type in ("percent_linear", "percent_banded", "imported_index"):
        return str(rng.randint(70, 100))
    if node.score_type == "range":
        return str(rng.randint(int(node.max_points * 6 / 10), int(node.max_points)))
    return kind.full_marks(node)


def contest_open(
    province: Province,
    judges: list[tuple],
    *,
    combine: str = "average",
    awards: list[dict] | None = None,
    entrants: int = ENTRANTS,
    year: int = YEAR,
) -> Contest:
    """A contest on the shipped set among the first `entrants` communes, its panel seated, in the
    phase in which the judges mark (the demo's and the tests' start)."""
    criteria_set = criteria_set_by_code(province=province, code="dvk-2024")
    period = services.period_create(
        province=province, year=year, program=Program.DVK, criteria_set=criteria_set,
        name=f"Cuộc thi “Dân vận khéo” năm {year}",
        self_assessment_opens_on=dt.date(year, 3, 1), self_assessment_due_on=dt.date(year, 9, 30),
        appraisal_due_on=dt.date(year, 10, 30), explanation_due_on=dt.date(year, 11, 5),
        decision_due_on=dt.date(year, 11, 15), agencies_as_of=dt.date(year, 3, 1),
    )  # fmt: skip
    period.auto_switch = False
    period.decision_number, period.decision_date = "125", dt.date(year, 11, 15)
    period.save()
    kept = [d.pk for d in period.dossiers.order_by("agency__code")[:entrants]]
    period.dossiers.exclude(pk__in=kept).delete()
    contest = contest_create(
        period=period, judges=judges, combine=combine, awards=awards,
        theme="Nâng cao hiệu quả mô hình chính quyền thân thiện cấp xã", by=None,
    )  # fmt: skip
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    contest.period.refresh_from_db()
    return contest


def load(province: Province, password: str) -> Contest | None:
    reviewer = get_user_model().objects.filter(province=province, groups__name=Role.REVIEWER).first()
    if reviewer is None or ScoringPeriod.objects.filter(province=province, year=YEAR, program=Program.DVK).exists():
        return None
    judges = []
    for username, (full_name, title) in JUDGES.items():
        user, _ = get_user_model().objects.update_or_create(
            username=username,
            defaults={"full_name": full_name, "position": title, "province": province, "agency": reviewer.agency,
                      "email": f"{username}@demo.dvcq.localhost"},
        )  # fmt: skip
        user.set_password(password)
        user.save()
        user_set_roles(user=user, roles=[Role.AGENCY_STAFF])
        judges.append((user, title))
    awards = [
        {"code": "nhat", "name": "Giải Nhất", "count": 1}, {"code": "nhi", "name": "Giải Nhì", "count": 1},
        {"code": "ba", "name": "Giải Ba", "count": 1}, {"code": "khuyen_khich", "name": "Giải Khuyến khích", "count": 1},
    ]  # fmt: skip
    contest = contest_open(province, judges, combine="drop_extremes", awards=awards)
    nodes = sheet_nodes(contest_set(contest).spec)
    for judge in contest.judges.select_related("user"):
        for dossier in contest_entrants(contest):
            rng = random.Random(f"{judge.user.username}-{dossier.agency_id}")
            marks = {n.code: sample_mark(n, rng) for n in nodes}
            judge_marks_save(contest=contest, judge=judge, dossier=dossier, marks=marks, by=judge.user)
    period = contest.period
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=None)
    services.period_finalize(period=period, by=reviewer)
    period.refresh_from_db()
    return contest
