"""Demo province: Tây Ninh as in the 2021 DVCQ plan, with the 2025 reorganisation.

Names follow ../shared/domain/BRIEF.md §6. The 2025 merger details (which commune absorbed which,
the department merger date and basis) are illustrative and marked so in `legal_basis`; verify
against the signed resolutions before any production use. Loading is idempotent: everything is
keyed by stable codes and re-running changes nothing but the demo passwords (reset to DEMO_PASSWORD).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import demo_qcdc
from .models import Agency, AgencyGroup, AgencyKind, AgencyLineage, AgencyVersion, LineageKind, Province, Role, User
from .services import user_set_roles

DEMO_PASSWORD = "DvcqDemo@2026"  # noqa: S105 — documented in README, demo data only
HISTORY_START = dt.date(2019, 1, 1)
DEPARTMENT_MERGER = dt.date(2025, 3, 1)
PROVINCE_MERGER = dt.date(2025, 7, 1)  # NQ 202/2025/QH15; the district level ends the same day
DEPARTMENT_BASIS = "Sắp xếp các sở năm 2025 (dữ liệu minh họa — cần đối chiếu văn bản)"
PROVINCE_BASIS = "Nghị quyết 202/2025/QH15 ngày 12/6/2025"
COMMUNE_BASIS = "Sắp xếp ĐVHC cấp xã năm 2025 (dữ liệu minh họa — cần đối chiếu Nghị quyết của UBTVQH)"

GROUPS = [
    ("khoi-so", "Khối sở, ban, ngành tỉnh", 1),
    ("khoi-dvsn", "Khối đơn vị sự nghiệp thuộc UBND tỉnh", 2),
    ("khoi-tw", "Khối cơ quan Trung ương đóng trên địa bàn tỉnh", 3),
    ("khoi-huyen", "Khối UBND huyện, thị xã, thành phố", 4),
    ("khoi-xa", "Khối UBND xã, phường, thị trấn", 5),
]

K = AgencyKind
# (code, name, short name, kind, group)
PROVINCIAL = [
    ("ubnd-tinh", "Ủy ban nhân dân tỉnh Tây Ninh", "UBND tỉnh", K.UBND_TINH, None),
    ("vp-ubnd", "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND tỉnh", K.VP_UBND, "khoi-so"),
    ("so-noi-vu", "Sở Nội vụ", "SNV", K.SO, "khoi-so"),
    ("so-tu-phap", "Sở Tư pháp", "STP", K.SO, "khoi-so"),
    ("so-kh-dt", "Sở Kế hoạch và Đầu tư", "SKHĐT", K.SO, "khoi-so"),
    ("so-tai-chinh", "Sở Tài chính", "STC", K.SO, "khoi-so"),
    ("so-cong-thuong", "Sở Công Thương", "SCT", K.SO, "khoi-so"),
    ("so-nn-ptnt", "Sở Nông nghiệp và Phát triển nông thôn", "SNN&PTNT", K.SO, "khoi-so"),
    ("so-gtvt", "Sở Giao thông vận tải", "SGTVT", K.SO, "khoi-so"),
    ("so-xay-dung", "Sở Xây dựng", "SXD", K.SO, "khoi-so"),
    ("so-tn-mt", "Sở Tài nguyên và Môi trường", "STN&MT", K.SO, "khoi-so"),
    ("so-tt-tt", "Sở Thông tin và Truyền thông", "STT&TT", K.SO, "khoi-so"),
    ("so-ldtbxh", "Sở Lao động - Thương binh và Xã hội", "SLĐTB&XH", K.SO, "khoi-so"),
    ("so-vhttdl", "Sở Văn hóa, Thể thao và Du lịch", "SVHTT&DL", K.SO, "khoi-so"),
    ("so-kh-cn", "Sở Khoa học và Công nghệ", "SKH&CN", K.SO, "khoi-so"),
    ("so-gd-dt", "Sở Giáo dục và Đào tạo", "SGD&ĐT", K.SO, "khoi-so"),
    ("so-y-te", "Sở Y tế", "SYT", K.SO, "khoi-so"),
    ("thanh-tra", "Thanh tra tỉnh", "TTr tỉnh", K.THANH_TRA, "khoi-so"),
    ("ban-dan-toc", "Ban Dân tộc", "BDT", K.BAN, "khoi-so"),
    ("ban-ql-kkt", "Ban Quản lý Khu kinh tế tỉnh", "BQL KKT", K.BAN, "khoi-so"),
    (
        "vp-doan-dbqh-hdnd",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "VP ĐĐBQH&HĐND",
        K.BAN,
        "khoi-so",
    ),
    ("dai-ptth", "Đài Phát thanh và Truyền hình Tây Ninh", "Đài PT-TH", K.DVSN, "khoi-dvsn"),
    ("bql-nui-ba-den", "Ban Quản lý Khu du lịch quốc gia Núi Bà Đen", "BQL KDL Núi Bà Đen", K.DVSN, "khoi-dvsn"),
    ("bqlda-xay-dung", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "BQLDA ĐTXD", K.DVSN, "khoi-dvsn"),
    ("cd-su-pham", "Trường Cao đẳng Sư phạm Tây Ninh", "CĐSP Tây Ninh", K.DVSN, "khoi-dvsn"),
    ("cong-an", "Công an tỉnh", "CA tỉnh", K.NGANH_DOC_TW, "khoi-tw"),
    ("bo-chqs", "Bộ Chỉ huy Quân sự tỉnh", "Bộ CHQS tỉnh", K.NGANH_DOC_TW, "khoi-tw"),
    ("bdbp", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh", "BĐBP tỉnh", K.NGANH_DOC_TW, "khoi-tw"),
    ("cuc-thue", "Cục Thuế tỉnh", "Cục Thuế", K.NGANH_DOC_TW, "khoi-tw"),
    ("cuc-hai-quan", "Cục Hải quan tỉnh", "Cục Hải quan", K.NGANH_DOC_TW, "khoi-tw"),
    ("kho-bac", "Kho bạc Nhà nước Tây Ninh", "KBNN", K.NGANH_DOC_TW, "khoi-tw"),
    ("bhxh", "Bảo hiểm xã hội tỉnh", "BHXH tỉnh", K.NGANH_DOC_TW, "khoi-tw"),
    ("cuc-thong-ke", "Cục Thống kê tỉnh", "Cục Thống kê", K.NGANH_DOC_TW, "khoi-tw"),
    ("cuc-thads", "Cục Thi hành án dân sự tỉnh", "Cục THADS", K.NGANH_DOC_TW, "khoi-tw"),
    ("nhnn", "Ngân hàng Nhà nước Chi nhánh tỉnh Tây Ninh", "NHNN CN Tây Ninh", K.NGANH_DOC_TW, "khoi-tw"),
    ("dien-luc", "Công ty Điện lực Tây Ninh", "PC Tây Ninh", K.NGANH_DOC_TW, "khoi-tw"),
]
DISTRICTS = [
    ("tp-tay-ninh", "Ủy ban nhân dân thành phố Tây Ninh", "TP Tây Ninh"),
    ("hoa-thanh", "Ủy ban nhân dân huyện Hòa Thành", "Hòa Thành"),
    ("trang-bang", "Ủy ban nhân dân huyện Trảng Bàng", "Trảng Bàng"),
    ("tan-bien", "Ủy ban nhân dân huyện Tân Biên", "Tân Biên"),
    ("tan-chau", "Ủy ban nhân dân huyện Tân Châu", "Tân Châu"),
    ("duong-minh-chau", "Ủy ban nhân dân huyện Dương Minh Châu", "Dương Minh Châu"),
    ("chau-thanh", "Ủy ban nhân dân huyện Châu Thành", "Châu Thành"),
    ("go-dau", "Ủy ban nhân dân huyện Gò Dầu", "Gò Dầu"),
    ("ben-cau", "Ủy ban nhân dân huyện Bến Cầu", "Bến Cầu"),
]
# Huyện → thị xã on 01/02/2020 (NQ 867/NQ-UBTVQH14 of 10/01/2020).
TOWN_UPGRADES = [
    ("hoa-thanh", "Ủy ban nhân dân thị xã Hòa Thành", "TX Hòa Thành"),
    ("trang-bang", "Ủy ban nhân dân thị xã Trảng Bàng", "TX Trảng Bàng"),
]
TOWN_UPGRADE_ON = dt.date(2020, 2, 1)
TOWN_UPGRADE_BASIS = "Nghị quyết 867/NQ-UBTVQH14 ngày 10/01/2020"
# Communes before 2025: (code, name, short, parent district)
COMMUNES = [
    ("tt-ben-cau", "Ủy ban nhân dân thị trấn Bến Cầu", "TT Bến Cầu", "ben-cau"),
    ("xa-an-thanh", "Ủy ban nhân dân xã An Thạnh", "xã An Thạnh", "ben-cau"),
    ("xa-loi-thuan", "Ủy ban nhân dân xã Lợi Thuận", "xã Lợi Thuận", "ben-cau"),
    ("xa-long-chu", "Ủy ban nhân dân xã Long Chữ", "xã Long Chữ", "ben-cau"),
    ("xa-long-giang", "Ủy ban nhân dân xã Long Giang", "xã Long Giang", "ben-cau"),
    ("xa-long-khanh", "Ủy ban nhân dân xã Long Khánh", "xã Long Khánh", "ben-cau"),
    ("xa-long-phuoc", "Ủy ban nhân dân xã Long Phước", "xã Long Phước", "ben-cau"),
    ("xa-long-thuan", "Ủy ban nhân dân xã Long Thuận", "xã Long Thuận", "ben-cau"),
    ("xa-tien-thuan", "Ủy ban nhân dân xã Tiên Thuận", "xã Tiên Thuận", "ben-cau"),
    ("phuong-1", "Ủy ban nhân dân Phường 1", "Phường 1", "tp-tay-ninh"),
    ("phuong-2", "Ủy ban nhân dân Phường 2", "Phường 2", "tp-tay-ninh"),
    ("phuong-3", "Ủy ban nhân dân Phường 3", "Phường 3", "tp-tay-ninh"),
]
# Former Long An bodies, kept only so lineage into the merged province can be followed.
LONG_AN = [
    ("la-ubnd-tinh", "Ủy ban nhân dân tỉnh Long An", "UBND tỉnh Long An", K.UBND_TINH),
    ("la-so-noi-vu", "Sở Nội vụ tỉnh Long An", "SNV Long An", K.SO),
    ("la-tp-tan-an", "Ủy ban nhân dân thành phố Tân An", "TP Tân An", K.UBND_HUYEN),
]
# Department mergers of 01/03/2025: successor code → (new name or None to keep, merged codes).
DEPARTMENT_MERGERS = {
    "so-noi-vu": (None, ["so-ldtbxh"]),
    "so-tai-chinh": (None, ["so-kh-dt"]),
    "so-xay-dung": (None, ["so-gtvt"]),
    "so-kh-cn": (None, ["so-tt-tt"]),
}
NEW_DEPARTMENTS = {"so-nn-mt": ("Sở Nông nghiệp và Môi trường", "SNN&MT", ["so-nn-ptnt", "so-tn-mt"])}
# New commune-level units of 01/07/2025: code → (name, short, merged former units).
NEW_COMMUNES = {
    "phuong-tan-ninh": ("Ủy ban nhân dân phường Tân Ninh", "phường Tân Ninh", ["phuong-1", "phuong-2", "phuong-3"]),
    "xa-ben-cau": (
        "Ủy ban nhân dân xã Bến Cầu",
        "xã Bến Cầu",
        ["tt-ben-cau", "xa-tien-thuan", "xa-loi-thuan", "xa-an-thanh"],
    ),
    "xa-long-chu-2025": (
        "Ủy ban nhân dân xã Long Chữ",
        "xã Long Chữ",
        ["xa-long-chu", "xa-long-giang", "xa-long-khanh", "xa-long-phuoc", "xa-long-thuan"],
    ),
    "phuong-long-an": ("Ủy ban nhân dân phường Long An", "phường Long An", ["la-tp-tan-an"]),
}

# username → (full name, position, agency code, roles)
DEMO_USERS = {
    "canbo.tuphap": ("Nguyễn Thị Lan", "Chuyên viên", "so-tu-phap", [Role.AGENCY_STAFF]),
    "lanhdao.tuphap": ("Trần Văn Hùng", "Giám đốc Sở Tư pháp", "so-tu-phap", [Role.AGENCY_HEAD]),
    "thamdinh.noivu": ("Lê Thị Mai", "Phòng Xây dựng chính quyền, Sở Nội vụ", "so-noi-vu", [Role.REVIEWER]),
    "phoihop.vpubnd": ("Phạm Minh Tuấn", "Chuyên viên Văn phòng UBND tỉnh", "vp-ubnd", [Role.CO_REVIEWER]),
    "lanhdao.tinh": ("Võ Đức Thành", "Chủ tịch UBND tỉnh", "ubnd-tinh", [Role.LEADER]),
    "quantri": ("Quản trị hệ thống", "Sở Nội vụ", "so-noi-vu", [Role.ADMIN]),
    **demo_qcdc.USERS,  # the steering committee and the QCDC scoring bodies (portal/demo_qcdc.py)
}


class _Loader:
    def __init__(self, province: Province):
        self.province = province
        self.groups = {}
        self.agencies: dict[str, Agency] = {}

    def group(self, code):
        return self.groups.get(code) if code else None

    def version(self, code, *, name, short, kind, group=None, parent=None, start=HISTORY_START, end=None, basis=""):
        agency, _ = Agency.objects.get_or_create(province=self.province, code=code)
        self.agencies[code] = agency
        version, _ = AgencyVersion.objects.update_or_create(
            agency=agency,
            valid_from=start,
            defaults={
                "name": name,
                "short_name": short,
                "kind": kind,
                "group": self.group(group),
                "parent": self.agencies.get(parent) if parent else None,
                "valid_to": end,
                "legal_basis": basis,
            },
        )
        return version

    def link(self, kind, before: AgencyVersion, after: AgencyVersion | None, on, basis):
        AgencyLineage.objects.update_or_create(
            predecessor=before, successor=after, defaults={"kind": kind, "effective_on": on, "legal_basis": basis}
        )


def day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


@transaction.atomic
def load() -> Province:
    """Creates or refreshes the demo province; safe to run any number of times."""
    province, _ = Province.objects.update_or_create(
        code="tay-ninh", defaults={"name": "Tây Ninh", "place_name": "Tây Ninh"}
    )
    loader = _Loader(province)
    for code, name, order in GROUPS:
        loader.groups[code], _ = AgencyGroup.objects.update_or_create(
            province=province, code=code, defaults={"name": name, "order": order}
        )
    before_reform = _provincial_bodies(loader)
    former = _districts_and_communes(loader)
    _department_mergers(loader, before_reform)
    _province_merger(loader, before_reform, former)
    demo_qcdc.load_units(loader, province)
    _users(loader, province)
    return province


def _provincial_bodies(loader: _Loader) -> dict[str, AgencyVersion]:
    """Departments and provincial bodies as they were until the 2025 reforms."""
    merged_away = {c for _, codes in DEPARTMENT_MERGERS.values() for c in codes}
    merged_away |= {c for *_, codes in NEW_DEPARTMENTS.values() for c in codes}
    before_reform: dict[str, AgencyVersion] = {}
    for code, name, short, kind, group in PROVINCIAL:
        end = day_before(DEPARTMENT_MERGER) if (code in merged_away or code in DEPARTMENT_MERGERS) else None
        if code in ("ban-dan-toc", "ubnd-tinh"):
            end = day_before(DEPARTMENT_MERGER if code == "ban-dan-toc" else PROVINCE_MERGER)
        before_reform[code] = loader.version(code, name=name, short=short, kind=kind, group=group, end=end)
    return before_reform


def _districts_and_communes(loader: _Loader) -> dict[str, AgencyVersion]:
    """Districts (a rename for the two that became towns), their communes, and Long An's units."""
    upgrades = {c: (n, s) for c, n, s in TOWN_UPGRADES}
    for code, name, short in DISTRICTS:
        upgraded = upgrades.get(code)
        first_end = day_before(TOWN_UPGRADE_ON) if upgraded else day_before(PROVINCE_MERGER)
        first = loader.version(code, name=name, short=short, kind=K.UBND_HUYEN, group="khoi-huyen", end=first_end)
        last = first
        if upgraded:
            last = loader.version(
                code,
                name=upgraded[0],
                short=upgraded[1],
                kind=K.UBND_HUYEN,
                group="khoi-huyen",
                start=TOWN_UPGRADE_ON,
                end=day_before(PROVINCE_MERGER),
                basis=TOWN_UPGRADE_BASIS,
            )
            loader.link(LineageKind.RENAME, first, last, TOWN_UPGRADE_ON, TOWN_UPGRADE_BASIS)
        loader.link(LineageKind.DISSOLVE, last, None, PROVINCE_MERGER, PROVINCE_BASIS)
    former: dict[str, AgencyVersion] = {}
    for code, name, short, parent in COMMUNES:
        former[code] = loader.version(
            code,
            name=name,
            short=short,
            kind=K.UBND_XA,
            group="khoi-xa",
            parent=parent,
            end=day_before(PROVINCE_MERGER),
        )
    for code, name, short, kind in LONG_AN:
        former[code] = loader.version(code, name=name, short=short, kind=kind, end=day_before(PROVINCE_MERGER))
    return former


