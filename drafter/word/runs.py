"""Paragraph content: text with its italic opening, and word diffs as revisions or as formatting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from docx.oxml.xmlchemy import BaseOxmlElement

from drafter.text import footnotes
from drafter.text.diff import DiffOp, Op, word_diff
from drafter.word import ooxml
from drafter.word.ooxml import Fmt, Revisions

if TYPE_CHECKING:
    from drafter.word.notes import ParagraphNotes

#: how a compilation prints a change without revision marks
FORMATTED_INSERT = Fmt(bold=True, underline=True)
FORMATTED_DELETE = Fmt(strike=True)


@dataclass(frozen=True, slots=True)
class Track:
    """Who and when for the revision marks of one paragraph."""

    revisions: Revisions
    author: str
    date: dt.datetime


def italic_split(ops: Sequence[DiffOp], italic_old: int, italic_new: int) -> Iterator[tuple[Op, str, bool]]:
    """Yield (op, text, italic) pieces: each op cut where its version's italic opening ends.

    Deleted text is measured in the old text, equal and inserted text in the new one.
    """
    pos_old = pos_new = 0
    for o in ops:
        if not o.text:
            continue
        pos, limit = (pos_old, italic_old) if o.op is Op.DELETE else (pos_new, italic_new)
        cut = min(max(limit - pos, 0), len(o.text))
        if cut:
            yield o.op, o.text[:cut], True
        if cut < len(o.text):
            yield o.op, o.text[cut:], False
        if o.op is not Op.INSERT:
            pos_old += len(o.text)
        if o.op is not Op.DELETE:
            pos_new += len(o.text)


def write_text(
    p: BaseOxmlElement, text: str, *, italic_chars: int = 0, fmt: Fmt = ooxml.PLAIN, notes: ParagraphNotes | None = None
) -> None:
    """Append ``text`` to a paragraph, its first ``italic_chars`` characters in italics, its
    footnote markers as references to ``notes`` (left out without them)."""
    write_ops(p, [DiffOp(Op.EQUAL, text)], italic_old=italic_chars, italic_new=italic_chars, fmt=fmt, notes=notes)


def _with_markers(pieces: Iterator[tuple[Op, str, bool]]) -> Iterator[tuple[Op, str, bool, int | None]]:
    """Yield the pieces with each footnote marker apart: (op, "", italic, note id)."""
    for op, text, italic in pieces:
        if not footnotes.has_markers(text):
            yield op, text, italic, None
            continue
        at = 0
        for m in footnotes.MARKERS.finditer(text):
            if m.start() > at:
                yield op, text[at : m.start()], italic, None
            yield op, "", italic, footnotes.marker_id(m.group())
            at = m.end()
        if at < len(text):
            yield op, text[at:], italic, None


def write_ops(
    p: BaseOxmlElement,
    ops: Sequence[DiffOp],
    *,
    italic_old: int = 0,
    italic_new: int = 0,
    fmt: Fmt = ooxml.PLAIN,
    track: Track | None = None,
    notes: ParagraphNotes | None = None,
) -> None:
    """Append a word diff to a paragraph: as revisions when ``track`` is given, else as formatting.

    Footnote markers become references to ``notes`` (with their notes added), or are left out.
    """
    for op, text, italic, note_id in _with_markers(italic_split(ops, italic_old, italic_new)):
        piece = Fmt(italic=italic or fmt.italic, bold=fmt.bold, rtl=fmt.rtl, size=fmt.size, color=fmt.color)
        if note_id is not None:
            if notes is None:
                continue
            if track is not None and op is not Op.EQUAL:
                kind = "ins" if op is Op.INSERT else "del"
                r = notes.reference(note_id, op, Fmt(rtl=fmt.rtl), track)
                p.append(track.revisions.wrap(kind, track.author, track.date, [r]))
            else:
                extra = (
                    Fmt()
                    if op is Op.EQUAL or track is not None
                    else (FORMATTED_INSERT if op is Op.INSERT else FORMATTED_DELETE)
                )
                p.append(
                    notes.reference(
                        note_id,
                        op,
                        Fmt(rtl=fmt.rtl, bold=extra.bold, underline=extra.underline, strike=extra.strike),
                        track,
                    )
                )
            continue
        if op is Op.EQUAL:
            p.append(ooxml.run(text, piece))
        elif track is not None:
            kind = "ins" if op is Op.INSERT else "del"
            r = ooxml.run(text, piece, deleted=op is Op.DELETE)
            p.append(track.revisions.wrap(kind, track.author, track.date, [r]))
        else:
            extra = FORMATTED_INSERT if op is Op.INSERT else FORMATTED_DELETE
            piece = Fmt(
                italic=piece.italic,
                bold=piece.bold or extra.bold,
                underline=extra.underline,
                strike=extra.strike,
                rtl=piece.rtl,
                size=piece.size,
                color=piece.color,
            )
            p.append(ooxml.run(text, piece))


def canonical(ops: Sequence[DiffOp], old: str, new: str) -> list[DiffOp]:
    """Return the ops of old → new with each change as one deletion followed by one insertion.

    Falls back to a fresh word diff when the ops do not spell both texts: a tracked file
    must accept to exactly ``new`` and reject to exactly ``old``.
    """
    if (
        "".join(o.text for o in ops if o.op is not Op.INSERT) != old
        or "".join(o.text for o in ops if o.op is not Op.DELETE) != new
    ):
        ops = word_diff(old, new).ops
    out: list[DiffOp] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush() -> None:
        if deleted:
            out.append(DiffOp(Op.DELETE, "".join(deleted)))
        if inserted:
            out.append(DiffOp(Op.INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for o in ops:
        if not o.text:
            continue
        if o.op is Op.EQUAL:
            flush()
            if out and out[-1].op is Op.EQUAL:
                out[-1] = DiffOp(Op.EQUAL, out[-1].text + o.text)
            else:
                out.append(o)
        else:
            (deleted if o.op is Op.DELETE else inserted).append(o.text)
    flush()
    return out
