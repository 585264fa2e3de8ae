"""Align the paragraphs of a new revision with the previous revision's, so identities carry over.

Pure: lists of texts in, a list of pairings out. The steps:

1. Identical texts (ignoring number labels, letter case and spacing) pair first. A text found
   once on each side pairs at once; among duplicates (a heading or "Member States;" repeated)
   the one nearest its expected place wins, the place expected from the unique pairs around
   it, so paragraphs inserted above duplicates do not make them trade identities. Each waits with
   its nearest free partner only, so a text repeated many times costs no more than as many texts.
2. The rest pair by word similarity (Dice coefficient of word bags), best first, with a small
   preference for pairs near their expected place; below ``MIN_SIMILARITY`` a paragraph is
   new (or deleted). No pair is ever made below it. A paragraph is compared only with a few
   candidates: the unpaired paragraphs near its expected place, and those sharing most of its
   rare words and word pairs (see ``_Candidates``), so the time grows with the length of the
   text, not with its square.
3. A new paragraph whose words mostly come from one old paragraph is *split* from it (it is new,
   but remembers its origin); an old paragraph whose words mostly went into one new paragraph
   was *merged* into it. The part must have at least ``MIN_PART_WORDS`` words and stand within
   ``MAX_PART_DISTANCE`` paragraphs of where the other is expected: short or far-off
   paragraphs share words by chance (a new heading's few words are in many long paragraphs).
4. Pairs that leave the longest order-keeping chain are *moved*.

A pair is SAME when the texts are equal but for the number label and spacing (a change of
letter case is a change), else CHANGED. Numbers are never compared: inserting one operative
paragraph renumbers all that follow.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from drafter.text.compare import after_survivors, stable_order
from drafter.text.cycles import no_cycle_collection
from drafter.text.labels import strip_label
from drafter.text.tokenize import words

#: Below this word similarity two paragraphs are not the same paragraph.
MIN_SIMILARITY = 0.5
#: Share of a paragraph's words found in another for a split or a merge.
MIN_CONTAINMENT = 0.8
#: A split-off or merged part has at least this many words ...
MIN_PART_WORDS = 5
#: ... and stands at most this many paragraphs from where the paragraph it came from or went
#: into is expected.
MAX_PART_DISTANCE = 3
#: How much a full document's distance of displacement costs, in similarity points.
POSITION_WEIGHT = 0.1
#: A shingle (a word, or two consecutive words) held by more unpaired paragraphs than this
#: does not find candidates for pairing ...
RARE_SHINGLE_HOLDERS = 32
#: ... a new paragraph with fewer rare shingles than this looks up its rarest ones instead,
#: when they are held by at most ``COMMON_SHINGLE_HOLDERS`` ...
MIN_PROBE = 3
COMMON_SHINGLE_HOLDERS = 128
#: ... and at most this many old paragraphs sharing them are compared with it,
CANDIDATES = 8
#: besides the unpaired old paragraphs at most this far from its expected place.
NEARBY = 3

_SPACE = re.compile(r"\s+")


class Relation(StrEnum):
    SAME = "same"  #: paired, identical text
    CHANGED = "changed"  #: paired, text edited
    NEW = "new"  #: only in the new revision
    DELETED = "deleted"  #: only in the old revision

    @property
    def is_same(self) -> bool:
        """Return True when the two paragraphs paired have the same text."""
        return self is Relation.SAME


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


def _spaced(text: str) -> str:
    """Return the text without its number label, spacing collapsed."""
    return _SPACE.sub(" ", strip_label(text)).strip()


def normalize(text: str) -> str:
    """Return the text as compared for identity: no number label, spacing collapsed, no case."""
    return _spaced(text).casefold()


def _dice(old: _Bags, i: int, new: _Bags, j: int) -> float:
    """Return the word similarity (Dice coefficient of the word bags) of old ``i`` and new ``j``."""
    total = old.size(i) + new.size(j)
    if total == 0:
        return 1.0
    return 2.0 * old.common(i, new.tokens(j)) / total


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


# -- The pairs and where paragraphs are expected -----------------------------------------------


@dataclass(slots=True)
class _Pairs:
    """The pairs made so far, both ways, and the new paragraphs the user declared new."""

    forced_new: set[int]
    new: dict[int, int] = field(default_factory=dict)  #: new index -> old index
    old: dict[int, int] = field(default_factory=dict)  #: old index -> new index

    def add(self, j: int, i: int) -> None:
        self.new[j], self.old[i] = i, j

    def free(self, j: int, i: int) -> bool:
        return j not in self.new and j not in self.forced_new and i not in self.old


class _Expected:
    """Where a new paragraph is expected among the old ones, judged from the order-keeping pairs."""

    def __init__(self, pairs: Mapping[int, int], n_old: int, n_new: int) -> None:
        chain = sorted(pairs.items())
        stable = stable_order([i for _, i in chain])
        self.anchors = [(j, i) for j, i in chain if i in stable]
        self.keys = [j for j, _ in self.anchors]
        self.ratio = n_old / max(n_new, 1)

    def __call__(self, j: int) -> float:
        """Return the old index where new paragraph ``j`` would stand if nothing had moved."""
        if not self.anchors:
            return j * self.ratio
        k = bisect_right(self.keys, j)
        before = self.anchors[k - 1] if k else None
        after = self.anchors[k] if k < len(self.anchors) else None
        if before is not None and (after is None or j - before[0] <= after[0] - j):
            return before[1] + (j - before[0])
        assert after is not None
        return after[1] - (after[0] - j)


# -- Word bags and their overlaps -------------------------------------------------------------


class _Bags:
    """The word bags of one side, made when first needed (most paragraphs pair as identical).

    A bag of words is held as a set of occurrence tokens: the first "the" is ``the``, the
    second ``the\x002``, and so on, so the words two bags share (with repeats) are the size of
    the intersection of their sets, computed in C instead of word by word. The shingles are a
    paragraph's words and pairs of consecutive words, which candidates are found by.
    """

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = texts  #: without their number labels (``_spaced``)
        self._made: dict[int, tuple[int, frozenset[str], frozenset[str]]] = {}

    def _make(self, k: int) -> tuple[int, frozenset[str], frozenset[str]]:
        made = self._made.get(k)
        if made is None:
            ws = [w.casefold() for w in words(self.texts[k])]
            made = (len(ws), frozenset(_occurrences(Counter(ws))), frozenset(ws).union(map(" ".join, zip(ws, ws[1:]))))
            self._made[k] = made
        return made

    def __len__(self) -> int:
        return len(self.texts)

    def size(self, k: int) -> int:
        """Return the number of words of paragraph ``k``."""
        return self._make(k)[0]

    def tokens(self, k: int) -> frozenset[str]:
        """Return the occurrence tokens of paragraph ``k``."""
        return self._make(k)[1]

    def shingles(self, k: int) -> frozenset[str]:
        """Return the words and word pairs of paragraph ``k``."""
        return self._make(k)[2]

    def common(self, k: int, other: frozenset[str]) -> int:
        """Return how many words (with repeats) paragraph ``k`` shares with the occurrence set ``other``."""
        return len(self._make(k)[1] & other)


def _occurrences(bag: Counter[str]) -> list[str]:
    return [w if n == 1 else f"{w}\x00{n}" for w, count in bag.items() for n in range(1, count + 1)]


class _Candidates:
    """The previous paragraphs worth comparing with a new one, found through their rare shingles.

    Comparing every unpaired new paragraph with every unpaired old one is quadratic, and an
    walk through every word is too: every paragraph holds "the" and "and". Only shingles (words
    and word pairs) held by at most ``RARE_SHINGLE_HOLDERS`` of the unpaired paragraphs are looked
    up; the old paragraphs sharing the largest part of a new one's rare shingles (at most
    ``CANDIDATES``), plus the unpaired ones near its expected place, are its candidates. A
    paragraph with hardly any rare shingle looks up its rarest few instead, unless even those
    are everywhere: it is then compared with its neighbours only.
    """

    def __init__(self, old: _Bags, free_old: Sequence[int], new: _Bags, free_new: Sequence[int]) -> None:
        df: Counter[str] = Counter()
        for i in free_old:
            df.update(old.shingles(i))
        for j in free_new:
            df.update(new.shingles(j))
        self.df = df
        self.holders: dict[str, list[int]] = defaultdict(list)
        self.lengths: dict[int, int] = {}
        for i in free_old:
            mine = old.shingles(i)
            self.lengths[i] = len(mine)
            for t in mine:
                self.holders[t].append(i)
        self.new = new
        self.free_old = sorted(free_old)

    def __call__(self, j: int, where: float) -> set[int]:
        """Return the old paragraphs to compare with new paragraph ``j``, expected near old ``where``."""
        mine = self.new.shingles(j)
        probe = [t for t in mine if self.df[t] <= RARE_SHINGLE_HOLDERS]
        if len(probe) < MIN_PROBE:
            rarest = sorted(mine, key=lambda t: (self.df[t], t))[:MIN_PROBE]
            probe = [t for t in rarest if self.df[t] <= COMMON_SHINGLE_HOLDERS]
        shared: Counter[int] = Counter()
        for t in probe:
            shared.update(self.holders.get(t, ()))
        size, lengths = len(mine), self.lengths
        # The largest share of both paragraphs' shingles, not the most shingles: a long
        # paragraph shares some rare words with everything.
        best = heapq.nlargest(CANDIDATES, shared.items(), key=lambda kv: (kv[1] / (lengths[kv[0]] + size), -kv[0]))
        found = {i for i, _ in best}
        k = bisect_left(self.free_old, where - NEARBY)
        while k < len(self.free_old) and self.free_old[k] <= where + NEARBY:
            found.add(self.free_old[k])
            k += 1
        return found


def _container(bags: _Bags, k: int, others: _Bags, near: Iterable[int]) -> int | None:
    """Return the paragraph among ``near`` holding most of bag ``k``'s words, when one holds enough."""
    size = bags.size(k)
    if size < MIN_PART_WORDS:
        return None
    mine = bags.tokens(k)
    best: tuple[float, int] | None = None
    for o in near:
        key = (others.common(o, mine) / size, -o)
        if key[0] >= MIN_CONTAINMENT and (best is None or key > best):
            best = key
    return -best[1] if best is not None else None


