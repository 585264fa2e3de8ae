"""The tracked export: the newer revision with Word revision marks against the older one.

The law, checked with LibreOffice: accepting all changes gives exactly the new paragraphs,
rejecting all gives exactly the old ones. Kept paragraphs carry word-level ``w:ins``/``w:del``;
inserted and deleted paragraphs are marked whole, their paragraph marks included. Two shapes
are avoided because they break the law:

- A revision on the document's final paragraph mark has nothing to act on. A run of inserted
  or deleted paragraphs at the end is therefore "shifted": each mark revision moves to the
  paragraph before (the last kept paragraph, or the title block's last line when nothing is
  kept) and the final mark stays plain. Accept or reject then removes exactly the right breaks.
- LibreOffice merges an insertion that ends one paragraph with an insertion that starts the
  next (same author, dates within a minute) into one redline spanning the unmarked break
  between them, and "reject all" glues the two paragraphs. "Ends" and "starts" count marks
  too: an empty paragraph ends with the mark before it and starts with its own. So a block of
  inserted paragraphs after a paragraph ending with an insertion is shifted too (the break
  becomes part of the insertion), a kept paragraph starting with a pure insertion after such
  a break starts instead by deleting and re-inserting its first word, and a break no word can
  guard (only with empty paragraphs) becomes a deleted break plus an inserted one. A kept
  paragraph whose old or new text is empty is written as a deleted plus an inserted paragraph.

Moved paragraphs (given ``old_position``) are written as deleted where they stood and
inserted where they stand: LibreOffice reads Word's move markup as exactly that, and Word
pairs only ``w:moveFrom``/``w:moveTo``, so plain deletion and insertion is the portable form.

The masthead is the newer revision's, untracked (symbol, date, sponsor line: it describes the
file), except the title and the chapeau, which are compared like paragraphs with the older
revision's (``before``): planned with the body's paragraphs, so the rules above hold for them too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field

from docx.document import Document

from drafter.text.compare import after_survivors, stable_order
from drafter.text.diff import DiffOp, Op
from drafter.text.direction import is_rtl
from drafter.text.tokenize import tokenize
from drafter.word import ooxml, styles
from drafter.word.clean import body_paragraph
from drafter.word.lists import Lists, Parents
from drafter.word.masthead import title_paragraphs
from drafter.word.model import DEFAULT_PAGE, DEFAULT_TRACKED_AUTHOR, DocHeader, DocParagraph, PageSetup, TrackedRow
from drafter.word.notes import notes_for
from drafter.word.ooxml import Fmt, RevisionKind, Revisions
from drafter.word.page import new_un_document
from drafter.word.runs import Track, canonical, write_ops


@dataclass(slots=True)
class _Item:
    """One paragraph of the tracked document, planned before any XML is written."""

    kind: str  #: "kept", "ins", "del", or "break" (an empty paragraph made by ``_split_breaks``)
    para: DocParagraph  #: whose layout the paragraph takes (the old one for a deletion)
    ops: list[DiffOp]
    italic_old: int = 0
    italic_new: int = 0
    mark: RevisionKind | None = None  #: the revision on this paragraph's own mark
    parent: Hashable = field(default=None)
    style: str = ""  #: a masthead paragraph's style (the title, the chapeau); "" for the text's own
    #: the footnotes of the old paragraph (a kept or deleted one's)
    old_notes: Mapping[int, str] = field(default_factory=dict)


def _untangle_moves(rows: Sequence[TrackedRow]) -> list[TrackedRow]:
    """Return the rows with paragraphs out of old order split into a deletion and an insertion.

    The paragraphs kept in place are the longest run of kept rows whose old positions rise;
    every other old paragraph (deleted or moved) is placed right after the nearest earlier
    one of those in the old revision, so the old side reads in old order again. Rows without
    ``old_position`` are taken as already in order.
    """
    olds = [(r.old_position, r) for r in rows if r.old is not None]
    if any(pos is None for pos, _ in olds):
        return list(rows)
    position = {id(r): pos for pos, r in olds if pos is not None}
    stable = stable_order([position[id(r)] for r in rows if r.old is not None and r.new is not None])
    by_position = sorted(((position[id(r)], r) for r in rows if r.old is not None), key=lambda t: t[0])
    old_row = dict(by_position)
    # old paragraphs to write after the stable one at a position
    gone = {
        anchor: [TrackedRow(old_row[pos].old, None, old_position=pos) for pos in moved]
        for anchor, moved in after_survivors(
            (pos, r.new is not None and pos in stable) for pos, r in by_position
        ).items()
    }
    out = gone.pop(-1, [])
    for r in rows:
        if r.old is None:
            out.append(r)
        elif r.new is not None and position[id(r)] in stable:
            out.append(r)
            out.extend(gone.pop(position[id(r)], []))
        elif r.new is not None:
            out.append(TrackedRow(None, r.new))
    return out


def _clean(p: DocParagraph) -> str:
    return ooxml.xml_safe(p.text)


def _items(rows: Sequence[TrackedRow]) -> list[_Item]:
    """Return the paragraphs to write, texts made XML-safe and ops in canonical form."""
    items: list[_Item] = []
    for row in rows:
        old, new = row.old, row.new
        if old is not None and new is not None and (_clean(old) == "") == (_clean(new) == ""):
            ops = [DiffOp(o.op, ooxml.xml_safe(o.text)) for o in row.ops]
            items.append(
                _Item(
                    "kept",
                    new,
                    canonical(ops, _clean(old), _clean(new)),
                    old.italic_chars,
                    new.italic_chars,
                    old_notes=old.footnotes,
                )
            )
            continue
        if old is not None:
            items.append(
                _Item(
                    "del",
                    old,
                    [DiffOp(Op.DELETE, _clean(old))] if _clean(old) else [],
                    italic_old=old.italic_chars,
                    old_notes=old.footnotes,
                )
            )
        if new is not None:
            items.append(
                _Item("ins", new, [DiffOp(Op.INSERT, _clean(new))] if _clean(new) else [], italic_new=new.italic_chars)
            )
    return items


_OP_KIND: dict[Op, RevisionKind | None] = {Op.INSERT: "ins", Op.DELETE: "del", Op.EQUAL: None}


def _tail(items: list[_Item], k: int, title_mark: RevisionKind | None) -> RevisionKind | None:
    """Return the revision just before paragraph ``k``'s mark: its last op, or the mark before it."""
    if items[k].ops:
        return _OP_KIND[items[k].ops[-1].op]
    return items[k - 1].mark if k else title_mark


