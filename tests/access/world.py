"""A small world for access tests, built once per module through the services.

Two provinces. In the main one: agencies A (own: its staff and head are "the agency") and B
(other), the reviewer's and admin's Department of Home Affairs, the co-reviewer's office and the
leader's People's Committee; four periods, one per phase that matters (final 2021, explanation
2022, appraisal 2023, self-assessment 2024), each with A's and B's dossiers, evidence files, marks
with reviewers' comments and explanations; generated documents; an issued and a draft plan with
deliverables; a notification for everyone. The other province has one agency with the same kind of
things, and an agency whose code is also used in the main province.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from plans import services as plan_services
from plans.demo import demo_pdf
from plans.models import Plan
from portal.models import Notification, Role
from reports.models import GeneratedReport
from scoring import services
from scoring.models import Criterion, Dossier, Phase, ScoringPeriod
from scoring.selectors import criteria_set_by_code
from tests.factories import (
    AgencyFactory,
    AgencyGroupFactory,
    DeliverableTypeFactory,
    PlanFactory,
    ProvinceFactory,
    UserFactory,
)
from tests.scoring.cycle_helpers import fill_complete

LIBRARY = Path(__file__).resolve().parents[2] / "scoring" / "library" / "tay-ninh-731-2019.yaml"
ROLES = ("anon", "staff", "head", "reviewer", "coreviewer", "leader", "admin")
SECRET_COMMENT = "Nhận xét nội bộ của thẩm định 9Z"
SECRET_NOTE = "Ghi chú nháp riêng của đơn vị 4K"
# Phases in which the world holds a period, by the name the access table uses.
STAGES = {
    "final": 2021,
    "explanation": 2022,
    "appraisal": 2023,
    "self": 2024,
}


@dataclass
class World:
    users: dict[str, object]
    periods: dict[str, ScoringPeriod]
    dossiers: dict[tuple[str, str], Dossier]  # (stage, "own" | "other" | "foreign")
    evidence: dict[tuple[str, str], object] = field(default_factory=dict)
    explanations: dict[str, object] = field(default_factory=dict)  # "own" | "other" | "foreign"
    reports: dict[str, GeneratedReport] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)  # "issued" | "draft" | "foreign"
    deliverables: dict[str, object] = field(default_factory=dict)  # "own" | "other" | "foreign"
    notifications: dict[str, Notification] = field(default_factory=dict)  # by user key
    agencies: dict[str, object] = field(default_factory=dict)
    dvk: dict[str, object] = field(default_factory=dict)  # "Dân vận khéo" models by state and owner
    dvk_progress: dict[str, object] = field(default_factory=dict)  # "own" | "other" | "foreign"

    def criterion(self, dossier: Dossier, code: str) -> Criterion:
        return Criterion.objects.get(criteria_set_id=dossier.period.criteria_set_id, code=code)

    def dossier(self, stage: str, obj: str) -> Dossier:
        return self.dossiers[("foreign", "foreign") if obj == "foreign" else (stage, obj)]


def _period(province, year: int, phase_to: str, people: dict, dossier_owners: dict) -> ScoringPeriod:
    """A period of `year` taken through the cycle up to `phase_to` (final included)."""
    today = timezone.localdate()
    criteria_set = criteria_set_by_code(province=province, code="tn-731-2019")
    period = services.period_create(
        province=province, year=year, criteria_set=criteria_set, name=f"Đánh giá năm {year}",
        self_assessment_opens_on=today - dt.timedelta(days=3), self_assessment_due_on=today + dt.timedelta(days=10),
        appraisal_due_on=today + dt.timedelta(days=20), explanation_due_on=today + dt.timedelta(days=25),
        agencies_as_of=dt.date(year, 10, 30),
    )  # fmt: skip
    services.period_set_phase(period=period, phase=Phase.SELF_ASSESSMENT, by=None)
    dossiers = {d.agency_id: d for d in period.dossiers.all()}
    for agency_id, (staff, head) in dossier_owners.items():
        dossier = dossiers[agency_id]
        c = Criterion.objects.get(criteria_set=criteria_set, code="2.2")
        if phase_to == Phase.SELF_ASSESSMENT:  # a draft: one score with a private note, one file
            services.self_score_save(dossier=dossier, criterion=c, by=staff, raw="3", note=SECRET_NOTE, version=0)
        else:
            fill_complete(dossier, staff)
        services.evidence_add(
            dossier=dossier, criterion=c, by=staff, upload=SimpleUploadedFile(f"tl-{year}.pdf", demo_pdf("tai lieu"))
        )
        if phase_to != Phase.SELF_ASSESSMENT:
            services.dossier_submit(dossier=dossier, by=head)
    if phase_to == Phase.SELF_ASSESSMENT:
        return period
    reviewer, coreviewer = people["reviewer"], people["coreviewer"]
    services.period_set_phase(period=period, phase=Phase.APPRAISAL, by=None)
    for agency_id in dossier_owners:
        dossier = dossiers[agency_id]
        for code, raw in (("2.2", "2"), ("1.1", "80")):
            services.mark_save(
                dossier=dossier, criterion=Criterion.objects.get(criteria_set=criteria_set, code=code),
                scorer=reviewer.agency, raw=raw, comment=SECRET_COMMENT, by=reviewer, version=0,
            )  # fmt: skip
        if coreviewer is not None:
            services.mark_save(
                dossier=dossier, criterion=Criterion.objects.get(criteria_set=criteria_set, code="1.1"),
                scorer=coreviewer.agency, raw="70", comment=SECRET_COMMENT, by=coreviewer, version=0,
            )  # fmt: skip
    if phase_to == Phase.APPRAISAL:
        return period
    services.period_set_phase(period=period, phase=Phase.EXPLANATION, by=None)
    explanations = {}
    for agency_id, (staff, _head) in dossier_owners.items():
        explanations[agency_id] = services.explanation_submit(
            dossier=dossiers[agency_id], criterion=Criterion.objects.get(criteria_set=criteria_set, code="2.2"),
            text="Xin xem xét lại tiêu chí 2.2", by=staff,
        )  # fmt: skip
    period.explanations = explanations
    if phase_to == Phase.EXPLANATION:
        return period
    services.period_set_phase(period=period, phase=Phase.SETTLEMENT, by=None)
    for explanation in explanations.values():
        services.explanation_decide(explanation=explanation, accept=False, reason="Giữ nguyên điểm", by=reviewer)
    services.period_finalize(period=period, by=reviewer)
    return period


def _report(period: ScoringPeriod, kind: str, dossier: Dossier | None = None) -> GeneratedReport:
    report = GeneratedReport(
        period=period, kind=kind, dossier=dossier, scope=str(dossier.pk) if dossier else "", content_hash="0" * 64
    )
    report.state, report.progress = GeneratedReport.State.DONE, 100
    report.file.save(f"{kind}-{period.year}.pdf", ContentFile(demo_pdf(kind)), save=False)
    if dossier is None:  # the decision and the proposal come with their Word file too
        report.docx.save(f"{kind}-{period.year}.docx", ContentFile(b"PK\x03\x04 docx"), save=False)
    report.save()
    return report


def _plans(province, agencies: dict, group) -> tuple[Plan, Plan, dict]:
    """An issued plan (each agency's deliverable submitted with a document) and a draft one."""
    # The year of the open self-assessment: its annual report fills criterion 2.6.b in by itself.
    year = STAGES["self"]
    issued = PlanFactory(province=province, year=year)
    DeliverableTypeFactory(plan=issued, code="report_annual", due_on=dt.date(year, 11, 22)).groups.set([group])
    plan_services.plan_issue(plan=issued)
    draft = PlanFactory(province=province, year=year + 1, status=Plan.Status.DRAFT)
    DeliverableTypeFactory(plan=draft, code="report_annual", due_on=dt.date(year + 1, 11, 22)).groups.set([group])
    deliverables = {}
    for key, (agency, submitter) in agencies.items():
        deliverables[key] = issued.deliverable_types.get().deliverables.get(agency=agency)
        plan_services.deliverable_submit(
            deliverable=deliverables[key], upload=SimpleUploadedFile("bc.pdf", demo_pdf("bao cao")),
            so_ky_hieu="12/BC", document_date=dt.date(2021, 11, 1), by=submitter,
        )  # fmt: skip
    return issued, draft, deliverables


def _dvk(world: World, users: dict) -> None:
    """ "Dân vận khéo" models: A's draft and A's model under way; B's awaiting review, under way and
    recognised; X's recognised one; a progress report with a document on A's, B's and X's."""
    year = STAGES["self"]
    data = plan_services.DvkModelData(
        year=year, name="Mô hình dân vận khéo", field="admin_reform", goal="Mục tiêu", lead="Giám đốc",
        participants="Công chức", starts_on=dt.date(year, 1, 1), ends_on=dt.date(year, 12, 31),
        expected_result="Kết quả",
    )  # fmt: skip
    reviewers = {"own": users["reviewer"], "other": users["reviewer"], "foreign": users["foreign_reviewer"]}
    staff = {"own": users["staff"], "other": users["other_staff"], "foreign": users["foreign_staff"]}

    def model(owner: str, state: str):
        m = plan_services.dvk_model_save(agency=world.agencies[owner], data=data, by=staff[owner])
        if state != "draft":
            m = plan_services.dvk_model_submit(model=m, by=staff[owner])
        if state in ("under way", "recognised"):
            m = plan_services.dvk_model_review(model=m, approve=True, comment="", by=reviewers[owner])
        if state == "recognised":
            plan_services.dvk_model_recognise(
                model=m, level="province", decision_number="58-QĐ/BDVTU", decision_date=dt.date(year, 6, 1),
                issuer="Ban Dân vận Tỉnh ủy", by=reviewers[owner],
            )  # fmt: skip
            m.refresh_from_db()
        return m

    world.dvk = {
        "draft own": model("own", "draft"),
        "under way own": model("own", "under way"),
        "registered other": model("other", "registered"),
        "under way other": model("other", "under way"),
        "recognised other": model("other", "recognised"),
        "foreign": model("foreign", "recognised"),
    }
    for key, obj in (("own", "under way own"), ("other", "recognised other"), ("foreign", "foreign")):
        world.dvk_progress[key] = plan_services.dvk_progress_add(
            model=world.dvk[obj], reported_on=dt.date(year, 6, 1), text="Tiến độ",
            upload=SimpleUploadedFile("tien-do.pdf", demo_pdf("tien do")), by=staff[key],
        )  # fmt: skip


def build_world() -> World:
    main = ProvinceFactory(code="tinh-chinh", name="Tỉnh Chính")
    other = ProvinceFactory(code="tinh-khac", name="Tỉnh Khác")
    group = AgencyGroupFactory(province=main, code="khoi-so", name="Khối sở")
    foreign_group = AgencyGroupFactory(province=other, code="khoi-so", name="Khối sở")

    def agency(province, code, grp=None):
        return AgencyFactory(province=province, code=code, version__name=f"Cơ quan {code}", version__group=grp)

    a, b = agency(main, "so-tu-phap", group), agency(main, "so-y-te", group)
    home_affairs, office, committee = agency(main, "so-noi-vu"), agency(main, "vp-ubnd"), agency(main, "ubnd-tinh")
    x = agency(other, "so-ke-hoach", foreign_group)
    agency(other, "so-y-te")  # the same code as B: codes are unique within a province only
    x_reviewer_agency = agency(other, "so-noi-vu")
    for province, codes in ((main, ("thanh-tra",)), (other, ("thanh-tra", "vp-ubnd"))):
        for code in codes:  # the scorers the regulation names
            agency(province, code)
    services.regulation_import_file(province=main, name="731.yaml", content=LIBRARY.read_bytes())
    services.regulation_import_file(province=other, name="731.yaml", content=LIBRARY.read_bytes())

    def user(name, agency_, role):
        return UserFactory(username=name, agency=agency_, roles=[role])

    users = {
        "staff": user("cb.a", a, Role.AGENCY_STAFF),
        "head": user("ld.a", a, Role.AGENCY_HEAD),
        "reviewer": user("td.snv", home_affairs, Role.REVIEWER),
        "coreviewer": user("ph.vp", office, Role.CO_REVIEWER),
        "leader": user("ld.tinh", committee, Role.LEADER),
        "admin": user("qt.snv", home_affairs, Role.ADMIN),
        "other_staff": user("cb.b", b, Role.AGENCY_STAFF),
        "other_head": user("ld.b", b, Role.AGENCY_HEAD),
        "foreign_staff": user("cb.x", x, Role.AGENCY_STAFF),
        "foreign_head": user("ld.x", x, Role.AGENCY_HEAD),
        "foreign_reviewer": user("td.x", x_reviewer_agency, Role.REVIEWER),
    }
    owners = {a.pk: (users["staff"], users["head"]), b.pk: (users["other_staff"], users["other_head"])}
    world = World(users=users, periods={}, dossiers={}, agencies={"own": a, "other": b, "foreign": x})
    stage_phases = {"final": "final", "explanation": Phase.EXPLANATION, "appraisal": Phase.APPRAISAL}
    for stage, year in STAGES.items():
        period = _period(main, year, stage_phases.get(stage, Phase.SELF_ASSESSMENT), users, owners)
        world.periods[stage] = period
        for obj, agency_ in (("own", a), ("other", b)):
            dossier = period.dossiers.get(agency=agency_)
            world.dossiers[(stage, obj)] = dossier
            world.evidence[(stage, obj)] = dossier.evidence.get(kind="file")
            if stage == "explanation":
                world.explanations[obj] = period.explanations[agency_.pk]
    people = {"reviewer": users["foreign_reviewer"], "coreviewer": None}
    foreign = _period(other, 2021, Phase.EXPLANATION, people, {x.pk: (users["foreign_staff"], users["foreign_head"])})
    world.periods["foreign"] = foreign
    world.dossiers[("foreign", "foreign")] = foreign.dossiers.get(agency=x)
    world.evidence[("foreign", "foreign")] = world.dossiers[("foreign", "foreign")].evidence.get(kind="file")
    world.explanations["foreign"] = foreign.explanations[x.pk]

    final = world.periods["final"]
    world.reports = {
        "decision": _report(final, GeneratedReport.Kind.DECISION),
        "sheet_own": _report(final, GeneratedReport.Kind.SCORESHEET, world.dossiers[("final", "own")]),
        "sheet_other": _report(final, GeneratedReport.Kind.SCORESHEET, world.dossiers[("final", "other")]),
        "foreign": _report(foreign, GeneratedReport.Kind.DECISION),
    }
    issued, draft, deliverables = _plans(main, {"own": (a, users["staff"]), "other": (b, users["other_staff"])}, group)
    foreign_plan, _draft, foreign_deliverables = _plans(other, {"foreign": (x, users["foreign_staff"])}, foreign_group)
    world.plans = {"issued": issued, "draft": draft, "foreign": foreign_plan}
    world.deliverables = {**deliverables, **foreign_deliverables}
    for obj in ("own", "other"):
        services.dossier_prefill(world.dossier("self", obj))
    _dvk(world, users)
    for key, person in users.items():
        world.notifications[key] = Notification.objects.create(recipient=person, key=f"matrix-{key}", title=key)
    from tests.access.contest_world import add_contests

    add_contests(world)  # contests: world.contests
    from tests.access.qcdc_world import add_qcdc

    add_qcdc(world, STAGES["self"])  # QCDC reports and exemplars: world.qcdc_types, qcdc_reports, exemplars
    return world
