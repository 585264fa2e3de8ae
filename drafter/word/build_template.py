"""Build ``template.docx``, the house styles of every export, from python-docx's default template.

Run ``python -m drafter.word.build_template`` after changing a style here or a constant in
``styles.py``, and commit the result. The writers only refer to styles by id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor, Twips

from drafter.word import ooxml, styles
from drafter.word.package import save_docx
from drafter.word.styles import (
    CM,
    INDENT,
    LEFT_BLOCK_RIGHT,
    RIGHT_BLOCK,
    TEXT_LEFT,
    TEXT_RIGHT,
    TEXT_WIDTH,
    TITLE_RIGHT,
)

#: the template's own timestamp, so rebuilding it gives the same file
TEMPLATE_TIMESTAMP = dt.datetime(2025, 1, 1)
_KEEP_STYLES = {
    "Normal",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "Footer",
    "FooterChar",
    "Header",
    "HeaderChar",
}
_DROP_RELTYPES = ("stylesWithEffects", "customXml", "thumbnail")


@dataclass(frozen=True)
class ParaStyle:
    """A paragraph style: its font and paragraph settings (lengths in twips, spacing in points)."""

    name: str
    bold: bool = False
    italic: bool = False
    size: float = 0  #: points; 0 keeps Normal's
    color: str = ""
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.LEFT
    before: float = 0
    after: float = 0
    left: int = 0
    right: int = 0
    first_line: int = 0  #: negative for a hanging indent
    tab: int = 0
    right_tab: int = 0  #: a right-aligned tab stop (the symbol at the end of the masthead's first line)
    keep_next: bool = False
    rule_below: bool = False
    line: float = 0  #: least line height in points; 0 keeps single spacing


JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
RIGHT = WD_ALIGN_PARAGRAPH.RIGHT
#: the UN text column: 10 pt on lines of at least 12 pt, 6 pt between paragraphs
UN = {"size": 10, "line": 12, "left": TEXT_LEFT, "right": TEXT_RIGHT}
NUMBERED = TEXT_LEFT + 2 * INDENT  # where the text after "5." or "(a)" starts
PARA_STYLES = [
    ParaStyle("Drafter Symbol", bold=True, size=14, align=RIGHT, after=6, rule_below=True),
    ParaStyle("Drafter Label", bold=True, align=RIGHT, before=6),
    ParaStyle("Drafter Date", align=RIGHT),
    ParaStyle("Drafter Title", bold=True, size=14, before=24, after=6, keep_next=True),
    ParaStyle("Drafter Subtitle", italic=True, after=6, keep_next=True),
    ParaStyle("Drafter Heading", bold=True, before=6, after=6, keep_next=True, **UN),
    ParaStyle("Drafter Preambular", align=JUSTIFY, after=6, first_line=INDENT, **UN),
    ParaStyle("Drafter Operative", align=JUSTIFY, after=6, first_line=INDENT, tab=NUMBERED, **UN),
    ParaStyle("Drafter Subparagraph", align=JUSTIFY, after=6, first_line=INDENT, tab=NUMBERED, **UN),
    ParaStyle(
        "Drafter Base",
        align=JUSTIFY,
        before=12,
        after=3,
        left=3 * CM,
        right=CM,
        first_line=-2 * CM,
        tab=3 * CM,
    ),
    # keep-with-next is set paragraph by paragraph (drafter/word/compilation.py), never by these styles
    ParaStyle("Drafter Attribution", bold=True, before=6, left=3 * CM, right=CM),
    ParaStyle("Drafter Proposal", align=JUSTIFY, after=3, left=3 * CM, right=CM),
    ParaStyle("Drafter Note", italic=True, size=10, color="595959", after=3, left=3 * CM, right=CM),
    # the UN masthead of clean and tracked files
    ParaStyle(
        "Drafter Masthead", size=14, left=TEXT_LEFT, right_tab=TEXT_WIDTH, after=4, keep_next=True, rule_below=True
    ),
    ParaStyle("Drafter Organ", size=10, left=TEXT_LEFT, tab=RIGHT_BLOCK, keep_next=True),
    ParaStyle("Drafter Issue", size=10, left=RIGHT_BLOCK, keep_next=True),
    ParaStyle("Drafter Language", size=10, left=RIGHT_BLOCK, before=12, keep_next=True),
    # short lines, no right indent: the first of them carries the thick rule across the page
    ParaStyle("Drafter Session", bold=True, size=10, keep_next=True),
    ParaStyle("Drafter Committee", bold=True, size=12, keep_next=True),
    ParaStyle("Drafter Agenda", size=10, keep_next=True),
    ParaStyle("Drafter Agenda Title", bold=True, size=10, right=LEFT_BLOCK_RIGHT, keep_next=True),
    ParaStyle("Drafter Sponsor", bold=True, before=18, keep_next=True, **UN),
    ParaStyle(
        "Drafter Document Title", bold=True, size=12, before=12, left=TEXT_LEFT, right=TITLE_RIGHT, keep_next=True
    ),
    ParaStyle("Drafter Chapeau", before=12, after=6, first_line=INDENT, keep_next=True, **UN),
    ParaStyle("Drafter Masthead Note", size=8.5, before=6, left=TEXT_LEFT, right=TEXT_RIGHT, keep_next=True),
    # the mark hangs just before the text column, the text after a tab at the column
    ParaStyle("Drafter Footnote Text", size=8.5, left=TEXT_LEFT, right=TEXT_RIGHT, first_line=-180, tab=TEXT_LEFT),
    ParaStyle("Drafter First Header", size=9, align=RIGHT),
    ParaStyle("Drafter Running Header", bold=True, size=8.5, rule_below=True),
    ParaStyle("Drafter Page Footer", bold=True, size=8.5),
]


def _trim(document: Document) -> None:
    """Drop the parts and styles no export uses (python-docx's template carries 160 styles)."""
    for rels in (document.part.rels, document.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in _DROP_RELTYPES:
                del rels[rid]
    root = document.styles.element
    for style in root.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEEP_STYLES:
            root.remove(style)
    settings = document.settings.element
    for tag in ("w:rsids", "w:attachedTemplate"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    tab_stop = settings.find(qn("w:defaultTabStop"))
    if tab_stop is not None:
        tab_stop.set(qn("w:val"), str(CM))


def _add_paragraph_style(document: Document, spec: ParaStyle) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    font = style.font
    font.bold = font.cs_bold = spec.bold or None
    font.italic = font.cs_italic = spec.italic or None
    if spec.size:
        font.size = Pt(spec.size)
        ooxml.set_complex_script_size(style.element.get_or_add_rPr(), int(spec.size * 2))
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)
    pf = style.paragraph_format
    pf.alignment = spec.align
    pf.space_before, pf.space_after = Pt(spec.before), Pt(spec.after)
    pf.left_indent, pf.right_indent = Twips(spec.left), Twips(spec.right)
    pf.first_line_indent = Twips(spec.first_line)
    pf.keep_with_next = spec.keep_next or None
    pf.widow_control = True
    if spec.line:
        pf.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        pf.line_spacing = Pt(spec.line)
    if spec.right_tab:
        pf.tab_stops.add_tab_stop(Twips(spec.right_tab), WD_TAB_ALIGNMENT.RIGHT)
    if spec.tab:
        pf.tab_stops.add_tab_stop(Twips(spec.tab))
    if spec.rule_below:
        ooxml.set_bottom_border(style.element.get_or_add_pPr())


def _add_styles(document: Document) -> None:
    ooxml.set_doc_defaults(
        document.styles.element, font=styles.FONT, east_asian_font=styles.EAST_ASIAN_FONT, size=styles.SIZE
    )
    for spec in PARA_STYLES:
        _add_paragraph_style(document, spec)
    status = document.styles.add_style("Drafter Status", WD_STYLE_TYPE.CHARACTER)
    status.font.size = Pt(9)
    status.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    reference = document.styles.add_style("Drafter Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    reference.font.superscript = True
    document.styles["Footer"].font.size = Pt(10)


def _page_setup(document: Document) -> None:
    """A4 with 2.5 cm margins and the page number centred in the footer."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(25)
    section.header_distance = section.footer_distance = Mm(12.5)
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for r in ooxml.page_number_field():
        footer._p.append(r)


def build_template() -> Document:
    """Return the house template as a document with an empty body."""
    document = docx.Document()
    _trim(document)
    _add_styles(document)
    _page_setup(document)
    operative = ooxml.abstract_num(styles.LIST_ABSTRACT_ID, "5D7A1C01", styles.LEVELS)
    loose = ooxml.abstract_num(styles.LOOSE_ABSTRACT_ID, "5D7A1C02", styles.LOOSE_LEVELS)
    num_id = ooxml.replace_numbering(document.part.numbering_part.element, operative, loose)
    assert num_id == styles.LIST_NUM_ID
    return document


def main() -> None:
    """Write ``template.docx`` beside this module."""
    data = save_docx(build_template(), timestamp=TEMPLATE_TIMESTAMP)
    styles.TEMPLATE.write_bytes(data)
    print(f"wrote {styles.TEMPLATE} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
