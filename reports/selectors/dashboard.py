"""The leader's dashboard: submission progress, gaps between self-assessment and appraisal (per
agency, per criterion from the stored details), an agency's trend and the yearly averages."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db import connection
from django.db.models import Avg, Count, Exists, F, OuterRef, Q

from portal.models import Agency, Province
from portal.selectors import lineage_ancestor_agencies
from scoring.models import AppraisalMark, Dossier, Phase, ProvisionalResult, Result, ScoringPeriod
from scoring.selectors import criteria_set_data, ranking


def submission_progress(period: ScoringPeriod) -> dict:
    """How many dossiers there are, submitted, late and with a mark: one query."""
    marked = AppraisalMark.objects.filter(dossier_id=OuterRef("pk"))
    counts = period.dossiers.aggregate(
        total=Count("pk"),
        submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
        late=Count("pk", filter=Q(is_late=True)),
        appraised=Count("pk", filter=Q(Exists(marked))),
    )
    return {**counts, "phase": period.get_phase_display()}


def agency_gaps(period: ScoringPeriod, groups: list | None = None, limit: int = 15) -> list[dict]:
    """Agencies whose self-assessment is furthest above the appraisal (inflated self-scores)."""
    groups = ranking(period) if groups is None else groups
    rows = [row for _g, group in groups for row in group if row.classified]
    gaps = [
        {"name": r.dossier.agency_version.name, "code": r.dossier.agency.code, "dossier": r.dossier.pk,
         "gap": r.self_total - r.appraised_total}
        for r in rows
    ]  # fmt: skip
    return sorted(gaps, key=lambda g: g["gap"], reverse=True)[:limit]


def criterion_gaps(period: ScoringPeriod) -> list[dict]:
    """Average (self − appraised) points per criterion, over the dossiers whose agency scored it and
    whose appraisers marked it (the appraised points: the engine's, the marks combined as the
    regulation says). Summed from the stored results' details (ProvisionalResult.detail), not from
    the marks: on PostgreSQL by one aggregate returning a row per criterion; a criterion set not
    applicable to the dossier is left out."""
    sums = _gap_sums_sql(period) if connection.vendor == "postgresql" else _gap_sums(period)
    gaps = {key: total / count for key, (total, count) in sums.items()}
    counts = {key: count for key, (_total, count) in sums.items()}
    # Criteria per set, the period's own set first; a code names its set when there are several.
    set_ids = sorted({set_id for set_id, _code in gaps}, key=lambda pk: (pk != period.criteria_set_id, pk))
    several = len(set_ids) > 1
    return [
        {
            "code": f"{criteria_set_data(set_id).spec.code}/{node.code}" if several else node.code,
            "gap": gaps[(set_id, node.code)].quantize(Decimal("0.01")),
            "n": counts[(set_id, node.code)],
        }
        for set_id in set_ids
        for node in criteria_set_data(set_id).spec.walk()
        if node.is_leaf and (set_id, node.code) in gaps
    ]


_GAP_SQL = """
    SELECT (r.detail ->> 'set')::bigint, gap.key, SUM(gap.value::numeric), COUNT(*)
    FROM {results} r
    INNER JOIN {dossiers} d ON d.id = r.dossier_id
    CROSS JOIN LATERAL jsonb_each_text(r.detail -> 'gaps') AS gap
    WHERE d.period_id = %s
    GROUP BY 1, 2
"""


def _gap_sums_sql(period: ScoringPeriod) -> dict[tuple[int, str], tuple[Decimal, int]]:
    """(set, criterion) → (sum of self − appraised, dossiers), summed by PostgreSQL in the details."""
    sql = _GAP_SQL.format(results=ProvisionalResult._meta.db_table, dossiers=Dossier._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql, [period.pk])
        return {(set_id, code): (total, count) for set_id, code, total, count in cursor.fetchall()}


def _gap_sums(period: ScoringPeriod) -> dict[tuple[int, str], tuple[Decimal, int]]:
    """_gap_sums_sql in Python (SQLite, the embedded default of `make run`)."""
    sums: dict[tuple[int, str], tuple[Decimal, int]] = {}
    for detail in ProvisionalResult.objects.filter(dossier__period=period).values_list("detail", flat=True):
        for code, gap in (detail or {}).get("gaps", {}).items():  # none stored yet: `refresh_results`
            total, count = sums.get((detail["set"], code), (Decimal(0), 0))
            sums[(detail["set"], code)] = (total + Decimal(gap), count + 1)
    return sums


def agency_trend(agency: Agency, province: Province) -> list[dict]:
    """Final totals of an agency over the years, through its lineage (a merged department carries
    the history of those merged into it)."""
    ancestors = lineage_ancestor_agencies(agency=agency)
    results = (
        Result.objects.filter(
            dossier__agency_id__in=ancestors, dossier__period__province=province, dossier__period__phase=Phase.FINAL
        )
        .select_related("dossier__period", "dossier__agency_version")
        .order_by("dossier__period__year")
    )
    by_year: dict[int, list] = defaultdict(list)
    for r in results:
        by_year[r.dossier.period.year].append(r)
    return [
        {
            "year": year,
            "total": sum(r.total for r in rs) / len(rs),
            "names": ", ".join(r.dossier.agency_version.name for r in rs),
        }
        for year, rs in sorted(by_year.items())
    ]


def yearly_averages(province: Province) -> list[dict]:
    rows = (
        Result.objects.filter(dossier__period__province=province, dossier__period__phase=Phase.FINAL, classified=True)
        .values(year=F("dossier__period__year"))
        .annotate(avg=Avg("total"))
        .order_by("year")
    )
    return [{"year": r["year"], "avg": Decimal(r["avg"]).quantize(Decimal("0.01"))} for r in rows]


def dossier_for(period: ScoringPeriod, agency_code: str) -> Dossier | None:
    """The agency's dossier of the period with its result (if stored), holding `period` itself (its
    criteria set, regulation and province as the caller loaded them: no query for them again)."""
    dossier = (
        period.dossiers.filter(Q(agency__code=agency_code))
        .select_related("agency", "agency_version", "group", "result")
        .first()
    )
    if dossier is not None:
        dossier.period = period
    return dossier
