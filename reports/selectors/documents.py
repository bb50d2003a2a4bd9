"""The year-end documents' data: the province's document texts and signers, the paper of each
document, the decision, score sheet and summary contexts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.utils.translation import gettext as _

from plans.selectors import plan_for_year, plan_targets
from portal.models import Program, Province
from portal.text import long_date
from scoring.models import Dossier, Phase, ScoringPeriod
from scoring.selectors import criteria_set_for, criteria_set_spec, dossier_data, grid_rows, ranking

from .. import wording
from ..models import DocumentSigner, DocumentTexts, GeneratedReport

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def final_periods(*, province: Province, program: str = "dvcq"):
    return ScoringPeriod.objects.filter(province=province, program=program, phase=Phase.FINAL).order_by("year")


def band_counts(period: ScoringPeriod, groups: list | None = None) -> list[tuple[str, str, int]]:
    """(code, label, number of agencies) per class, best first, then the unclassified: the classes
    of every set the period applies (sets of one regulation share their classes' codes)."""
    sections = ranking(period) if groups is None else groups
    rows = [row for _g, group in sections for row in group]
    counts = Counter(row.band if row.classified else "" for row in rows)
    specs = [criteria_set_spec(period.criteria_set)] + [section.spec for section in sections]
    bands = {}
    for spec in specs:
        for band in sorted(spec.bands, key=lambda b: b.min_points, reverse=True):
            bands.setdefault(band.code, band)
    result = [(b.code, b.label, counts.get(b.code, 0)) for b in bands.values()]
    if counts.get(""):
        result.append(("", _("Not classified"), counts[""]))
    return result


# --- the province's document texts -----------------------------------------------------------------


def document_texts_for(*, province: Province, program: str, year: int) -> DocumentTexts:
    """The texts valid for `year`: the latest version from that year or before, else the defaults."""
    texts = (
        DocumentTexts.objects.filter(province=province, program=program, valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )
    return texts or DocumentTexts(
        province=province, program=program, valid_from_year=year, **default_texts(province, program, year)
    )


def signer_for(*, province: Province, program: str, year: int, kind: str) -> DocumentSigner | None:
    """Who signs `kind` of `year`: the signer entered for that year, else the latest earlier one."""
    return (
        DocumentSigner.objects.filter(province=province, program=program, kind=kind, valid_from_year__lte=year)
        .order_by("-valid_from_year")
        .first()
    )


def default_texts(province: Province, program: str, year: int) -> dict[str, str]:
    """What a province prints until it enters its own texts (the wording the templates had)."""
    name = province.name
    # Luật Tổ chức chính quyền địa phương: 19/6/2015, replaced by the law of 16/6/2025 from 1/7/2025.
    law = "ngày 16 tháng 6 năm 2025" if year >= 2025 else "ngày 19 tháng 6 năm 2015"
    return {
        "committee_parent": "",
        "committee_name": f"ỦY BAN NHÂN DÂN\nTỈNH {name.upper()}",
        "department_parent": f"UBND TỈNH {name.upper()}",
        "department_name": "SỞ NỘI VỤ",
        "place_name": province.place_name or name,
        "program_title": PROGRAM_TITLES.get(program, ""),
        "decision_authority": f"CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH {name.upper()}",
        "addressee": f"Ủy ban nhân dân tỉnh {name}",
        "decision_maker": "Chủ tịch Ủy ban nhân dân tỉnh",
        "department_title": "Sở Nội vụ",
        "legal_bases": f"Căn cứ Luật Tổ chức chính quyền địa phương {law};\n"
        "Căn cứ Quyết định số {regulation_number} {regulation_date} của {regulation_issuer} ban hành {regulation_title};",
        "proposal_basis": "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {proposal_number} {proposal_date}.",
        "decision_article_2": "Kết quả đánh giá, xếp loại là căn cứ để đánh giá, xếp loại cơ quan, đơn vị, người đứng "
        "đầu và xét thi đua, khen thưởng năm {year}. Quyết định này có hiệu lực kể từ ngày ký.",
        "decision_article_3": "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ và Thủ trưởng các cơ quan, "
        "đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
        "summary_recommendations": "Đề nghị các cơ quan, đơn vị xếp loại Trung bình, Yếu xây dựng kế hoạch khắc phục; "
        "tiếp tục nâng cao chất lượng hồ sơ tự chấm điểm và tài liệu kiểm chứng.",
        "decision_symbol": "QĐ-UBND",
        "proposal_symbol": "TTr-SNV",
        "summary_symbol": "BC-SNV",
        "scoresheet_symbol": "PĐ-SNV",
        "decision_recipients": "Như Điều 3;\nThường trực Tỉnh ủy, Thường trực HĐND tỉnh;\nBan Dân vận Tỉnh ủy;\n"
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;\nLưu: VT, SNV.",
        "proposal_recipients": "Như trên;\nBan Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
        "summary_recipients": "UBND tỉnh;\nBan Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
        "scoresheet_recipients": "{agency};\nLưu: VT, XDCQ.",
    }


# The programme as a document names it, until the province writes its own wording.
PROGRAM_TITLES = {
    Program.DVCQ: "công tác dân vận chính quyền",
    Program.DVK: "phong trào thi đua “Dân vận khéo”",
    Program.CQTT: "công tác xây dựng chính quyền thân thiện",
    Program.QCDC: "công tác thực hiện dân chủ ở cơ sở",
    Program.PAR: "công tác cải cách hành chính",
}
DEFAULT_SIGNER_TITLES = {
    GeneratedReport.Kind.DECISION: "CHỦ TỊCH",
    GeneratedReport.Kind.PROPOSAL: "GIÁM ĐỐC",
    GeneratedReport.Kind.SUMMARY: "GIÁM ĐỐC",
    GeneratedReport.Kind.SCORESHEET: "GIÁM ĐỐC",
}
# Which body issues each document (Nghị định 30: the decision is the People's Committee's).
ISSUED_BY_COMMITTEE = {GeneratedReport.Kind.DECISION}


def paper(period: ScoringPeriod, kind: str, values: dict[str, str]) -> dict:
    """The province's texts of the period's year for one document: header, wording, recipients and
    signature, with the placeholders filled from `values` (numbers, dates, regulation, agency)."""
    texts = document_texts_for(province=period.province, program=period.program, year=period.year)
    signer = signer_for(province=period.province, program=period.program, year=period.year, kind=kind)
    values = {"year": str(period.year), "program": texts.program_title, **values}
    if kind in ISSUED_BY_COMMITTEE:
        parent, issuer = texts.committee_parent, texts.committee_name
    else:
        parent, issuer = texts.department_parent, texts.department_name
    return {
        "parent": parent,
        "issuer_lines": wording.lines(issuer),
        "place": texts.place_name or period.province.place_name,
        "program": texts.program_title,
        "decision_authority": texts.decision_authority,
        "addressee": texts.addressee,
        "decision_maker": texts.decision_maker,
        "department_title": texts.department_title,
        "legal_bases": [wording.fill(line, values) for line in wording.basis_lines(texts.legal_bases)],
        "proposal_basis": wording.sentence(wording.fill(texts.proposal_basis, values)),
        "article_2": wording.sentence(wording.fill(texts.decision_article_2, values)),
        "article_3": wording.fill(texts.decision_article_3, values).strip().rstrip(" ;./"),
        "recommendations": wording.sentence(wording.fill(texts.summary_recommendations, values)),
        "appendix_note": _appendix_note(kind, texts, values),
        "recipients": wording.recipient_lines(wording.fill(getattr(texts, f"{kind}_recipients"), values)),
        "signer": {
            "lines": [*wording.lines(signer.authority), signer.title] if signer else [DEFAULT_SIGNER_TITLES[kind]],
            "name": signer.name if signer else "",
        },
    }


def _appendix_note(kind: str, texts: DocumentTexts, values: dict[str, str]) -> str:
    """ "Kèm theo Quyết định số 3120/QĐ-UBND ngày 15 tháng 12 năm 2021 của Chủ tịch …" (Phụ lục)."""
    if kind == GeneratedReport.Kind.DECISION:
        return (
            f"Kèm theo Quyết định số {values['decision_number']} {values['decision_date']} của {texts.decision_maker}"
        )
    if kind == GeneratedReport.Kind.PROPOSAL:
        return (
            f"Kèm theo Tờ trình số {values['proposal_number']} {values['proposal_date']} của {texts.department_title}"
        )
    return ""


def year_end_numbers(period: ScoringPeriod) -> dict[str, str]:
    """The proposal's and the decision's numbers with the province's symbols, and their dates."""
    texts = document_texts_for(province=period.province, program=period.program, year=period.year)
    return {
        "proposal_number": wording.document_number(period.proposal_number, texts.proposal_symbol),
        "proposal_date": long_date(period.proposal_date) if period.proposal_date else wording.UNKNOWN_DATE,
        "decision_number": wording.document_number(period.decision_number, texts.decision_symbol),
        "decision_date": long_date(period.decision_date) if period.decision_date else wording.UNKNOWN_DATE,
        "summary_number": wording.document_number("", texts.summary_symbol),
        "scoresheet_symbol": texts.scoresheet_symbol,
    }


def places_of(period: ScoringPeriod) -> int:
    """Decimal places the period's criteria set states: every number column prints with them."""
    return period.criteria_set.rounding


# --- the documents' data ---------------------------------------------------------------------------


def decision_context(period: ScoringPeriod) -> dict:
    """Everything the decision, the proposal and their appendix print — all of it data."""
    regulation = period.criteria_set.regulation
    ranked = ranking(period)
    not_classified = _("Not classified")
    groups = []
    for index, section in enumerate(ranked):
        places = section.spec.rounding  # each set prints with the decimals it states
        groups.append(
            {
                "roman": ROMAN[index] if index < len(ROMAN) else str(index + 1),
                "name": section.title,
                "rows": [
                    {
                        "name": row.dossier.agency_version.name,
                        "self": wording.points(row.self_total, places),
                        "appraised": wording.points(row.appraised_total, places),
                        "adjustment": wording.signed_points(row.bonus - row.penalty, places),
                        "total": wording.points(row.total, places) if row.total_shown else "—",
                        "band": row.band_label if row.classified else not_classified,
                        "rank": row.rank or "—",
                    }
                    for row in section.rows
                ],
            }
        )
    counts = band_counts(period, ranked)
    return {
        "province": period.province.name,
        "year": period.year,
        "is_draft": period.phase != Phase.FINAL,
        **year_end_numbers(period),
        "regulation_number": regulation.so_ky_hieu,
        "regulation_date": long_date(regulation.issued_on) if regulation.issued_on else "",
        "regulation_title": regulation.title,
        "regulation_issuer": regulation.issuer,
        "groups": groups,
        "total_agencies": sum(len(g["rows"]) for g in groups),
        "counts": [(label, n) for _code, label, n in counts],
    }


def scoresheet_context(dossier: Dossier) -> dict:
    """A per-agency score sheet: every criterion with self, appraised and final points."""
    period = dossier.period
    data = dossier_data(dossier)
    known = criteria_set_for(dossier)
    places = known.rounding

    rows, result = grid_rows(data, None, show_marks=True)  # a reader: marks nothing, is blind to nothing
    bands = known.band_labels
    stored = getattr(dossier, "result", None) if period.phase == Phase.FINAL else None
    from scoring.explain import step_text

    regulation = period.criteria_set.regulation
    band = bands.get(stored.band_code if stored else result.band)
    classified = stored.classified if stored else result.classified
    return {
        "province": period.province.name,
        "year": period.year,
        "is_draft": period.phase != Phase.FINAL,
        "agency": dossier.agency_version.name,
        "group": dossier.group.name,
        "regulation_number": regulation.so_ky_hieu,
        "regulation_date": long_date(regulation.issued_on) if regulation.issued_on else "",
        "regulation_title": regulation.title,
        "regulation_issuer": regulation.issuer,
        "rows": [
            {
                "code": r.node.code,
                "title": r.node.title,
                "is_group": r.is_group,
                "max": wording.points(r.node.max_points, places),
                "self": wording.points(r.self_points, places),
                "appraised": wording.points(r.appraised_points, places),
                "final": wording.points(r.final_points, places),
                "comment": "; ".join(m.comment for m in r.marks if m.comment),
            }
            for r in rows
        ],
        "self_total": wording.points(stored.self_total if stored else result.self_total, places),
        "appraised_total": wording.points(stored.appraised_total if stored else result.appraised_total, places),
        "bonus": wording.signed_points(stored.bonus if stored else result.bonus, places),
        "penalty": wording.signed_points(-(stored.penalty if stored else result.penalty), places),
        "total": wording.points(stored.total if stored else result.total, places),
        "band": band if classified and band else _("Not classified"),
        "rank": stored.rank if stored else None,
        "steps": stored.steps if stored else [step_text(s, bands) for s in result.steps],
        "today": long_date(period.decision_date or dt.date.today()),
    }


def summary_context(period: ScoringPeriod) -> dict:
    context = decision_context(period)
    plan = plan_for_year(province=period.province, year=period.year, program=period.program)
    targets = plan_targets(plan=plan, today=dt.date.today()) if plan else []
    goal_places = wording.column_places(t.target.threshold for t in targets)
    value_places = wording.column_places(t.value for t in targets)
    context.update(
        {
            "plan_title": plan.title if plan else "",
            "targets": [
                {
                    "title": t.target.title,
                    "goal": f"{t.target.get_comparison_display()} {wording.points(t.target.threshold, goal_places)}%",
                    "value": f"{wording.points(t.value, value_places)}%" if t.value is not None else "—",
                    "met": "Đạt" if t.is_met else ("Chưa đạt" if t.is_met is False else "Chưa có số liệu"),
                }
                for t in targets
            ],
            "report_date": context["decision_date"],
        }
    )
    return context
