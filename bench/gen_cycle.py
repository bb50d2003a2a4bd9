"""Scoring periods of one generated province: dossiers, self-scores, evidence, marks, results.

Four final years (every agency self-scored and appraised, a few late, one without a dossier, stored
results computed by the portal's engine; every dossier's provisional result stored by the portal's
own `results_refresh`) and the current year, still in self-assessment (a fifth
submitted, the rest drafts about 60 % filled) or in appraisal (nearly all submitted, 70 % marked).
Marks are drawn per agency and year from a seeded generator, so every build is the same.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from . import db
from .generate import TZ

AUTO_SCORER = "he-thong"
SCORE_FIELDS = ["id", "dossier_id", "criterion_id", "self_raw", "self_points", "note", "no_evidence_reason",
                "not_applicable", "is_automatic", "version", "updated_at", "updated_by_id"]  # fmt: skip
MARK_FIELDS = ["id", "dossier_id", "criterion_id", "scorer_id", "raw", "points", "comment", "version", "entered_at",
               "entered_by_id"]  # fmt: skip
EVIDENCE_FIELDS = ["dossier_id", "criterion_id", "kind", "file", "file_name", "content_kind", "size", "sha256",
                   "doc_number", "doc_date", "summary", "page_ref", "phase", "uploaded_at", "uploaded_by_id"]  # fmt: skip
RESULT_FIELDS = ["dossier_id", "self_total", "appraised_total", "bonus", "penalty", "total", "band_code",
                 "classified", "rank", "steps", "criteria"]  # fmt: skip
NO_EVIDENCE = "Đơn vị chưa có văn bản riêng; kết quả thể hiện trong báo cáo năm."


class _Cycle:
    def __init__(self, ctx):
        from scoring.engine.tree import resolve_scorers
        from scoring.models import CriteriaSet, Criterion, IndexValue
        from scoring.selectors import criteria_set_spec

        from . import national

        self.ctx = ctx
        self.criteria_set = CriteriaSet.objects.get(regulation__province=ctx.province, regulation__code=national.CODE)
        self.spec = criteria_set_spec(self.criteria_set)
        self.criteria = {c.code: c.pk for c in Criterion.objects.filter(criteria_set=self.criteria_set)}
        self.scorers = resolve_scorers(self.spec)
        self.leaves = [n for n in self.spec.walk() if n.is_leaf]
        self.bands = {b.code: b.label for b in self.criteria_set.bands.all()}
        self.indexes = {
            (agency_id, source, year): value
            for agency_id, source, year, value in IndexValue.objects.filter(province=ctx.province).values_list(
                "agency_id", "source", "year", "value"
            )
        }
        self.by_agency_id = {a.agency_id: a for a in ctx.agencies.values()}
        self.scorer_user = {
            "so-noi-vu": ctx.users["reviewer"],
            "vp-ubnd": ctx.users["coreviewer:vp-ubnd"],
            "thanh-tra": ctx.users["coreviewer:thanh-tra"],
        }
        self.scores, self.marks, self.evidence, self.results = [], [], [], []
        self.history_scores, self.history_marks = [], []

    def points(self, node, raw: str) -> Decimal:
        from scoring.engine import points_for
        from scoring.engine.leaf import quantize

        return quantize(points_for(node, raw), self.spec.rounding)

    def auto_raw(self, node, agency, year: int) -> str | None:
        """What the portal's prefill would write: a deliverable's status or an imported index."""
        params = node.params
        if params.get("auto_source") and params.get("auto_map"):
            status = self.ctx.statuses.get((year, params["auto_source"], agency.code))
            return str(params["auto_map"][status]) if status in ("on_time", "late", "missing") else None
        if params.get("source"):
            value = self.indexes.get((agency.agency_id, params["source"], year + int(params.get("year_offset", 0))))
            return None if value is None else format(value, "f")
        return None

    # --- periods ----------------------------------------------------------------------------------

    def period(self, year: int):
        from scoring.models import Phase, ScoringPeriod

        ctx = self.ctx
        final = year < ctx.current_year
        if final:
            dates = [dt.date(year, 10, 30), dt.date(year, 11, 20), dt.date(year, 12, 5), dt.date(year, 12, 10),
                     dt.date(year, 12, 15)]  # fmt: skip
        else:
            shift = 0 if ctx.phase == Phase.SELF_ASSESSMENT else -30
            dates = [ctx.bench_day + dt.timedelta(days=d + shift) for d in (-20, 14, 28, 35, 42)]
        period = ScoringPeriod.objects.create(
            province=ctx.province, year=year, name=f"Đánh giá công tác dân vận chính quyền năm {year}",
            criteria_set=self.criteria_set, phase=Phase.FINAL if final else ctx.phase, auto_switch=False,
            self_assessment_opens_on=dates[0], self_assessment_due_on=dates[1], appraisal_due_on=dates[2],
            explanation_due_on=dates[3], decision_due_on=dates[4],
        )  # fmt: skip
        if final:
            period.proposal_number, period.proposal_date = f"{200 + ctx.index}/TTr-SNV", dt.date(year, 12, 10)
            period.decision_number, period.decision_date = f"{3000 + ctx.index}/QĐ-UBND", dt.date(year, 12, 15)
            period.finalized_at = dt.datetime(year, 12, 14, 16, tzinfo=TZ)
            period.finalized_by_id = ctx.users["reviewer"]
            period.save()
        return period

    def dossier_plan(self, period, index: int, agency) -> tuple[str, int, dt.datetime | None]:
        """(state, late days, submitted at): state is full, draft (partly filled) or none."""
        ctx, year = self.ctx, period.year
        rng = random.Random(f"{ctx.province.code}-{agency.code}-{year}-dossier")
        due = period.self_assessment_due_on
        ranked = ctx.ranked()
        if year < ctx.current_year:
            if agency is ranked[-(1 + year % 5)]:
                return "none", 0, None
            if rng.random() < 0.08:
                late = rng.randint(1, 3)
                return "full", late, dt.datetime.combine(due + dt.timedelta(days=late), dt.time(10), tzinfo=TZ)
            return (
                "full",
                0,
                dt.datetime.combine(due - dt.timedelta(days=rng.randint(0, 10)), dt.time(9 + index % 7), tzinfo=TZ),
            )
        if period.phase == "self_assessment":
            if rng.random() < 0.2:
                return (
                    "full",
                    0,
                    dt.datetime.combine(ctx.bench_day - dt.timedelta(days=rng.randint(1, 10)), dt.time(9), tzinfo=TZ),
                )
            return "draft", 0, None
        if rng.random() < 0.03:
            return "none", 0, None
        return "full", 0, dt.datetime.combine(due - dt.timedelta(days=rng.randint(0, 8)), dt.time(14), tzinfo=TZ)  # fmt: skip

    def year(self, year: int) -> None:
        from scoring.models import Adjustment, Dossier

        ctx = self.ctx
        period = self.period(year)
        plans = [(a, *self.dossier_plan(period, i, a)) for i, a in enumerate(ctx.ranked())]
        dossiers = Dossier.objects.bulk_create(
            [
                Dossier(period=period, agency_id=a.agency_id, agency_version_id=a.version_id, group_id=a.group_id,
                        status="submitted" if at else "draft", submitted_at=at, submitted_by_id=a.head if at else None,
                        is_late=late > 0, late_days=late)
                for a, state, late, at in plans
            ]
        )  # fmt: skip
        final = year < ctx.current_year
        inputs: dict[str, list] = {}
        adjustments = []
        for dossier, (agency, state, late, at) in zip(dossiers, plans, strict=True):
            engine_input = self.dossier_rows(period, dossier, agency, state, at)
            if not final:
                continue
            rng = random.Random(f"{ctx.province.code}-{agency.code}-{year}-adjust")
            if state == "full" and rng.random() < 0.05:
                adjustments.append(("T1", "true", "Mô hình “Dân vận khéo” được UBND tỉnh tặng Bằng khen", dossier))
            if state == "full" and rng.random() < 0.02:
                adjustments.append(("TR2", "1", "Một công chức bị kỷ luật do sách nhiễu người dân", dossier))
            own = {c: raw for c, raw, _r, d in adjustments if d is dossier}
            for penalty in self.spec.penalties:
                if penalty.params.get("auto_source") == "late_days" and late and penalty.code not in own:
                    own[penalty.code] = late
            engine_input.adjustments.update(own)
            inputs.setdefault(agency.group_code, []).append((dossier, engine_input))
        Adjustment.objects.bulk_create(
            Adjustment(dossier=d, criterion_id=self.criteria[c], raw=raw, reason=reason, entered_by_id=ctx.users["reviewer"])
            for c, raw, reason, d in adjustments
        )  # fmt: skip
        if final:
            self.results_of(inputs)

    def dossier_rows(self, period, dossier, agency, state: str, at):
        """Rows of one dossier (appended to the COPY buffers) and its engine input."""
        from scoring.demo import sample_appraised_raw, sample_self_raw
        from scoring.engine import CriterionInput, DossierInput, Mark

        ctx, year = self.ctx, period.year
        rng = random.Random(f"{ctx.province.code}-{agency.code}-{year}")
        inputs = {}
        current = year == ctx.current_year
        when = at or dt.datetime.combine(ctx.bench_day - dt.timedelta(days=3), dt.time(10), tzinfo=TZ)
        staff = agency.staff[rng.randrange(len(agency.staff))]
        marking = state == "full" and (not current or period.phase == "appraisal")
        for node in self.leaves if state != "none" else ():
            auto = self.auto_raw(node, agency, year)
            if auto is None and state == "draft" and rng.random() > 0.6:
                continue
            raw = auto if auto is not None else self._canonical(node, sample_self_raw(node, rng, percent_from=70))
            why = NO_EVIDENCE if auto is None and rng.random() < 0.15 else ""
            criterion = self.criteria[node.code]
            self.scores.append([None, dossier.pk, criterion, raw, self.points(node, raw), "", why, False, auto is not None, 1,
                                when, None if auto is not None else staff])  # fmt: skip
            if current:
                self.history_scores.append(len(self.scores) - 1)
            if auto is None and not why:
                self.evidence.append((dossier.pk, criterion, "reference", "", "", "", 0, "",
                                      f"{rng.randint(10, 300)}/BC-{agency.code.upper()[:8]}",
                                      dt.date(year, rng.randint(3, 10), rng.randint(1, 28)),
                                      f"Báo cáo kết quả thực hiện tiêu chí {node.code}", f"tr. {rng.randint(1, 12)}",
                                      "self_assessment", when, staff))  # fmt: skip
            marks = []
            for scorer in self.scorers[node.code].all if marking else ():
                if scorer == agency.code or (current and rng.random() > 0.7):
                    continue
                mark_raw = raw if auto is not None else self._canonical(node, sample_appraised_raw(node, raw, rng))
                self.marks.append([None, dossier.pk, criterion, ctx.agencies[scorer].agency_id, mark_raw,
                                   self.points(node, mark_raw), "", 1, when + dt.timedelta(days=5),
                                   self.scorer_user[scorer]])  # fmt: skip
                if current:
                    self.history_marks.append(len(self.marks) - 1)
                marks.append(Mark(scorer, mark_raw))
            if auto is not None and not marks:
                marks.append(Mark(AUTO_SCORER, raw))
            inputs[node.code] = CriterionInput(self_raw=raw or None, marks=tuple(marks))
        return DossierInput(key=agency.code, name=agency.name, group=agency.group_code, inputs=inputs,
                            has_dossier=at is not None, submitted_at=at)  # fmt: skip

    def _canonical(self, node, raw: str) -> str:
        from scoring.engine.leaf import canonical_raw

        return canonical_raw(node, raw)

    def results_of(self, inputs: dict[str, list]) -> None:
        """Stored results as period_finalize writes them: the engine per group, texts of its steps."""
        from portal.text import vi_sort_key
        from scoring.engine import evaluate_group
        from scoring.explain import step_text

        for members in inputs.values():
            by_key = {engine_input.key: dossier for dossier, engine_input in members}
            for r in evaluate_group(self.spec, [i for _d, i in members], vi_sort_key):
                criteria = {
                    code: {"max": str(c.max_points), "self": None if c.self_points is None else str(c.self_points),
                           "appraised": None if c.appraised_points is None else str(c.appraised_points),
                           "final": str(c.final_points), "na": c.not_applicable}
                    for code, c in r.criteria.items()
                }  # fmt: skip
                self.results.append((by_key[r.key].pk, r.self_total, r.appraised_total, r.bonus, r.penalty, r.total,
                                     r.band or "", r.classified, r.rank, [step_text(s, self.bands) for s in r.steps],
                                     criteria))  # fmt: skip

    def write(self) -> None:
        from scoring.models import AppraisalMark, CriterionScore, Evidence, Result

        for rows, model in ((self.scores, CriterionScore), (self.marks, AppraisalMark)):
            for row, pk in zip(rows, db.next_ids(model, len(rows)), strict=True):
                row[0] = pk
        db.copy_rows(CriterionScore, SCORE_FIELDS, self.scores)
        db.copy_rows(AppraisalMark, MARK_FIELDS, self.marks)
        db.copy_rows(Evidence, EVIDENCE_FIELDS, self.evidence)
        db.copy_rows(Result, RESULT_FIELDS, self.results)
        # The current year's rows have their first history record, as the portal's saves leave them.
        history = ["history_date", "history_type", "history_change_reason", "history_user_id"]
        db.copy_rows(
            CriterionScore.history.model,
            SCORE_FIELDS + history,
            (self.scores[i] + [self.scores[i][10], "+", "self-assessment", self.scores[i][11]]
             for i in self.history_scores),
        )  # fmt: skip
        db.copy_rows(
            AppraisalMark.history.model,
            MARK_FIELDS + history,
            (self.marks[i] + [self.marks[i][8], "+", "appraisal", self.marks[i][9]] for i in self.history_marks),
        )


def build(ctx) -> None:
    from scoring.models import ScoringPeriod
    from scoring.services import results_refresh

    cycle = _Cycle(ctx)
    for year in ctx.years():
        cycle.year(year)
    cycle.write()
    # Every dossier's stored provisional result, as the portal's services keep it on each write.
    for period in ScoringPeriod.objects.filter(province=ctx.province).select_related("criteria_set"):
        results_refresh(period=period)
