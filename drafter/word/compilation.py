"""The compilation: each paragraph of a revision, then every proposal on it, attributed.

First page: the revision's identity as the clean file prints it (``masthead.write_masthead``:
"United Nations" and the symbol, the organ, distribution, date, session, agenda item, sponsor
line), then the title, the revision's label with "Compilation of proposals", and the chapeau.
The page itself stays the compilation's own (A4, page number at the foot).

Layout per entry: the base paragraph with its printed number as text ("12.", "12 bis": the
compilation numbers proposed paragraphs, so Word numbering is not used); then per proposal a
bold attribution line ("G77 and China, supported by Mexico:", with "Delete" or "Retain" after
it for those proposals), the proposal's text, and its note in small italics.

Pages: keep-with-next holds a base paragraph with its first proposal, an attribution with its
text and a heading with what follows, nothing more, so no chain of paragraphs without
proposals can push the text off the first page or leave a page half empty.

Right-to-left text (Arabic, Hebrew ...) is laid out right to left inside the text column: the
paragraph is ``w:bidi`` with its indents mirrored (a bidi paragraph's ``w:left`` is its start,
the right edge), so it never runs into the reference column on the left; runs of right-to-left
script carry ``w:rtl``, runs of left-to-right words inside them keep their own order.

Styles: "formatted" prints insertions bold and underlined and deletions struck through, with no
revision marks. "tracked" writes each proposal's changes as Word revisions whose author is the
proposing delegation, so Word colours each delegation differently. Only the proposal text
paragraphs carry revisions and no paragraph mark is ever tracked, so in the tracked style
"accept all" turns every proposal paragraph into its proposed text and "reject all" into the
base text it was made against (empty for a proposed new paragraph); every other paragraph
(title block, base paragraphs, attributions, notes) reads the same either way.
"""

from __future__ import annotations

import copy
import datetime as dt
import unicodedata
from collections.abc import Sequence
from typing import Literal

from docx.document import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips

from drafter.text import footnotes
from drafter.text.diff import DiffOp, Op
from drafter.text.direction import is_rtl
from drafter.text.emphasis import opening_emphasis
from drafter.text.structure import Kind
from drafter.word import ooxml, styles
from drafter.word.masthead import title_paragraphs, write_masthead
from drafter.word.model import (
    DEFAULT_PAGE,
    PAPERS,
    CompilationEntry,
    CompiledProposal,
    DocHeader,
    DocParagraph,
    PageSetup,
)
from drafter.word.notes import Footnotes, ParagraphNotes, notes_for
from drafter.word.ooxml import Fmt, Revisions
from drafter.word.page import core_title
from drafter.word.runs import Track, write_ops, write_text

Style = Literal["formatted", "tracked"]
KIND_TAGS = {"delete": "Delete", "retain": "Retain"}
NEW_PARAGRAPH = "[New paragraph proposed]"
#: the compilation's columns (twips from the margins): references on the left, the text beside them
TEXT_START, TEXT_END = 3 * styles.CM, styles.CM
#: paragraph properties that follow ``w:ind`` in ``w:pPr`` (CT_PPrBase order)
_AFTER_IND = ("w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection")
_AFTER_IND += ("w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr")
_AFTER_IND += ("w:sectPr", "w:pPrChange")
_AFTER_TABS = ("w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct")
_AFTER_TABS += ("w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind")
_AFTER_TABS += _AFTER_IND


def proposal_ops(proposal: CompiledProposal, base: DocParagraph) -> list[DiffOp]:
    """Return the ops a proposal prints: its own, or the whole base text for delete and retain."""
    if proposal.kind == "retain":
        return [DiffOp(Op.EQUAL, base.text)] if base.text else []
    if proposal.kind == "delete" and not any(o.op is Op.DELETE for o in proposal.ops):
        return [DiffOp(Op.DELETE, base.text)] if base.text else []
    return [o for o in proposal.ops if o.text]


def without_outcome(outcome: str, decision: str) -> str:
    """Return the co-facilitators' note without a repeat of the outcome it follows.

    "Not retained" and "Not retained: overtaken by OP4" give "overtaken by OP4".
    """
    decision = decision.strip()
    outcome = outcome.strip()
    if outcome and decision.casefold().startswith(outcome.casefold()):
        rest = decision[len(outcome) :]
        if not rest or not rest[0].isalnum():
            return rest.lstrip(" :.;,-\u2013\u2014").strip()
    return decision


def proposal_note(justification: str, outcome: str = "", decision: str = "") -> str:
    """Return the note printed under a proposal: its justification, then "[Outcome: the decision]"."""
    note = justification.strip()
    if outcome.strip():
        decision = without_outcome(outcome, decision)
        note = (note + " " if note else "") + f"[{outcome.strip()}" + (f": {decision}" if decision else "") + "]"
    return note


