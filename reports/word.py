"""Official documents as editable Word files (.docx, python-docx), in the layout of their PDF.

Built from the very HTML the PDF is printed from (`reports/templates/reports/pdf/`, filled with
`pdf.document_context`), so both say the same words: each element and class of those templates
maps to a Word paragraph, table or section here, styled as `print.css` styles it (Nghị định
30/2020/NĐ-CP, Phụ lục I). Markup this module does not know is refused, so a template change
cannot drop text from the Word file unnoticed (tests render every template).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.shared import Length, Mm, Pt
from lxml import html as lxml_html

from . import pdf
from .models import GeneratedReport
from .word_format import (
    BODY,
    CELL_LOOKS,
    CENTER,
    DATA_FONT_SIZE,
    INLINE_TAGS,
    LANDSCAPE,
    LEFT,
    LOOKS,
    PORTRAIT,
    RIGHT,
    RULES,
    SIGNATURE_SPACE,
    Inline,
    Look,
    UnknownMarkup,
    apply_look,
    bottom_border,
    child_elements,
    css_classes,
    look_of,
    no_leading_empty_paragraph,
    page_numbers,
    row_flags,
    set_fonts,
    set_page,
    set_widths,
)

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The documents records clerks finish in Word before they are signed.
DOCX_KINDS = frozenset({GeneratedReport.Kind.DECISION, GeneratedReport.Kind.PROPOSAL})
# --- blocks ---------------------------------------------------------------------------------------


class _Writer:
    """Writes the body of a document page into a Word document, block by block."""

    def __init__(self):
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        set_fonts(normal, 14)
        normal.paragraph_format.space_after = Pt(0)
        set_page(self.doc.sections[0], PORTRAIT)
        page_numbers(self.doc.sections[0])
        self.page = PORTRAIT

    def blocks(self, container, parent, width: Length, look: Look = BODY) -> None:
        """The children of `parent`: blocks become paragraphs and tables; loose text and inline
        elements between them (as in a table cell) become paragraphs in `look`."""
        loose = Inline.of(look)
        loose.text(parent.text, look.bold, look.italic)
        for el in child_elements(parent):
            if el.tag in INLINE_TAGS:
                loose.element(el, look.bold, look.italic)
            else:
                loose.write(container)
                loose = Inline.of(look)
                self.block(container, el, width, look)
            loose.text(el.tail, look.bold, look.italic)
        loose.write(container)

    def block(self, container, el, width: Length, look: Look) -> None:
        classes = css_classes(el)
        if "watermark" in classes:
            return  # the PDF's "DỰ THẢO" behind the text; the red line above the text says it too
        if el.tag == "table":
            self.table(container, el, width)
        elif el.tag == "section" and "appendix" in classes:
            self.appendix(el)
        elif el.tag == "ol":
            self.numbered(container, el)
        elif el.tag == "p":
            Inline.of(look_of(el, BODY)).contents(el).write(container)
        elif el.tag == "div":
            self.div(container, el, width, look)
        else:
            raise UnknownMarkup(f"<{el.tag} class='{' '.join(classes)}'>")

    def div(self, container, el, width: Length, look: Look) -> None:
        classes = css_classes(el)
        rule = next((RULES[c] for c in classes if c in RULES), None)
        if rule is not None:
            paragraph = container.add_paragraph()
            side = Length(int(width * (1 - rule) / 2))
            paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
            paragraph.paragraph_format.space_after = Pt(6)
            set_fonts(paragraph.add_run(), 4)
            bottom_border(paragraph)
        elif "space" in classes:
            container.add_paragraph().paragraph_format.space_after = SIGNATURE_SPACE
        elif classes and not set(classes) <= set(LOOKS):
            raise UnknownMarkup(f"<div class='{' '.join(classes)}'>")
        else:
            Inline.of(look_of(el, look)).contents(el).write(container)

    def table(self, container, el, width: Length) -> None:
        classes = css_classes(el)
        if "data" in classes:
            self.data_table(container, el, width)
        elif "header" in classes or "closing" in classes:
            self.layout_table(container, el, width, shares=(0.4, 0.6) if "header" in classes else (0.45, 0.55))
        else:
            raise UnknownMarkup(f"<table class='{' '.join(classes)}'>")

    def layout_table(self, container, el, width: Length, shares: tuple[float, float]) -> None:
        """The borderless two-column tables: the header (issuer | nation) and the closing (recipients | signer)."""
        cells = el.findall(".//td")
        table = container.add_table(rows=1, cols=len(cells))
        widths = [Length(int(width * share)) for share in shares]
        set_widths(table, widths)
        row_flags(table.rows[0])  # recipients and signature stay on one page
        for cell, td, cell_width in zip(table.rows[0].cells, cells, widths, strict=True):
            look = next((CELL_LOOKS[c] for c in css_classes(td) if c in CELL_LOOKS), CELL_LOOKS[""])
            self.blocks(cell, td, cell_width, look)
            no_leading_empty_paragraph(cell)

    def data_table(self, container, el, width: Length) -> None:
        """A bordered table: the header row repeated on every page, rows never split, group rows bold."""
        headers = el.findall("./thead/tr/th")
        rows = el.findall("./tbody/tr")
        table = container.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        set_widths(table, _column_widths(headers, rows, width))
        header_look = Look(size=DATA_FONT_SIZE, bold=True)
        for cell, th in zip(table.rows[0].cells, headers, strict=True):
            _fill_cell(cell, th, header_look)
        row_flags(table.rows[0], header=True)
        for row, tr in zip(table.rows[1:], rows, strict=True):
            row_flags(row)
            bold = "group" in css_classes(tr)
            column = 0
            for td in tr.findall("./td"):
                span = int(td.get("colspan", "1"))
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                align = CENTER if "c" in css_classes(td) else RIGHT if "num" in css_classes(td) else LEFT
                _fill_cell(cell, td, Look(align=align, size=DATA_FONT_SIZE, bold=bold))
                column += span

    def numbered(self, container, el) -> None:
        """The steps of a score sheet: "1. …", 11 pt."""
        for number, li in enumerate(el.findall("./li"), start=1):
            paragraph = Inline.of(Look(align=LEFT, size=11, after=2)).contents(li).write(container)
            if paragraph is not None:
                paragraph.runs[0].text = f"{number}. {paragraph.runs[0].text}"
                paragraph.paragraph_format.left_indent = Mm(6)
                paragraph.paragraph_format.first_line_indent = Mm(-6)

    def appendix(self, el) -> None:
        """The Phụ lục on landscape pages of its own; page numbers go on."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        set_page(section, LANDSCAPE)
        section.different_first_page_header_footer = False
        self.blocks(self.doc, el, LANDSCAPE.text_width)


