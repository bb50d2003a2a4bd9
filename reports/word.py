"""Official documents as editable Word files (.docx, python-docx), in the layout of their PDF.

Built from the very HTML the PDF is printed from (`reports/templates/reports/pdf/`, filled with
`pdf.document_context`), so both say the same words: each element and class of those templates
maps to a Word paragraph, table or section here, styled as `print.css` styles it (Nghị định
30/2020/NĐ-CP, Phụ lục I). Markup this module does not know is refused, so a template change
cannot drop text from the Word file unnoticed (tests render every template).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, replace

from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor
from lxml import html as lxml_html

from . import pdf
from .models import GeneratedReport

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# The documents records clerks finish in Word before they are signed.
DOCX_KINDS = frozenset({GeneratedReport.Kind.DECISION, GeneratedReport.Kind.PROPOSAL})
FONT = "Times New Roman"
CENTER, LEFT, RIGHT, JUSTIFY = (
    WD_ALIGN_PARAGRAPH.CENTER,
    WD_ALIGN_PARAGRAPH.LEFT,
    WD_ALIGN_PARAGRAPH.RIGHT,
    WD_ALIGN_PARAGRAPH.JUSTIFY,
)
INLINE_TAGS = {"strong", "b", "em", "i", "span", "br"}


class UnknownMarkup(ValueError):
    """A template uses an element or class the Word writer does not lay out."""


@dataclass(frozen=True)
class Page:
    """A page as print.css sets it: size and margins in millimetres."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int

    @property
    def text_width(self) -> Length:
        return Mm(self.width - self.left - self.right)


PORTRAIT = Page(210, 297, top=20, right=15, bottom=20, left=30)  # @page
LANDSCAPE = Page(297, 210, top=20, right=20, bottom=20, left=25)  # @page appendix


@dataclass(frozen=True)
class Look:
    """How print.css sets a block: alignment, type, spacing (points) and first-line indent."""

    align: int = CENTER
    size: float | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    upper: bool = False
    before: float = 0
    after: float = 0
    indent: Length | None = None
    color: RGBColor | None = None


BODY = Look(align=JUSTIFY, after=6, indent=Mm(12.7))
# Classes of print.css → their look (the first class of an element that is listed here wins).
LOOKS = {
    "parent": Look(size=13),
    "issuer": Look(size=13, bold=True),
    "number": Look(size=13),
    "nation": Look(size=12.5, bold=True),
    "motto": Look(size=13, bold=True, underline=True),
    "place-date": Look(size=14, italic=True, before=8),
    "doc-type": Look(size=14, bold=True, before=6),
    "summary": Look(size=14, bold=True),
    "authority": Look(bold=True, before=6, after=10),
    "decides": Look(bold=True, before=8, after=8),
    "appendix-title": Look(bold=True),
    "appendix-note": Look(italic=True, after=8),
    "draft-label": Look(align=RIGHT, size=11, bold=True, after=4, color=RGBColor(0xB0, 0x00, 0x00)),
    "title": Look(align=LEFT, size=12, bold=True, italic=True),  # "Nơi nhận:"
    "name": Look(bold=True),
    "upper": Look(bold=True),  # the signer's authority and title lines
    "noindent": replace(BODY, indent=None),
    "addressee": Look(before=6, after=10),
    "section-gap": replace(BODY, indent=None, before=8),
}
CELL_LOOKS = {
    "recipients": Look(align=LEFT, size=11),
    "signature": Look(bold=True),
    "left": Look(),
    "": Look(),
}
# Short rules under the issuer and under the summary line: their width as a share of the column.
RULES = {"rule": 0.35, "summary-rule": 0.25}
SIGNATURE_SPACE = Mm(28)  # print.css .signature .space
DATA_FONT_SIZE = 12


# --- the Word file's pieces -------------------------------------------------------------------------


def _set_fonts(target, size: float | None = None) -> None:
    """Times New Roman for every script (Vietnamese letters are set as Latin, complex or East Asian
    depending on the program), the Vietnamese language for spelling."""
    target.font.name = FONT
    if size:
        target.font.size = Pt(size)
    rpr = target.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _page(section, page: Page) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.right_margin = Mm(page.top), Mm(page.right)
    section.bottom_margin, section.left_margin = Mm(page.bottom), Mm(page.left)
    section.header_distance = Mm(10)


