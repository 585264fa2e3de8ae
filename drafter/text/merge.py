"""Three-way merge of word edits: apply a proposal's changes to a paragraph edited since.

``base`` is the text the proposal was made on, ``current`` the working text now (edited by the
co-facilitators since), ``proposed`` the proposal's text. Both edits are expressed as hunks over
the base's tokens; hunks with base text between them are applied together, hunks that overlap
or touch (and differ) are conflicts, and then no merged text is offered: a person resolves them.

Touching counts: words inserted right where the other side deleted or replaced words were
written against those words ("in 2026 [+or 2027]" after "[-in 2026]" would leave "or 2027"
dangling), and two insertions at one point have no right order.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.text.diff import Op, token_diff
from drafter.text.tokenize import tokenize


@dataclass(frozen=True, slots=True)
class Hunk:
    """Replace base tokens [start, end) with ``tokens`` (start == end: an insertion)."""

    start: int
    end: int
    tokens: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two edits of the same words: the base words and what each side made of them."""

    base: str
    current: str
    proposed: str


@dataclass(frozen=True, slots=True)
class MergeResult:
    #: the merged text, or None when the edits conflict
    text: str | None
    conflicts: tuple[Conflict, ...] = ()

    @property
    def clean(self) -> bool:
        return self.text is not None


def hunks(base: list[str], other: list[str]) -> list[Hunk]:
    """Return the edits that turn the ``base`` tokens into the ``other`` tokens."""
    out: list[Hunk] = []
    pos = 0
    start: int | None = None
    tokens: list[str] = []
    for op, toks in token_diff(base, other):
        if op is Op.EQUAL:
            if start is not None:
                out.append(Hunk(start, pos, tuple(tokens)))
                start, tokens = None, []
            pos += len(toks)
            continue
        if start is None:
            start = pos
        if op is Op.DELETE:
            pos += len(toks)
        else:
            tokens.extend(toks)
    if start is not None:
        out.append(Hunk(start, pos, tuple(tokens)))
    return out


def _overlap(a: Hunk, b: Hunk) -> bool:
    """Return True when two hunks overlap or touch: no base token stands between them."""
    return a.start <= b.end and b.start <= a.end


def merge(base: str, current: str, proposed: str) -> MergeResult:
    """Apply the changes from ``base`` to ``proposed`` on top of ``current``."""
    if proposed == base or current == proposed:
        return MergeResult(current)
    if current == base:
        return MergeResult(proposed)
    b = tokenize(base)
    mine, theirs = hunks(b, tokenize(current)), hunks(b, tokenize(proposed))
    conflicts: list[Conflict] = []
    for h in theirs:
        for m in mine:
            if _overlap(h, m) and (h.start, h.end, h.tokens) != (m.start, m.end, m.tokens):
                lo, hi = min(h.start, m.start), max(h.end, m.end)
                conflicts.append(
                    Conflict(
                        base="".join(b[lo:hi]),
                        current="".join(_apply(b[lo:hi], [m], lo)),
                        proposed="".join(_apply(b[lo:hi], [h], lo)),
                    )
                )
    if conflicts:
        return MergeResult(None, tuple(conflicts))
    combined: dict[tuple[int, int, tuple[str, ...]], Hunk] = {}
    for h in mine + theirs:
        combined.setdefault((h.start, h.end, h.tokens), h)
    return MergeResult("".join(_apply(b, list(combined.values()), 0)))


def _apply(base: list[str], edits: list[Hunk], offset: int) -> list[str]:
    """Apply non-overlapping hunks to a slice of base tokens that starts at ``offset``."""
    out: list[str] = []
    pos = offset
    # Insertions before replacements that start at the same point.
    for h in sorted(edits, key=lambda h: (h.start, h.end != h.start, h.end)):
        out.extend(base[pos - offset : h.start - offset])
        out.extend(h.tokens)
        pos = max(pos, h.end)
    out.extend(base[pos - offset :])
    return out