def _department_mergers(loader: _Loader, before_reform: dict[str, AgencyVersion]) -> None:
    """01/03/2025: departments merge, new departments take over others, the Ethnic Committee moves."""
    for code, (new_name, merged) in DEPARTMENT_MERGERS.items():
        old = before_reform[code]
        new = loader.version(
            code,
            name=new_name or old.name,
            short=old.short_name,
            kind=old.kind,
            group="khoi-so",
            start=DEPARTMENT_MERGER,
            basis=DEPARTMENT_BASIS,
        )
        loader.link(LineageKind.RENAME, old, new, DEPARTMENT_MERGER, DEPARTMENT_BASIS)
        for merged_code in merged:
            loader.link(LineageKind.MERGE, before_reform[merged_code], new, DEPARTMENT_MERGER, DEPARTMENT_BASIS)
    for code, (name, short, merged) in NEW_DEPARTMENTS.items():
        new = loader.version(
            code, name=name, short=short, kind=K.SO, group="khoi-so", start=DEPARTMENT_MERGER, basis=DEPARTMENT_BASIS
        )
        for merged_code in merged:
            loader.link(LineageKind.MERGE, before_reform[merged_code], new, DEPARTMENT_MERGER, DEPARTMENT_BASIS)
    ethnic = loader.version(
        "ban-dan-toc",
        name="Sở Dân tộc và Tôn giáo",
        short="SDT&TG",
        kind=K.SO,
        group="khoi-so",
        start=DEPARTMENT_MERGER,
        basis=DEPARTMENT_BASIS,
    )
    loader.link(LineageKind.TRANSFER, before_reform["ban-dan-toc"], ethnic, DEPARTMENT_MERGER, DEPARTMENT_BASIS)


