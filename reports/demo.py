"""Demo data of the reports app: Tây Ninh's document texts and signers.

Two versions of the texts show a province's year-end documents changing without losing the old
ones: from 2019 (Luật Tổ chức chính quyền địa phương 2015, Ban Dân vận Tỉnh ủy) and from 2025 (the
law of 16/6/2025; Ban Tuyên giáo và Dân vận Tỉnh ủy after the 2025 merger of the Party's boards).
The decision is signed by the demo's chairman (the `lanhdao.tinh` user); the Department's signers
are invented names. Illustrative data: verify against the province's own documents.
"""

from __future__ import annotations

from django.db import transaction

from portal import demo as portal_demo
from portal.models import Province

from .models import DocumentSigner, DocumentTexts, GeneratedReport

CHAIRMAN = portal_demo.DEMO_USERS["lanhdao.tinh"][0]
DIRECTOR = "Lê Văn Phúc"
DEPUTY_DIRECTOR = "Nguyễn Thanh Sơn"

REGULATION_BASIS = (
    "Căn cứ Quyết định số {regulation_number} {regulation_date} của Ủy ban nhân dân tỉnh ban hành {regulation_title};"
)
COMMON = {
    "committee_parent": "",
    "committee_name": "ỦY BAN NHÂN DÂN\nTỈNH TÂY NINH",
    "department_parent": "UBND TỈNH TÂY NINH",
    "department_name": "SỞ NỘI VỤ",
    "place_name": "Tây Ninh",
    "program_title": "công tác dân vận chính quyền",
    "decision_authority": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH TÂY NINH",
    "addressee": "Ủy ban nhân dân tỉnh Tây Ninh",
    "decision_maker": "Chủ tịch Ủy ban nhân dân tỉnh",
    "department_title": "Sở Nội vụ",
    "proposal_basis": "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {proposal_number} {proposal_date}.",
    "decision_article_2": "Kết quả đánh giá, xếp loại là căn cứ để đánh giá, xếp loại tập thể, người đứng đầu cơ "
    "quan, đơn vị và xét thi đua, khen thưởng năm {year}. Quyết định này có hiệu lực kể từ ngày ký.",
    "decision_article_3": "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các sở, ban, ngành "
    "tỉnh, Chủ tịch Ủy ban nhân dân các huyện, thị xã, thành phố và các cơ quan, đơn vị có tên tại Điều 1 chịu "
    "trách nhiệm thi hành Quyết định này.",
    "summary_recommendations": "Đề nghị các cơ quan, đơn vị xếp loại Trung bình, Yếu xây dựng kế hoạch khắc phục "
    "trong quý I năm sau; tiếp tục nâng cao chất lượng hồ sơ tự chấm điểm và tài liệu kiểm chứng.",
    "decision_symbol": "QĐ-UBND",
    "proposal_symbol": "TTr-SNV",
    "summary_symbol": "BC-SNV",
    "scoresheet_symbol": "PĐ-SNV",
    "scoresheet_recipients": "{agency};\nLưu: VT, XDCQ.",
}
TEXTS = {
    2019: {
        **COMMON,
        "legal_bases": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n" + REGULATION_BASIS,
        "decision_recipients": "Như Điều 3;\nThường trực Tỉnh ủy, Thường trực HĐND tỉnh;\nBan Dân vận Tỉnh ủy;\n"
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;\nLưu: VT, SNV.",
        "proposal_recipients": "Như trên;\nBan Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
        "summary_recipients": "UBND tỉnh;\nBan Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
    },
    2025: {
        **COMMON,
        "legal_bases": "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n" + REGULATION_BASIS,
        "decision_article_3": "Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các sở, ban, "
        "ngành tỉnh, Chủ tịch Ủy ban nhân dân các xã, phường và các cơ quan, đơn vị có tên tại Điều 1 chịu trách "
        "nhiệm thi hành Quyết định này.",
        "decision_recipients": "Như Điều 3;\nThường trực Tỉnh ủy, Thường trực HĐND tỉnh;\n"
        "Ban Tuyên giáo và Dân vận Tỉnh ủy;\nChủ tịch, các Phó Chủ tịch UBND tỉnh;\nLưu: VT, SNV.",
        "proposal_recipients": "Như trên;\nBan Tuyên giáo và Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
        "summary_recipients": "UBND tỉnh;\nBan Tuyên giáo và Dân vận Tỉnh ủy;\nLưu: VT, XDCQ.",
    },
}
Kind = GeneratedReport.Kind
# (kind, from year) → (authority lines, title, name)
SIGNERS = {
    (Kind.DECISION, 2019): ("", "CHỦ TỊCH", CHAIRMAN),
    (Kind.PROPOSAL, 2019): ("", "GIÁM ĐỐC", DIRECTOR),
    (Kind.SUMMARY, 2019): ("", "GIÁM ĐỐC", DIRECTOR),
    (Kind.SCORESHEET, 2019): ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", DEPUTY_DIRECTOR),
}


@transaction.atomic
def load(province: Province) -> None:
    for year, fields in TEXTS.items():
        DocumentTexts.objects.update_or_create(province=province, program="dvcq", valid_from_year=year, defaults=fields)
    for (kind, year), (authority, title, name) in SIGNERS.items():
        DocumentSigner.objects.update_or_create(
            province=province,
            program="dvcq",
            kind=kind,
            valid_from_year=year,
            defaults={"authority": authority, "title": title, "name": name},
        )
