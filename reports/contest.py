"""A contest's documents (cuộc thi "Dân vận khéo"): the award decision and one certificate per
awarded entrant, as PDF in the Nghị định 30 layout of the other documents (the province's document
texts of the programme and year: header, authority, legal bases, the decision's subject, its
consideration line, Articles 1 and 2 and the certificate's sentence, recipients, signer). Small and
made when opened, as the receipt; a draft (watermarked) until the period is final."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import translation

from portal.downloads import generated_pdf_inline
from portal.text import long_date
from scoring.models import Contest, Dossier, Phase
from scoring.selectors.contest import ContestResults, contest_results
from scoring.views.contest import contest_or_404

from . import selectors, weasy, wording
from .models import CONTEST_TEXT_DEFAULTS, GeneratedReport


def _values(contest: Contest) -> dict[str, str]:
    period = contest.period
    regulation = period.criteria_set.regulation
    return {
        **{k: v for k, v in selectors.year_end_numbers(period).items() if k in wording.PLACEHOLDERS},
        "regulation_number": regulation.so_ky_hieu,
        "regulation_date": long_date(regulation.issued_on) if regulation.issued_on else "",
        "regulation_title": regulation.title,
        "regulation_issuer": regulation.issuer,
    }


def _contest_values(contest: Contest, results: ContestResults) -> dict[str, str]:
    return {
        "contest": contest.period.name,
        "theme": f", chủ đề “{contest.theme}”" if contest.theme else "",
        "judges": str(len(results.judges)),
        "combine": str(contest.get_combine_display()).lower(),
    }


def _texts(contest: Contest, values: dict[str, str]) -> dict[str, str]:
    """The province's contest sentences of the year (its document texts of the programme, else the
    defaults), their placeholders filled."""
    period = contest.period
    texts = selectors.document_texts_for(province=period.province, program=period.program, year=period.year)
    values = {"year": str(period.year), "program": texts.program_title, **values}
    filled = {
        name: wording.fill(getattr(texts, name), values, wording.CONTEST_PLACEHOLDERS).strip()
        for name in CONTEST_TEXT_DEFAULTS
    }
    for name in ("contest_consideration", "contest_article_2"):  # sentences: one period at the end
        filled[name] = wording.sentence(filled[name])
    return filled


def decision_context(contest: Contest, results: ContestResults | None = None, extra: dict | None = None) -> dict:
    """What the award decision prints: the prizes with their entrants, and the full ranking."""
    period = contest.period
    results = results or contest_results(contest)
    values = {**_values(contest), **_contest_values(contest, results), **(extra or {})}
    places = results.places
    prizes = [
        {
            "name": award.name,
            "rows": [
                {"name": r.dossier.agency_version.name, "score": wording.points(r.entrant.score, places)}
                for r in results.rows
                if r.entrant.award == award
            ],
        }
        for award in contest.award_specs
    ]
    return {
        "year": period.year,
        "contest_name": period.name,
        "theme": contest.theme,
        "is_draft": period.phase != Phase.FINAL,
        "decision_number": values["decision_number"],
        "decision_date": values["decision_date"],
        "prizes": [p for p in prizes if p["rows"]],
        "combine": contest.get_combine_display(),
        "judges": len(results.judges),
        "ranking": [
            {
                "rank": r.entrant.rank or "—",
                "name": r.dossier.agency_version.name,
                "score": wording.points(r.entrant.score, places),
                "award": r.entrant.award.name if r.entrant.award else "",
            }
            for r in results.rows
        ],
        "paper": selectors.paper(period, GeneratedReport.Kind.DECISION, values),
        "texts": _texts(contest, values),
    }


def certificate_context(contest: Contest, dossier: Dossier) -> dict:
    """One awarded entrant's certificate (Giấy khen); an entrant without a prize has none."""
    results = contest_results(contest)
    row = next((r for r in results.rows if r.dossier.pk == dossier.pk), None)
    if row is None or row.entrant.award is None:
        raise Http404
    entrant = {
        "entrant": dossier.agency_version.name,
        "award": row.entrant.award.name,
        "score": wording.points(row.entrant.score, results.places),
    }
    return {**decision_context(contest, results, entrant), **entrant}


def _pdf(template: str, context: dict) -> bytes:
    return weasy.html_to_pdf(render_to_string(template, context))


def decision_pdf(contest: Contest) -> bytes:
    with translation.override("vi"):
        return _pdf("reports/pdf/contest_decision.html", decision_context(contest))


def certificate_pdf(contest: Contest, dossier: Dossier) -> bytes:
    with translation.override("vi"):
        return _pdf("reports/pdf/contest_certificate.html", certificate_context(contest, dossier))


@login_required
def contest_decision_pdf_view(request, contest_id: int):
    """The award decision, to those who may read the results (judges only once they are published)."""
    contest = contest_or_404(request, contest_id, "scoring.view_contest_results")
    return generated_pdf_inline(io.BytesIO(decision_pdf(contest)), filename=f"quyet-dinh-cuoc-thi-{contest.pk}.pdf")


@login_required
def contest_certificate_pdf_view(request, contest_id: int, dossier_id: int):
    contest = contest_or_404(request, contest_id, "scoring.view_contest_results")
    dossier = (
        Dossier.objects.filter(pk=dossier_id, period_id=contest.period_id).select_related("agency_version").first()
    )
    if dossier is None:
        raise Http404
    return generated_pdf_inline(
        io.BytesIO(certificate_pdf(contest, dossier)), filename=f"giay-khen-{contest.pk}-{dossier.pk}.pdf"
    )
