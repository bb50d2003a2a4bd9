"""Demo data of the plans app: Tây Ninh's 2021 DVCQ plan (our paraphrase of the seed plan of
05/02/2021) with deliverables in every state, and this year's plan copied from it with a report due
in a few days, so `make run` has reminders to send within a minute on a working day.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from portal.models import Agency, AgencyGroup, Province, User

from . import selectors, services
from .models import Deliverable, DeliverableType, Plan, PlanSection, ReminderPolicy, Target, Task
from .schedule import is_working_day, next_working_day, reminder_dates

RANKED_GROUPS = ["khoi-so", "khoi-dvsn", "khoi-tw", "khoi-huyen"]
SECTIONS = [
    (
        "I. Mục đích, yêu cầu",
        "Triển khai có hiệu quả chương trình phối hợp giữa Ban Dân vận Tỉnh ủy và Ban Cán sự đảng UBND tỉnh về "
        "công tác dân vận; tạo chuyển biến trong nhận thức và hành động của cán bộ, công chức, viên chức về vai trò "
        "của công tác dân vận chính quyền, nâng cao trách nhiệm phục vụ Nhân dân.\n\n"
        "Mỗi cơ quan, đơn vị, địa phương siết chặt kỷ luật, kỷ cương hành chính; đẩy mạnh phong trào thi đua "
        "“Dân vận khéo”; tổ chức thực hiện đúng chức năng, nhiệm vụ và phù hợp thực tế.",
    ),
    (
        "II. Nội dung thực hiện",
        "1. Quán triệt các chủ trương của Đảng, chính sách, pháp luật về công tác dân vận; tuyên truyền nâng cao "
        "nhận thức của đội ngũ cán bộ, công chức, viên chức.\n"
        "2. Gắn công tác dân vận với cải cách hành chính; giáo dục đạo đức công vụ, tinh thần phục vụ Nhân dân.\n"
        "3. Gắn công tác dân vận với thực hiện quy chế dân chủ ở cơ sở.\n"
        "4. Đẩy mạnh các phong trào thi đua yêu nước, phát triển kinh tế - xã hội, bảo đảm quốc phòng - an ninh.\n"
        "5. Phối hợp chặt chẽ với Ban Dân vận, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội.",
    ),
    (
        "III. Chỉ tiêu",
        "Các chỉ tiêu cụ thể của năm được theo dõi ở mục Chỉ tiêu phía trên, tự động cập nhật khi có số liệu.",
    ),
    (
        "IV. Tổ chức thực hiện",
        "Thủ trưởng các sở, ban, ngành, Chủ tịch UBND cấp huyện và thủ trưởng các cơ quan Trung ương đóng trên "
        "địa bàn xây dựng kế hoạch của đơn vị, gửi về Sở Nội vụ trong tháng 02; tự chấm điểm theo bảng điểm của "
        "{regulation} và gửi hồ sơ về Sở Nội vụ; Sở Nội vụ tổng hợp, tham mưu quyết định xếp loại "
        "trong tháng 12.",
    ),
]
# code, title, lead agency, other agencies, groups, due (month, day) or None, linked criteria (codes
# of the regulation the plans' years are scored on: 1743 for 2021, 1563 from 2022, which share them)
TASKS = [
    (
        "II.1",
        "Quán triệt, tuyên truyền chủ trương, chính sách về công tác dân vận",
        None,
        [],
        RANKED_GROUPS,
        None,
        ["1.2"],
    ),
    (
        "II.2",
        "Gắn công tác dân vận với cải cách hành chính, đạo đức công vụ",
        None,
        [],
        RANKED_GROUPS,
        None,
        ["4"],
    ),
    ("II.3", "Thực hiện quy chế dân chủ trong hoạt động của cơ quan, đơn vị", None, [], RANKED_GROUPS, None, ["5"]),
    (
        "II.5",
        "Phối hợp với Mặt trận Tổ quốc và các đoàn thể theo quy chế phối hợp",
        None,
        [],
        RANKED_GROUPS,
        None,
        ["3"],
    ),
    ("IV.1a", "Ban hành kế hoạch công tác dân vận chính quyền của đơn vị", None, [], RANKED_GROUPS, (2, 28), ["1.1"]),
    ("IV.1b", "Tự chấm điểm và gửi hồ sơ đánh giá công tác dân vận chính quyền", None, [], RANKED_GROUPS, (11, 20), []),
    ("IV.2a", "Tham mưu, kiểm tra, chấm điểm và dự thảo quyết định xếp loại", "so-noi-vu", [], [], (12, 15), []),
    (
        "IV.2b",
        "Phổ biến, giáo dục pháp luật liên quan đến công tác dân vận chính quyền",
        "so-tu-phap",
        [],
        [],
        None,
        ["1.2"],
    ),
    ("IV.2c", "Tiếp công dân, giải quyết khiếu nại, tố cáo dứt điểm từ cơ sở", "thanh-tra", [], [], None, ["2"]),
    (
        "IV.2d",
        "Nâng cao Chỉ số cải cách hành chính; phối hợp chấm điểm tiêu chí 1, 3, 4",
        "vp-ubnd",
        ["so-noi-vu"],
        [],
        (12, 10),
        ["4"],
    ),
    ("IV.2đ", "Thông tin, tuyên truyền về công tác dân vận chính quyền", "so-tt-tt", [], [], None, ["1.2"]),
    ("IV.2e", "Công tác dân vận của lực lượng vũ trang", "cong-an", ["bo-chqs", "bdbp"], [], None, []),
    (
        "IV.2g",
        "Kiện toàn Ban Chỉ đạo dân vận chính quyền và quy chế dân chủ cấp huyện",
        None,
        [],
        ["khoi-huyen"],
        (2, 28),
        ["5"],
    ),
]
# code, title, metric, param, comparison, threshold, manual value, note
TARGETS = [
    (
        "1",
        "Cán bộ, công chức, viên chức được quán triệt về công tác dân vận",
        "manual",
        "",
        "gte",
        100,
        100,
        "Báo cáo các đơn vị",
    ),
    (
        "2",
        "Cơ quan, đơn vị ban hành kế hoạch công tác dân vận đúng hạn",
        "deliverable_on_time",
        "agency_plan",
        "gte",
        100,
        None,
        "",
    ),
    (
        "3",
        "Cơ quan, đơn vị thực hiện quy chế dân chủ theo Nghị định 04/2015/NĐ-CP",
        "manual",
        "",
        "gte",
        100,
        100,
        "Báo cáo QCDC",
    ),
    ("5", "Mức độ hài lòng của người dân, tổ chức (SIPAS)", "manual", "", "gt", 80, Decimal("83.45"), "SIPAS 2020"),
    ("6", "Cơ quan, đơn vị được xếp loại Tốt", "share_rated_tot", "", "gte", 50, None, ""),
]
DELIVERABLES = [
    ("agency_plan", "Kế hoạch công tác dân vận chính quyền của đơn vị", (2, 28)),
    ("report_6_months", "Báo cáo kết quả 6 tháng", (6, 15)),
    ("report_annual", "Báo cáo kết quả năm", (11, 20)),
]


def demo_pdf(title: str) -> bytes:
    """A small real PDF, so the demo documents open and pass the content check."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _regulation_of(year: int) -> str:
    # The scoring regulation in force in Tây Ninh that year (the demo's chain: scoring/demo.py).
    return "Quyết định 1743/QĐ-UBND" if year == 2021 else "Quyết định 1563/QĐ-UBND"


