"""The access world grown by a factor, in bulk: the query budgets (test_query_budget.py) count every
page on the world grown by 1 (one of each thing the access world lacks: plan targets of every
metric, tasks, older versions, …) and again grown by 10; a count that moved grows with the data.

Everything a page lists gets `factor` times more rows: ranked agencies (with their people,
dossiers in every period, scores, marks, evidence, explanations, results and deliverables), the
marks, evidence, explanations and history of A's and B's own dossiers, older final periods,
criteria sets, plans with their sections, tasks, targets and deliverable types, versions and
lineage of A and B, colleagues, notifications and generated documents. Rows are bulk-created
(no services, no history but the history rows written on purpose), so growing takes seconds.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from plans.models import (
    Deliverable,
    DeliverableType,
    DvkModel,
    DvkProgress,
    DvkRecognition,
    Plan,
    PlanSection,
    Reminder,
    Target,
    Task,
)
from portal.models import Agency, AgencyGroup, AgencyKind, AgencyLineage, AgencyVersion, Notification, Role, User
from reports.models import GeneratedReport
from scoring.engine.tree import resolve_scorers
from scoring.libraryio import read_library_file
from scoring.models import (
    AppraisalMark,
    CriterionScore,
    Dossier,
    Evidence,
    EvidenceRequest,
    Explanation,
    Result,
    ScoringPeriod,
)
from scoring.selectors import BEST_BAND_METRIC, criteria_set_spec
from scoring.services import regulation_import
from tests.access.world import LIBRARY, SECRET_COMMENT, World

NOW = timezone.now()


def _copy(row, **changes):
    """An unsaved copy of a model row with `changes` (a new primary key on save)."""
    values = {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if not f.primary_key}
    values.update(changes)
    return type(row)(**values)


def _agencies(world: World, factor: int) -> list[Agency]:
    """Ranked agencies until there are `factor` times A and B, spread over A's khối and up to three
    more the criteria set names, each with a member of staff; A gets `factor` colleagues, A and B
    `factor` older versions linked by renames and a chain of `factor` mergers into A."""
    own = world.agencies["own"]
    province, group = own.province, own.versions.get().group
    groups = [group] + AgencyGroup.objects.bulk_create(
        AgencyGroup(province=province, code=code, name=f"Khối {code}", order=n + 1)
        for n, code in enumerate(("khoi-dvsn", "khoi-tw", "khoi-huyen")[: min(factor, 4) - 1])
    )
    count = (factor - 1) * 2
    agencies = Agency.objects.bulk_create(Agency(province=province, code=f"them-{n}") for n in range(count))
    AgencyVersion.objects.bulk_create(
        AgencyVersion(agency=a, name=f"Cơ quan thêm {n}", kind=AgencyKind.SO, group=groups[n % len(groups)],
                      valid_from=dt.date(2019, 1, 1))
        for n, a in enumerate(agencies)
    )  # fmt: skip
    people = [User(username=f"cb.them{n}", agency=a, province=province, password="!") for n, a in enumerate(agencies)]
    people += [User(username=f"cb.a{n}", agency=own, province=province, password="!") for n in range(factor)]
    people = User.objects.bulk_create(people)
    staff = Group.objects.get(name=Role.AGENCY_STAFF)
    User.groups.through.objects.bulk_create(User.groups.through(user=u, group=staff) for u in people)
    for key in ("own", "other"):
        current = world.agencies[key].versions.get()
        older = AgencyVersion.objects.bulk_create(
            AgencyVersion(
                agency=world.agencies[key], name=f"{current.name} (tên cũ {n})", kind=current.kind, group=group,
                valid_from=dt.date(2000 + n, 1, 1), valid_to=dt.date(2000 + n, 12, 31),
            )
            for n in range(factor)
        )  # fmt: skip
        chain = [*older, current]
        AgencyLineage.objects.bulk_create(
            AgencyLineage(kind="rename", predecessor=a, successor=b, effective_on=b.valid_from, legal_basis="QĐ đổi tên")
            for a, b in zip(chain, chain[1:], strict=False)
        )  # fmt: skip
    # `factor` generations of bodies merged one into the next and the last into A (its trend).
    merged = Agency.objects.bulk_create(Agency(province=province, code=f"sap-nhap-{n}") for n in range(factor))
    ends = AgencyVersion.objects.bulk_create(
        AgencyVersion(agency=a, name=f"Cơ quan sáp nhập {n}", kind=AgencyKind.SO, valid_from=dt.date(1990, 1, 1),
                      valid_to=dt.date(1999, 12, 31))
        for n, a in enumerate(merged)
    )  # fmt: skip
    chain = [*ends, own.versions.order_by("valid_from").first()]
    AgencyLineage.objects.bulk_create(
        AgencyLineage(kind="merge", predecessor=a, successor=b, effective_on=dt.date(2000, 1, 1), legal_basis="QĐ sáp nhập")
        for a, b in zip(chain, chain[1:], strict=False)
    )  # fmt: skip
    return agencies


def _scorers(period: ScoringPeriod) -> dict[str, tuple[Agency, ...]]:
    """The agencies that mark each leaf criterion (the reviewers' Sở Nội vụ where none is named)."""
    agencies = {a.code: a for a in Agency.objects.filter(province_id=period.province_id)}
    spec = criteria_set_spec(period.criteria_set)
    scorers = resolve_scorers(spec)
    return {
        node.code: tuple(agencies[code] for code in (scorers[node.code].all or ("so-noi-vu",)))
        for node in spec.walk()
        if node.is_leaf
    }


def _dossier_rows() -> list[type]:
    """The scoring models whose rows belong to a dossier (scores, marks, evidence, results, …,
    whatever is added later): a copied dossier gets copies of them all."""
    return [
        rel.related_model
        for rel in Dossier._meta.related_objects
        if rel.related_model._meta.app_label == "scoring"
        and rel.field.name == "dossier"
        and not rel.related_model.__name__.startswith("Historical")
    ]


def _dossiers(world: World, agencies: list[Agency], factor: int) -> None:
    """The new agencies' dossiers in every period, copied from B's; marks on 5 × factor criteria of
    every dossier past self-assessment; A's and B's with `factor` more evidence per criterion,
    2 × factor explanations and requests for more evidence."""
    versions = {v.agency_id: v for v in AgencyVersion.objects.filter(agency__in=agencies)}
    reviewer = world.users["reviewer"]
    for stage, period in world.periods.items():
        if stage == "foreign":
            continue
        model = world.dossier(stage, "other")
        dossiers = Dossier.objects.bulk_create(
            _copy(model, agency_id=a.pk, agency_version_id=versions[a.pk].pk, group_id=versions[a.pk].group_id)
            for a in agencies
        )
        for related in _dossier_rows():
            rows = list(related.objects.filter(dossier=model))
            # A receipt's reference code is unique: the copy's names its own dossier.
            renew = {"code": lambda r, d: f"{r.code}-{d.pk}"} if hasattr(related, "code") else {}
            related.objects.bulk_create(
                _copy(r, dossier_id=d.pk, **{k: f(r, d) for k, f in renew.items()}) for d in dossiers for r in rows
            )
        own_two = [world.dossier(stage, "own"), model]
        if stage != "self":
            _mark(period, [*own_two, *dossiers], reviewer, factor)
        scored = list(CriterionScore.objects.filter(dossier__in=own_two).exclude(self_raw=""))
        Evidence.objects.bulk_create(
            Evidence(
                dossier_id=s.dossier_id, criterion_id=s.criterion_id, kind=Evidence.Kind.REFERENCE, phase=period.phase,
                doc_number=f"{n}/BC", doc_date=dt.date(period.year, 10, 1), summary=f"Báo cáo {n}",
                uploaded_by=world.users["staff"],
            )
            for s in scored
            for n in range(factor)
        )  # fmt: skip
        if stage in ("appraisal", "explanation"):
            EvidenceRequest.objects.bulk_create(
                EvidenceRequest(dossier_id=s.dossier_id, criterion_id=s.criterion_id, message="Bổ sung", requested_by=reviewer)
                for s in scored[: 2 * factor]
            )  # fmt: skip
        if stage == "explanation":
            Explanation.objects.bulk_create(
                Explanation(dossier_id=s.dossier_id, criterion_id=s.criterion_id, text=f"Giải trình {s.criterion_id}",
                            submitted_by=world.users["staff"])
                for s in scored[: 2 * factor]
            )  # fmt: skip


def _mark(period, dossiers, reviewer, factor: int) -> None:
    """A mark by every scorer on the first 5 × factor criteria each dossier self-scored (with its
    self-score: always a valid mark)."""
    scorers = _scorers(period)
    have = set(
        AppraisalMark.objects.filter(dossier__in=dossiers).values_list("dossier_id", "criterion_id", "scorer_id")
    )
    scores = CriterionScore.objects.filter(dossier__in=dossiers).exclude(self_raw="").select_related("criterion")
    taken: dict[int, int] = {}
    marks = []
    for score in scores.order_by("dossier_id", "criterion__order"):
        if taken.setdefault(score.dossier_id, 0) >= 5 * factor:
            continue
        taken[score.dossier_id] += 1
        for scorer in scorers.get(score.criterion.code, ()):
            if (score.dossier_id, score.criterion_id, scorer.pk) not in have:
                marks.append(
                    AppraisalMark(
                        dossier_id=score.dossier_id, criterion_id=score.criterion_id, scorer=scorer,
                        raw=score.self_raw, points=score.self_points or Decimal(0), comment=SECRET_COMMENT,
                        entered_by=reviewer,
                    )
                )  # fmt: skip
    AppraisalMark.objects.bulk_create(marks)


def _history(world: World, factor: int) -> None:
    """Each history row of A's and B's final dossiers written `factor` more times."""
    dossiers = [world.dossier("final", "own"), world.dossier("final", "other")]
    for model in (CriterionScore, AppraisalMark, Evidence, Explanation):
        rows = list(model.history.filter(dossier__in=dossiers))
        model.history.model.objects.bulk_create(
            _copy(r, history_date=r.history_date - dt.timedelta(minutes=n + 1)) for r in rows for n in range(factor)
        )


def _periods(world: World, agencies: list[Agency], factor: int) -> None:
    """`factor` older final years with every ranked agency's dossier and result, `factor` more
    decisions generated."""
    final = world.periods["final"]
    ranked = [world.dossier("final", "own"), world.dossier("final", "other")]
    ranked += list(Dossier.objects.filter(period=final, agency__in=agencies))
    results = {r.dossier_id: r for r in Result.objects.filter(dossier__in=ranked)}
    periods = ScoringPeriod.objects.bulk_create(
        _copy(final, year=final.year - n, name=f"Đánh giá năm {final.year - n}") for n in range(1, factor + 1)
    )
    dossiers = Dossier.objects.bulk_create(_copy(d, period_id=p.pk) for p in periods for d in ranked)
    Result.objects.bulk_create(
        _copy(results[model.pk], dossier_id=d.pk) for d, model in zip(dossiers, ranked * len(periods), strict=True)
    )
    GeneratedReport.objects.bulk_create(
        _copy(world.reports["decision"], period_id=p.pk, content_hash=f"{n:064d}") for n, p in enumerate(periods)
    )
    GeneratedReport.objects.bulk_create(
        _copy(world.reports["decision"], content_hash=f"{n + 1:064x}") for n in range(factor)
    )


def _criteria_sets(world: World, factor: int) -> None:
    """factor - 1 more regulations (the same file under other codes): `factor` criteria sets."""
    province = world.agencies["own"].province
    known = set(Agency.objects.filter(province=province).values_list("code", flat=True))
    doc = read_library_file(LIBRARY.name, LIBRARY.read_bytes(), known_agencies=known)
    for n in range(factor - 1):
        meta = dataclasses.replace(doc.meta, code=f"{doc.meta.code}-ban-{n}")
        regulation_import(province=province, doc=dataclasses.replace(doc, meta=meta))


def _plans(world: World, agencies: list[Agency], factor: int) -> None:
    """The issued plan with `factor` deliverable types for every ranked agency (failed reminders of
    A's); both plans with `factor` sections and tasks and 3 × factor targets (every metric);
    3 × factor older issued plans."""
    issued, draft = world.plans["issued"], world.plans["draft"]
    kind = issued.deliverable_types.get()
    groups = list(AgencyGroup.objects.filter(province_id=issued.province_id))
    have_groups = {(kind.pk, g.pk) for g in kind.groups.all()}
    ranked = [world.agencies["own"], world.agencies["other"], *agencies]
    versions = {v.agency_id: v for v in AgencyVersion.objects.filter(agency__in=ranked, valid_to__isnull=True)}
    types = [kind, *DeliverableType.objects.bulk_create(
        _copy(kind, code=f"bao-cao-{n}", title=f"Báo cáo {n}", due_on=kind.due_on - dt.timedelta(days=30 * n))
        for n in range(1, factor)
    )]  # fmt: skip
    DeliverableType.groups.through.objects.bulk_create(
        DeliverableType.groups.through(deliverabletype_id=t.pk, agencygroup_id=g.pk)
        for t in types
        for g in groups
        if (t.pk, g.pk) not in have_groups
    )
    model = world.deliverables["other"]
    have = set(Deliverable.objects.filter(type__in=types).values_list("type_id", "agency_id"))
    Deliverable.objects.bulk_create(
        _copy(model, type_id=t.pk, agency_id=a.pk, agency_version_id=versions[a.pk].pk, due_on=t.due_on,
              submitted_at=model.submitted_at if n % 2 else None)
        for n, t in enumerate(types)
        for a in ranked
        if (t.pk, a.pk) not in have
    )  # fmt: skip
    staff = world.users["staff"]
    Reminder.objects.bulk_create(
        Reminder(recipient=staff, deliverable=d, kind=f"before_{n}", due_on=d.due_on, scheduled_on=d.due_on,
                 state=Reminder.State.FAILED)
        for n, d in enumerate(Deliverable.objects.filter(type__plan=issued, agency=world.agencies["own"]))
    )  # fmt: skip
    for plan in (issued, draft):
        PlanSection.objects.bulk_create(PlanSection(plan=plan, order=n, heading=f"Mục {n}") for n in range(factor))
        Target.objects.bulk_create(
            Target(plan=plan, code=f"ct-{n}", title=f"Chỉ tiêu {n}", threshold=Decimal(80),
                   metric=("manual", "deliverable_on_time", BEST_BAND_METRIC)[n % 3], metric_param=kind.code)
            for n in range(3 * factor)
        )  # fmt: skip
        tasks = Task.objects.bulk_create(
            Task(plan=plan, code=f"II.{n}", title=f"Nhiệm vụ {n}", lead=ranked[n], criterion_codes=["2.2", "1.1"],
                 due_on=dt.date(plan.year, 6, 30), order=n)
            for n in range(factor)
        )  # fmt: skip
        Task.owners.through.objects.bulk_create(
            Task.owners.through(task_id=t.pk, agency_id=a.pk) for t in tasks for a in ranked
        )
        Task.owner_groups.through.objects.bulk_create(
            Task.owner_groups.through(task_id=t.pk, agencygroup_id=g.pk) for t in tasks for g in groups
        )
    # Older issued plans (3 × factor of them: even the small world has one for the final year).
    Plan.objects.bulk_create(
        _copy(issued, year=issued.year - n, title=f"Kế hoạch năm {issued.year - n}") for n in range(1, 3 * factor + 1)
    )


def _notifications(world: World, factor: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, key=f"them-{n}", title=f"Thông báo {n}", url="/thong-bao/",
                     read_at=NOW if n % 2 else None)
        for user in world.users.values()
        for n in range(factor)
    )  # fmt: skip


