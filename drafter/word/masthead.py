"""The masthead of clean and tracked files, as the UN prints it above a document's first paragraph.

Measured on the official A/C.2/80/L.58::

    United Nations                                   A/C.2/80/L.58    <- over a thin rule
    [emblem] General Assembly          Distr.: Limited
                                       18 November 2025
                                       Original: English
    ================================================================  <- a thick rule
    Eightieth session / Second Committee / Agenda item 15 / its title
             Draft resolution submitted by ...                         <- the sponsor line
             Information and communications technologies ...          <- the title
                 The General Assembly,                                 <- the chapeau

Two columns are set with tab stops, not a table: LibreOffice and the app's own reader then read
each line as one paragraph ("General Assembly<tab>Distr.: Limited"), which the masthead
reader of an import understands. A field left empty prints nothing. The title and the
chapeau are returned apart (``title_paragraphs``): the tracked file compares them like
paragraphs. Star footnotes of the title block become footnotes with their own mark ("*"),
standing where the sponsor line prints the mark.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from drafter.text.direction import is_rtl
from drafter.text.masthead import organ_of, printed_date
from drafter.text.structure import Kind
from drafter.word import ooxml, styles
from drafter.word.model import DocHeader, DocParagraph
from drafter.word.notes import Footnotes
from drafter.word.ooxml import Fmt

#: an organ's name longer than this would run past the right block's tab: the block starts below it
_ORGAN_FITS = 18
_STARS = re.compile(r"(\*+)\s*(.*)", re.DOTALL)
SERIES_SIZE = 40  #: half-points of the symbol's first element ("A"), printed large as the UN does
SYMBOL_SIZE = 20  #: half-points of the rest of the symbol
RULE_SPACE = 48  #: points above the thick rule: the emblem's height and the white the UN leaves under it
ORGAN_FMT = Fmt(bold=True, size=40)  #: "General Assembly" in 20 pt bold; the right block beside it in 10 pt


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a masthead line: text in a format, or the mark of star note ``note``."""

    text: str
    fmt: Fmt = ooxml.PLAIN
    note: int = 0  #: 1-based number of the footnote whose mark this is; 0 for text


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of the masthead."""

    style: str
    pieces: tuple[Piece, ...]
    rule_above: bool = False  #: the thick rule under the masthead's top, above this line

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


@dataclass(frozen=True, slots=True)
class StarNote:
    """A footnote of the title block: its mark ("*") and its text."""

    mark: str
    text: str


def _clean(text: str) -> str:
    return ooxml.xml_safe(text).strip()


def organ(header: DocHeader) -> str:
    """Return the organ the document is of ("General Assembly"), from its symbol or chapeau; "" if neither says."""
    return organ_of(_clean(header.symbol), _clean(header.chapeau))


def star_notes(header: DocHeader) -> list[StarNote]:
    """Return the title block's footnotes, each split into its mark and text."""
    out = []
    for raw in header.footnotes:
        m = _STARS.fullmatch(_clean(raw))
        if m and m.group(2).strip():
            out.append(StarNote(m.group(1), " ".join(m.group(2).split())))
    return out


def _symbol_pieces(symbol: str) -> list[Piece]:
    series, slash, rest = symbol.partition("/")
    if not slash or len(series) > 3:
        return [Piece(symbol, Fmt(size=SYMBOL_SIZE))]
    return [Piece(series, Fmt(size=SERIES_SIZE)), Piece(slash + rest, Fmt(size=SYMBOL_SIZE))]


def _top(header: DocHeader) -> list[Line]:
    """Return "United Nations" and the symbol, the organ and the right block."""
    symbol = _clean(header.symbol)
    lines = [
        Line(styles.MASTHEAD, (Piece("United Nations"), *([Piece("\t"), *_symbol_pieces(symbol)] if symbol else [])))
    ]
    distribution = _clean(header.distribution)
    block = [f"Distr.: {distribution}"] * bool(distribution) + [printed_date(header.date)]
    name = organ(header)
    # only the distribution shares the organ's line: a masthead reader knows "General Assembly Distr.: ..."
    if name and distribution and len(name) <= _ORGAN_FITS:
        lines.append(Line(styles.ORGAN, (Piece(name, ORGAN_FMT), Piece("\t"), Piece(block[0]))))
        block = block[1:]
    elif name:
        lines.append(Line(styles.ORGAN, (Piece(name, ORGAN_FMT),)))
    lines.extend(Line(styles.ISSUE, (Piece(text),)) for text in block)
    if _clean(header.original_language):
        lines.append(Line(styles.LANGUAGE, (Piece(f"Original: {_clean(header.original_language)}"),)))
    return lines