def _italic_new(ops: Sequence[DiffOp], base: DocParagraph) -> int:
    """Return the italic opening of the proposed text: the base's while the proposal leaves it
    untouched, else the opening words of the new text (a new paragraph's own)."""
    if base.italic_chars and ops and ops[0].op is Op.EQUAL and len(ops[0].text) >= base.italic_chars:
        return base.italic_chars
    new = "".join(o.text for o in ops if o.op is not Op.DELETE)
    return opening_emphasis(new, base.kind)


def _mirror(p: BaseOxmlElement) -> None:
    """Keep a right-to-left paragraph inside the text column: its start (``w:left``) is the
    column's right edge, its end the reference column's; no hanging label at the start."""
    ind = OxmlElement("w:ind")
    for name, value in (("left", TEXT_END), ("right", TEXT_START), ("hanging", 0)):
        ind.set(qn(f"w:{name}"), str(value))
    p.find(qn("w:pPr")).insert_element_before(ind, *_AFTER_IND)


def _indent(p: BaseOxmlElement, *, left: int) -> None:
    ind = OxmlElement("w:ind")
    ind.set(qn("w:left"), str(left))
    p.find(qn("w:pPr")).insert_element_before(ind, *_AFTER_IND)


def _right_tab(p: BaseOxmlElement, at: int) -> None:
    """Replace the style's right tab stop by one at ``at`` twips."""
    tabs = OxmlElement("w:tabs")
    for val, pos in (("clear", styles.TEXT_WIDTH), ("right", at)):
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), val)
        tab.set(qn("w:pos"), str(pos))
        tabs.append(tab)
    p.find(qn("w:pPr")).insert_element_before(tabs, *_AFTER_TABS)


def _script_pieces(text: str) -> list[tuple[str, bool]]:
    """Split text into (piece, right-to-left) stretches: left-to-right words (with the digits and
    punctuation among them) apart from the rest; spaces at their ends go to the right-to-left side."""
    pieces: list[list] = []
    for ch in text:
        bidi = unicodedata.bidirectional(ch)
        rtl = True if bidi in ("R", "AL") else False if bidi == "L" else None
        if not pieces or (rtl is not None and pieces[-1][1] is not None and rtl != pieces[-1][1]):
            pieces.append([ch, rtl])
        else:
            pieces[-1][0] += ch
            if pieces[-1][1] is None:
                pieces[-1][1] = rtl
    out: list[tuple[str, bool]] = []
    carry = ""
    for text_, rtl in pieces:
        text_ = carry + text_
        carry = ""
        if rtl is False:
            stripped = text_.strip()
            lead = text_[: len(text_) - len(text_.lstrip())]
            carry = text_[len(text_.rstrip()) :]
            if lead:
                out.append((lead, True))
            out.append((stripped, False))
        else:
            out.append((text_, True))
    if carry:
        out.append((carry, True))
    return [(t, rtl) for t, rtl in out if t]


def _mark_scripts(p: BaseOxmlElement) -> None:
    """In a right-to-left paragraph, take ``w:rtl`` off the runs of left-to-right words (split
    out of mixed runs), so that English inside Arabic reads in its own order."""
    for r in list(p.iter(qn("w:r"))):
        texts = [t for t in r if t.tag in (qn("w:t"), qn("w:delText"))]
        if len(texts) != 1 or len(r) > 2:
            continue  # tabs, breaks and field runs stay as they are
        pieces = _script_pieces(texts[0].text or "")
        if all(rtl for _, rtl in pieces):
            continue
        for text, rtl in pieces:
            piece = copy.deepcopy(r)
            piece_text = piece.find(texts[0].tag)
            piece_text.text = text
            rpr = piece.find(qn("w:rPr"))
            if not rtl and rpr is not None:
                for mark in rpr.findall(qn("w:rtl")):
                    rpr.remove(mark)
            r.addprevious(piece)
        r.getparent().remove(r)


def _paragraph(style: str, text: str, *, keep_next: bool = False) -> tuple[BaseOxmlElement, bool]:
    """Return an empty paragraph of the compilation's column, right to left when ``text`` is."""
    rtl = is_rtl(text)
    p = ooxml.paragraph(style, rtl=rtl, keep_next=keep_next)
    if rtl:
        _mirror(p)
    return p, rtl


def _append(document: Document, p: BaseOxmlElement, rtl: bool) -> None:
    if rtl:
        _mark_scripts(p)
    styles.append(document, p)


def _base_paragraph(document: Document, entry: CompilationEntry, notes: Footnotes) -> dict[int, int]:
    """Write the base paragraph; return its footnotes' numbers as Word prints them, by marker id."""
    para = entry.paragraph
    first = notes.numbered_count + 1
    numbers = {note_id: first + i for i, note_id in enumerate(dict.fromkeys(footnotes.ids_in(para.text)))}
    # a base paragraph stays with its first proposal, a heading with what follows; nothing else chains
    keep = bool(entry.proposals) or para.kind is Kind.HEADING
    p, rtl = _paragraph(styles.BASE, para.text, keep_next=keep)
    p.append(ooxml.run(styles.printed_label(para) + "\t", Fmt(bold=True)))
    if entry.is_new and not para.text:
        p.append(ooxml.run(NEW_PARAGRAPH, Fmt(italic=True, rtl=rtl)))
    else:
        write_text(
            p,
            para.text,
            italic_chars=para.italic_chars,
            fmt=Fmt(rtl=rtl, bold=para.kind is Kind.HEADING),
            notes=notes_for(notes, None, para.footnotes),
        )
    _append(document, p, rtl)
    return numbers