# -- The steps ----------------------------------------------------------------------------------


def _pair_identical(norm_old: list[str], norm_new: list[str], pairs: _Pairs) -> None:
    """Pair identical texts: unique ones at once, duplicates by nearest expected place."""
    old_by: dict[str, list[int]] = defaultdict(list)
    new_by: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(norm_old):
        if i not in pairs.old:
            old_by[t].append(i)
    for j, t in enumerate(norm_new):
        if j not in pairs.new and j not in pairs.forced_new:
            new_by[t].append(j)
    duplicates: list[tuple[list[int], list[int]]] = []
    for t, js in new_by.items():
        olds = old_by.get(t)
        if not olds:
            continue
        if len(olds) == 1 and len(js) == 1:
            pairs.add(js[0], olds[0])
        else:
            duplicates.append((olds, js))
    expected = _Expected(pairs.new, len(norm_old), len(norm_new))
    _pair_nearest(duplicates, expected, pairs)


def _pair_nearest(
    groups: Iterable[tuple[list[int], list[int]]], expected: Callable[[int], float], pairs: _Pairs
) -> None:
    """Pair each group's new paragraphs with its old ones, the nearest to the expected place first.

    The same pairs as going through every (distance, new, old) of a group in order, taking those
    still free, without making them all: a text repeated a thousand times on each side would make
    a million. Each new paragraph waits in a heap with its nearest free old one (the lower on a
    tie); when that one is taken first, it looks outward for the next.
    """
    heap: list[tuple[float, int, int]] = []
    streams: dict[int, tuple[list[int], float, list[int]]] = {}

    def push(j: int) -> None:
        olds, where, ends = streams[j]
        lo, hi = ends
        while lo >= 0 and olds[lo] in pairs.old:
            lo -= 1
        while hi < len(olds) and olds[hi] in pairs.old:
            hi += 1
        ends[0], ends[1] = lo, hi
        near = [(abs(olds[k] - where), olds[k]) for k in (lo, hi) if 0 <= k < len(olds)]
        if near:
            distance, i = min(near)
            heapq.heappush(heap, (distance, j, i))

    for olds, js in groups:
        for j in js:
            where = expected(j)
            k = bisect_left(olds, where)
            streams[j] = (olds, where, [k - 1, k])
            push(j)
    while heap:
        _, j, i = heapq.heappop(heap)
        if i in pairs.old:
            push(j)
        else:
            pairs.add(j, i)


