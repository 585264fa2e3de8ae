"""Compare two versions of a text whose paragraphs carry identities (lineage keys).

Pairs paragraphs by key, diffs each pair word by word, flags moves, and places deleted
paragraphs where they stood. The HTML comparison and the tracked Word export both read the
rows this returns, so the two can never disagree.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from drafter.text.diff import WordDiff, word_diff
from drafter.text.footnotes import NoteChange, changes

T = TypeVar("T")


class Change(StrEnum):
    UNCHANGED = "unchanged"  #: same paragraph, same text
    CHANGED = "changed"  #: same paragraph, text edited
    NEW = "new"  #: only in the newer text
    DELETED = "deleted"  #: only in the older text

    @property
    def label(self) -> str:
        """Return the word a comparison shows beside the paragraph ("" when unchanged)."""
        return {"unchanged": "", "changed": "Changed", "new": "New", "deleted": "Deleted"}[self.value]


@dataclass(frozen=True, slots=True)
class Row(Generic[T]):
    """One paragraph of the comparison, in the newer text's order."""

    old: T | None
    new: T | None
    change: Change
    diff: WordDiff
    #: paired, but its place relative to the other paragraphs changed
    moved: bool = False
    #: its footnotes added, removed or rewritten (a footnote only renumbered is not here)
    notes: tuple[NoteChange, ...] = ()


@dataclass(frozen=True, slots=True)
class Counts:
    changed: int
    new: int
    deleted: int
    moved: int
    unchanged: int


def stable_order(old_index_in_new_order: list[int]) -> set[int]:
    """Return the old indexes that keep their relative order (a longest increasing subsequence)."""
    tails: list[int] = []
    tail_at: list[int] = []
    back: list[int] = [-1] * len(old_index_in_new_order)
    for i, value in enumerate(old_index_in_new_order):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k] = value
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(old_index_in_new_order[i])
        i = back[i]
    return keep


def after_survivors(kept: Iterable[tuple[int, bool]]) -> dict[int, list[int]]:
    """Return the positions not kept, each under the nearest earlier kept position (-1: before all).

    ``kept`` gives (old position, kept?) in old order. The comparison, the aligner and the
    tracked writer all place a deleted (or moved-away) paragraph right after that survivor, so
    the old text still reads in its own order.
    """
    after: dict[int, list[int]] = {}
    anchor = -1
    for position, survives in kept:
        if survives:
            anchor = position
        else:
            after.setdefault(anchor, []).append(position)
    return after


def compare(
    old: Sequence[T],
    new: Sequence[T],
    *,
    key: Callable[[T], Hashable],
    text: Callable[[T], str],
    notes: Callable[[T], Mapping[int, str]] | None = None,
    diff: Callable[[str, str], WordDiff] = word_diff,
) -> list[Row[T]]:
    """Return the rows comparing ``old`` with ``new``, paired by ``key``, in the new order.

    With ``notes`` (a paragraph's footnotes by marker id), a paired paragraph whose footnotes
    were added, removed or rewritten is changed even when its words are the same. ``diff`` makes
    the word diff of a paired paragraph (a caller may hold some already made).
    """
    old_pos = {key(p): i for i, p in enumerate(old)}
    paired_old = [old_pos[key(p)] for p in new if key(p) in old_pos]
    stable = stable_order(paired_old)
    new_keys = {key(p) for p in new}
    # Deleted paragraphs stand after the new row of the nearest earlier surviving old one.
    deleted_after = after_survivors((i, key(p) in new_keys) for i, p in enumerate(old))

    rows: list[Row[T]] = []

    def add_deleted(after_old: int) -> None:
        for j in deleted_after.pop(after_old, []):
            o = old[j]
            gone = tuple(changes(text(o), notes(o), "", {})) if notes else ()
            rows.append(Row(o, None, Change.DELETED, word_diff(text(o), ""), notes=gone))

    add_deleted(-1)
    for p in new:
        i = old_pos.get(key(p))
        if i is None:
            added = tuple(changes("", {}, text(p), notes(p))) if notes else ()
            rows.append(Row(None, p, Change.NEW, word_diff("", text(p)), notes=added))
            continue
        o = old[i]
        d = diff(text(o), text(p))
        moved = i not in stable
        noted = tuple(changes(text(o), notes(o), text(p), notes(p))) if notes else ()
        change = Change.CHANGED if d.changed or noted else Change.UNCHANGED
        rows.append(Row(o, p, change, d, moved=moved, notes=noted))
        add_deleted(i)
    for after in sorted(deleted_after):  # anchors that moved ahead of their deleted followers
        add_deleted(after)
    return rows


def counts(rows: Sequence[Row[T]]) -> Counts:
    """Return how many rows are changed, new, deleted, moved and unchanged."""
    return Counts(
        changed=sum(r.change is Change.CHANGED for r in rows),
        new=sum(r.change is Change.NEW for r in rows),
        deleted=sum(r.change is Change.DELETED for r in rows),
        moved=sum(r.moved for r in rows),
        unchanged=sum(r.change is Change.UNCHANGED and not r.moved for r in rows),
    )
