"""The demo's second province, Quảng Bình: a few provincial departments, district and commune
committees, and its own people (reviewer, leader, administrator, agency staff), so that what one
province sees of another — nothing — can be tried and is tested. Its regulation (3140/QĐ-UBND,
two criteria sets) and a final period come from scoring.demo_quang_binh.

Illustrative data: the names are real places, the people are invented. Quảng Bình merged into
Quảng Trị on 01/07/2025; the demo keeps it as it was for its 2023 period.
"""

from __future__ import annotations

from django.db import transaction

from .demo import DEMO_PASSWORD, K, _Loader, _users_of
from .models import AgencyGroup, Province, Role

CODE = "quang-binh"
GROUPS = [
    ("khoi-so", "Khối sở, ban, ngành tỉnh", 1),
    ("khoi-huyen", "Khối UBND huyện, thị xã, thành phố", 2),
    ("khoi-xa", "Khối UBND xã, phường, thị trấn", 3),
]
# (code, name, short name, kind, group, parent)
AGENCIES = [
    ("ubnd-tinh", "Ủy ban nhân dân tỉnh Quảng Bình", "UBND tỉnh", K.UBND_TINH, None, None),
    ("so-noi-vu", "Sở Nội vụ tỉnh Quảng Bình", "SNV", K.SO, "khoi-so", None),
    ("so-tu-phap", "Sở Tư pháp tỉnh Quảng Bình", "STP", K.SO, "khoi-so", None),
    ("so-tai-chinh", "Sở Tài chính tỉnh Quảng Bình", "STC", K.SO, "khoi-so", None),
    ("so-y-te", "Sở Y tế tỉnh Quảng Bình", "SYT", K.SO, "khoi-so", None),
    ("tp-dong-hoi", "Ủy ban nhân dân thành phố Đồng Hới", "TP Đồng Hới", K.UBND_HUYEN, "khoi-huyen", None),
    ("h-bo-trach", "Ủy ban nhân dân huyện Bố Trạch", "huyện Bố Trạch", K.UBND_HUYEN, "khoi-huyen", None),
    ("h-le-thuy", "Ủy ban nhân dân huyện Lệ Thủy", "huyện Lệ Thủy", K.UBND_HUYEN, "khoi-huyen", None),
    ("p-dong-phu", "Ủy ban nhân dân phường Đồng Phú", "phường Đồng Phú", K.UBND_XA, "khoi-xa", "tp-dong-hoi"),
    ("tt-hoan-lao", "Ủy ban nhân dân thị trấn Hoàn Lão", "thị trấn Hoàn Lão", K.UBND_XA, "khoi-xa", "h-bo-trach"),
    ("x-sen-thuy", "Ủy ban nhân dân xã Sen Thủy", "xã Sen Thủy", K.UBND_XA, "khoi-xa", "h-le-thuy"),
]
# username → (full name, position, agency code, roles); the password is the demo's.
USERS = {
    "canbo.qb.tuphap": ("Hoàng Thị Thu", "Chuyên viên", "so-tu-phap", [Role.AGENCY_STAFF]),
    "lanhdao.qb.tuphap": ("Đặng Văn Lực", "Giám đốc Sở Tư pháp", "so-tu-phap", [Role.AGENCY_HEAD]),
    "canbo.qb.donghoi": ("Trương Thị Hà", "Chuyên viên Phòng Nội vụ", "tp-dong-hoi", [Role.AGENCY_STAFF]),
    "thamdinh.quangbinh": ("Nguyễn Văn Bình", "Phòng Xây dựng chính quyền, Sở Nội vụ", "so-noi-vu", [Role.REVIEWER]),
    "lanhdao.quangbinh": ("Lê Quang Minh", "Chủ tịch UBND tỉnh", "ubnd-tinh", [Role.LEADER]),
    "quantri.quangbinh": ("Quản trị Quảng Bình", "Sở Nội vụ", "so-noi-vu", [Role.ADMIN]),
}
PASSWORD = DEMO_PASSWORD


@transaction.atomic
def load() -> Province:
    """Creates or refreshes the second demo province; safe to run any number of times."""
    province, _ = Province.objects.update_or_create(
        code=CODE, defaults={"name": "Quảng Bình", "place_name": "Quảng Bình"}
    )
    loader = _Loader(province)
    for code, name, order in GROUPS:
        loader.groups[code], _ = AgencyGroup.objects.update_or_create(
            province=province, code=code, defaults={"name": name, "order": order}
        )
    for code, name, short, kind, group, parent in AGENCIES:
        loader.version(code, name=name, short=short, kind=kind, group=group, parent=parent)
    _users_of(loader, province, USERS)
    return province
