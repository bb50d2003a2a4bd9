"""Official documents as PDF (WeasyPrint), laid out per Nghị định 30/2020/NĐ-CP."""

from __future__ import annotations

import hashlib
import json

from django.template.loader import render_to_string
from django.utils import translation

from scoring.models import Dossier, ScoringPeriod

from . import annex, selectors, weasy, wording
from .models import GeneratedReport

# Bump when a template, the print CSS or the Word layout (word.py) changes, so stored documents are
# rendered again (.2: the decision and the proposal come with their Word file; .3: fixed annex columns).
LAYOUT_VERSION = "2026-11-23.3"


def document_context(kind: str, period: ScoringPeriod, dossier: Dossier | None = None) -> dict:
    """The data a document prints (and whose hash decides whether a stored PDF is still valid).

    Always in Vietnamese, whatever language the person asking for it reads the portal in.
    """
    with translation.override("vi"):
        if kind == GeneratedReport.Kind.SCORESHEET:
            context = selectors.scoresheet_context(dossier)
            numbers = selectors.year_end_numbers(period)
            context["number"] = wording.document_number(str(dossier.pk), numbers.pop("scoresheet_symbol"))
            context.update(numbers)
        elif kind == GeneratedReport.Kind.SUMMARY:
            context = selectors.summary_context(period)
        else:
            context = selectors.decision_context(period)
        values = {name: str(context.get(name, "")) for name in wording.PLACEHOLDERS if name != "year"}
        context["paper"] = selectors.paper(period, kind, values)
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
    if kind in (GeneratedReport.Kind.DECISION, GeneratedReport.Kind.PROPOSAL):
        parted = annex.render(TEMPLATES[kind], context)  # a long annex on two cores (reports/annex.py)
        if parted is not None:
            return parted
    return weasy.html_to_pdf(render_to_string(TEMPLATES[kind], context))
