"""Plans, deliverables and deadlines of one generated province.

Each year has an issued plan (sections, tasks linked to criteria, targets). Earlier years ask one
annual report of every ranked agency; the current year asks the agency's own plan, the annual report
and four more reports whose deadlines are placed around the bench day, so that its sweep plans a
before-7, a before-3, an overdue-1 and an overdue-2 reminder for every agency: 2 + 2 + 3 + 3 = 10
outbox rows (staff, and the head too once overdue). Statuses are recorded for the automatic criteria.
"""

from __future__ import annotations

import datetime as dt
import random

from . import db

TIMED = [
    ("bc-chuyen-de", "Báo cáo chuyên đề dân vận chính quyền", "before_7"),
    ("bc-so-ket-dvk", "Báo cáo sơ kết mô hình “Dân vận khéo”", "before_3"),
    ("bc-doi-thoai", "Báo cáo kết quả đối thoại với Nhân dân", "overdue_1"),
    ("bc-quy-che", "Báo cáo thực hiện quy chế dân chủ", "overdue_2"),
]
TASKS = [
    ("II.1", "Quán triệt, tuyên truyền chủ trương, chính sách về công tác dân vận", ["2.2"]),
    ("II.2", "Gắn công tác dân vận với cải cách hành chính, đạo đức công vụ", ["3", "4", "6"]),
    ("II.3", "Thực hiện quy chế dân chủ trong hoạt động của cơ quan, đơn vị", ["5"]),
    ("II.4", "Phối hợp với Mặt trận Tổ quốc và các đoàn thể", ["2.3", "8"]),
    ("II.5", "Đẩy mạnh phong trào thi đua “Dân vận khéo”", ["2.5", "9"]),
]


DAYS_BEFORE = [7, 3, 1]  # the generated provinces' reminder policy


def sends_every_kind(bench_day: dt.date) -> bool:
    """Whether deadlines can be placed so that the bench day's sweep sends every timed kind (a day
    after a holiday may have none whose "3 days before" lands on it)."""
    from plans.schedule import Policy

    policy = Policy(days_before=tuple(DAYS_BEFORE))
    try:
        for _code, _title, kind in TIMED:
            due_for_kind(bench_day, kind, policy)
    except RuntimeError:
        return False
    return True


def due_for_kind(bench_day: dt.date, kind: str, policy) -> dt.date:
    """A working-day deadline whose reminder schedule sends `kind` on the bench day."""
    from plans.schedule import is_working_day, reminder_dates

    for offset in range(-60, 40):
        due = bench_day + dt.timedelta(days=offset)
        if is_working_day(due) and dict((day, k) for k, day in reminder_dates(due, policy)).get(bench_day) == kind:
            return due
    raise RuntimeError(f"no deadline sends {kind} on {bench_day}")


def _types_of_year(ctx, year: int, policy) -> list[tuple[str, str, dt.date]]:
    """(code, title, due) of the deliverables asked in `year`."""
    if year < ctx.current_year:
        return [("report_annual", f"Báo cáo năm {year}", dt.date(year, 11, 20))]
    day = ctx.bench_day
    types = [
        ("agency_plan", f"Kế hoạch công tác dân vận chính quyền năm {year} của đơn vị",
         min(dt.date(year, 2, 15), day - dt.timedelta(days=60))),
        ("report_annual", f"Báo cáo năm {year}", min(dt.date(year, 11, 20), day - dt.timedelta(days=45))),
    ]  # fmt: skip
    return types + [(code, title, due_for_kind(day, kind, policy)) for code, title, kind in TIMED]


