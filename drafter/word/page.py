"""The pages of clean and tracked files: paper, margins, running headers and footers, footnotes, emblem.

As the UN prints them: nothing above the masthead on the first page but what the file is
("Rev.1", "Changes against Zero draft"); from the second page the symbol over a rule, on the
left of even pages and the right of odd ones, and "2/18" at the foot on the same side (PAGE and
NUMPAGES fields, which Word and LibreOffice fill in). Nothing here may fail an export: an
emblem that cannot be read is left out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips

from drafter.word import ooxml, styles
from drafter.word.masthead import write_masthead
from drafter.word.model import PAPERS, DocHeader, PageSetup
from drafter.word.notes import Footnotes
from drafter.word.ooxml import Fmt

CORE_TITLE_MAX = 255  #: python-docx refuses a longer core property
#: the largest emblem file embedded; a bigger one is left out rather than copied into every export
EMBLEM_MAX_BYTES = 2 * 1024 * 1024


def new_un_document(header: DocHeader, page: PageSetup) -> tuple[Document, list[BaseOxmlElement], Footnotes]:
    """Return a fresh document laid out as the UN prints it, with its masthead down to the
    sponsor line written; the masthead's paragraphs; and the document's footnotes so far
    (write them with ``Footnotes.write`` once every paragraph is in)."""
    document = styles.new_document()
    document.core_properties.title = core_title(header)
    set_up_pages(document, header, page)
    notes = Footnotes()
    lines = write_masthead(document, header, notes, emblem=emblem_run(document, page.emblem))
    return document, lines, notes


def core_title(header: DocHeader) -> str:
    """Return the title for the file's properties: the document's, cut to the 255 characters they hold."""
    return ooxml.xml_safe(header.title)[:CORE_TITLE_MAX]


def set_up_pages(document: Document, header: DocHeader, page: PageSetup) -> None:
    """Set the paper, margins, the first page's header and the running headers and footers."""
    width, height, side = styles.PAPER_SIZES[page.paper if page.paper in PAPERS else "letter"]
    section = document.sections[0]
    section.page_width, section.page_height = Twips(width), Twips(height)
    section.left_margin = section.right_margin = Twips(side)
    section.top_margin, section.bottom_margin = Twips(styles.TOP_MARGIN), Twips(styles.BOTTOM_MARGIN)
    section.header_distance, section.footer_distance = Twips(styles.HEADER_DISTANCE), Twips(styles.FOOTER_DISTANCE)
    section.different_first_page_header_footer = True
    document.settings.odd_and_even_pages_header_footer = True

    running = ooxml.xml_safe(header.symbol).strip() or ooxml.xml_safe(header.label).strip()
    for part, align in ((section.header, "right"), (section.even_page_header, "left")):
        p = ooxml.paragraph(styles.RUNNING_HEADER, align=align)
        if running:
            p.append(ooxml.run(running))
        _fill(part, [p])
    for part, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = ooxml.paragraph(styles.PAGE_FOOTER, align=align)
        for r in [*ooxml.field("PAGE"), ooxml.run("/"), *ooxml.field("NUMPAGES")]:
            p.append(r)
        _fill(part, [p])
    first = ooxml.paragraph(styles.FIRST_HEADER, align="right")
    label, subtitle = ooxml.xml_safe(header.label).strip(), ooxml.xml_safe(header.subtitle).strip()
    if label:
        first.append(ooxml.run(label, Fmt(bold=True)))
    if subtitle:
        first.append(ooxml.run(("\u2002" if label else "") + subtitle, Fmt(italic=True)))
    _fill(section.first_page_header, [first])
    _fill(section.first_page_footer, [ooxml.paragraph(styles.PAGE_FOOTER)])


def _fill(part: object, paragraphs: Sequence[BaseOxmlElement]) -> None:
    """Replace the content of a header or footer with ``paragraphs``."""
    part.is_linked_to_previous = False  # type: ignore[attr-defined]
    element = part._element  # type: ignore[attr-defined]
    for child in list(element):
        element.remove(child)
    for p in paragraphs:
        element.append(p)


_ANCHOR = (
    f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0" simplePos="0" '
    'relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="margin"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    "</wp:anchor>"
)


def emblem_run(document: Document, png: bytes | None) -> BaseOxmlElement | None:
    """Return a run holding the emblem, floating at the left margin; None when there is none to show.

    Any file python-docx cannot read as an image (or one too large) gives None: the export goes
    on without it.
    """
    if not png or len(png) > EMBLEM_MAX_BYTES:
        return None
    try:
        inline = document.part.new_pic_inline(io.BytesIO(png), height=Twips(styles.EMBLEM_HEIGHT))
        extent = inline.find(qn("wp:extent"))
        cx, cy = int(extent.get("cx")), int(extent.get("cy"))
    except Exception:  # noqa: BLE001 - an unreadable emblem is left out, whatever the reason
        return None
    if cx <= 0 or cy <= 0:
        return None
    widest = Twips(styles.EMBLEM_MAX_WIDTH)
    if cx > widest:  # keep it clear of the text column, the aspect kept
        cx, cy = int(widest), max(1, int(cy * widest / cx))
        extent.set("cx", str(cx))
        extent.set("cy", str(cy))
    anchor = parse_xml(_ANCHOR)
    anchor.append(extent)
    anchor.append(parse_xml(f'<wp:effectExtent {nsdecls("wp")} l="0" t="0" r="0" b="0"/>'))
    anchor.append(parse_xml(f"<wp:wrapNone {nsdecls('wp')}/>"))
    for tag in ("wp:docPr", "wp:cNvGraphicFramePr", "a:graphic"):
        child = inline.find(qn(tag))
        if child is not None:
            anchor.append(child)
    pic_extent = anchor.find(f".//{qn('a:ext')}")
    if pic_extent is not None:
        pic_extent.set("cx", str(cx))
        pic_extent.set("cy", str(cy))
    r = ooxml.run("")
    drawing = parse_xml(f"<w:drawing {nsdecls('w')}/>")
    drawing.append(anchor)
    r.append(drawing)
    return r
