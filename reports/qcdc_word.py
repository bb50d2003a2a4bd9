"""The steering committee's QCDC draft report as .docx: the same HTML as its PDF, written by the
Word writer of the other documents (reports.word), so both files say the same words."""

from __future__ import annotations

from .word import html_to_docx


def qcdc_summary_docx(page_html: str) -> bytes:
    """The draft report (reports/templates/reports/pdf/qcdc_summary.html, filled) as a Word file."""
    return html_to_docx(page_html)