def _attribution(document: Document, proposal: CompiledProposal) -> None:
    text = proposal.attribution.strip().rstrip(":")
    p, rtl = _paragraph(styles.ATTRIBUTION, text, keep_next=True)
    p.append(ooxml.run(f"{text}:", Fmt(rtl=rtl)))
    tag = KIND_TAGS.get(proposal.kind)
    if tag:
        p.append(ooxml.run(" ", Fmt(rtl=rtl)))
        p.append(ooxml.run(tag, Fmt(italic=True, rtl=rtl)))
    _append(document, p, rtl)


def _proposal(
    document: Document,
    proposal: CompiledProposal,
    base: DocParagraph,
    track: Track | None,
    notes: ParagraphNotes | None = None,
) -> None:
    ops = proposal_ops(proposal, base)
    p, rtl = _paragraph(styles.PROPOSAL, "".join(o.text for o in ops))
    write_ops(
        p,
        ops,
        italic_old=base.italic_chars,
        italic_new=_italic_new(ops, base),
        fmt=Fmt(rtl=rtl),
        track=track,
        notes=notes,
    )
    _append(document, p, rtl)
    note_text = proposal.note.strip()
    if note_text:
        note, rtl = _paragraph(styles.NOTE, note_text)
        note.append(ooxml.run(note_text, Fmt(rtl=rtl)))
        _append(document, note, rtl)


def write_title_page(document: Document, header: DocHeader, notes: Footnotes) -> None:
    """Append the revision's identity: the masthead, the title, "Rev.1  Compilation of proposals", the chapeau."""
    lines = write_masthead(document, header, notes)
    section = document.sections[0]
    width = int((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU to twips
    for p in lines:  # the symbol's tab stands at the UN text width: bring it to this page's
        if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == styles.MASTHEAD:
            _right_tab(p, width)
    by_style = dict(title_paragraphs(header))
    title = by_style.get(styles.DOCUMENT_TITLE)
    if title is not None:
        p = ooxml.paragraph(styles.DOCUMENT_TITLE, rtl=is_rtl(title.text))
        p.append(ooxml.run(title.text, Fmt(rtl=is_rtl(title.text))))
        styles.append(document, p)
    label, subtitle = ooxml.xml_safe(header.label).strip(), ooxml.xml_safe(header.subtitle).strip()
    if label or subtitle:
        p = ooxml.paragraph(styles.SUBTITLE)
        _indent(p, left=styles.TEXT_LEFT)
        if label:
            p.append(ooxml.run(label, Fmt(bold=True)))
        if subtitle:
            p.append(ooxml.run(("\u2002" if label else "") + subtitle, Fmt(italic=True)))
        styles.append(document, p)
    chapeau = by_style.get(styles.CHAPEAU)
    if chapeau is not None:
        p = ooxml.paragraph(styles.CHAPEAU, rtl=is_rtl(chapeau.text))
        write_text(p, chapeau.text, italic_chars=chapeau.italic_chars, fmt=Fmt(rtl=is_rtl(chapeau.text)))
        styles.append(document, p)


def write_compilation(
    header: DocHeader, entries: Sequence[CompilationEntry], *, style: Style, page: PageSetup = DEFAULT_PAGE
) -> Document:
    """Return the compilation of proposals as a Word document, formatted or with revisions, on
    the paper the clean and tracked files use (its own margins: the reference column)."""
    if style not in ("formatted", "tracked"):
        raise ValueError(f"unknown compilation style {style!r}")
    document = styles.new_document()
    width, height, _ = styles.PAPER_SIZES[page.paper if page.paper in PAPERS else "letter"]
    document.sections[0].page_width, document.sections[0].page_height = Twips(width), Twips(height)
    document.core_properties.title = core_title(header)  # a revision's own title may pass 255 characters
    notes = Footnotes()
    write_title_page(document, header, notes)
    revisions = Revisions()
    fallback_date = dt.datetime.combine(header.date, dt.time(), tzinfo=dt.UTC)
    if style == "tracked":
        ooxml.set_track_revisions(document.settings.element)
    for entry in entries:
        numbers = _base_paragraph(document, entry, notes)
        for proposal in entry.proposals:
            _attribution(document, proposal)
            track = None
            if style == "tracked":
                author = proposal.author.strip() or proposal.attribution.strip() or "Unknown delegation"
                track = Track(revisions, author, proposal.date or fallback_date)
            own = notes_for(notes, entry.paragraph.footnotes, proposal.footnotes or entry.paragraph.footnotes, numbers)
            _proposal(document, proposal, entry.paragraph, track, own)
    notes.write(document)
    return document
