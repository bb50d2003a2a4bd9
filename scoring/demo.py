"""Demo data of the scoring app: Tây Ninh's chain of regulations (731/2019 → 1743/2021 →
1563/2022), imported indexes, finalized 2019–2022 periods each on the version in force that year (a
full ranking to look at, and years to compare) and this year's period open for self-assessment on
1563. The years between 2022 and this year are left out: the demo has no data for them.

Marks are drawn from a seeded random generator per agency, so every run produces the same
numbers. Timestamps are set to the demo year directly; people's actions otherwise go through the
same services as the pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.models import Agency, Province, Role, User

from . import services
from .engine import points_for
from .engine.leaf import quantize
from .engine.types import ScoreType
from .libraryio import read_library_file
from .models import (
    Adjustment,
    AppraisalMark,
    Criterion,
    CriterionScore,
    Dossier,
    Evidence,
    Explanation,
    IndexValue,
    Phase,
    Regulation,
    ScoringPeriod,
)
from .selectors import criteria_set_by_code, criteria_set_spec
from .services import regulation_import_file

LIBRARY = Path(__file__).resolve().parent / "library"
DEMO_FILES = [
    "tay-ninh-731-2019.yaml",
    "tay-ninh-1743-2021.yaml",
    "tay-ninh-1563-2022.yaml",
    "dan-van-kheo-2024.yaml",
    "tay-ninh-qcdc-2023.yaml",  # grassroots democracy (QCDC): its scoring bodies come from portal/demo_qcdc.py
]
# year → (the criteria set in force, its "Dân vận khéo" criterion: the one explained in the demo)
CHAIN = {
    2019: ("tn-731-2019", "2.5"),
    2020: ("tn-731-2019", "2.5"),
    2021: ("tn-1743-2021", "3.3"),
    2022: ("tn-1563-2022", "3.3"),
}
CURRENT_SET = "tn-1563-2022"  # the set of this year's open period
TZ = dt.timezone(dt.timedelta(hours=7))


def load_library(province: Province) -> None:
    """Loads each shipped library file once; an unchanged file is not loaded again."""
    for name in DEMO_FILES:
        content = (LIBRARY / name).read_bytes()
        digest = hashlib.sha256(content).hexdigest()
        if not Regulation.objects.filter(province=province, source_sha256=digest).exists():
            code = read_library_file(name, content).meta.code  # the file's own code, not its name
            existing = Regulation.objects.filter(province=province, code=code).first()
            if existing is None or not existing.criteria_sets.filter(periods__isnull=False).exists():
                regulation_import_file(province=province, name=name, content=content, replace=True)


def load_indexes(province: Province) -> None:
    """PAR index and SIPAS satisfaction per agency from 2018 to last year (demo values, 82–99 %):
    each period reads the year before its own."""
    rows = []
    for agency in Agency.objects.filter(province=province):
        for year in range(2018, timezone.localdate().year):
            rng = random.Random(f"{agency.code}-{year}")
            for source in ("PAR", "SIPAS"):
                value = Decimal(rng.randint(8200, 9900)) / 100
                rows.append(
                    IndexValue(
                        province=province, source=source, year=year, agency=agency, value=value, note="Dữ liệu minh họa"
                    )
                )
    IndexValue.objects.bulk_create(rows, ignore_conflicts=True)


def sample_self_raw(node, rng: random.Random, *, percent_from: int = 78) -> str:
    """A plausible self-assessed mark of a leaf (the demo's and the benchmark's generated cycles):
    mostly the top level, sometimes a step below; a percentage from `percent_from` to 100."""
    t = node.score_type
    if t is ScoreType.BOOLEAN:
        return "true" if rng.random() < 0.9 else "false"
    if t is ScoreType.LEVELS:
        levels = node.params["levels"]
        return str(levels[0]["code"] if rng.random() < 0.75 else levels[min(1, len(levels) - 1)]["code"])
    if t is ScoreType.RANGE:
        step = Decimal(str(node.params.get("step", "0.5")))
        top = node.max_points
        value = top - step * rng.randint(0, 2)
        return format(max(value, Decimal(0)), "f")
    if t in (ScoreType.PERCENT_LINEAR, ScoreType.PERCENT_BANDED):
        return str(rng.randint(percent_from, 100))
    if t is ScoreType.COUNT_DEDUCT:
        return str(rng.choice([0, 0, 0, 1, 2]))
    return ""


def sample_appraised_raw(node, self_raw: str, rng: random.Random) -> str:
    """Appraisers mostly agree, and now and then mark a little lower (as in practice)."""
    if rng.random() > 0.3 or not self_raw:
        return self_raw
    t = node.score_type
    if t is ScoreType.LEVELS:
        codes = [str(level["code"]) for level in node.params["levels"]]
        index = codes.index(self_raw) if self_raw in codes else 0
        return codes[min(index + 1, len(codes) - 1)]
    if t is ScoreType.RANGE:
        step = Decimal(str(node.params.get("step", "0.5")))
        return format(max(Decimal(self_raw) - step, Decimal(0)), "f")
    if t in (ScoreType.PERCENT_LINEAR, ScoreType.PERCENT_BANDED):
        return str(max(0, int(Decimal(self_raw)) - rng.randint(3, 12)))
    if t is ScoreType.COUNT_DEDUCT:
        return str(int(self_raw) + 1)
    return self_raw


def _fill_dossier(dossier: Dossier, spec, criteria: dict[str, Criterion], users: dict, *, appraise: bool) -> None:
    rng = random.Random(f"{dossier.agency.code}-{dossier.period.year}")
    scores, marks, evidence = [], [], []
    reviewer, coreviewer = users.get("reviewer"), users.get("coreviewer")
    for node in spec.walk():
        if not node.is_leaf:
            continue
        score = CriterionScore.objects.filter(dossier=dossier, criterion=criteria[node.code]).first()
        if score is None and node.self_scorable:
            raw = sample_self_raw(node, rng)
            if not raw:
                continue
            score = CriterionScore(
                dossier=dossier,
                criterion=criteria[node.code],
                self_raw=raw,
                self_points=quantize(points_for(node, raw), spec.rounding),
                note="",
                no_evidence_reason=""
                if rng.random() < 0.85
                else "Đơn vị chưa có văn bản riêng; kết quả thể hiện trong báo cáo năm.",
            )
            scores.append(score)
            if not score.no_evidence_reason:
                evidence.append(
                    Evidence(
                        dossier=dossier,
                        criterion=criteria[node.code],
                        kind=Evidence.Kind.REFERENCE,
                        doc_number=f"{rng.randint(10, 300)}/BC-{dossier.agency.code.upper()[:8]}",
                        doc_date=dt.date(dossier.period.year, rng.randint(3, 10), rng.randint(1, 28)),
                        summary=f"Báo cáo kết quả thực hiện tiêu chí {node.code}",
                        page_ref=f"tr. {rng.randint(1, 12)}",
                        phase=Phase.SELF_ASSESSMENT,
                    )
                )
        if not appraise or score is None:
            continue
        scorer_codes = {"so-noi-vu": reviewer, "vp-ubnd": coreviewer}
        node_scorers = _scorers(spec, node.code)
        for code, user in scorer_codes.items():
            if user is None or code not in node_scorers or dossier.agency.code == code:
                continue
            raw = score.self_raw if score.is_automatic else sample_appraised_raw(node, score.self_raw, rng)
            marks.append(
                AppraisalMark(
                    dossier=dossier,
                    criterion=criteria[node.code],
                    scorer=user.agency,
                    raw=raw,
                    points=quantize(points_for(node, raw), spec.rounding),
                    entered_by=user,
                )
            )
    bulk_create_with_history(scores, CriterionScore)
    bulk_create_with_history(evidence, Evidence)
    bulk_create_with_history(marks, AppraisalMark)


def _scorers(spec, code: str) -> set[str]:
    from .engine.tree import resolve_scorers

    scorers = resolve_scorers(spec)[code]
    return set(scorers.all) or {"so-noi-vu"}


# year → (tờ trình number, decision number) of the demo's year-end documents; the symbols
# (/TTr-SNV, /QĐ-UBND) are the province's document texts.
YEAR_END = {
    2019: ("198", "2987"),
    2020: ("221", "3045"),
    2021: ("245", "3120"),
    2022: ("236", "3218"),
}


def _final_period(province: Province, users: dict, year: int) -> None:
    """A finalized year: every agency of that year self-scored and appraised, with a few bonuses,
    penalties, a late dossier, a missing one and an accepted explanation."""
    set_code, dvk_code = CHAIN[year]
    criteria_set = criteria_set_by_code(province=province, code=set_code)
    if not _fresh(province, year, criteria_set, final=True):
        return
    period = services.period_create(
        province=province,
        year=year,
        criteria_set=criteria_set,
        name=f"Đánh giá công tác dân vận chính quyền năm {year}",
        self_assessment_opens_on=dt.date(year, 10, 30),
        self_assessment_due_on=dt.date(year, 11, 20),
        appraisal_due_on=dt.date(year, 12, 5),
        explanation_due_on=dt.date(year, 12, 10),
        decision_due_on=dt.date(year, 12, 15),
    )
    proposal, decision = YEAR_END[year]
    period.auto_switch = False
    period.proposal_number = proposal
    period.proposal_date = dt.date(year, 12, 10)
    period.decision_number = decision
    period.decision_date = dt.date(year, 12, 15)
    period.save()
    spec = criteria_set_spec(criteria_set)
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set=criteria_set)}
    for i, dossier in enumerate(period.dossiers.select_related("agency", "agency_version", "period")):
        if dossier.agency.code == "cd-su-pham":
            continue  # no dossier was sent: the gate leaves it unclassified
        _fill_dossier(dossier, spec, criteria, users, appraise=True)
        late_days = 2 if i % 11 == 4 else 0
        submitted = dt.datetime(year, 11, 20 if late_days == 0 else 22, 9 + i % 7, 15, tzinfo=TZ) - dt.timedelta(
            days=(i % 5)
        )
        Dossier.objects.filter(pk=dossier.pk).update(
            status=Dossier.Status.SUBMITTED, submitted_at=submitted, submitted_by=users.get(dossier.agency.code),
            is_late=late_days > 0, late_days=late_days,
        )  # fmt: skip
    _adjust(period, criteria, users, dvk_code)
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=None)
    services.period_finalize(period=period, by=users["reviewer"])
    ScoringPeriod.objects.filter(pk=period.pk).update(finalized_at=dt.datetime(year, 12, 14, 16, tzinfo=TZ))


def _adjust(period: ScoringPeriod, criteria: dict[str, Criterion], users: dict, dvk_code: str) -> None:
    reviewer = users["reviewer"]
    dossiers = {d.agency.code: d for d in period.dossiers.select_related("agency")}
    for code, item, raw, reason in [
        ("so-tu-phap", "T1", "true", "Mô hình “Dân vận khéo” được UBND tỉnh tặng Bằng khen"),
        ("tp-tay-ninh", "T2", "2", "Cách làm mới về đối thoại với Nhân dân được nhân rộng"),
        ("go-dau", "TR1", "true", "Để xảy ra khiếu kiện đông người kéo dài"),
        ("so-tn-mt", "TR2", "1", "Một công chức bị kỷ luật do sách nhiễu người dân"),
    ]:
        if code in dossiers:
            Adjustment.objects.create(
                dossier=dossiers[code], criterion=criteria[item], raw=raw, reason=reason, entered_by=reviewer
            )
    justice = dossiers.get("so-tu-phap")
    if justice:
        explanation = Explanation.objects.create(
            dossier=justice,
            criterion=criteria[dvk_code],
            text=f"Mô hình đã được Ban Dân vận Tỉnh ủy công nhận (Quyết định 58-QĐ/BDVTU ngày 20/9/{period.year}), xin được tính mức có hiệu quả.",
            submitted_by=users.get("so-tu-phap"),
        )
        period.phase = Phase.EXPLANATION
        services.explanation_decide(
            explanation=explanation,
            accept=True,
            reason="Đã đối chiếu quyết định công nhận mô hình.",
            new_raw="hieu_qua",
            by=reviewer,
        )


def _fresh(province: Province, year: int, criteria_set, *, final: bool) -> bool:
    """True when the year's demo period is still to be made. A period an earlier demo left on
    another set, or open where the chain has it final (the old "2022" with this year's dates), is
    demo data only: it goes, and the year is made again."""
    period = ScoringPeriod.objects.filter(province=province, year=year, program="dvcq").first()
    if period is None:
        return True
    if period.criteria_set_id == criteria_set.pk and (period.phase == Phase.FINAL) == final:
        return False
    period.delete()
    return True


def _open_period(province: Province) -> None:
    """This year's period on the newest version, in self-assessment with this year's dates: the
    agencies as they are now, the marks the portal knows already filled in."""
    today = timezone.localdate()
    criteria_set = criteria_set_by_code(province=province, code=CURRENT_SET)
    if not _fresh(province, today.year, criteria_set, final=False):
        return
    period = services.period_create(
        province=province,
        year=today.year,
        criteria_set=criteria_set,
        name=f"Đánh giá công tác dân vận chính quyền năm {today.year}",
        self_assessment_opens_on=max(today - dt.timedelta(days=5), dt.date(today.year, 1, 1)),
        self_assessment_due_on=today + dt.timedelta(days=14),
        appraisal_due_on=today + dt.timedelta(days=28),
        explanation_due_on=today + dt.timedelta(days=35),
        decision_due_on=today + dt.timedelta(days=42),
    )
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)


@transaction.atomic
def load(province: Province) -> None:
    load_library(province)
    load_indexes(province)
    users = {
        u.agency.code: u
        for u in User.objects.filter(province=province, agency__isnull=False, groups__name=Role.AGENCY_STAFF)
    }
    users["reviewer"] = User.objects.filter(province=province, groups__name=Role.REVIEWER).first()
    users["coreviewer"] = User.objects.filter(province=province, groups__name=Role.CO_REVIEWER).first()
    if users["reviewer"] is None:
        return
    for year in CHAIN:
        _final_period(province, users, year)
    _open_period(province)
    from portal.demo import DEMO_PASSWORD

    from .demo_contest import load as load_contest

    load_contest(province, DEMO_PASSWORD)  # the finished "Dân vận khéo" contest
    from .demo_qcdc import load as load_qcdc

    load_qcdc(province)  # this year's QCDC period, appraised by its three scoring bodies, final


def demo_periods(province_code: str = "tay-ninh") -> tuple[ScoringPeriod, ScoringPeriod]:
    """The demo province's open DVCQ period and its latest final one (for tours, audits and tests)."""
    periods = ScoringPeriod.objects.filter(province__code=province_code, program="dvcq")
    return periods.exclude(phase=Phase.FINAL).latest("year"), periods.filter(phase=Phase.FINAL).latest("year")