def _pair_similar(old: _Bags, new: _Bags, pairs: _Pairs) -> dict[tuple[int, int], float]:
    """Pair similar texts, best first; return the similarity of each pair made."""
    n_old, n_new = len(old), len(new)
    free_old = [i for i in range(n_old) if i not in pairs.old]
    free_new = [j for j in range(n_new) if j not in pairs.new and j not in pairs.forced_new]
    if not free_old or not free_new:
        return {}
    candidates_of = _Candidates(old, free_old, new, free_new)
    expected = _Expected(pairs.new, n_old, n_new)
    span = max(n_old, n_new, 1)
    candidates: list[tuple[float, float, int, int, float]] = []
    for j in free_new:
        size, mine = new.size(j), new.tokens(j)
        where = expected(j)
        for i in candidates_of(j, where):
            total = old.size(i) + size
            if not total:
                continue
            sim = 2.0 * old.common(i, mine) / total
            if sim >= MIN_SIMILARITY:
                shift = abs(i - where) / span
                candidates.append((-(sim - POSITION_WEIGHT * shift), shift, j, i, sim))
    made: dict[tuple[int, int], float] = {}
    for _, _, j, i, sim in sorted(candidates):
        if pairs.free(j, i):
            pairs.add(j, i)
            made[(i, j)] = sim
    return made