def _plan(province: Province, year: int, policy: ReminderPolicy, issued_on: dt.date) -> Plan:
    plan, created = Plan.objects.get_or_create(
        province=province,
        year=year,
        program="dvcq",
        defaults={
            "title": f"Kế hoạch thực hiện công tác Dân vận chính quyền trên địa bàn tỉnh Tây Ninh năm {year}",
            "issued_on": issued_on,
            "issuer": "UBND tỉnh Tây Ninh",
            "signer": "Phó Chủ tịch UBND tỉnh",
            "reminder_policy": policy,
        },
    )
    if not created:
        return plan
    for order, (heading, body) in enumerate(SECTIONS):
        body = body.replace("2021", str(year)).replace("{regulation}", _regulation_of(year))
        PlanSection.objects.create(plan=plan, order=order, heading=heading, body=body)
    agencies = {a.code: a for a in Agency.objects.filter(province=province)}
    groups = {g.code: g for g in AgencyGroup.objects.filter(province=province)}
    for order, (code, title, lead, others, group_codes, due, criteria) in enumerate(TASKS):
        task = Task.objects.create(
            plan=plan,
            code=code,
            title=title,
            lead=agencies.get(lead) if lead else None,
            due_on=dt.date(year, *due) if due else None,
            criterion_codes=criteria,
            order=order,
        )
        task.owners.set(
            [agencies[c] for c in [lead, *others] if c and c in agencies and agencies[c].versions.valid_in_year(year)]
        )
        task.owner_groups.set([groups[c] for c in group_codes if c in groups])
    for order, (code, title, metric, param, comparison, threshold, value, note) in enumerate(TARGETS):
        Target.objects.create(
            plan=plan,
            code=code,
            title=title,
            metric=metric,
            metric_param=param,
            comparison=comparison,
            threshold=Decimal(threshold),
            manual_value=value,
            manual_note=note,
            order=order,
        )
    for order, (code, title, (month, day)) in enumerate(DELIVERABLES):
        deliverable_type = DeliverableType.objects.create(
            plan=plan, code=code, title=f"{title} {year}", due_on=dt.date(year, month, day), order=order
        )
        deliverable_type.groups.set([groups[c] for c in RANKED_GROUPS if c in groups])
    return plan