def _page_numbers(section) -> None:
    """The page number centred in the top margin, 13 pt, not on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    _set_fonts(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _format(paragraph, look: Look) -> None:
    fmt = paragraph.paragraph_format
    paragraph.alignment = look.align
    fmt.space_before, fmt.space_after = Pt(look.before), Pt(look.after)
    fmt.first_line_indent = look.indent
    fmt.line_spacing = 1.15 if look.align == JUSTIFY else 1.0


def _bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _row_flags(row, *, header: bool = False) -> None:
    """A row never splits across pages; a header row repeats on every page (Phụ lục)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def _widths(table, widths: list[Length]) -> None:
    """Column widths for Word (each cell) and LibreOffice (the table grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _no_leading_empty_paragraph(cell) -> None:
    """A new cell starts with an empty paragraph; once something else is in it, it goes."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) > 1 and not first.text and not first.runs:
        first._p.getparent().remove(first._p)


# --- inline text ----------------------------------------------------------------------------------


@dataclass
class _Inline:
    """Runs of one paragraph collected from HTML (text, <strong>, <em>, <br>), whitespace collapsed
    as a browser collapses it."""

    look: Look
    runs: list[tuple[str, bool, bool]]

    @classmethod
    def of(cls, look: Look) -> _Inline:
        return cls(look, [])

    def text(self, text: str | None, bold: bool, italic: bool) -> None:
        if text:
            self.runs.append((re.sub(r"\s+", " ", text), bold, italic))

    def element(self, el, bold: bool, italic: bool) -> None:
        if el.tag == "br":
            self.runs.append(("\n", bold, italic))
        elif el.tag not in INLINE_TAGS:
            raise UnknownMarkup(f"<{el.tag}> inside a paragraph")
        else:
            bold = bold or el.tag in ("strong", "b")
            italic = italic or el.tag in ("em", "i")
            self.text(el.text, bold, italic)
            for child in _elements(el):
                self.element(child, bold, italic)
                self.text(child.tail, bold, italic)

    def contents(self, el) -> _Inline:
        """The element's own text and inline children (not its tail)."""
        self.text(el.text, self.look.bold, self.look.italic)
        for child in _elements(el):
            self.element(child, self.look.bold, self.look.italic)
            self.text(child.tail, self.look.bold, self.look.italic)
        return self

    def _trimmed(self) -> list[tuple[str, bool, bool]]:
        text = "".join(t for t, _b, _i in self.runs)
        if not text.strip():
            return []
        # Spaces at the start and end of each line go, as in a browser.
        runs, at_line_start = [], True
        for t, b, i in self.runs:
            if at_line_start:
                t = t.lstrip(" ")
            if t:
                runs.append([t, b, i])
                at_line_start = t == "\n"
        for index, run in enumerate(runs):
            if index + 1 == len(runs) or runs[index + 1][0] == "\n":
                run[0] = run[0].rstrip(" ") if run[0] != "\n" else run[0]
        return [tuple(r) for r in runs if r[0]]

    def write(self, container) -> object | None:
        """Adds the paragraph (nothing when there is no text); returns it."""
        runs = self._trimmed()
        if not runs:
            return None
        paragraph = container.add_paragraph()
        _format(paragraph, self.look)
        for text, bold, italic in runs:
            if text == "\n":
                paragraph.add_run().add_break()
                continue
            run = paragraph.add_run(text.upper() if self.look.upper else text)
            _set_fonts(run, self.look.size)
            run.bold, run.italic = bold or None, italic or None
            run.underline = self.look.underline or None
            if self.look.color is not None:
                run.font.color.rgb = self.look.color
        return paragraph


def _elements(el):
    """Child elements, without comments."""
    return [child for child in el if isinstance(child.tag, str)]


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _look_of(el, base: Look) -> Look:
    classes = _classes(el)
    look = next((LOOKS[c] for c in classes if c in LOOKS and c != "upper"), None)
    if look is None:
        look = LOOKS["upper"] if "upper" in classes and base is CELL_LOOKS["signature"] else base
    return replace(look, upper="upper" in classes)


# --- blocks ---------------------------------------------------------------------------------------