def _head(item: _Item) -> RevisionKind | None:
    """Return the revision a paragraph starts with: its first op, or its own mark when empty."""
    return _OP_KIND[item.ops[0].op] if item.ops else item.mark


def _place_marks(items: list[_Item]) -> RevisionKind | None:
    """Set each paragraph's mark revision; return the one the title block's last line needs."""
    title_mark: RevisionKind | None = None
    for item in items:
        item.mark = None
    i, n = 0, len(items)
    while i < n:
        if items[i].kind == "kept":
            i += 1
            continue
        j = i
        while j < n and items[j].kind != "kept":
            j += 1
        block = items[i:j]
        kinds: list[RevisionKind] = ["ins" if b.kind == "ins" else "del" for b in block]
        prev = items[i - 1] if i else None
        if j == n or (block[0].kind == "ins" and prev is not None and _tail(items, i - 1, title_mark) == "ins"):
            if prev is None:
                title_mark = kinds[0]
            else:
                prev.mark = kinds[0]
            for b, kind in zip(block, [*kinds[1:], None]):
                b.mark = kind
        else:
            for b, kind in zip(block, kinds):
                b.mark = kind
        i = j
    return title_mark


def _hazard(items: list[_Item], k: int, title_mark: RevisionKind | None) -> bool:
    """Return True when paragraph ``k``'s mark is a plain break with an insertion on both sides."""
    return (
        items[k].mark is None
        and k + 1 < len(items)
        and _tail(items, k, title_mark) == "ins"
        and _head(items[k + 1]) == "ins"
    )


