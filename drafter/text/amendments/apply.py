"""Applying instructions to a draft: finding the paragraphs they name and composing the changes."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field, replace

from drafter.text.amendments.matching import _edit_words, _Refused, _show, _words_pattern
from drafter.text.amendments.model import (
    _PARAGRAPH_ACTIONS,
    LAST,
    Action,
    ChangeKind,
    Instruction,
    Outcome,
    Problem,
    ProposedChange,
    Target,
    TargetParagraph,
)
from drafter.text.amendments.references import _norm_label
from drafter.text.structure import Kind

#: a subparagraph label inside running text: "States: (a) to map; (b) to share; and (c) to use"
_LIST_LABEL = r"(?:^|(?<=[:;,]\s)|(?<=\sand\s)|(?<=\sor\s))\({}\)\s"
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv")


def _next_label(label: str, depth: int) -> str:
    """Return the label after ``label`` at its depth: "b" -> "c", "ii" -> "iii"; "" if unknown."""
    if label.isdigit():
        return str(int(label) + 1)
    if depth and label in _ROMAN[:-1]:
        return _ROMAN[_ROMAN.index(label) + 1]
    return chr(ord(label) + 1) if len(label) == 1 and label < "z" else ""


def _span(text: str, path: str) -> tuple[int, int] | None:
    """Return where subparagraph ``path`` ("(b)" or "(b)(ii)") runs inside a paragraph's text."""
    lo, hi = 0, len(text)
    for depth, label in enumerate(re.findall(r"\(([^()]*)\)", path)):
        start = re.compile(_LIST_LABEL.format(re.escape(label))).search(text, lo, hi)
        if start is None:
            return None
        nxt = _next_label(label, depth)
        end = re.compile(_LIST_LABEL.format(nxt)).search(text, start.end(), hi) if nxt else None
        lo, hi = start.start(), end.start() if end else hi
    return lo, hi


class _Draft:
    """The draft's paragraphs, indexed the way amendments name them."""

    def __init__(self, paragraphs: Sequence[TargetParagraph]) -> None:
        self.items = list(paragraphs)
        self.where: dict[tuple[Kind, int, str], list[int]] = {}
        self.highest = {Kind.PREAMBULAR: 0, Kind.OPERATIVE: 0}
        self.depth: list[int] = []
        self.ref_of: list[tuple[Kind, int, str] | None] = []  #: how an amendment names each paragraph
        parent: tuple[Kind, int] | None = None
        counted = 0
        for pos, p in enumerate(self.items):
            label = _norm_label(p.subparagraph)
            ref: tuple[Kind, int, str] | None = None
            if p.kind in self.highest:
                counted += p.kind is Kind.PREAMBULAR and not label
                number = p.number or (counted if p.kind is Kind.PREAMBULAR else 0)
                self.highest[p.kind] = max(self.highest[p.kind], number)
                parent = (p.kind, number) if not label else parent
                ref = (p.kind, number, label) if number else None
            elif p.kind is Kind.SUBPARAGRAPH and parent and label:
                ref = (*parent, label)
            self.depth.append(max(label.count("("), p.kind is Kind.SUBPARAGRAPH))
            self.ref_of.append(ref)
            if ref:
                self.where.setdefault(ref, []).append(pos)

    def find(self, target: Target) -> tuple[int, str]:
        """Return the target's position and the subparagraph path still to find in its text."""
        n = self.highest[target.kind] if target.number == LAST else target.number
        name, label = target.describe(), _norm_label(target.subparagraph)
        for ref, inner in (((target.kind, n, label), ""), ((target.kind, n, ""), label)):
            found = self.where.get(ref, [])
            if len(found) > 1:
                raise _Refused(f"the draft has {len(found)} paragraphs that could be {name}")
            if found and (not inner or _span(self.items[found[0]].text, inner)):
                return found[0], inner
        highest = self.highest[target.kind]
        if n > highest or n < 1:
            raise _Refused(f"{name} does not exist (the draft has {highest or 'none'})")
        raise _Refused(f"{name} does not exist in the draft")

    def name(self, pos: int) -> str:
        """Return how an amendment names the paragraph at ``pos``: "the fifth preambular paragraph"."""
        ref = self.ref_of[pos]
        return Target(ref[0], ref[1], ref[2]).describe() if ref else f"paragraph {pos + 1} of the draft"

    def holding(self, words: str, text_of) -> list[int]:
        """Return the positions of the paragraphs whose text (``text_of(pos)``) holds ``words``."""
        pattern = _words_pattern(words)
        return [pos for pos in range(len(self.items)) if pattern.search(text_of(pos))]

    def insertion(self, pos: int, ins: Instruction) -> ProposedChange:
        """Return the new paragraph of an insertion, keyed to the paragraph it follows."""
        if ins.action is Action.INSERT_PARAGRAPH_AFTER:
            # after a paragraph's own subparagraphs, not between it and its "(a)"
            depth = self.depth[pos]
            while pos + 1 < len(self.items) and self.items[pos + 1].kind is Kind.SUBPARAGRAPH:
                if self.depth[pos + 1] <= depth:
                    break
                pos += 1
            return ProposedChange(ChangeKind.INSERT_AFTER, self.items[pos].key, ins.text, ins.new_kind, (ins,))
        if pos:
            return ProposedChange(ChangeKind.INSERT_AFTER, self.items[pos - 1].key, ins.text, ins.new_kind, (ins,))
        return ProposedChange(ChangeKind.INSERT_BEFORE, self.items[pos].key, ins.text, ins.new_kind, (ins,))


