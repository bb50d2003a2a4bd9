"""How the Word files look: page geometry, paragraph looks and inline runs, as `print.css` styles
the PDF (Nghị định 30/2020/NĐ-CP, Phụ lục I). `reports.word` writes documents with these pieces."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt, RGBColor

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


def set_fonts(target, size: float | None = None) -> None:
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


def set_page(section, page: Page) -> None:
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.right_margin = Mm(page.top), Mm(page.right)
    section.bottom_margin, section.left_margin = Mm(page.bottom), Mm(page.left)
    section.header_distance = Mm(10)


def page_numbers(section) -> None:
    """The page number centred in the top margin, 13 pt, not on the first page."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = CENTER
    run = paragraph.add_run()
    set_fonts(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def apply_look(paragraph, look: Look) -> None:
    fmt = paragraph.paragraph_format
    paragraph.alignment = look.align
    fmt.space_before, fmt.space_after = Pt(look.before), Pt(look.after)
    fmt.first_line_indent = look.indent
    fmt.line_spacing = 1.15 if look.align == JUSTIFY else 1.0


def bottom_border(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def row_flags(row, *, header: bool = False) -> None:
    """A row never splits across pages; a header row repeats on every page (Phụ lục)."""
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if header:
        properties.append(OxmlElement("w:tblHeader"))


def set_widths(table, widths: list[Length]) -> None:
    """Column widths for Word (each cell) and LibreOffice (the table grid)."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def no_leading_empty_paragraph(cell) -> None:
    """A new cell starts with an empty paragraph; once something else is in it, it goes."""
    first = cell.paragraphs[0]
    if len(cell.paragraphs) > 1 and not first.text and not first.runs:
        first._p.getparent().remove(first._p)


# --- inline text ----------------------------------------------------------------------------------


@dataclass
class Inline:
    """Runs of one paragraph collected from HTML (text, <strong>, <em>, <br>), whitespace collapsed
    as a browser collapses it."""

    look: Look
    runs: list[tuple[str, bool, bool]]

    @classmethod
    def of(cls, look: Look) -> Inline:
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
            for child in child_elements(el):
                self.element(child, bold, italic)
                self.text(child.tail, bold, italic)

    def contents(self, el) -> Inline:
        """The element's own text and inline children (not its tail)."""
        self.text(el.text, self.look.bold, self.look.italic)
        for child in child_elements(el):
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
        apply_look(paragraph, self.look)
        for text, bold, italic in runs:
            if text == "\n":
                paragraph.add_run().add_break()
                continue
            run = paragraph.add_run(text.upper() if self.look.upper else text)
            set_fonts(run, self.look.size)
            run.bold, run.italic = bold or None, italic or None
            run.underline = self.look.underline or None
            if self.look.color is not None:
                run.font.color.rgb = self.look.color
        return paragraph


def child_elements(el):
    """Child elements, without comments."""
    return [child for child in el if isinstance(child.tag, str)]


def css_classes(el) -> list[str]:
    return (el.get("class") or "").split()


def look_of(el, base: Look) -> Look:
    classes = css_classes(el)
    look = next((LOOKS[c] for c in classes if c in LOOKS and c != "upper"), None)
    if look is None:
        look = LOOKS["upper"] if "upper" in classes and base is CELL_LOOKS["signature"] else base
    return replace(look, upper="upper" in classes)
