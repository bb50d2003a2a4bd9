"""The steering committee's draft report on grassroots democracy (QCDC), six-month or annual: the
figures of the units' submitted reports summed, each unit's texts under the report's headings, and
who reported late or not at all — as PDF in the Nghị định 30 layout of the other documents and as an
editable Word file from the same HTML (reports.qcdc_word). Made when opened, like the contest's
documents: small, and a draft (watermarked) by nature.

The header, number symbol, recipients and signer are the province's QCDC document texts and signer
(admin: Nội dung văn bản, Người ký — programme QCDC, document "summary report") once it enters them;
until then the committee's defaults below.
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from plans.models import DeliverableType
from plans.selectors import qcdc_summary
from portal.downloads import file_download, generated_pdf_inline
from portal.models import Program

from . import selectors, weasy, wording
from .models import GeneratedReport

TEMPLATE = "reports/pdf/qcdc_summary.html"
ROMAN = selectors.ROMAN
# What the committee's report prints until the province enters its QCDC document texts and signer.
COMMITTEE_SYMBOL = "BC-BCĐ"
COMMITTEE_RECIPIENTS = (
    "Ban Chỉ đạo Trung ương về thực hiện dân chủ ở cơ sở (b/c);\nThường trực Tỉnh ủy (b/c);\n"
    "Thành viên Ban Chỉ đạo tỉnh;\nCác cơ quan, đơn vị;\nLưu: VT."
)
COMMITTEE_SIGNER = ["TM. BAN CHỈ ĐẠO", "TRƯỞNG BAN"]


def _paper(province, year: int) -> dict:
    texts = selectors.document_texts_for(province=province, program=Program.QCDC, year=year)
    signer = selectors.signer_for(province=province, program=Program.QCDC, year=year, kind=GeneratedReport.Kind.SUMMARY)
    entered = texts.pk is not None  # the province's own texts, not the defaults of every document
    values = {"year": str(year), "program": texts.program_title}
    return {
        "parent": texts.department_parent if entered else "",
        "issuer_lines": wording.lines(texts.department_name)
        if entered
        else ["BAN CHỈ ĐẠO THỰC HIỆN", "DÂN CHỦ Ở CƠ SỞ", f"TỈNH {province.name.upper()}"],
        "place": texts.place_name or province.place_name or province.name,
        "symbol": texts.summary_symbol if entered else COMMITTEE_SYMBOL,
        "recipients": wording.recipient_lines(
            wording.fill(texts.summary_recipients if entered else COMMITTEE_RECIPIENTS, values)
        ),
        "signer": {
            "lines": [*wording.lines(signer.authority), signer.title] if signer else COMMITTEE_SIGNER,
            "name": signer.name if signer else "",
        },
    }


def summary_context(deliverable_type: DeliverableType) -> dict:
    """Everything the draft report prints, as plain values."""
    plan = deliverable_type.plan
    summary = qcdc_summary(deliverable_type=deliverable_type, today=timezone.localdate())
    paper = _paper(plan.province, plan.year)
    sections = [{"roman": ROMAN[0], "title": "KẾT QUẢ THỰC HIỆN (SỐ LIỆU TỔNG HỢP)"}]
    for index, text in enumerate(summary["texts"], start=1):
        text["roman"] = ROMAN[index] if index < len(ROMAN) else str(index + 1)
    return {
        **summary,
        "is_draft": True,
        "sections": sections,
        "number": wording.document_number("", paper["symbol"]),
        "date": f"ngày … tháng … năm {plan.year}",
        "due": deliverable_type.due_on.strftime("%d/%m/%Y"),
        "reporting_roman": ROMAN[len(summary["texts"]) + 1] if len(summary["texts"]) + 1 < len(ROMAN) else "",
        "paper": paper,
    }


def _html(deliverable_type: DeliverableType) -> str:
    with translation.override("vi"):
        return render_to_string(TEMPLATE, summary_context(deliverable_type))


def summary_pdf(deliverable_type: DeliverableType) -> bytes:
    return weasy.html_to_pdf(_html(deliverable_type))


def summary_docx(deliverable_type: DeliverableType) -> bytes:
    from .qcdc_word import qcdc_summary_docx

    return qcdc_summary_docx(_html(deliverable_type))


@login_required
def qcdc_summary_view(request, type_id: int):
    """The draft report as PDF (inline), or as .docx with ?format=docx: the steering committee and
    Sở Nội vụ of the province; another province's report answers 404."""
    deliverable_type = (
        DeliverableType.objects.filter(
            pk=type_id, plan__province_id=request.user.province_id, report_form__isnull=False
        )
        .select_related("plan__province", "report_form")
        .first()
    )
    if deliverable_type is None or not request.user.has_perm("plans.view_qcdc_collection", deliverable_type.plan):
        raise Http404
    if not request.user.has_perm("plans.download_qcdc_summary", deliverable_type.plan):
        raise PermissionDenied
    name = f"du-thao-bao-cao-qcdc-{deliverable_type.plan.year}-{deliverable_type.report_form.kind}"
    if request.GET.get("format") == "docx":
        from .word import DOCX_TYPE

        return file_download(
            io.BytesIO(summary_docx(deliverable_type)), filename=f"{name}.docx", content_type=DOCX_TYPE
        )
    return generated_pdf_inline(io.BytesIO(summary_pdf(deliverable_type)), filename=f"{name}.pdf")
