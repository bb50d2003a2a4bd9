"""The access world's grassroots democracy (QCDC) reports and exemplars.

Reports: an issued QCDC plan of the world's self-assessment year in each province whose six-month
report is a form: A's report is a draft ("draft own"), B's is submitted ("submitted other"), X's is
submitted in the other province ("foreign"). Exemplars: A's nomination ("nominated own", with its
evidence), B's nomination ("nominated other"), B's recognised one ("recognised other", with its
evidence) and X's recognised one ("foreign"). `grow_qcdc` adds `factor` times the rows the pages
list, in bulk (tests/access/bigger.py)."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from plans import services
from plans.demo import demo_pdf
from plans.models import Deliverable, DeliverableType, Exemplar, ReportEntry, ReportForm
from portal.models import AgencyVersion
from tests.factories import PlanFactory

FIGURES = {code: "3" for code, _l, kind, _u in services.DEFAULT_FIELDS if kind == "number"}
TEXTS = {"results": "Kết quả", "shortcomings": "Hạn chế", "proposals": "Kiến nghị"}


def _report_type(province, group, year: int) -> DeliverableType:
    plan = PlanFactory(province=province, year=year, program="qcdc")
    deliverable_type = DeliverableType.objects.create(
        plan=plan, code="qcdc_6_months", title=f"Báo cáo QCDC 6 tháng {year}", due_on=dt.date(year, 6, 15)
    )
    deliverable_type.groups.set([group])
    services.report_form_create(deliverable_type=deliverable_type, kind=ReportForm.Kind.SIX_MONTHS)
    services.plan_issue(plan=plan)
    return deliverable_type


def _exemplar(agency, by, year, name, *, evidence=False, recognised_by=None) -> Exemplar:
    data = services.ExemplarData(year=year, name=name, kind="collective", field="building", achievements="Thành tích")
    upload = SimpleUploadedFile("thanh-tich.pdf", demo_pdf("thanh tich")) if evidence else None
    exemplar = services.exemplar_nominate(agency=agency, data=data, by=by, upload=upload)
    if recognised_by is not None:
        exemplar = services.exemplar_recognise(exemplar=exemplar, level="province", decision_number="245/QĐ-SNV",
                                               decision_date=dt.date(year, 10, 1), by=recognised_by)  # fmt: skip
    return exemplar


def add_qcdc(world, year: int) -> None:
    users, agencies = world.users, world.agencies
    main_group = agencies["own"].versions.get().group
    foreign_group = agencies["foreign"].versions.get().group
    main = _report_type(agencies["own"].province, main_group, year)
    foreign = _report_type(agencies["foreign"].province, foreign_group, year)
    own = Deliverable.objects.get(type=main, agency=agencies["own"])
    other = Deliverable.objects.get(type=main, agency=agencies["other"])
    far = Deliverable.objects.get(type=foreign, agency=agencies["foreign"])
    services.report_entry_save(deliverable=own, raw={"citizens_received": "12"}, by=users["staff"])
    services.report_entry_submit(deliverable=other, raw={**FIGURES, **TEXTS}, by=users["other_staff"])
    services.report_entry_submit(deliverable=far, raw={**FIGURES, **TEXTS}, by=users["foreign_staff"])
    world.qcdc_types = {"own": main, "foreign": foreign}
    world.qcdc_reports = {"draft own": own, "submitted other": other, "foreign": far}
    this_year = dt.date.today().year  # nominations are for this year or the last
    world.exemplars = {
        "nominated own": _exemplar(agencies["own"], users["staff"], this_year, "Tổ hòa giải", evidence=True),
        "nominated other": _exemplar(agencies["other"], users["other_staff"], this_year, "Phòng một cửa"),
        "recognised other": _exemplar(agencies["other"], users["other_staff"], this_year, "Ban thanh tra nhân dân",
                                      evidence=True, recognised_by=users["reviewer"]),
        "foreign": _exemplar(agencies["foreign"], users["foreign_staff"], this_year, "Tổ tự quản",
                             evidence=True, recognised_by=users["foreign_reviewer"]),
    }  # fmt: skip


def grow_qcdc(world, agencies: list, factor: int, copy) -> None:
    """Every new ranked agency expected to report (every other one submitted, with its figures), and
    `factor` more exemplars of each kind the world has (spread over the new agencies)."""
    model = world.qcdc_reports["submitted other"]
    versions = {v.agency_id: v for v in AgencyVersion.objects.filter(agency__in=agencies, valid_to__isnull=True)}
    created = Deliverable.objects.bulk_create(
        copy(model, agency_id=a.pk, agency_version_id=versions[a.pk].pk, submitted_at=model.submitted_at if n % 2 else None)
        for n, a in enumerate(agencies)
    )  # fmt: skip
    entry = model.report_entry
    ReportEntry.objects.bulk_create(
        copy(entry, deliverable_id=d.pk, submitted_values=entry.submitted_values if d.submitted_at else {})
        for d in created
    )
    others = [world.agencies["other"], *agencies]
    rows = []
    for n in range(factor):
        for key, row in world.exemplars.items():
            agency = {"own": world.agencies["own"], "foreign": row.agency}.get(key.split()[-1], others[n % len(others)])
            version = agency.versions.order_by("valid_from").last()
            rows.append(copy(row, agency_id=agency.pk, agency_version_id=version.pk, name=f"{row.name} {n}"))
    Exemplar.objects.bulk_create(rows)