class _Writer:
    """Writes the body of a document page into a Word document, block by block."""

    def __init__(self):
        self.doc = Document()
        normal = self.doc.styles["Normal"]
        _set_fonts(normal, 14)
        normal.paragraph_format.space_after = Pt(0)
        _page(self.doc.sections[0], PORTRAIT)
        _page_numbers(self.doc.sections[0])
        self.page = PORTRAIT

    def blocks(self, container, parent, width: Length, look: Look = BODY) -> None:
        """The children of `parent`: blocks become paragraphs and tables; loose text and inline
        elements between them (as in a table cell) become paragraphs in `look`."""
        loose = _Inline.of(look)
        loose.text(parent.text, look.bold, look.italic)
        for el in _elements(parent):
            if el.tag in INLINE_TAGS:
                loose.element(el, look.bold, look.italic)
            else:
                loose.write(container)
                loose = _Inline.of(look)
                self.block(container, el, width, look)
            loose.text(el.tail, look.bold, look.italic)
        loose.write(container)

    def block(self, container, el, width: Length, look: Look) -> None:
        classes = _classes(el)
        if "watermark" in classes:
            return  # the PDF's "DỰ THẢO" behind the text; the red line above the text says it too
        if el.tag == "table":
            self.table(container, el, width)
        elif el.tag == "section" and "appendix" in classes:
            self.appendix(el)
        elif el.tag == "ol":
            self.numbered(container, el)
        elif el.tag == "p":
            _Inline.of(_look_of(el, BODY)).contents(el).write(container)
        elif el.tag == "div":
            self.div(container, el, width, look)
        else:
            raise UnknownMarkup(f"<{el.tag} class='{' '.join(classes)}'>")

    def div(self, container, el, width: Length, look: Look) -> None:
        classes = _classes(el)
        rule = next((RULES[c] for c in classes if c in RULES), None)
        if rule is not None:
            paragraph = container.add_paragraph()
            side = Length(int(width * (1 - rule) / 2))
            paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side
            paragraph.paragraph_format.space_after = Pt(6)
            _set_fonts(paragraph.add_run(), 4)
            _bottom_border(paragraph)
        elif "space" in classes:
            container.add_paragraph().paragraph_format.space_after = SIGNATURE_SPACE
        elif classes and not set(classes) <= set(LOOKS):
            raise UnknownMarkup(f"<div class='{' '.join(classes)}'>")
        else:
            _Inline.of(_look_of(el, look)).contents(el).write(container)

    def table(self, container, el, width: Length) -> None:
        classes = _classes(el)
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
        _widths(table, widths)
        _row_flags(table.rows[0])  # recipients and signature stay on one page
        for cell, td, cell_width in zip(table.rows[0].cells, cells, widths, strict=True):
            look = next((CELL_LOOKS[c] for c in _classes(td) if c in CELL_LOOKS), CELL_LOOKS[""])
            self.blocks(cell, td, cell_width, look)
            _no_leading_empty_paragraph(cell)

    def data_table(self, container, el, width: Length) -> None:
        """A bordered table: the header row repeated on every page, rows never split, group rows bold."""
        headers = el.findall("./thead/tr/th")
        rows = el.findall("./tbody/tr")
        table = container.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        _widths(table, _column_widths(headers, rows, width))
        header_look = Look(size=DATA_FONT_SIZE, bold=True)
        for cell, th in zip(table.rows[0].cells, headers, strict=True):
            _fill_cell(cell, th, header_look)
        _row_flags(table.rows[0], header=True)
        for row, tr in zip(table.rows[1:], rows, strict=True):
            _row_flags(row)
            bold = "group" in _classes(tr)
            column = 0
            for td in tr.findall("./td"):
                span = int(td.get("colspan", "1"))
                cell = row.cells[column]
                if span > 1:
                    cell = cell.merge(row.cells[column + span - 1])
                align = CENTER if "c" in _classes(td) else RIGHT if "num" in _classes(td) else LEFT
                _fill_cell(cell, td, Look(align=align, size=DATA_FONT_SIZE, bold=bold))
                column += span

    def numbered(self, container, el) -> None:
        """The steps of a score sheet: "1. …", 11 pt."""
        for number, li in enumerate(el.findall("./li"), start=1):
            paragraph = _Inline.of(Look(align=LEFT, size=11, after=2)).contents(li).write(container)
            if paragraph is not None:
                paragraph.runs[0].text = f"{number}. {paragraph.runs[0].text}"
                paragraph.paragraph_format.left_indent = Mm(6)
                paragraph.paragraph_format.first_line_indent = Mm(-6)

    def appendix(self, el) -> None:
        """The Phụ lục on landscape pages of its own; page numbers go on."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        _page(section, LANDSCAPE)
        section.different_first_page_header_footer = False
        self.blocks(self.doc, el, LANDSCAPE.text_width)


def _fill_cell(cell, el, look: Look) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    paragraph = cell.paragraphs[0]
    runs = _Inline.of(look).contents(el)
    written = runs.write(cell)
    if written is not None:
        paragraph._p.getparent().remove(paragraph._p)
    else:
        _format(paragraph, look)


def _column_widths(headers, rows, width: Length) -> list[Length]:
    """The first column (STT) narrow, number columns 20 mm, other short columns 26 mm, and the
    name or title column (the second) takes the rest."""
    first_row = next((tr.findall("./td") for tr in rows if len(tr.findall("./td")) == len(headers)), [])
    widths: list[Length] = [Mm(13)]
    for index in range(1, len(headers)):
        classes = _classes(first_row[index]) if first_row else []
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