def build(ctx) -> None:
    from django.contrib.auth import get_user_model

    from plans.models import Deliverable, DeliverableType, Plan, PlanSection, ReminderPolicy, Target, Task
    from plans.schedule import shifted_due
    from plans.selectors import policy_of
    from portal.demo import GROUPS

    policy_row = ReminderPolicy.objects.create(province=ctx.province, name="Mặc định", days_before=DAYS_BEFORE)
    from portal.models import AgencyGroup

    groups = list(AgencyGroup.objects.filter(province=ctx.province).order_by("order"))
    assert len(groups) == len(GROUPS)
    reviewer = get_user_model().objects.get(pk=ctx.users["reviewer"])
    rows = []
    for year in ctx.years():
        plan = Plan.objects.create(
            province=ctx.province, year=year, title=f"Kế hoạch thực hiện công tác dân vận chính quyền năm {year}",
            so_ky_hieu=f"{10 + ctx.index}/KH-UBND", issued_on=dt.date(year, 1, 20),
            issuer=f"UBND tỉnh {ctx.province.name}", signer="Chủ tịch UBND tỉnh", status=Plan.Status.ISSUED,
            reminder_policy=policy_row,
        )  # fmt: skip
        policy = policy_of(plan)
        PlanSection.objects.bulk_create(
            PlanSection(plan=plan, order=i, heading=h, body="Nội dung của kế hoạch (dữ liệu thử tải).")
            for i, h in enumerate(["I. Mục đích, yêu cầu", "II. Nội dung", "III. Chỉ tiêu", "IV. Tổ chức thực hiện"])
        )
        for order, (code, title, criteria) in enumerate(TASKS):
            task = Task.objects.create(plan=plan, code=code, title=title, criterion_codes=criteria, order=order)
            task.owner_groups.set(groups)
        Target.objects.bulk_create(
            [
                Target(plan=plan, code="1", title="Cơ quan, đơn vị ban hành kế hoạch đúng hạn",
                       metric="deliverable_on_time", metric_param="agency_plan", threshold=100, order=1),
                Target(plan=plan, code="2", title="Cơ quan, đơn vị được xếp loại Tốt", metric="share_rated_tot",
                       threshold=50, order=2),
            ]
        )  # fmt: skip
        for order, (code, title, due) in enumerate(_types_of_year(ctx, year, policy)):
            dtype = DeliverableType.objects.create(plan=plan, code=code, title=title, due_on=due, order=order)
            due = shifted_due(due, policy)
            timed = code in {t[0] for t in TIMED}
            for agency in ctx.ranked():
                status = "open" if timed else _status(ctx, year, code, agency.code, due)
                ctx.statuses[(year, code, agency.code)] = status
                rows.append(_deliverable(dtype.pk, agency, due, status, reviewer.pk))
    db.copy_rows(
        Deliverable,
        ["type_id", "agency_id", "agency_version_id", "due_on", "document", "document_name", "document_sha256",
         "so_ky_hieu", "document_date", "submitted_at", "submitted_by_id", "review", "review_comment",
         "reviewed_by_id", "reviewed_at"],
        rows,
    )  # fmt: skip


def _status(ctx, year: int, code: str, agency: str, due: dt.date) -> str:
    rng = random.Random(f"{ctx.province.code}-{agency}-{year}-{code}")
    finished = due + dt.timedelta(days=40) < ctx.bench_day  # its overdue reminders are all behind
    roll = rng.random()
    if roll < 0.05 and finished:
        return "missing"
    return "late" if roll < 0.15 else "on_time"


def _deliverable(type_id: int, agency, due: dt.date, status: str, reviewer_id: int) -> tuple:
    if status in ("open", "missing"):
        return (type_id, agency.agency_id, agency.version_id, due, "", "", "", "", None, None, None,
                "pending", "", None, None)  # fmt: skip
    day = due - dt.timedelta(days=3) if status == "on_time" else due + dt.timedelta(days=4)
    at = dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.timezone(dt.timedelta(hours=7)))
    return (type_id, agency.agency_id, agency.version_id, due, f"plans/{due.year}/{type_id}/{agency.code}/bao-cao.pdf",
            "bao-cao.pdf", "0" * 64, f"{type_id % 90 + 10}/BC-{agency.code[:8].upper()}", day, at, agency.staff[0],
            "accepted", "", reviewer_id, at + dt.timedelta(days=2))  # fmt: skip
