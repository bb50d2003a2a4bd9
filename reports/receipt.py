"""Giấy biên nhận — the receipt of a dossier's submission as a one-page PDF in the layout of the
other documents (Nghị định 30: the department's header, Times New Roman), made when it is opened:
it is small (one page, well under a second) and never changes once written."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.downloads import generated_pdf_inline
from scoring.models.cycle import SubmissionReceipt
from scoring.selectors.grid import latest_receipt
from scoring.views.common import dossier_or_404

from . import weasy, wording
from .selectors import document_texts_for


def receipt_context(receipt: SubmissionReceipt) -> dict:
    period = receipt.dossier.period
    texts = document_texts_for(province=period.province, program=period.program, year=period.year)
    at = timezone.localtime(receipt.submitted_at)
    return {
        "receipt": receipt,
        "period": period,
        "paper": {
            "parent": texts.department_parent,
            "issuer_lines": wording.lines(texts.department_name),
            "place": texts.place_name or period.province.place_name,
        },
        "number": receipt.code,
        "date": f"ngày {at.day:02d} tháng {at.month:02d} năm {at.year}",
    }


def receipt_pdf(receipt: SubmissionReceipt) -> bytes:
    """The receipt as PDF bytes (always in Vietnamese, as the other documents)."""
    with translation.override("vi"):
        html = render_to_string("reports/pdf/receipt.html", receipt_context(receipt))
    return weasy.html_to_pdf(html)


def receipt_filename(receipt: SubmissionReceipt) -> str:
    return f"bien-nhan-{receipt.code}.pdf"


def receipt_attachment(receipt: SubmissionReceipt) -> tuple[str, bytes, str]:
    """The receipt PDF attached to the receipt's e-mail (registered in ReportsConfig.ready)."""
    return receipt_filename(receipt), receipt_pdf(receipt), "application/pdf"


@login_required
def receipt_pdf_view(request, pk: int):
    """The latest submission's receipt of a dossier the user may see, opened in the browser."""
    dossier = dossier_or_404(request, pk)
    receipt = latest_receipt(dossier)
    if receipt is None:
        raise Http404
    return generated_pdf_inline(io.BytesIO(receipt_pdf(receipt)), filename=receipt_filename(receipt))
