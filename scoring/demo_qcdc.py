"""The demo's grassroots-democracy (QCDC) period of this year on the shipped reconstruction
(tay-ninh-qcdc-2023.yaml): the state bodies scored by Sở Nội vụ, the enterprises by the Labour
Federation, the party committees by Ban Dân vận Tỉnh ủy — every dossier self-scored and submitted,
each population appraised by its own scoring body, the results final before the committee's day
(20/11). Marks come from a seeded generator per unit, as in scoring.demo; re-running changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from portal.models import Agency, Program, Province, Role, User

from . import services
from .demo import TZ, sample_appraised_raw, sample_self_raw
from .engine import points_for
from .engine.leaf import quantize
from .models import AppraisalMark, Criterion, CriterionScore, Dossier, Phase, ScoringPeriod
from .selectors import criteria_set_by_code, criteria_set_for
from .services.committee import qcdc_period_dates

REGULATION = "tn-qcdc-2023"


def _scorer_users(province: Province) -> dict[str, User]:
    """The person who marks for each scoring body: Sở Nội vụ's reviewer, the bodies' co-reviewers."""
    people = User.objects.filter(
        province=province, is_active=True, groups__name__in=[Role.REVIEWER, Role.CO_REVIEWER]
    ).select_related("agency")
    by_code: dict[str, User] = {}
    for person in people.order_by("pk"):
        by_code.setdefault(person.agency.code, person)
    return by_code


def _fill(dossier: Dossier, scorers: dict[str, User], agencies: dict[str, Agency]) -> None:
    known = criteria_set_for(dossier)
    spec = known.spec
    rng = random.Random(f"qcdc-{dossier.agency.code}-{dossier.period.year}")
    criteria = {c.code: c for c in Criterion.objects.filter(criteria_set_id=known.pk)}
    scores, marks = [], []
    for node in spec.walk():
        if not node.is_leaf:
            continue
        raw = sample_self_raw(node, rng)
        if not raw:
            continue
        scores.append(
            CriterionScore(
                dossier=dossier,
                criterion=criteria[node.code],
                self_raw=raw,
                self_points=quantize(points_for(node, raw), spec.rounding),
            )
        )
        for code in known.scorers[node.code].all:
            person = scorers.get(code)
            if person is None or code == dossier.agency.code:  # nobody appraises their own agency
                continue
            mark = sample_appraised_raw(node, raw, rng)
            marks.append(
                AppraisalMark(
                    dossier=dossier,
                    criterion=criteria[node.code],
                    scorer=agencies[code],
                    raw=mark,
                    points=quantize(points_for(node, mark), spec.rounding),
                    entered_by=person,
                )
            )
    bulk_create_with_history(scores, CriterionScore)
    bulk_create_with_history(marks, AppraisalMark)


def load(province: Province) -> ScoringPeriod | None:
    year = timezone.localdate().year
    if ScoringPeriod.objects.filter(province=province, year=year, program=Program.QCDC).exists():
        return None
    reviewer = User.objects.filter(province=province, groups__name=Role.REVIEWER).first()
    try:
        state, enterprises, party = (
            criteria_set_by_code(province=province, code=f"{REGULATION}:{code}") for code in ("01", "02", "03")
        )
    except Exception:  # noqa: BLE001 — the file was not loaded (no scoring bodies in this province)
        return None
    if reviewer is None:
        return None
    dates = qcdc_period_dates(year)
    period = services.period_create(
        province=province,
        year=year,
        program=Program.QCDC,
        criteria_set=state,
        further_sets=[enterprises, party],
        name=f"Chấm điểm thi đua thực hiện dân chủ ở cơ sở năm {year}",
        **dates,
    )
    period.auto_switch = False
    period.decision_number, period.decision_date = "24-KL/BCĐ", dates["decision_due_on"]
    period.save()
    scorers = _scorer_users(province)
    agencies = {a.code: a for a in Agency.objects.filter(province=province, code__in=scorers)}
    dossiers = list(period.dossiers.select_related("period", "agency").order_by("agency__code"))
    for i, dossier in enumerate(dossiers):
        _fill(dossier, scorers, agencies)
        submitted = dt.datetime(year, 10, 10 + i % 5, 8 + i % 8, 30, tzinfo=TZ)
        Dossier.objects.filter(pk=dossier.pk).update(status=Dossier.Status.SUBMITTED, submitted_at=submitted)
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=None)
    services.period_finalize(period=period, by=reviewer)
    ScoringPeriod.objects.filter(pk=period.pk).update(
        finalized_at=dt.datetime(year, 11, dates["decision_due_on"].day, 16, tzinfo=TZ)
    )
    return period