def _submit(deliverable: Deliverable, when: dt.datetime, number: str, by: User | None) -> None:
    deliverable.document.save(
        f"{deliverable.type.code}-{deliverable.agency.code}.pdf", ContentFile(demo_pdf(number)), save=False
    )
    deliverable.document_name = f"{deliverable.type.code}-{deliverable.agency.code}.pdf"
    deliverable.so_ky_hieu = number
    deliverable.document_date = when.date()
    deliverable.submitted_at = when
    deliverable.submitted_by = by
    deliverable.save()


def _fill_2021(plan: Plan) -> None:
    """Most agencies on time, some late, a few missing, one returned for correction."""
    tz = timezone.get_current_timezone()
    staff = {u.agency_id: u for u in User.objects.filter(province=plan.province, agency__isnull=False)}
    for i, deliverable in enumerate(
        Deliverable.objects.filter(type__plan=plan, submitted_at__isnull=True)
        .select_related("type", "agency")
        .order_by("type__order", "agency__code")
    ):
        pattern = i % 10
        if pattern == 9:
            continue  # missing
        late = pattern == 7
        day = deliverable.due_on + dt.timedelta(days=4 if late else -2)
        when = dt.datetime.combine(day, dt.time(9, 30), tzinfo=tz)
        _submit(
            deliverable, when, f"{10 + i}/BC-{deliverable.agency.code.upper()[:6]}", staff.get(deliverable.agency_id)
        )
        deliverable.review = Deliverable.Review.RETURNED if pattern == 5 else Deliverable.Review.ACCEPTED
        deliverable.review_comment = "Thiếu số liệu về quy chế dân chủ; đề nghị bổ sung." if pattern == 5 else ""
        deliverable.save(update_fields=["review", "review_comment"])


def _demo_due(today: dt.date, policy) -> dt.date:
    """A working-day deadline a few days ahead whose reminders include today (when today is a
    working day), so the sweep of `make run` has something to send at once."""
    for days in range(1, 10):
        due = today + dt.timedelta(days=days)
        if is_working_day(due) and today in [day for _, day in reminder_dates(due, policy)]:
            return due
    return next_working_day(today + dt.timedelta(days=3))


def _fill_current(plan: Plan, today: dt.date) -> None:
    """This year: the agency plan and 6-month report in, the annual report due in two days."""
    annual = plan.deliverable_types.get(code="report_annual")
    if not Deliverable.objects.filter(type=annual).exclude(submitted_at=None).exists():
        annual.due_on = _demo_due(today, selectors.policy_of(plan))
        annual.save(update_fields=["due_on"])
        Deliverable.objects.filter(type=annual).update(due_on=annual.due_on)
    tz = timezone.get_current_timezone()
    for i, deliverable in enumerate(
        Deliverable.objects.filter(type__plan=plan, submitted_at__isnull=True)
        .exclude(type=annual)
        .order_by("agency__code")
    ):
        if i % 6 == 5:
            continue
        day = min(deliverable.due_on - dt.timedelta(days=1), today)
        _submit(deliverable, dt.datetime.combine(day, dt.time(10), tzinfo=tz), f"{20 + i}/BC", None)
    # A thematic report due in a month: "not due yet" in the matrix.
    thematic, created = DeliverableType.objects.get_or_create(
        plan=plan,
        code="report_dvk",
        defaults={
            "title": f"Báo cáo chuyên đề mô hình “Dân vận khéo” {today.year}",
            "due_on": today + dt.timedelta(days=30),
            "order": 9,
        },
    )
    if created:
        thematic.groups.set(annual.groups.all())
        services.plan_issue(plan=plan)
    # A handful already sent this year's annual report; Sở Tư pháp has not (the demo walkthrough).
    for deliverable in (
        Deliverable.objects.filter(type=annual, submitted_at__isnull=True)
        .exclude(agency__code="so-tu-phap")
        .order_by("agency__code")[:5]
    ):
        _submit(deliverable, timezone.now() - dt.timedelta(hours=3), "99/BC", None)


@transaction.atomic
def load(province: Province) -> None:
    policy, _ = ReminderPolicy.objects.get_or_create(
        province=province,
        name="Mặc định",
        defaults={"days_before": [7, 3, 1], "overdue_every_days": 3, "overdue_max": 5},
    )
    plan_2021 = _plan(province, 2021, policy, dt.date(2021, 2, 5))
    services.plan_issue(plan=plan_2021)
    _fill_2021(plan_2021)
    today = timezone.localdate()
    current = _plan(province, today.year, policy, dt.date(today.year, 2, 5))
    services.plan_issue(plan=current)
    _fill_current(current, today)
    from . import demo_dvk  # imports this module's demo_pdf

    demo_dvk.load(province)
    from . import demo_qcdc  # the QCDC reports collected from the units, and exemplars

    demo_qcdc.load(province)
