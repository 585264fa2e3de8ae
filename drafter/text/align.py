"""Align the paragraphs of a new revision with the previous revision's, so identities carry over.

Pure: lists of texts in, a list of pairings out. The steps:

1. Identical texts (ignoring number labels, case of spacing) pair first; among duplicates,
   the nearest position wins.
2. The rest pair by word similarity (Dice coefficient of word bags), best first, with a small
   preference for pairs that keep their relative place; below ``MIN_SIMILARITY`` a paragraph
   is new (or deleted).
3. A new paragraph whose words mostly come from one old paragraph is *split* from it (it is new,
   but remembers its origin); an old paragraph whose words mostly went into one new paragraph
   was *merged* into it.
4. Pairs that leave the longest order-keeping chain are *moved*.

Numbers are never compared: inserting one operative paragraph renumbers all that follow.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from drafter.text.compare import stable_order
from drafter.text.tokenize import words

#: Below this word similarity two paragraphs are not the same paragraph.
MIN_SIMILARITY = 0.5
#: Share of a paragraph's words found in another for a split or a merge.
MIN_CONTAINMENT = 0.8
#: How much a full document's distance of displacement costs, in similarity points.
POSITION_WEIGHT = 0.1

_LABEL = re.compile(r"^\s*(?:\(?[0-9]{1,3}(?:\s*(?:bis|ter|quater))?[.)]|\([a-z]{1,2}\)|\([ivxlc]{1,6}\))\s+", re.I)
_SPACE = re.compile(r"\s+")


class Relation(StrEnum):
    SAME = "same"  #: paired, identical text
    CHANGED = "changed"  #: paired, text edited
    NEW = "new"  #: only in the new revision
    DELETED = "deleted"  #: only in the old revision


@dataclass(frozen=True, slots=True)
class Aligned:
    """One pairing: indexes into the old and new lists (None on the side it is missing from)."""

    old: int | None
    new: int | None
    relation: Relation
    #: word similarity of the pair, 0.0 to 1.0 (0.0 when unpaired)
    similarity: float = 0.0
    #: paired, but out of the order the other pairs keep
    moved: bool = False
    #: for a new paragraph: the old paragraph most of its words come from
    split_from: int | None = None
    #: for a deleted paragraph: the new paragraph most of its words went into
    merged_into: int | None = None


def normalize(text: str) -> str:
    """Return the text as compared for identity: no number label, spacing collapsed."""
    return _SPACE.sub(" ", _LABEL.sub("", text, count=1)).strip().casefold()


def _bag(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in words(_LABEL.sub("", text, count=1)))


def _dice(a: Counter[str], b: Counter[str], na: int, nb: int) -> float:
    if na + nb == 0:
        return 1.0
    common = sum((a & b).values())
    return 2.0 * common / (na + nb)


def _position(i: int, n: int) -> float:
    return i / max(n - 1, 1)


def align(old: Sequence[str], new: Sequence[str]) -> list[Aligned]:
    """Return the alignment of ``new`` paragraphs with ``old`` ones, in the new order.

    Each new index appears once; each old index that is not paired appears once as DELETED,
    placed after the new paragraph that follows its nearest earlier paired neighbour.
    """
    return _align(old, new, fixed={}, forced_new=set())


def align_with_overrides(old: Sequence[str], new: Sequence[str], pairing: Mapping[int, int | None]) -> list[Aligned]:
    """Return the alignment with the user's corrections: ``pairing`` maps new index → old index
    (or None for "a new paragraph"); the other paragraphs are aligned automatically around them.

    Raises ValueError when an index is out of range or an old paragraph is chosen twice.
    """
    fixed: dict[int, int] = {}
    forced_new: set[int] = set()
    used: dict[int, int] = {}
    for n_i, o_i in pairing.items():
        if not 0 <= n_i < len(new):
            raise ValueError(f"There is no new paragraph {n_i + 1}.")
        if o_i is None:
            forced_new.add(n_i)
            continue
        if not 0 <= o_i < len(old):
            raise ValueError(f"There is no previous paragraph {o_i + 1}.")
        if o_i in used:
            raise ValueError(
                f"Previous paragraph {o_i + 1} is paired with both new paragraphs {used[o_i] + 1} and {n_i + 1}; "
                "a paragraph can continue in only one place."
            )
        used[o_i] = n_i
        fixed[n_i] = o_i
    return _align(old, new, fixed=fixed, forced_new=forced_new)


def _align(old: Sequence[str], new: Sequence[str], *, fixed: dict[int, int], forced_new: set[int]) -> list[Aligned]:
    n_old, n_new = len(old), len(new)
    pair_new: dict[int, int] = dict(fixed)  # new -> old
    pair_old: dict[int, int] = {o: n for n, o in fixed.items()}

    def free_new(n: int) -> bool:
        return n not in pair_new and n not in forced_new

    # 1. Identical texts, nearest position first.
    norm_old = [normalize(t) for t in old]
    norm_new = [normalize(t) for t in new]
    by_text: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(norm_old):
        if i not in pair_old:
            by_text[t].append(i)
    exact: list[tuple[float, int, int]] = []
    for j, t in enumerate(norm_new):
        if free_new(j):
            for i in by_text.get(t, ()):
                exact.append((abs(_position(i, n_old) - _position(j, n_new)), j, i))
    for _, j, i in sorted(exact):
        if j not in pair_new and i not in pair_old:
            pair_new[j], pair_old[i] = i, j

    # 2. Similar texts, best first, through an index of the words they share.
    bags_old = [_bag(t) for t in old]
    bags_new = [_bag(t) for t in new]
    sizes_old = [sum(b.values()) for b in bags_old]
    sizes_new = [sum(b.values()) for b in bags_new]
    holders: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(bags_old):
        if i not in pair_old:
            for w in bag:
                holders[w].append(i)
    candidates: list[tuple[float, float, int, int]] = []
    scores: dict[tuple[int, int], float] = {}
    for j, bag in enumerate(bags_new):
        if not free_new(j):
            continue
        seen: set[int] = set()
        for w in bag:
            seen.update(holders.get(w, ()))
        for i in seen:
            sim = _dice(bags_old[i], bag, sizes_old[i], sizes_new[j])
            scores[(i, j)] = sim
            if sim >= MIN_SIMILARITY:
                shift = abs(_position(i, n_old) - _position(j, n_new))
                candidates.append((-(sim - POSITION_WEIGHT * shift), shift, j, i))
    for _, _, j, i in sorted(candidates):
        if j not in pair_new and i not in pair_old:
            pair_new[j], pair_old[i] = i, j

    # 3. Splits and merges, by containment of one paragraph's words in another's.
    split_from: dict[int, int] = {}
    all_holders: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(bags_old):
        for w in bag:
            all_holders[w].append(i)
    for j, bag in enumerate(bags_new):
        if j in pair_new or not sizes_new[j]:
            continue
        best, best_i = 0.0, None
        for i in {i for w in bag for i in all_holders.get(w, ())}:
            share = sum((bags_old[i] & bag).values()) / sizes_new[j]
            if share > best:
                best, best_i = share, i
        if best_i is not None and best >= MIN_CONTAINMENT:
            if best_i not in pair_old and j not in forced_new:
                pair_new[j], pair_old[best_i] = best_i, j  # most of the old paragraph survives here
            else:
                split_from[j] = best_i
    merged_into: dict[int, int] = {}
    new_holders: dict[str, list[int]] = defaultdict(list)
    for j, bag in enumerate(bags_new):
        for w in bag:
            new_holders[w].append(j)
    for i, bag in enumerate(bags_old):
        if i in pair_old or not sizes_old[i]:
            continue
        best, best_j = 0.0, None
        for j in {j for w in bag for j in new_holders.get(w, ())}:
            share = sum((bags_new[j] & bag).values()) / sizes_old[i]
            if share > best:
                best, best_j = share, j
        if best_j is not None and best >= MIN_CONTAINMENT:
            merged_into[i] = best_j

    # 4. Moves: pairs outside the longest chain that keeps the old order.
    order = [pair_new[j] for j in range(n_new) if j in pair_new]
    stable = stable_order(order)

    deleted_after: dict[int, list[int]] = defaultdict(list)
    anchor = -1
    for i in range(n_old):
        if i in pair_old:
            anchor = i
        else:
            deleted_after[anchor].append(i)

    out: list[Aligned] = []

    def add_deleted(after: int) -> None:
        for i in deleted_after.pop(after, []):
            out.append(Aligned(i, None, Relation.DELETED, merged_into=merged_into.get(i)))

    add_deleted(-1)
    for j in range(n_new):
        i = pair_new.get(j)
        if i is None:
            out.append(Aligned(None, j, Relation.NEW, split_from=split_from.get(j)))
            continue
        same = norm_old[i] == norm_new[j]
        sim = 1.0 if same else scores.get((i, j)) or _dice(bags_old[i], bags_new[j], sizes_old[i], sizes_new[j])
        out.append(Aligned(i, j, Relation.SAME if same else Relation.CHANGED, sim, moved=i not in stable))
        add_deleted(i)
    for after in sorted(deleted_after):
        add_deleted(after)
    return out

