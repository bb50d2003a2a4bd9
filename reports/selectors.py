"""Read-only data for documents, spreadsheets, dashboards and the API."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Avg, F, Q

from plans.selectors import plan_for_year, plan_targets
from portal.models import Agency, Province
from portal.selectors import lineage_ancestor_agencies
from portal.text import long_date
from scoring.explain import fmt
from scoring.models import AppraisalMark, CriterionScore, Dossier, Phase, Result, ScoringPeriod
from scoring.selectors import criteria_set_spec, dossier_data, grid_rows, ranking

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def final_periods(*, province: Province, program: str = "dvcq"):
    return ScoringPeriod.objects.filter(province=province, program=program, phase=Phase.FINAL).order_by("year")


def band_counts(period: ScoringPeriod, groups: list | None = None) -> list[tuple[str, str, int]]:
    """(code, label, number of agencies) per class, best first, then the unclassified."""
    rows = [row for _g, group in (ranking(period) if groups is None else groups) for row in group]
    counts = Counter(row["band"] if row["classified"] else "" for row in rows)
    bands = sorted(period.criteria_set.bands.all(), key=lambda b: b.min_points, reverse=True)
    result = [(b.code, b.label, counts.get(b.code, 0)) for b in bands]
    if counts.get(""):
        result.append(("", "Không xếp loại", counts[""]))
    return result


def decision_context(period: ScoringPeriod) -> dict:
    """Everything the decision, the proposal and their appendix print — all of it data."""
    province = period.province
    regulation = period.criteria_set.regulation
    ranked = ranking(period)
    groups = []
    for index, (group, rows) in enumerate(ranked):
        groups.append(
            {
                "roman": ROMAN[index] if index < len(ROMAN) else str(index + 1),
                "name": group.name,
                "rows": [
                    {
                        "name": row["dossier"].agency_version.name,
                        "self": fmt(row["self_total"]),
                        "appraised": fmt(row["appraised_total"]),
                        "adjustment": _signed(row["bonus"] - row["penalty"]),
                        "total": fmt(row["total"]),
                        "band": row["band_label"] if row["classified"] else "Không xếp loại",
                        "rank": row["rank"] if row["classified"] else "—",
                    }
                    for row in rows
                ],
            }
        )
    counts = band_counts(period, ranked)
    return {
        "province": province.name,
        "place": province.place_name,
        "year": period.year,
        "is_draft": period.phase != Phase.FINAL,
        "regulation_number": regulation.so_ky_hieu,
        "regulation_date": long_date(regulation.issued_on) if regulation.issued_on else "",
        "regulation_title": regulation.title,
        "proposal_number": period.proposal_number or "…/TTr-SNV",
        "proposal_date": long_date(period.proposal_date) if period.proposal_date else "ngày … tháng … năm …",
        "proposal_short_date": period.proposal_date.strftime("%d/%m/%Y") if period.proposal_date else "…",
        "decision_number": period.decision_number or "…/QĐ-UBND",
        "decision_date": long_date(period.decision_date) if period.decision_date else "ngày … tháng … năm …",
        "decision_short_date": period.decision_date.strftime("%d/%m/%Y") if period.decision_date else "…",
        "signer": period.decision_signer,
        "signer_title": period.decision_signer_title or "CHỦ TỊCH",
        "groups": groups,
        "total_agencies": sum(len(g["rows"]) for g in groups),
        "counts": [(label, n) for _code, label, n in counts],
    }


def _signed(value: Decimal) -> str:
    if not value:
        return "0"
    return ("+" if value > 0 else "−") + fmt(abs(value))


def scoresheet_context(dossier: Dossier) -> dict:
    """A per-agency score sheet: every criterion with self, appraised and final points."""
    period = dossier.period
    data = dossier_data(dossier)

    class Reader:  # a reader who sees everything of a final period
        agency_id = None
        agency = None
        roles = frozenset({"leader"})

    rows, result = grid_rows(data, Reader(), show_marks=True)
    bands = {b.code: b.label for b in period.criteria_set.bands.all()}
    stored = getattr(dossier, "result", None) if period.phase == Phase.FINAL else None
    from scoring.explain import step_text

    return {
        "province": period.province.name,
        "place": period.province.place_name,
        "year": period.year,
        "is_draft": period.phase != Phase.FINAL,
        "agency": dossier.agency_version.name,
        "group": dossier.group.name,
        "regulation_number": period.criteria_set.regulation.so_ky_hieu,
        "rows": [
            {
                "code": r.node.code,
                "title": r.node.title,
                "is_group": r.is_group,
                "max": fmt(r.node.max_points),
                "self": fmt(r.self_points),
                "appraised": fmt(r.appraised_points),
                "final": fmt(r.final_points),
                "comment": "; ".join(m.comment for m in r.marks if m.comment),
            }
            for r in rows
        ],
        "self_total": fmt(stored.self_total if stored else result.self_total),
        "appraised_total": fmt(stored.appraised_total if stored else result.appraised_total),
        "bonus": fmt(stored.bonus if stored else result.bonus),
        "penalty": fmt(stored.penalty if stored else result.penalty),
        "total": fmt(stored.total if stored else result.total),
        "band": bands.get(stored.band_code if stored else result.band, "Không xếp loại"),
        "rank": stored.rank if stored else None,
        "steps": stored.steps if stored else [step_text(s, bands) for s in result.steps],
        "today": long_date(period.decision_date or dt.date.today()),
    }


def summary_context(period: ScoringPeriod) -> dict:
    context = decision_context(period)
    plan = plan_for_year(province=period.province, year=period.year, program=period.program)
    targets = plan_targets(plan=plan, today=dt.date.today()) if plan else []
    context.update(
        {
            "plan_title": plan.title if plan else "",
            "targets": [
                {
                    "title": t.target.title,
                    "goal": f"{t.target.get_comparison_display()} {fmt(t.target.threshold)}%",
                    "value": f"{fmt(t.value)}%" if t.value is not None else "—",
                    "met": "Đạt" if t.is_met else ("Chưa đạt" if t.is_met is False else "Chưa có số liệu"),
                }
                for t in targets
            ],
            "report_date": context["decision_date"],
        }
    )
    return context


# --- dashboard ------------------------------------------------------------------------------------


def submission_progress(period: ScoringPeriod) -> dict:
    dossiers = period.dossiers
    total = dossiers.count()
    return {
        "total": total,
        "submitted": dossiers.filter(submitted_at__isnull=False).count(),
        "late": dossiers.filter(is_late=True).count(),
        "appraised": dossiers.filter(marks__isnull=False).distinct().count(),
        "phase": period.get_phase_display(),
    }


def agency_gaps(period: ScoringPeriod, groups: list | None = None, limit: int = 15) -> list[dict]:
    """Agencies whose self-assessment is furthest above the appraisal (inflated self-scores)."""
    groups = ranking(period) if groups is None else groups
    rows = [row for _g, group in groups for row in group if row["classified"]]
    gaps = [
        {"name": r["dossier"].agency_version.name, "code": r["dossier"].agency.code, "dossier": r["dossier"].pk,
         "gap": r["self_total"] - r["appraised_total"]}
        for r in rows
    ]  # fmt: skip
    return sorted(gaps, key=lambda g: g["gap"], reverse=True)[:limit]


def criterion_gaps(period: ScoringPeriod) -> list[dict]:
    """Average (self − appraised) points per criterion, over dossiers where both exist."""
    marks = defaultdict(list)
    for mark in AppraisalMark.objects.filter(dossier__period=period).values("dossier_id", "criterion__code", "points"):
        marks[(mark["dossier_id"], mark["criterion__code"])].append(mark["points"])
    gaps: dict[str, list[Decimal]] = defaultdict(list)
    for score in CriterionScore.objects.filter(dossier__period=period, self_points__isnull=False).values(
        "dossier_id", "criterion__code", "self_points"
    ):
        key = (score["dossier_id"], score["criterion__code"])
        if key in marks:
            appraised = sum(marks[key]) / len(marks[key])
            gaps[score["criterion__code"]].append(score["self_points"] - appraised)
    spec = criteria_set_spec(period.criteria_set)
    order = [n.code for n in spec.walk() if n.is_leaf]
    return [
        {"code": code, "gap": (sum(values) / len(values)).quantize(Decimal("0.01")), "n": len(values)}
        for code in order
        if (values := gaps.get(code))
    ]


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
    return (
        period.dossiers.filter(Q(agency__code=agency_code))
        .select_related("agency", "agency_version", "group", "period")
        .first()
    )