def _fill_cell(cell, el, look: Look) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    runs = Inline.of(look).contents(el)
    written = runs.write(cell)
    if written is not None:
        paragraph._p.getparent().remove(paragraph._p)
    else:
        apply_look(paragraph, look)


def _column_widths(headers, rows, width: Length) -> list[Length]:
    """The first column (STT) narrow, number columns 20 mm, other short columns 26 mm, and the
    name or title column (the second) takes the rest."""
    first_row = next((tr.findall("./td") for tr in rows if len(tr.findall("./td")) == len(headers)), [])
    widths: list[Length] = [Mm(13)]
    for index in range(1, len(headers)):
        classes = css_classes(first_row[index]) if first_row else []
        widths.append(Mm(20) if "num" in classes else Mm(26))
    widths[1] = Length(max(int(Mm(40)), width - sum(widths[:1] + widths[2:])))
    return widths


# --- the document ---------------------------------------------------------------------------------


def html_to_docx(page_html: str) -> bytes:
    """A Word document laid out as the PDF of the same HTML page."""
    tree = lxml_html.document_fromstring(page_html)
    writer = _Writer()
    body = tree.find("body")
    writer.blocks(writer.doc, body, PORTRAIT.text_width)
    title = tree.findtext(".//title") or ""
    writer.doc.core_properties.title = " ".join(title.split())
    writer.doc.core_properties.author = ""
    writer.doc.core_properties.language = "vi-VN"
    out = io.BytesIO()
    writer.doc.save(out)
    return out.getvalue()


def render_docx(kind: str, context: dict) -> bytes:
    """The document of `kind` as .docx, from the same context and template as its PDF."""
    return html_to_docx(render_to_string(pdf.TEMPLATES[kind], context))
