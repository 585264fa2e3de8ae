"""The "status of negotiations" file: the text as it stands in a reading, in the UN layout.

Laid out like the clean file (``clean``): the masthead, the title and the chapeau, then each
paragraph with its square brackets, who asked for each bracketed passage and who opposed it
after the passage (italic, in parentheses), and the paragraph's status at its end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from docx.document import Document

from drafter.text import brackets
from drafter.text.direction import is_rtl
from drafter.word import ooxml, styles
from drafter.word.clean import body_paragraph
from drafter.word.compilation import _indent
from drafter.word.lists import Lists, Parents
from drafter.word.masthead import title_paragraphs
from drafter.word.model import DEFAULT_PAGE, DocHeader, DocParagraph, PageSetup
from drafter.word.notes import notes_for
from drafter.word.ooxml import Fmt
from drafter.word.page import new_un_document
from drafter.word.runs import write_text


@dataclass(frozen=True, slots=True)
class StatusParagraph:
    """One paragraph of the status file: as printed, the attributions of its passages, its status."""

    paragraph: DocParagraph
    attributions: Sequence[dict[str, Any]] = ()  #: as ``ParagraphVersion.attributions`` keeps them
    status: str = ""  #: "agreed ad ref", "pending", "bracketed" ...; "" for none


def write_status(
    header: DocHeader, paragraphs: Sequence[StatusParagraph], *, page: PageSetup = DEFAULT_PAGE
) -> Document:
    """Return the status of negotiations as a Word document."""
    document, _, notes = new_un_document(header, page)
    for style, para in title_paragraphs(header):
        p = ooxml.paragraph(style, rtl=is_rtl(para.text))
        write_text(p, para.text, italic_chars=para.italic_chars, fmt=Fmt(rtl=is_rtl(para.text)))
        styles.append(document, p)
        if style == styles.DOCUMENT_TITLE and header.subtitle:  # what the file is, under the title
            line = ooxml.paragraph(styles.SUBTITLE)
            _indent(line, left=styles.TEXT_LEFT)  # as the compilation sets its subtitle
            line.append(ooxml.run(ooxml.xml_safe(header.subtitle), Fmt(italic=True)))
            styles.append(document, line)
    lists, parents = Lists(document), Parents()
    for i, row in enumerate(paragraphs):
        para = row.paragraph
        p = body_paragraph(para, lists.num(para, parents.see(para, i)))
        rtl = is_rtl(para.text)
        own = notes_for(notes, None, para.footnotes)
        for words, italic, after in brackets.pieces(para.text, row.attributions, para.italic_chars):
            write_text(p, words, italic_chars=len(words) if italic else 0, fmt=Fmt(rtl=rtl), notes=own)
            if after:
                p.append(ooxml.run(" ", Fmt(rtl=rtl)))
                p.append(ooxml.run(after, Fmt(italic=True, rtl=rtl)))
        if row.status:
            p.append(ooxml.run(" ", Fmt(rtl=rtl)))
            p.append(ooxml.run(f"({row.status})", Fmt(style=styles.STATUS, rtl=rtl)))
        styles.append(document, p)
    notes.write(document)
    return document