@dataclass
class _Edit:
    """One paragraph's text as the instructions on it are applied in turn."""

    key: Hashable
    text: str
    applied: list[Instruction] = field(default_factory=list)
    deleted_by: Instruction | None = None
    notes: list[str] = field(default_factory=list)

    def apply(self, ins: Instruction, inner: str) -> None:
        """Apply one instruction to the evolving text (``inner``: a subparagraph within it)."""
        name = ins.target.describe()
        if self.deleted_by is not None:
            raise _Refused(f"{name} is deleted by another instruction")
        if ins.action is Action.DELETE_PARAGRAPH:
            self.deleted_by = ins
            return
        if ins.action is Action.REPLACE_PARAGRAPH:
            self.text = ins.text
        else:
            span = _span(self.text, inner) if inner else (0, len(self.text))
            if span is None:
                raise _Refused(f"{name} is no longer in the text after the instructions before it")
            lo, hi = span
            self.text = self.text[:lo] + _edit_words(self.text[lo:hi], ins, name) + self.text[hi:]
        self.applied.append(ins)

    def outcomes(self) -> list[Outcome]:
        """Return the composed change, and problems for edits a deletion made moot."""
        if self.deleted_by is None:
            return (
                [ProposedChange(ChangeKind.AMEND, self.key, self.text, None, tuple(self.applied), tuple(self.notes))]
                if self.applied
                else []
            )
        moot = [Problem(i, f"{i.target.describe()} is deleted by another instruction") for i in self.applied]
        return [ProposedChange(ChangeKind.DELETE, self.key, instructions=(self.deleted_by,)), *moot]


def apply_amendments(
    instructions: Sequence[Instruction], paragraphs: Sequence[TargetParagraph], *, title: str = ""
) -> list[Outcome]:
    """Return the changes the instructions make to the draft, and the problems that stop any.

    An edit "throughout the text" changes every paragraph that holds its words. An edit whose
    words are not in the paragraph it names, but in exactly one other paragraph, is applied
    there, with a note saying so. ``title``: the draft's title; an edit that names it too
    ("..., including the title") changes it as well (one change of kind TITLE).
    """
    draft = _Draft(paragraphs)
    slots: list[Outcome | _Edit] = []  # an _Edit holds the place of its paragraph's change
    titled: _Edit | None = None  # the title's, once an instruction "including the title" changes it
    edits: dict[Hashable, _Edit] = {}

    def edit_at(pos: int) -> _Edit:
        para = draft.items[pos]
        if para.key not in edits:
            edits[para.key] = _Edit(para.key, para.text)
            slots.append(edits[para.key])
        return edits[para.key]

    def text_at(pos: int) -> str:
        edit = edits.get(draft.items[pos].key)
        return edit.text if edit is not None else draft.items[pos].text

    for ins in instructions:
        try:
            if ins.target.everywhere:
                _everywhere(draft, ins, edit_at, text_at)
            elif (inserted := _aimed(draft, ins, edit_at, text_at)) is not None:
                slots.append(inserted)  # a new paragraph holds its own place among the outcomes
        except _Refused as refused:
            slots.append(Problem(ins, str(refused)))
        in_title = bool(ins.words) and bool(
            _words_pattern(ins.words).search(titled.text if titled is not None else title)
        )
        if ins.including_title and in_title:
            if titled is None:
                titled = _Edit(None, title)
                slots.append(titled)
            try:
                titled.apply(ins, "")
            except _Refused as refused:
                slots.append(Problem(ins, str(refused)))
        elif ins.including_title and ins.words:
            slots.append(Problem(ins, f"the words {_show(ins.words)} are not in the title"))
        elif ins.target.everywhere and in_title:
            slots.append(
                Problem(
                    ins,
                    f"the title also holds the words {_show(ins.words)}; the instruction changes the text only "
                    "(\u201cincluding the title\u201d would change it too)",
                )
            )
    return [
        o
        for slot in slots
        for o in ((_as_title(slot) if slot is titled else slot.outcomes()) if isinstance(slot, _Edit) else [slot])
    ]


def _as_title(edit: _Edit) -> list[Outcome]:
    """Return the title's composed change: one change of kind TITLE."""
    return [replace(o, kind=ChangeKind.TITLE) if isinstance(o, ProposedChange) else o for o in edit.outcomes()]


def _everywhere(draft: _Draft, ins: Instruction, edit_at, text_at) -> None:
    """Apply an edit "throughout the text" to every paragraph that holds its words."""
    if not ins.words:
        raise _Refused("an edit throughout the text must quote the words it changes")
    found = draft.holding(ins.words, text_at)
    if not found:
        raise _Refused(f"the words {_show(ins.words)} are not in the text")
    for pos in found:
        edit_at(pos).apply(ins, "")


def _aimed(draft: _Draft, ins: Instruction, edit_at, text_at) -> ProposedChange | None:
    """Apply an instruction to the paragraph it names, or to the one paragraph that holds its quoted words;
    return the new paragraph of an insertion."""
    pos, inner = draft.find(ins.target)
    if inner and ins.action in _PARAGRAPH_ACTIONS:
        raise _Refused(f"{ins.target.describe()} is not a separate paragraph in the draft")
    if ins.action in (Action.INSERT_PARAGRAPH_AFTER, Action.INSERT_PARAGRAPH_BEFORE):
        return draft.insertion(pos, ins)
    if ins.words and not inner and not _words_pattern(ins.words).search(text_at(pos)):
        elsewhere = [p for p in draft.holding(ins.words, text_at) if p != pos]
        if len(elsewhere) == 1:
            edit = edit_at(elsewhere[0])
            edit.apply(ins, "")
            edit.notes.append(
                f"{ins.target.describe().capitalize()} does not hold the words {_show(ins.words)}; "
                f"they were found in {draft.name(elsewhere[0])}, and the change is made there."
            )
            return None
    edit_at(pos).apply(ins, inner)
    return None
