"""Demo grassroots democracy (QCDC): this year's plan of the steering committee with its six-month
and annual reports filled in as a form; the six-month report collected from the units (most on time
with their figures, two late, a few missing — one of them with a draft only its unit sees); and a
few exemplary collectives and individuals nominated by units, some recognised by Sở Nội vụ.
Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from portal.models import Agency, AgencyGroup, Program, Province, User

from . import services
from .demo import RANKED_GROUPS, demo_pdf
from .models import (
    Deliverable,
    DeliverableType,
    DvkField,
    DvkLevel,
    Exemplar,
    ExemplarKind,
    Plan,
    ReminderPolicy,
    ReportEntry,
    ReportForm,
)

# code, title, (month, day), kind of report
REPORTS = [
    ("qcdc_6_months", "Báo cáo kết quả thực hiện dân chủ ở cơ sở 6 tháng đầu năm", (6, 15), ReportForm.Kind.SIX_MONTHS),
    ("qcdc_annual", "Báo cáo kết quả thực hiện dân chủ ở cơ sở năm", (12, 10), ReportForm.Kind.ANNUAL),
]
RESULTS = (
    "Quán triệt Luật Thực hiện dân chủ ở cơ sở năm 2022 đến toàn thể cán bộ, công chức, viên chức; rà soát, "
    "sửa đổi quy chế dân chủ trong hoạt động của cơ quan.\nNgười đứng đầu tiếp công dân định kỳ; công khai "
    "kết quả giải quyết kiến nghị trên trang thông tin điện tử."
)
SHORTCOMINGS = "Một số kiến nghị liên quan đến đất đai còn chậm giải quyết; hình thức tuyên truyền chưa đa dạng."
PROPOSALS = (
    "Đề nghị Ban Chỉ đạo tỉnh tổ chức tập huấn chuyên sâu về Luật Thực hiện dân chủ ở cơ sở cho cán bộ phụ trách."
)

# (unit, name, kind, field, achievements, recognition (level, decision) or None)
EXEMPLARS = [
    ("so-tu-phap", "Phòng Phổ biến, giáo dục pháp luật, Sở Tư pháp", ExemplarKind.COLLECTIVE, DvkField.BUILDING,
     "Tổ chức 48 buổi đối thoại chính sách tại cơ sở; giải đáp trực tiếp 1.200 lượt ý kiến của người dân.",
     (DvkLevel.PROVINCE, "245/QĐ-SNV")),
    ("so-noi-vu", "Bà Nguyễn Thị Hồng, chuyên viên Bộ phận một cửa", ExemplarKind.INDIVIDUAL, DvkField.ADMIN_REFORM,
     "Năm năm liền không để hồ sơ trễ hạn; được người dân khen ngợi qua khảo sát mức độ hài lòng.",
     (DvkLevel.PROVINCE, "245/QĐ-SNV")),
    ("xa-ben-cau", "Ban Thanh tra nhân dân xã Bến Cầu", ExemplarKind.COLLECTIVE, DvkField.NEW_COUNTRYSIDE,
     "Giám sát công khai thu, chi các khoản đóng góp làm đường giao thông nông thôn; không phát sinh khiếu nại.",
     None),
    ("so-y-te", "Ông Trần Văn Phúc, Trưởng phòng Tiếp công dân", ExemplarKind.INDIVIDUAL, DvkField.CULTURE_ECONOMY,
     "Tiếp nhận, giải quyết dứt điểm 96% phản ánh của người dân trong hạn.", None),
]  # fmt: skip


def _figures(i: int) -> dict[str, str]:
    """A unit's plausible six-month figures (deterministic, different for every unit)."""
    received = 6 + (i * 7) % 20
    return {
        "documents_issued": str(1 + i % 4),
        "regulations_issued": str(i % 2),
        "propaganda_sessions": str(2 + i % 5),
        "propaganda_attendees": str(120 + 35 * (i % 9)),
        "dialogues_held": str(1 + i % 3),
        "citizens_received": str(15 + (i * 11) % 60),
        "petitions_received": str(received),
        "petitions_resolved": str(received - i % 3),
        "inspections": str(i % 3),
        "trainings": str(i % 2),
        "exemplars_commended": str(i % 3),
        "results": RESULTS,
        "shortcomings": SHORTCOMINGS,
        "proposals": PROPOSALS,
    }