def _left(header: DocHeader) -> list[Line]:
    """Return the session, the committee, the agenda item and its title; the first under the thick rule."""
    agenda = _clean(header.agenda_item)
    fields = [
        (styles.SESSION, _clean(header.session_name)),
        (styles.COMMITTEE, _clean(header.committee)),
        (styles.AGENDA, f"Agenda item {agenda}" if agenda else ""),
        (styles.AGENDA_TITLE, _clean(header.agenda_title)),
    ]
    lines = [(style, text) for style, text in fields if text]
    return [
        Line(style, (Piece(text, Fmt(rtl=is_rtl(text))),), rule_above=i == 0) for i, (style, text) in enumerate(lines)
    ]


def _with_marks(text: str, notes: Sequence[StarNote]) -> tuple[Piece, ...]:
    """Return the sponsor line with each note's mark as a reference where it stands (or at the end)."""
    rtl = is_rtl(text)
    fmt = Fmt(rtl=rtl)
    found: list[tuple[int, int, int]] = []  # (start, end, note number)
    for number, note in enumerate(notes, start=1):
        taken = [range(a, b) for a, b, _ in found]
        for m in re.finditer(rf"(?<!\*){re.escape(note.mark)}(?!\*)", text):
            if not any(m.start() in r for r in taken):
                found.append((m.start(), m.end(), number))
                break
        else:
            found.append((len(text), len(text), number))
    pieces: list[Piece] = []
    at = 0
    for start, end, number in sorted(found):
        if start > at:
            pieces.append(Piece(text[at:start], fmt))
        pieces.append(Piece(notes[number - 1].mark, Fmt(style=styles.FOOTNOTE_REFERENCE), note=number))
        at = max(at, end)
    if at < len(text):
        pieces.append(Piece(text[at:], fmt))
    return tuple(pieces)


def masthead_lines(header: DocHeader) -> list[Line]:
    """Return the masthead's paragraphs down to the sponsor line (the title and chapeau come apart)."""
    lines = _top(header) + _left(header)
    notes = star_notes(header)
    sponsor = "\n".join(x.strip() for x in ooxml.xml_safe(header.sponsor_line).split("\n") if x.strip())
    if sponsor:
        lines.append(Line(styles.SPONSOR, _with_marks(sponsor, notes), rule_above=len(lines) == len(_top(header))))
    else:
        for note in notes:  # nothing to carry their marks: print the notes under the masthead
            text = f"{note.mark} {note.text}"
            lines.append(
                Line(
                    styles.MASTHEAD_NOTE,
                    (Piece(text, Fmt(rtl=is_rtl(text))),),
                    rule_above=len(lines) == len(_top(header)),
                )
            )
    return lines


def chapeau_italics(chapeau: str) -> int:
    """Return how much of the chapeau is italic: all but its closing punctuation ("*The General Assembly*,")."""
    return len(chapeau.rstrip(" ,;:."))


def title_paragraphs(header: DocHeader) -> list[tuple[str, DocParagraph]]:
    """Return (style id, paragraph) of the title and the chapeau, those that are not empty."""
    title, chapeau = " ".join(_clean(header.title).split()), " ".join(_clean(header.chapeau).split())
    out = []
    if title:
        out.append((styles.DOCUMENT_TITLE, DocParagraph(Kind.HEADING, title)))
    if chapeau:
        out.append((styles.CHAPEAU, DocParagraph(Kind.PREAMBULAR, chapeau, italic_chars=chapeau_italics(chapeau))))
    return out


def write_masthead(
    document: Document, header: DocHeader, sink: Footnotes, *, emblem: BaseOxmlElement | None = None
) -> list[BaseOxmlElement]:
    """Append the masthead down to the sponsor line; return its paragraphs. The star notes it
    refers to go into ``sink`` in the order of their references.

    ``emblem`` is a drawing run, placed in the organ's line (or the first line when none).
    """
    notes = star_notes(header)
    out: list[BaseOxmlElement] = []
    for line in masthead_lines(header):
        p = ooxml.paragraph(line.style, rtl=all(piece.fmt.rtl for piece in line.pieces if piece.text.strip()))
        if line.rule_above:
            ppr = p.find(qn("w:pPr"))
            ooxml.set_border(ppr, "top", size=styles.RULE_SIZE, space=6)
            ooxml.set_space_before(ppr, RULE_SPACE)
        if emblem is not None and (line.style == styles.ORGAN or (not out and not organ(header))):
            p.append(emblem)
            emblem = None
        for piece in line.pieces:
            if piece.note:
                note_id = sink.own_mark(notes[piece.note - 1].text)
                p.append(ooxml.footnote_reference(note_id, piece.text, styles.FOOTNOTE_REFERENCE))
            else:
                p.append(ooxml.run(piece.text, piece.fmt))
        out.append(styles.append(document, p))
    return out
