"""The decision PDF with a 150-row annex (one province's final year) and a 600-row annex (four
provinces' rankings in one annex, as a national summary would print), against bare WeasyPrint
rendering the very same HTML."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from .stats import alternate, summary, timed


def national_context(periods) -> dict:
    """One decision whose annex holds every agency of `periods`, group by group."""
    from reports.pdf import document_context

    contexts = [document_context("decision", p) for p in periods]
    merged = dict(contexts[0])
    groups = []
    for index, group in enumerate(contexts[0]["groups"]):
        rows = [row for c in contexts for row in c["groups"][index]["rows"]]
        groups.append({**group, "rows": rows})
    merged["groups"] = groups
    merged["total_agencies"] = sum(len(g["rows"]) for g in groups)
    counts: dict[str, int] = {}
    for c in contexts:
        for label, n in c["counts"]:
            counts[label] = counts.get(label, 0) + n
    merged["counts"] = list(counts.items())
    return merged


def pdf(final_periods: list, rounds: int) -> dict:
    from weasyprint import HTML

    from reports.pdf import TEMPLATES, document_context, render_pdf

    results = {}
    cases = {
        "150": lambda: document_context("decision", final_periods[0]),
        "600": lambda: national_context(final_periods[:4]),
    }
    render_pdf("decision", cases["150"]())  # warm-up: WeasyPrint's import and fonts
    for name, context_of in cases.items():
        context = context_of()
        html = render_to_string(TEMPLATES["decision"], context)
        sizes = {}

        def portal(_i, context_of=context_of, sizes=sizes):
            seconds, content = timed(lambda: render_pdf("decision", context_of()))
            sizes["portal"] = len(content)
            return seconds

        def anchor(_i, html=html, sizes=sizes):
            seconds, content = timed(lambda: HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
            sizes["anchor"] = len(content)
            return seconds

        # The small annex is cheap: more rounds steady its ratio, which sits near 1.
        n = rounds + 2 if name == "150" else rounds
        portal_s, anchor_s = alternate(n, portal, anchor)
        context_s = [timed(context_of)[0] for _ in range(n)]
        results[name] = {"portal": summary(portal_s), "anchor": summary(anchor_s), "context": summary(context_s),
                         "rows": context["total_agencies"], "bytes": sizes}  # fmt: skip
    return results