def _borrow_first_word(items: list[_Item], title_mark: RevisionKind | None) -> bool:
    """Make kept paragraphs that would start an insertion LibreOffice merges start with a deletion.

    Return True when a paragraph changed (its end may now call for other marks).
    """
    changed = False
    for k, item in enumerate(items[1:], start=1):
        if item.kind != "kept" or not _hazard(items, k - 1, title_mark):
            continue
        ops = item.ops
        if len(ops) < 2 or ops[0].op is not Op.INSERT or ops[1].op is not Op.EQUAL:
            continue
        first = tokenize(ops[1].text)[0]
        rest = ops[1].text[len(first) :]
        borrowed = [DiffOp(Op.DELETE, first), DiffOp(Op.INSERT, ops[0].text + first)]
        item.ops = borrowed + ([DiffOp(Op.EQUAL, rest)] if rest else []) + ops[2:]
        changed = True
    return changed


def _split_breaks(items: list[_Item], title_mark: RevisionKind | None) -> None:
    """Replace each plain break still between two insertions by a deleted and an inserted break.

    Only shapes with empty paragraphs get here. The paragraph keeps its text and its mark is
    deleted; an empty copy of it follows with an inserted mark. Accepting keeps the copy's
    break, rejecting the original's: one break either way, and no plain break for
    LibreOffice to swallow.
    """
    k = 0
    while k < len(items):
        if _hazard(items, k, title_mark):
            item = items[k]
            item.mark = "del"
            items.insert(k + 1, _Item("break", item.para, [], mark="ins", style=item.style))
        k += 1


def _plan(items: list[_Item]) -> RevisionKind | None:
    """Place every mark revision, borrowing words or splitting breaks where LibreOffice would merge."""
    while True:
        title_mark = _place_marks(items)
        if not _borrow_first_word(items, title_mark):
            break
    _split_breaks(items, title_mark)
    return title_mark


def _title_items(header: DocHeader, before: DocHeader | None) -> list[_Item]:
    """Return the title and the chapeau as paragraphs compared with the older revision's."""
    new = dict(title_paragraphs(header))
    old = new if before is None else dict(title_paragraphs(before))
    items = []
    for style in dict.fromkeys([*old, *new]):
        row = TrackedRow(old.get(style), new.get(style))
        for item in _items([row]):
            item.style = style
            items.append(item)
    return items


def _assign_parents(items: list[_Item]) -> None:
    """Give each paragraph the parent its list numbering follows, in its own version."""
    new_parents, old_parents = Parents(), Parents()
    for index, item in enumerate(items):
        if item.style:  # the title and the chapeau belong to no list
            continue
        if item.kind == "break":  # the same list place as the paragraph it splits
            item.parent = items[index - 1].parent
            continue
        if item.kind == "del":
            item.parent = old_parents.see(item.para, index)
            continue
        item.parent = new_parents.see(item.para, index)
        if item.kind == "kept":
            old_parents.see(item.para, index)


def write_tracked(
    header: DocHeader,
    rows: Sequence[TrackedRow],
    *,
    author: str = DEFAULT_TRACKED_AUTHOR,
    date: dt.datetime,
    before: DocHeader | None = None,
    page: PageSetup = DEFAULT_PAGE,
) -> Document:
    """Return the newer revision as a Word document with revision marks against the older one.

    ``before`` is the older revision's title block: its title and chapeau are compared with
    ``header``'s (unchanged when None).
    """
    items = _title_items(header, before) + _items(_untangle_moves(rows))
    title_mark = _plan(items)
    _assign_parents(items)

    document, masthead, notes = new_un_document(header, page)
    ooxml.set_track_revisions(document.settings.element)
    revisions = Revisions()
    track = Track(revisions, author, date)
    if title_mark is not None:
        ooxml.mark_paragraph(masthead[-1], revisions.mark(title_mark, author, date))
    lists = Lists(document)
    for item in items:
        if item.style:
            p = ooxml.paragraph(item.style, rtl=is_rtl(item.para.text))
        else:
            p = body_paragraph(item.para, lists.num(item.para, item.parent))
        write_ops(
            p,
            item.ops,
            italic_old=item.italic_old,
            italic_new=item.italic_new,
            fmt=Fmt(rtl=is_rtl(item.para.text)),
            track=track,
            notes=notes_for(notes, item.old_notes, item.para.footnotes),
        )
        if item.mark is not None:
            ooxml.mark_paragraph(p, revisions.mark(item.mark, author, date))
        styles.append(document, p)
    notes.write(document)
    return document