def _plan(province: Province, year: int) -> Plan:
    plan, _created = Plan.objects.get_or_create(
        province=province,
        year=year,
        program=Program.QCDC,
        defaults={
            "title": f"Kế hoạch xây dựng và thực hiện dân chủ ở cơ sở năm {year}",
            "issued_on": dt.date(year, 2, 10),
            "issuer": "Ban Chỉ đạo thực hiện dân chủ ở cơ sở tỉnh",
            "signer": "Phó Trưởng Ban Chỉ đạo",
            "reminder_policy": ReminderPolicy.objects.filter(province=province).order_by("pk").first(),
        },
    )
    # The state bodies, and the party committees under the Tỉnh ủy (Kế hoạch 19-KH/BCĐ, section 4).
    groups = list(AgencyGroup.objects.filter(province=province, code__in=[*RANKED_GROUPS, "khoi-dang-uy"]))
    for order, (code, title, (month, day), kind) in enumerate(REPORTS):
        deliverable_type, created = DeliverableType.objects.get_or_create(
            plan=plan,
            code=code,
            defaults={"title": f"{title} {year}", "due_on": dt.date(year, month, day), "order": order},
        )
        if created:
            deliverable_type.groups.set(groups)
        services.report_form_create(deliverable_type=deliverable_type, kind=kind)
    services.plan_issue(plan=plan)
    return plan


def _collect(plan: Plan) -> None:
    """The six-month report: three units missing (one of them with a draft), two late, the rest on time."""
    six_months = plan.deliverable_types.get(code="qcdc_6_months")
    tz = timezone.get_current_timezone()
    clerk = User.objects.filter(username="quantri").first()
    staff = {u.agency_id: u for u in User.objects.filter(province=plan.province, agency__isnull=False).order_by("pk")}
    if ReportEntry.objects.filter(deliverable__type=six_months).exists():
        return  # collected already
    pending = (
        Deliverable.objects.filter(type=six_months, submitted_at__isnull=True, report_entry__isnull=True)
        .select_related("type__report_form", "agency")
        .order_by("agency__code")
    )
    late = 0
    # Sở Tư pháp's report is still to be typed: the demo's walkthrough fills it.
    pending = [d for d in pending if d.agency.code != "so-tu-phap"]
    for i, deliverable in enumerate(pending):
        by = staff.get(deliverable.agency_id) or clerk
        if i % 12 == 11:
            if i == 11:  # typed halfway, never submitted: Sở Nội vụ does not see it
                figures = _figures(i)
                services.report_entry_save(deliverable=deliverable, raw={"documents_issued": figures["documents_issued"],
                                           "results": "Đang tổng hợp số liệu."}, by=by)  # fmt: skip
            continue
        services.report_entry_submit(deliverable=deliverable, raw=_figures(i), by=by)
        is_late = i % 7 == 3 and late < 2
        late += is_late
        day = deliverable.due_on + dt.timedelta(days=5 if is_late else -3 + i % 3)
        when = dt.datetime.combine(day, dt.time(8 + i % 8, 15), tzinfo=tz)
        Deliverable.objects.filter(pk=deliverable.pk).update(submitted_at=when, document_date=day)
    # Sở Nội vụ accepted the reports it has read so far.
    reviewer = User.objects.filter(username="thamdinh.noivu").first()
    Deliverable.objects.filter(type=six_months, submitted_at__isnull=False, review=Deliverable.Review.PENDING).update(
        review=Deliverable.Review.ACCEPTED, reviewed_by=reviewer, reviewed_at=timezone.now()
    )


def _exemplars(province: Province, year: int) -> None:
    if Exemplar.objects.filter(province=province, year=year).exists():
        return
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    reviewer = User.objects.get(username="thamdinh.noivu")
    clerk = User.objects.get(username="quantri")
    decided = min(dt.date(year, 10, 20), timezone.localdate())
    for number, (code, name, kind, field, achievements, recognition) in enumerate(EXEMPLARS):
        if code not in agencies:
            continue
        exemplar = services.exemplar_nominate(
            agency=agencies[code],
            data=services.ExemplarData(year=year, name=name, kind=kind, field=field, achievements=achievements),
            by=clerk,
            upload=SimpleUploadedFile(f"thanh-tich-{number + 1}.pdf", demo_pdf(f"Thanh tich {code}"))
            if number % 2 == 0
            else None,
        )
        if recognition:
            level, decision = recognition
            services.exemplar_recognise(
                exemplar=exemplar, level=level, decision_number=decision, decision_date=decided, by=reviewer
            )


@transaction.atomic
def load(province: Province) -> None:
    year = timezone.localdate().year
    plan = _plan(province, year)
    _collect(plan)
    _exemplars(province, year)