def _splits_and_merges(old: _Bags, new: _Bags, pairs: _Pairs) -> tuple[dict[int, int], dict[int, int]]:
    """Return the origin of each split-off new paragraph and the target of each merged old one.

    Only paragraphs within ``MAX_PART_DISTANCE`` of the expected place can be the other part,
    so only those are compared.
    """
    n_old, n_new = len(old), len(new)
    expected = _Expected(pairs.new, n_old, n_new)
    split_from: dict[int, int] = {}
    for j in range(n_new):
        if j not in pairs.new:
            where = expected(j)
            # One more each side than the distance, then the exact test: no rounding decides.
            span = range(
                max(0, math.floor(where) - MAX_PART_DISTANCE - 1), min(n_old, math.ceil(where) + MAX_PART_DISTANCE + 2)
            )
            origin = _container(new, j, old, [i for i in span if abs(i - where) <= MAX_PART_DISTANCE])
            if origin is not None:
                split_from[j] = origin
    merged_into: dict[int, int] = {}
    unpaired = [i for i in range(n_old) if i not in pairs.old]
    if unpaired:
        places = sorted((expected(j), j) for j in range(n_new))
        keys = [e for e, _ in places]
        for i in unpaired:
            lo = bisect_left(keys, i - MAX_PART_DISTANCE - 1)
            hi = bisect_right(keys, i + MAX_PART_DISTANCE + 1)
            near = sorted(j for _, j in places[lo:hi] if abs(i - expected(j)) <= MAX_PART_DISTANCE)
            target = _container(old, i, new, near)
            if target is not None:
                merged_into[i] = target
    return split_from, merged_into


def _align(old: Sequence[str], new: Sequence[str], *, fixed: dict[int, int], forced_new: set[int]) -> list[Aligned]:
    with no_cycle_collection():
        return _align_texts(old, new, fixed=fixed, forced_new=forced_new)


def _align_texts(
    old: Sequence[str], new: Sequence[str], *, fixed: dict[int, int], forced_new: set[int]
) -> list[Aligned]:
    pairs = _Pairs(forced_new)
    for j, i in fixed.items():
        pairs.add(j, i)
    spaced_old = [_spaced(t) for t in old]
    spaced_new = [_spaced(t) for t in new]
    norm_old = [t.casefold() for t in spaced_old]
    norm_new = [t.casefold() for t in spaced_new]
    _pair_identical(norm_old, norm_new, pairs)
    bags_old, bags_new = _Bags(spaced_old), _Bags(spaced_new)
    scores = _pair_similar(bags_old, bags_new, pairs)
    split_from, merged_into = _splits_and_merges(bags_old, bags_new, pairs)
    stable = stable_order([pairs.new[j] for j in range(len(new)) if j in pairs.new])

    deleted_after = after_survivors((i, i in pairs.old) for i in range(len(old)))

    out: list[Aligned] = []

    def add_deleted(after: int) -> None:
        for i in deleted_after.pop(after, []):
            out.append(Aligned(i, None, Relation.DELETED, merged_into=merged_into.get(i)))

    add_deleted(-1)
    for j in range(len(new)):
        i = pairs.new.get(j)
        if i is None:
            out.append(Aligned(None, j, Relation.NEW, split_from=split_from.get(j)))
            continue
        if norm_old[i] == norm_new[j]:
            sim = 1.0
        else:
            sim = scores.get((i, j)) or _dice(bags_old, i, bags_new, j)
        same = spaced_old[i] == spaced_new[j]
        out.append(Aligned(i, j, Relation.SAME if same else Relation.CHANGED, sim, moved=i not in stable))
        add_deleted(i)
    for after in sorted(deleted_after):
        add_deleted(after)
    return out
