"""WeasyPrint, called one way: from the project's base URL (static fonts and images), imported late
(it takes a second to load), and with Python's cycle collector paused while it builds its boxes —
a 600-row annex makes hundreds of thousands of them and the collector would otherwise take a third
of the time walking them (scoring/engine/cycles.py)."""

from __future__ import annotations

from django.conf import settings

from scoring.engine.cycles import cycle_collection_paused


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    with cycle_collection_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def layout(html: str):
    """The laid-out document (its pages can be read before it is written: reports/annex.py)."""
    from weasyprint import HTML

    with cycle_collection_paused():
        return HTML(string=html, base_url=str(settings.BASE_DIR)).render()


def write(document) -> bytes:
    with cycle_collection_paused():
        return document.write_pdf()
