"""Demo units of grassroots democracy (QCDC) in Tây Ninh, after Kế hoạch 19-KH/BCĐ (2023): the
enterprises with a trade union the provincial Labour Federation scores, the party committees under
the Tỉnh ủy that Ban Dân vận Tỉnh ủy scores, the two scoring bodies that are not state agencies, and
the people of the steering committee and of the scoring bodies.

The party committees and the two bodies are those the plan names; the enterprises are illustrative
(marked so in `legal_basis`). Their khối take part in QCDC only (`AgencyGroup.programs`): they never
appear in a DVCQ period, ranking, dashboard or plan. Loaded by `portal.demo.load`; idempotent.
"""

from __future__ import annotations

import datetime as dt

from .models import AgencyGroup, AgencyKind, Program, Role

QCDC_START = dt.date(2023, 1, 1)  # the year of Kế hoạch 19-KH/BCĐ
PLAN_BASIS = "Kế hoạch 19-KH/BCĐ năm 2023 của Ban Chỉ đạo QCDC tỉnh"
ILLUSTRATIVE = "Doanh nghiệp có tổ chức công đoàn (dữ liệu minh họa)"

# code, name, order, programmes
GROUPS = [
    ("khoi-doanh-nghiep", "Khối doanh nghiệp có tổ chức công đoàn", 6, [Program.QCDC]),
    ("khoi-dang-uy", "Khối cấp ủy trực thuộc Tỉnh ủy", 7, [Program.QCDC]),
]
K = AgencyKind
# code, name, short name, kind, group, legal basis
UNITS = [
    ("ldld-tinh", "Liên đoàn Lao động tỉnh Tây Ninh", "LĐLĐ tỉnh", K.DOAN_THE, None, PLAN_BASIS),
    ("ban-dan-van-tu", "Ban Dân vận Tỉnh ủy Tây Ninh", "BDV Tỉnh ủy", K.CO_QUAN_DANG, None, PLAN_BASIS),
    ("dn-cao-su", "Công ty Cổ phần Cao su Tây Ninh", "Cao su Tây Ninh", K.DOANH_NGHIEP, "khoi-doanh-nghiep", ILLUSTRATIVE),
    ("dn-mia-duong", "Công ty Cổ phần Mía đường Tây Ninh", "Mía đường Tây Ninh", K.DOANH_NGHIEP, "khoi-doanh-nghiep", ILLUSTRATIVE),
    ("dn-xi-mang", "Công ty Cổ phần Xi măng Fico Tây Ninh", "Xi măng Fico", K.DOANH_NGHIEP, "khoi-doanh-nghiep", ILLUSTRATIVE),
    ("dn-may-trang-bang", "Công ty TNHH May mặc Trảng Bàng", "May Trảng Bàng", K.DOANH_NGHIEP, "khoi-doanh-nghiep", ILLUSTRATIVE),
    ("du-khoi-cq-dn", "Đảng ủy Khối cơ quan và Doanh nghiệp tỉnh", "ĐU Khối CQ&DN", K.DANG_UY, "khoi-dang-uy", PLAN_BASIS),
    ("du-cong-an", "Đảng ủy Công an tỉnh", "ĐU Công an tỉnh", K.DANG_UY, "khoi-dang-uy", PLAN_BASIS),
    ("du-quan-su", "Đảng ủy Quân sự tỉnh", "ĐU Quân sự tỉnh", K.DANG_UY, "khoi-dang-uy", PLAN_BASIS),
    ("du-bien-phong", "Đảng ủy Bộ đội Biên phòng tỉnh", "ĐU BĐBP tỉnh", K.DANG_UY, "khoi-dang-uy", PLAN_BASIS),
]  # fmt: skip

# username → (full name, position, agency code, roles), as portal.demo.DEMO_USERS
USERS = {
    "bcd.qcdc": (
        "Huỳnh Thanh Phong",
        "Thường trực Ban Chỉ đạo thực hiện QCDC ở cơ sở tỉnh",
        "ban-dan-van-tu",
        [Role.STEERING_COMMITTEE],
    ),
    "chamdiem.ldld": ("Lý Thị Hồng", "Ban Chính sách - Pháp luật, LĐLĐ tỉnh", "ldld-tinh", [Role.CO_REVIEWER]),
    "chamdiem.bdvtu": ("Trương Văn Lộc", "Chuyên viên Ban Dân vận Tỉnh ủy", "ban-dan-van-tu", [Role.CO_REVIEWER]),
    "canbo.caosu": ("Mai Thị Thảo", "Chủ tịch Công đoàn cơ sở", "dn-cao-su", [Role.AGENCY_STAFF, Role.AGENCY_HEAD]),
}


def load_units(loader, province) -> None:
    """The QCDC groups and units (before the demo's users, who belong to them)."""
    for code, name, order, programs in GROUPS:
        loader.groups[code], _ = AgencyGroup.objects.update_or_create(
            province=province, code=code, defaults={"name": name, "order": order, "programs": list(programs)}
        )
    for code, name, short, kind, group, basis in UNITS:
        loader.version(code, name=name, short=short, kind=kind, group=group, start=QCDC_START, basis=basis)
