"""House layout shared by the writers: style ids, list levels, the template, the title block.

The styles themselves live in ``template.docx``, built by ``build_template.py`` from the
constants here; the writers refer to them by id. Lengths are in twips (567 to the centimetre,
1440 to the inch).

Clean and tracked files are laid out as the UN prints its New York documents (measured on the
official A/C.2/80/L.58): Times New Roman 10 pt on lines of at least 12 pt, 6 pt after each
paragraph, in a text column set in 0.88 in from both margins; first lines indented 0.33 in,
the number of an operative paragraph or subparagraph standing there with its text at 0.66 in.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from drafter.text.numbering import printed_number
from drafter.text.structure import Kind
from drafter.word.model import DocParagraph
from drafter.word.ooxml import Level

TEMPLATE = Path(__file__).with_name("template.docx")

CM = 567  #: twips in a centimetre (rounded, as Word does)
FONT = "Times New Roman"
EAST_ASIAN_FONT = "SimSun"  # the usual font of UN Chinese documents; viewers substitute when absent
SIZE = 24  #: default text size in half-points (12 pt; the compilation's)

# The UN page (twips). Both papers keep the same 9,840-twip text area, so every position below
# holds on either: Letter with 1,200-twip side margins, A4 with 1,033.
TEXT_WIDTH = 9840  #: between the page margins
TEXT_LEFT = 1267  #: the text column starts 0.88 in inside the left margin ...
TEXT_RIGHT = 1267  #: ... and ends 0.88 in inside the right one
INDENT = 475  #: first-line indent, 0.33 in; a number's text starts at twice that
RIGHT_BLOCK = 6740  #: where "Distr.: Limited", the date and "Original: English" start
LEFT_BLOCK_RIGHT = 4700  #: the session, committee and agenda item wrap this far from the right margin
TITLE_RIGHT = 2270  #: the title wraps this far from the right margin, before the text column ends
#: (page width, page height, side margin) of each paper
PAPER_SIZES = {"letter": (12240, 15840, 1200), "a4": (11906, 16838, 1033)}
TOP_MARGIN, BOTTOM_MARGIN = 1440, 1040
HEADER_DISTANCE, FOOTER_DISTANCE = 1000, 640
EMBLEM_HEIGHT = 660  #: the emblem beside the organ's name, 0.46 in high ...
EMBLEM_MAX_WIDTH = 1150  #: ... and at most this wide, to stay clear of the text column

# Paragraph style ids (the names in Word are "Drafter Title" and so on).
SYMBOL = "DrafterSymbol"
LABEL = "DrafterLabel"
DATE = "DrafterDate"
TITLE = "DrafterTitle"
SUBTITLE = "DrafterSubtitle"
HEADING = "DrafterHeading"
PREAMBULAR = "DrafterPreambular"
OPERATIVE = "DrafterOperative"
SUBPARAGRAPH = "DrafterSubparagraph"
BASE = "DrafterBase"  #: a base paragraph in a compilation, its label printed as text
ATTRIBUTION = "DrafterAttribution"
PROPOSAL = "DrafterProposal"
NOTE = "DrafterNote"
STATUS = "DrafterStatus"  #: character style of the "[agreed ad ref]" suffix
# The UN masthead of clean and tracked files, line by line.
MASTHEAD = "DrafterMasthead"  #: "United Nations" and the symbol, over a thin rule
ORGAN = "DrafterOrgan"  #: "General Assembly", with "Distr.: Limited" after a tab
ISSUE = "DrafterIssue"  #: a line of the right block: the distribution, the date
LANGUAGE = "DrafterLanguage"  #: "Original: English", a line below the date
SESSION = "DrafterSession"  #: "Eightieth session"
COMMITTEE = "DrafterCommittee"  #: "Second Committee"
AGENDA = "DrafterAgenda"  #: "Agenda item 15"
AGENDA_TITLE = "DrafterAgendaTitle"  #: the agenda item's title
SPONSOR = "DrafterSponsor"  #: "Draft resolution submitted by ..."
DOCUMENT_TITLE = "DrafterDocumentTitle"  #: the document's title
CHAPEAU = "DrafterChapeau"  #: "The General Assembly,"
MASTHEAD_NOTE = "DrafterMastheadNote"  #: a star note printed under the masthead (no sponsor line to carry it)
FOOTNOTE_TEXT = "DrafterFootnoteText"
FOOTNOTE_REFERENCE = "DrafterFootnoteReference"  #: character style of a footnote's mark
FIRST_HEADER = "DrafterFirstHeader"  #: what the file is ("Rev.1", "Changes against ..."), above the masthead
RUNNING_HEADER = "DrafterRunningHeader"  #: the symbol at the top of every page after the first
PAGE_FOOTER = "DrafterPageFooter"  #: "2/18"
RULE_SIZE = 12  #: the rule between the masthead and the session, in eighths of a point

STYLE_OF_KIND = {
    Kind.HEADING: HEADING,
    Kind.PREAMBULAR: PREAMBULAR,
    Kind.OPERATIVE: OPERATIVE,
    Kind.SUBPARAGRAPH: SUBPARAGRAPH,
}

# The operative list: 1. / (a) / (i), the label on a first-line indent and continuation lines
# back at the text block's margin, as in UN resolutions. One instance through the document.
LIST_ABSTRACT_ID = 0
LIST_NUM_ID = 1  #: the operative list instance, one through the whole document
MAX_LEVEL = 2
#: As printed: "5." and "(a)" stand on the first-line indent with their text at twice it, lines
#: after the first back at the text column; "(i)" the same, one indent further in.
LEVELS = [
    Level("decimal", "%1.", left=TEXT_LEFT, first_line=INDENT, tab=TEXT_LEFT + 2 * INDENT),
    Level("lowerLetter", "(%2)", left=TEXT_LEFT, first_line=INDENT, tab=TEXT_LEFT + 2 * INDENT),
    Level("lowerRoman", "(%3)", left=TEXT_LEFT + INDENT, first_line=INDENT, tab=TEXT_LEFT + 3 * INDENT),
]
# Subparagraphs under a preambular paragraph, a heading or the start of the text: (a) / (i) at
# levels 0 and 1 of their own abstract list, one instance per parent. Sharing the operative
# list instead made LibreOffice count a phantom "1." before a leading (a), so the first
# operative paragraph printed as "2.".
LOOSE_ABSTRACT_ID = 1
LOOSE_LEVELS = [
    Level("lowerLetter", "(%1)", left=TEXT_LEFT, first_line=INDENT, tab=TEXT_LEFT + 2 * INDENT),
    Level("lowerRoman", "(%2)", left=TEXT_LEFT + INDENT, first_line=INDENT, tab=TEXT_LEFT + 3 * INDENT),
]


@lru_cache(maxsize=1)
def _template_bytes() -> bytes:
    return TEMPLATE.read_bytes()


def new_document() -> Document:
    """Return a fresh document from the house template, its body empty."""
    document = docx.Document(io.BytesIO(_template_bytes()))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    return document


def append(document: Document, p: BaseOxmlElement) -> BaseOxmlElement:
    """Append a paragraph element to the body, before the section properties."""
    body = document.element.body
    # insert_element_before() scans the body's children from the first for w:sectPr, so a
    # document of n paragraphs cost O(n²) (49 s of a 62 s compilation at 20,000 paragraphs).
    # The section properties are the body's last child: look there first.
    last = next(body.iterchildren(reversed=True), None)  # len(body) would count every child
    if last is not None and last.tag == qn("w:sectPr"):
        last.addprevious(p)
    else:
        body.insert_element_before(p, "w:sectPr")
    return p


def printed_label(paragraph: DocParagraph) -> str:
    """Return the number as printed before a paragraph in text: "5.", "12 bis", "(a)"."""
    return printed_number(paragraph.kind, paragraph.number_label)


def level_of(paragraph: DocParagraph) -> int:
    """Return the list level of a subparagraph: 1 for (a), 2 for (i)."""
    return min(max(paragraph.level, 1), MAX_LEVEL)
