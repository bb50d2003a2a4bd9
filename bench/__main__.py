"""`make bench` — speed and memory goals, measured (never asserted in tests).

Goals (2 cores, 24 GiB, as on our machines):
- engine: a 1,000-agency province scored and ranked in under 1 s;
- PDF: the decision with a 600-row appendix rendered in under 10 s;
- peak memory of this process under 400 MB.
"""

from __future__ import annotations

import os
import random
import resource
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")


def timed(label: str, goal: float, fn) -> float:
    start = time.perf_counter()
    fn()
    elapsed = time.perf_counter() - start
    status = "ok" if elapsed <= goal else "SLOW"
    print(f"{label:<48} {elapsed:7.2f} s   goal ≤ {goal:g} s   {status}")
    return elapsed


def bench_engine() -> None:
    from pathlib import Path

    from scoring.engine import CriterionInput, DossierInput, Mark, evaluate_group
    from scoring.libraryio import read_yaml

    spec = read_yaml((Path("scoring/library/tay-ninh-731-2019.yaml")).read_bytes()).spec
    rng = random.Random(1)
    leaves = [n for n in spec.walk() if n.is_leaf]

    def raw(node):
        if node.score_type == "levels":
            return node.params["levels"][0]["code"]
        if node.score_type == "boolean":
            return "true"
        if node.score_type == "count_deduct":
            return "1"
        if node.score_type == "range":
            return str(node.max_points)
        return str(rng.randint(60, 100))

    dossiers = [
        DossierInput(
            f"a{i}",
            f"Đơn vị {i}",
            "khoi-so",
            inputs={n.code: CriterionInput(self_raw=raw(n), marks=(Mark("snv", raw(n)),)) for n in leaves},
        )
        for i in range(1000)
    ]
    timed("engine: score and rank 1,000 agencies", 1.0, lambda: evaluate_group(spec, dossiers))


def bench_pdf() -> None:
    from reports.pdf import render_pdf

    groups = [
        {"roman": str(g), "name": f"Khối {g}", "rows": [
            {"name": f"Ủy ban nhân dân xã Thử Nghiệm {g}-{i}", "self": "91,5", "appraised": "88,25", "adjustment": "+1",
             "total": "89,25", "band": "Khá", "rank": i}
            for i in range(1, 121)]}
        for g in range(1, 6)
    ]  # fmt: skip
    context = {
        "province": "Tây Ninh", "place": "Tây Ninh", "year": 2026, "is_draft": False, "regulation_number": "731/QĐ-UBND",
        "regulation_date": "ngày 26 tháng 3 năm 2019", "regulation_title": "Quy định", "proposal_number": "1/TTr-SNV",
        "proposal_date": "", "decision_number": "1/QĐ-UBND", "decision_date": "ngày 15 tháng 12 năm 2026",
        "signer": "Nguyễn Văn Minh", "signer_title": "CHỦ TỊCH", "groups": groups, "total_agencies": 600,
        "counts": [("Tốt", 300), ("Khá", 300)], "province_line": "tỉnh Tây Ninh", "appendix_note": "Kèm theo",
    }  # fmt: skip
    timed("pdf: decision with a 600-row appendix", 10.0, lambda: render_pdf("decision", context))


def main() -> int:
    import django

    django.setup()
    bench_engine()
    bench_pdf()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory':<48} {peak:7.0f} MB  goal ≤ 400 MB   {'ok' if peak <= 400 else 'HIGH'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
