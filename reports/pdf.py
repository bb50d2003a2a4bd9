"""Official documents as PDF (WeasyPrint), laid out per Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.template.loader import render_to_string

from scoring.models import Dossier, ScoringPeriod

from . import selectors
from .models import GeneratedReport

# Bump when a template or the print CSS changes, so stored documents are rendered again.
LAYOUT_VERSION = "2026-11-22.1"


def document_context(kind: str, period: ScoringPeriod, dossier: Dossier | None = None) -> dict:
    """The data a document prints (and whose hash decides whether a stored PDF is still valid)."""
    if kind == GeneratedReport.Kind.SCORESHEET:
        context = selectors.scoresheet_context(dossier)
        context["number"] = f"{dossier.pk:03d}/PĐ-SNV"
    elif kind == GeneratedReport.Kind.SUMMARY:
        context = selectors.summary_context(period)
        context["report_number"] = "…/BC-SNV"
    else:
        context = selectors.decision_context(period)
    province = period.province.name
    context["province_line"] = f"tỉnh {province}"
    context["province_ubnd"] = f"UBND tỉnh {province}"
    context["appendix_note"] = (
        f"Kèm theo Quyết định số {context.get('decision_number', '')} ngày {context.get('decision_short_date', '')} "
        "của Chủ tịch UBND tỉnh"
        if kind == GeneratedReport.Kind.DECISION
        else f"Kèm theo Tờ trình số {context.get('proposal_number', '')} ngày {context.get('proposal_short_date', '')} "
        "của Sở Nội vụ"
    )
    return context


TEMPLATES = {
    GeneratedReport.Kind.DECISION: "reports/pdf/decision.html",
    GeneratedReport.Kind.PROPOSAL: "reports/pdf/proposal.html",
    GeneratedReport.Kind.SCORESHEET: "reports/pdf/scoresheet.html",
    GeneratedReport.Kind.SUMMARY: "reports/pdf/summary.html",
}


def content_hash(kind: str, context: dict) -> str:
    payload = json.dumps({"kind": kind, "layout": LAYOUT_VERSION, "data": context}, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def render_pdf(kind: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported late: WeasyPrint takes a second to load

    html = render_to_string(TEMPLATES[kind], context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
