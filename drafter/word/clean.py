"""The clean export: one revision as a UN draft, operative paragraphs numbered by Word.

Laid out as the UN prints it (``page``, ``masthead``): the masthead, the title and the chapeau,
then each paragraph.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document
from docx.oxml.xmlchemy import BaseOxmlElement

from drafter.text.direction import is_rtl
from drafter.text.structure import Kind
from drafter.word import ooxml, styles
from drafter.word.lists import Lists, Parents
from drafter.word.masthead import title_paragraphs
from drafter.word.model import DEFAULT_PAGE, DocHeader, DocParagraph, PageSetup
from drafter.word.notes import notes_for
from drafter.word.ooxml import Fmt
from drafter.word.page import new_un_document
from drafter.word.runs import write_text


def body_paragraph(p: DocParagraph, num: tuple[int, int] | None) -> BaseOxmlElement:
    """Return an empty paragraph element styled for ``p``: style, list membership, direction."""
    return ooxml.paragraph(styles.STYLE_OF_KIND[p.kind], rtl=is_rtl(p.text), num=num, keep_next=p.kind is Kind.HEADING)


def write_clean(
    header: DocHeader, paragraphs: Sequence[DocParagraph], *, show_status: bool = False, page: PageSetup = DEFAULT_PAGE
) -> Document:
    """Return the revision as a Word document: masthead, title and chapeau, then each paragraph.

    Number labels of operative paragraphs and subparagraphs are not written as text: Word's
    automatic numbering prints them (``lists.auto_labels`` gives the same labels).
    """
    document, _, notes = new_un_document(header, page)
    for style, para in title_paragraphs(header):
        p = ooxml.paragraph(style, rtl=is_rtl(para.text))
        write_text(p, para.text, italic_chars=para.italic_chars, fmt=Fmt(rtl=is_rtl(para.text)))
        styles.append(document, p)
    lists, parents = Lists(document), Parents()
    for i, para in enumerate(paragraphs):
        p = body_paragraph(para, lists.num(para, parents.see(para, i)))
        rtl = is_rtl(para.text)
        write_text(
            p, para.text, italic_chars=para.italic_chars, fmt=Fmt(rtl=rtl), notes=notes_for(notes, None, para.footnotes)
        )
        if show_status and para.status:
            p.append(ooxml.run(" ", Fmt(rtl=rtl)))
            p.append(ooxml.run(f"[{para.status}]", Fmt(style=styles.STATUS, rtl=rtl)))
        styles.append(document, p)
    notes.write(document)
    return document
