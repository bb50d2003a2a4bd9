"""Scoring data of the demo's second province (portal.demo_quang_binh): Quyết định 3140/QĐ-UBND
with its two criteria sets — 01 for the provincial departments, 02 for the district and commune
committees — and a final 2023 period applying both. Communes have no PAR index: their criterion 3
does not apply and they are scored on 85 points, converted to 100 for their class. One district
sent no dossier and stays unclassified. Marks come from a seeded generator, as in scoring.demo.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from decimal import Decimal

from django.db import transaction
from simple_history.utils import bulk_create_with_history

from portal.models import Agency, Province, Role, User

from . import services
from .demo import LIBRARY, TZ, _fill_dossier
from .models import CriterionScore, Dossier, IndexValue, Phase, Regulation, ScoringPeriod
from .selectors import criteria_set_by_code, criteria_set_for
from .services import regulation_import_file

FILE = "quang-binh-3140-2022.yaml"
YEAR = 2023
NO_DOSSIER = "h-le-thuy"  # sent no self-assessment: the set's gate leaves it unclassified


def load_regulation(province: Province) -> None:
    content = (LIBRARY / FILE).read_bytes()
    digest = hashlib.sha256(content).hexdigest()
    if not Regulation.objects.filter(province=province, source_sha256=digest).exists():
        regulation_import_file(province=province, name=FILE, content=content, replace=True)


def load_indexes(province: Province) -> None:
    """The PAR index of the year before, for the departments and districts (communes have none)."""
    rows = []
    for agency in Agency.objects.filter(province=province).prefetch_related("versions"):
        version = agency.versions.all()[0]
        if version.group_id is None or version.kind == "ubnd_xa":
            continue
        rng = random.Random(f"qb-{agency.code}-{YEAR - 1}")
        value = Decimal(rng.randint(8000, 9700)) / 100
        rows.append(
            IndexValue(province=province, source="PAR", year=YEAR - 1, agency=agency, value=value, note="Minh họa")
        )
    IndexValue.objects.bulk_create(rows, ignore_conflicts=True)


def _final_period(province: Province, reviewer: User) -> None:
    if ScoringPeriod.objects.filter(province=province, year=YEAR, program="dvcq").exists():
        return
    period = services.period_create(
        province=province,
        year=YEAR,
        criteria_set=criteria_set_by_code(province=province, code="qb-3140-2022:01"),
        further_sets=[criteria_set_by_code(province=province, code="qb-3140-2022:02")],
        name=f"Đánh giá công tác dân vận chính quyền năm {YEAR}",
        self_assessment_opens_on=dt.date(YEAR, 11, 1),
        self_assessment_due_on=dt.date(YEAR, 11, 20),
        appraisal_due_on=dt.date(YEAR, 12, 5),
        explanation_due_on=dt.date(YEAR, 12, 10),
        decision_due_on=dt.date(YEAR, 12, 15),
    )
    ScoringPeriod.objects.filter(pk=period.pk).update(
        auto_switch=False, decision_number="3390", decision_date=dt.date(YEAR, 12, 18),
        proposal_number="412", proposal_date=dt.date(YEAR, 12, 12),
    )  # fmt: skip
    users = {"reviewer": reviewer}
    not_applicable = []
    dossiers = period.dossiers.select_related("agency", "agency_version", "period", "group")
    for i, dossier in enumerate(dossiers):
        if dossier.agency.code == NO_DOSSIER:
            continue
        known = criteria_set_for(dossier)
        if dossier.agency_version.kind == "ubnd_xa":  # no PAR index: criterion 3 does not apply (85 points)
            not_applicable.append(
                CriterionScore(
                    dossier=dossier, criterion=known.criteria["3"], not_applicable=True, na_status="accepted"
                )
            )
        _fill_dossier(dossier, known.spec, known.criteria, users, appraise=True)
        Dossier.objects.filter(pk=dossier.pk).update(
            status=Dossier.Status.SUBMITTED, submitted_at=dt.datetime(YEAR, 11, 18, 9 + i % 6, tzinfo=TZ)
        )
    bulk_create_with_history(not_applicable, CriterionScore)
    # Finalizing fills in the PAR index of the departments and districts (prefill) and ranks.
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=None)
    services.period_finalize(period=period, by=reviewer)
    ScoringPeriod.objects.filter(pk=period.pk).update(finalized_at=dt.datetime(YEAR, 12, 17, 16, tzinfo=TZ))


@transaction.atomic
def load(province: Province) -> None:
    load_regulation(province)
    load_indexes(province)
    reviewer = User.objects.filter(province=province, groups__name=Role.REVIEWER).first()
    if reviewer is not None:
        _final_period(province, reviewer)
