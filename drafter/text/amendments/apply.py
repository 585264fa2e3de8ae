"""Applying instructions to a draft: finding the paragraphs they name and composing the changes."""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from drafter.text.amendments.matching import _edit_words, _Refused
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
                [ProposedChange(ChangeKind.AMEND, self.key, self.text, None, tuple(self.applied))]
                if self.applied
                else []
            )
        moot = [Problem(i, f"{i.target.describe()} is deleted by another instruction") for i in self.applied]
        return [ProposedChange(ChangeKind.DELETE, self.key, instructions=(self.deleted_by,)), *moot]


def apply_amendments(instructions: Sequence[Instruction], paragraphs: Sequence[TargetParagraph]) -> list[Outcome]:
    """Return the changes the instructions make to the draft, and the problems that stop any."""
    draft = _Draft(paragraphs)
    slots: list[Outcome | _Edit] = []  # an _Edit holds the place of its paragraph's change
    edits: dict[Hashable, _Edit] = {}
    for ins in instructions:
        try:
            pos, inner = draft.find(ins.target)
            if inner and ins.action in _PARAGRAPH_ACTIONS:
                raise _Refused(f"{ins.target.describe()} is not a separate paragraph in the draft")
            if ins.action in (Action.INSERT_PARAGRAPH_AFTER, Action.INSERT_PARAGRAPH_BEFORE):
                slots.append(draft.insertion(pos, ins))
                continue
            para = draft.items[pos]
            if para.key not in edits:
                edits[para.key] = _Edit(para.key, para.text)
                slots.append(edits[para.key])
            edits[para.key].apply(ins, inner)
        except _Refused as refused:
            slots.append(Problem(ins, str(refused)))
    return [o for slot in slots for o in (slot.outcomes() if isinstance(slot, _Edit) else [slot])]
