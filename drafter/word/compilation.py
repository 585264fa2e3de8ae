"""The compilation: each paragraph of a revision, then every proposal on it, attributed.

Layout per entry: the base paragraph with its printed number as text ("12.", "12 bis": the
compilation numbers proposed paragraphs, so Word numbering is not used); then per proposal a
bold attribution line ("G77 and China, supported by Mexico:", with "Delete" or "Retain" after
it for those proposals), the proposal's text, and its note in small italics.

Styles: "formatted" prints insertions bold and underlined and deletions struck through, with no
revision marks. "tracked" writes each proposal's changes as Word revisions whose author is the
proposing delegation, so Word colours each delegation differently. Only the proposal text
paragraphs carry revisions and no paragraph mark is ever tracked, so in the tracked style
"accept all" turns every proposal paragraph into its proposed text and "reject all" into the
base text it was made against (empty for a proposed new paragraph); every other paragraph
(title block, base paragraphs, attributions, notes) reads the same either way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from docx.document import Document

from drafter.text.diff import DiffOp, Op
from drafter.text.direction import is_rtl
from drafter.text.structure import Kind
from drafter.word import ooxml, styles
from drafter.word.model import CompilationEntry, CompiledProposal, DocHeader, DocParagraph
from drafter.word.ooxml import Fmt, Revisions
from drafter.word.page import core_title
from drafter.word.runs import Track, write_ops, write_text

Style = Literal["formatted", "tracked"]
KIND_TAGS = {"delete": "Delete", "retain": "Retain"}
NEW_PARAGRAPH = "[New paragraph proposed]"


def proposal_ops(proposal: CompiledProposal, base: DocParagraph) -> list[DiffOp]:
    """Return the ops a proposal prints: its own, or the whole base text for delete and retain."""
    if proposal.kind == "retain":
        return [DiffOp(Op.EQUAL, base.text)] if base.text else []
    if proposal.kind == "delete" and not any(o.op is Op.DELETE for o in proposal.ops):
        return [DiffOp(Op.DELETE, base.text)] if base.text else []
    return [o for o in proposal.ops if o.text]


def _italic_new(ops: Sequence[DiffOp], italic_chars: int) -> int:
    # The proposed text keeps the italic opening only when the proposal leaves it untouched.
    return italic_chars if ops and ops[0].op is Op.EQUAL and len(ops[0].text) >= italic_chars else 0


def _base_paragraph(document: Document, entry: CompilationEntry) -> None:
    para = entry.paragraph
    rtl = is_rtl(para.text)
    p = ooxml.paragraph(styles.BASE, rtl=rtl, keep_next=True)
    p.append(ooxml.run(styles.printed_label(para) + "\t", Fmt(bold=True, rtl=rtl)))
    if entry.is_new and not para.text:
        p.append(ooxml.run(NEW_PARAGRAPH, Fmt(italic=True, rtl=rtl)))
    else:
        write_text(p, para.text, italic_chars=para.italic_chars, fmt=Fmt(rtl=rtl, bold=para.kind is Kind.HEADING))
    styles.append(document, p)


def _attribution(document: Document, proposal: CompiledProposal) -> None:
    text = proposal.attribution.strip().rstrip(":")
    rtl = is_rtl(text)
    p = ooxml.paragraph(styles.ATTRIBUTION, rtl=rtl, keep_next=True)
    p.append(ooxml.run(f"{text}:", Fmt(rtl=rtl)))
    tag = KIND_TAGS.get(proposal.kind)
    if tag:
        p.append(ooxml.run(" ", Fmt(rtl=rtl)))
        p.append(ooxml.run(tag, Fmt(italic=True, rtl=rtl)))
    styles.append(document, p)


def _proposal(document: Document, proposal: CompiledProposal, base: DocParagraph, track: Track | None) -> None:
    ops = proposal_ops(proposal, base)
    text = "".join(o.text for o in ops)
    rtl = is_rtl(text)
    p = ooxml.paragraph(styles.PROPOSAL, rtl=rtl)
    write_ops(
        p,
        ops,
        italic_old=base.italic_chars,
        italic_new=_italic_new(ops, base.italic_chars),
        fmt=Fmt(rtl=rtl),
        track=track,
    )
    styles.append(document, p)
    if proposal.note.strip():
        note = ooxml.paragraph(styles.NOTE, rtl=is_rtl(proposal.note))
        note.append(ooxml.run(proposal.note.strip(), Fmt(rtl=is_rtl(proposal.note))))
        styles.append(document, note)


def write_compilation(header: DocHeader, entries: Sequence[CompilationEntry], *, style: Style) -> Document:
    """Return the compilation of proposals as a Word document, formatted or with revisions."""
    if style not in ("formatted", "tracked"):
        raise ValueError(f"unknown compilation style {style!r}")
    document = styles.new_document()
    document.core_properties.title = core_title(header)  # a revision's own title may pass 255 characters
    styles.write_title_block(document, header)
    revisions = Revisions()
    fallback_date = dt.datetime.combine(header.date, dt.time(), tzinfo=dt.UTC)
    if style == "tracked":
        ooxml.set_track_revisions(document.settings.element)
    for entry in entries:
        _base_paragraph(document, entry)
        for proposal in entry.proposals:
            _attribution(document, proposal)
            track = None
            if style == "tracked":
                author = proposal.author.strip() or proposal.attribution.strip() or "Unknown delegation"
                track = Track(revisions, author, proposal.date or fallback_date)
            _proposal(document, proposal, entry.paragraph, track)
    return document