def _province_merger(
    loader: _Loader, before_reform: dict[str, AgencyVersion], former: dict[str, AgencyVersion]
) -> None:
    """01/07/2025: Long An merges into Tây Ninh; the district level ends; communes are rearranged."""
    merged_ubnd = loader.version(
        "ubnd-tinh",
        name="Ủy ban nhân dân tỉnh Tây Ninh",
        short="UBND tỉnh",
        kind=K.UBND_TINH,
        start=PROVINCE_MERGER,
        basis=PROVINCE_BASIS,
    )
    loader.link(LineageKind.RENAME, before_reform["ubnd-tinh"], merged_ubnd, PROVINCE_MERGER, PROVINCE_BASIS)
    loader.link(LineageKind.MERGE, former["la-ubnd-tinh"], merged_ubnd, PROVINCE_MERGER, PROVINCE_BASIS)
    home_affairs = AgencyVersion.objects.get(agency=loader.agencies["so-noi-vu"], valid_from=DEPARTMENT_MERGER)
    loader.link(LineageKind.MERGE, former["la-so-noi-vu"], home_affairs, PROVINCE_MERGER, PROVINCE_BASIS)
    for code, (name, short, merged) in NEW_COMMUNES.items():
        new = loader.version(
            code, name=name, short=short, kind=K.UBND_XA, group="khoi-xa", start=PROVINCE_MERGER, basis=COMMUNE_BASIS
        )
        for merged_code in merged:
            loader.link(LineageKind.MERGE, former[merged_code], new, PROVINCE_MERGER, COMMUNE_BASIS)


def _users(loader: _Loader, province: Province) -> None:
    _users_of(loader, province, DEMO_USERS)


def _users_of(loader: _Loader, province: Province, users: dict) -> None:
    """The demo's people of a province (username → full name, position, agency code, roles)."""
    for username, (full_name, position, agency_code, roles) in users.items():
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "position": position,
                "province": province,
                "agency": loader.agencies[agency_code],
                "email": f"{username}@demo.dvcq.localhost",
                # The administrator is the province's, not the system's: staff (by the role), no superuser.
                "is_superuser": False,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user_set_roles(user=user, roles=roles)
