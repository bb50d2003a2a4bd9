"""The national-scale criteria set: a library file in the portal's own format (dvcq-regulation/1)
with 54 scored criteria under 9 groups (63 nodes) plus the real file's bonus, penalties, classes and
gates, so a dossier carries as many rows as the larger provinces' sets do. It is imported through
the portal's import service, like the real library files beside it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import yaml

CODE = "bench-quoc-gia-2022"
REAL_FILE = Path(__file__).resolve().parent.parent / "scoring" / "library" / "tay-ninh-731-2019.yaml"
CYCLE = ["range", "boolean", "levels", "percent_linear", "percent_banded", "count_deduct"]
# Group code → (title, max, scorers, number of leaves); groups 2, 3 and 4 are written out below.
GENERIC = {
    "1": ("Kết quả thực hiện nhiệm vụ chuyên môn", 12, {"primary": "so-noi-vu", "co": ["vp-ubnd"], "combine": "average"}, 3),
    "5": ("Thực hiện dân chủ ở cơ sở", 10, {"primary": "so-noi-vu"}, 8),
    "6": ("Cải cách hành chính gắn với công tác dân vận", 10, {"primary": "so-noi-vu", "co": ["vp-ubnd"], "combine": "average"}, 8),
    "7": ("Đạo đức công vụ, văn hóa công sở", 9, {"primary": "so-noi-vu"}, 9),
    "8": ("Phối hợp với Mặt trận Tổ quốc và các đoàn thể", 9, {"primary": "so-noi-vu"}, 9),
    "9": ("Phong trào thi đua “Dân vận khéo”", 16, {"primary": "so-noi-vu"}, 9),
}  # fmt: skip


def _split(total: Decimal, n: int) -> list[Decimal]:
    """`total` in `n` parts, multiples of 0.25, the larger parts first."""
    quarter = Decimal("0.25")
    base = (total / n / quarter).to_integral_value(rounding="ROUND_FLOOR") * quarter
    parts = [base] * n
    left = total - base * n
    i = 0
    while left > 0:
        parts[i] += quarter
        left -= quarter
        i += 1
    return parts


def _half(points: Decimal) -> float:
    return float((points / 2 / Decimal("0.25")).to_integral_value(rounding="ROUND_FLOOR") * Decimal("0.25"))


def _leaf(code: str, title: str, points: Decimal, kind: str) -> dict:
    node = {"code": code, "title": title, "max": float(points), "type": kind,
            "evidence": "Văn bản, báo cáo của đơn vị"}  # fmt: skip
    if kind == "range":
        node["params"] = {"step": 0.25}
    elif kind == "levels":
        node["params"] = {"levels": [
            {"code": "tot", "label": "Thực hiện tốt", "points": float(points)},
            {"code": "dat", "label": "Có thực hiện", "points": _half(points)},
            {"code": "khong", "label": "Không thực hiện", "points": 0},
        ]}  # fmt: skip
    elif kind == "percent_banded":
        node["params"] = {"bands": [{"min": 90, "points": float(points)}, {"min": 70, "points": _half(points)},
                                    {"min": 0, "points": 0}]}  # fmt: skip
    elif kind == "count_deduct":
        node["params"] = {"per_case": 0.25, "cap": float(points)}
    return node


def _auto_levels(code: str, title: str, source: str) -> dict:
    return {
        "code": code, "title": title, "max": 3, "type": "levels",
        "params": {"auto_source": source, "auto_map": {"on_time": "dung_han", "late": "tre_han", "missing": "khong"},
                   "levels": [{"code": "dung_han", "label": "Đúng hạn", "points": 3},
                              {"code": "tre_han", "label": "Trễ hạn", "points": 1.5},
                              {"code": "khong", "label": "Không gửi", "points": 0}]},
    }  # fmt: skip


def _generic_group(code: str) -> dict:
    title, top, scorers, n = GENERIC[code]
    children = [
        _leaf(f"{code}.{i + 1}", f"{title} — nội dung {i + 1}", points, CYCLE[(int(code) + i) % len(CYCLE)])
        for i, points in enumerate(_split(Decimal(top), n))
    ]
    return {"code": code, "title": title, "max": top, "scorers": scorers, "children": children}


def document() -> dict:
    real = yaml.safe_load(REAL_FILE.read_text(encoding="utf-8"))
    group2 = {
        "code": "2", "title": "Thực hiện Kế hoạch công tác dân vận chính quyền và chế độ báo cáo", "max": 16,
        "scorers": {"primary": "so-noi-vu"},
        "children": [
            _auto_levels("2.1", "Ban hành kế hoạch công tác dân vận chính quyền của đơn vị đúng hạn", "agency_plan"),
            _leaf("2.2", "Tuyên truyền, quán triệt chủ trương, chính sách về công tác dân vận", Decimal(2), "range"),
            _leaf("2.3", "Phối hợp với Mặt trận Tổ quốc theo quy chế phối hợp", Decimal(2), "range"),
            {**_leaf("2.4", "Giải quyết kiến nghị, khiếu nại, tố cáo đúng hạn", Decimal(3), "percent_banded"),
             "scorers": {"primary": "thanh-tra", "co": ["so-noi-vu"], "combine": "primary_wins"}},
            _leaf("2.5", "Đăng ký và thực hiện mô hình “Dân vận khéo”", Decimal(3), "levels"),
            _auto_levels("2.6", "Gửi báo cáo năm đúng hạn", "report_annual"),
        ],
    }  # fmt: skip
    index = {"type": "imported_index", "na_policy": "exclude",
             "scorers": {"primary": "so-noi-vu", "co": ["vp-ubnd"], "combine": "average"}}  # fmt: skip
    criteria = [
        _generic_group("1"),
        group2,
        {"code": "3", "title": "Chỉ số cải cách hành chính", "max": 10, "params": {"source": "PAR", "year_offset": -1}, **index},
        {"code": "4", "title": "Chỉ số hài lòng (SIPAS)", "max": 8, "params": {"source": "SIPAS", "year_offset": -1}, **index},
        *(_generic_group(code) for code in ("5", "6", "7", "8", "9")),
    ]  # fmt: skip
    return {
        "format": "dvcq-regulation/1",
        "regulation": {
            "code": CODE, "program": "dvcq", "so_ky_hieu": "01/QĐ-BENCH", "issuer": "UBND tỉnh (dữ liệu thử tải)",
            "title": "Bộ tiêu chí thử tải quy mô quốc gia (dữ liệu tổng hợp, không dùng cho xếp loại thật)",
            "issued_on": "2022-01-10", "effective_from": "2022-01-10", "is_reconstruction": True,
        },
        "criteria_set": {
            "code": "01", "name": "Bộ tiêu chí đánh giá công tác dân vận chính quyền (thử tải)",
            "applies_to_groups": ["khoi-so", "khoi-dvsn", "khoi-tw", "khoi-huyen", "khoi-xa"],
            "max_total": 100, "bonus_cap": 5, "penalty_cap": 10, "rounding": 2, "fallback_to_self": True,
        },
        "criteria": criteria,
        "bonus": real["bonus"],
        "penalties": real["penalties"],
        "classification": real["classification"],
        "gates": real["gates"],
    }  # fmt: skip


def content() -> bytes:
    return yaml.safe_dump(document(), allow_unicode=True, sort_keys=False).encode()