def _dvk(world: World, agencies: list[Agency], factor: int) -> None:
    """`factor` more models of each kind the world has (each of B's recognised ones with its
    decision), spread over the new agencies, and progress reports on A's model under way."""
    others = [world.agencies["other"], *agencies]
    models = []
    for n in range(factor):
        for key, row in world.dvk.items():
            agency = {"own": world.agencies["own"], "foreign": row.agency}.get(key.split()[-1], others[n % len(others)])
            version = agency.versions.order_by("valid_from").last()
            models.append(_copy(row, agency_id=agency.pk, agency_version_id=version.pk, name=f"{row.name} {n}",
                                carried_from_id=None))  # fmt: skip
    created = DvkModel.objects.bulk_create(models)
    DvkRecognition.objects.bulk_create(
        DvkRecognition(model=m, level=m.level, decision_number=f"{m.pk}/QĐ", decision_date=dt.date(2024, 6, 1),
                       issuer="Ban Dân vận Tỉnh ủy")
        for m in created
        if m.level
    )  # fmt: skip
    own = world.dvk_progress["own"]
    DvkProgress.objects.bulk_create(_copy(own, text=f"Tiến độ {n}") for n in range(factor))


def grow(world: World, factor: int) -> None:
    """Adds `factor` times what the pages list to the world, in place (callers roll it back)."""
    agencies = _agencies(world, factor)
    _dossiers(world, agencies, factor)
    _history(world, factor)
    _periods(world, agencies, factor)
    _criteria_sets(world, factor)
    _plans(world, agencies, factor)
    _notifications(world, factor)
    _dvk(world, agencies, factor)
    from tests.access.qcdc_world import grow_qcdc

    grow_qcdc(world, agencies, factor, _copy)
