"""Alignment of long texts: the work grows with the text, and the bounded search still finds pairs."""

from __future__ import annotations

import gc
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.text import align as align_module
from drafter.text.align import CANDIDATES, MAX_PART_DISTANCE, NEARBY, Relation, align

VOCABULARY = (
    "the of and to in for with on all its Member States development sustainable countries support "
    "international cooperation including national implementation capacity efforts relevant global "
    "strengthen promote ensure urges decides calls upon encourages requests recognizes stresses "
    "means resources technology transfer financing partnerships data systems access women girls"
).split()


def stock_paragraph(rng: random.Random, words: int) -> str:
    """Return a paragraph of common words, as synthetic as the worst real text: everything shares words."""
    return " ".join(rng.choice(VOCABULARY) for _ in range(words)) + ";"


def edit(rng: random.Random, text: str) -> str:
    """Return the text with two words replaced."""
    ws = text.split()
    for _ in range(2):
        ws[rng.randrange(len(ws))] = rng.choice(VOCABULARY)
    return " ".join(ws)


def revision_pair(n: int, seed: int = 7) -> tuple[list[str], list[str]]:
    """Return n old paragraphs and a new text where a third are edited and a third replaced by new ones."""
    rng = random.Random(seed)
    old = [stock_paragraph(rng, rng.randint(20, 60)) for _ in range(n)]
    new = [
        edit(rng, t) if k % 3 == 1 else stock_paragraph(rng, rng.randint(20, 60)) if k % 3 == 2 else t
        for k, t in enumerate(old)
    ]
    return old, new


def comparisons(monkeypatch: pytest.MonkeyPatch, old: list[str], new: list[str]) -> int:
    """Return how many times alignment computed the words two paragraphs share."""
    count = 0
    common = align_module._Bags.common

    def counted(self: object, k: int, other: frozenset[str]) -> int:
        nonlocal count
        count += 1
        return common(self, k, other)  # type: ignore[arg-type]

    monkeypatch.setattr(align_module._Bags, "common", counted)
    align(old, new)
    monkeypatch.undo()
    return count


def test_comparisons_grow_with_the_text_not_with_its_square(monkeypatch: pytest.MonkeyPatch) -> None:
    small = comparisons(monkeypatch, *revision_pair(300))
    large = comparisons(monkeypatch, *revision_pair(1200))
    # Each unpaired new paragraph meets its candidates and neighbours; each unpaired paragraph
    # on either side is compared with those near its expected place for a split or merge.
    per_paragraph = CANDIDATES + 2 * NEARBY + 1 + 2 * (2 * MAX_PART_DISTANCE + 1)
    assert large <= 1200 * per_paragraph
    assert large / small <= 4.5


def test_a_paragraph_moved_far_and_edited_is_found_among_thousands() -> None:
    rng = random.Random(11)
    old = [stock_paragraph(rng, rng.randint(20, 60)) for _ in range(2000)]
    moved = old[10]
    new = old[:10] + old[11:]
    new.insert(1900, edit(rng, moved))
    result = align(old, new)
    pair = next(a for a in result if a.new == 1900)
    assert pair.old == 10 and pair.relation is Relation.CHANGED and pair.moved


def test_edited_paragraphs_of_common_words_only_pair_in_place() -> None:
    # No word or word pair of these is rare, so no index finds them: their neighbours are
    # still compared with them.
    rng = random.Random(3)
    common = "the of and to in for".split()
    old = [f"Paragraph {k} number {k * 7919} on topic {k * 104729}." for k in range(1000)]
    new = list(old)
    for k in range(200):
        text = " ".join(rng.choice(common) for _ in range(rng.randint(15, 40))) + ";"
        ws = text.split()
        ws[rng.randrange(len(ws))] = "with"
        old.insert(5 * k, text)
        new.insert(5 * k, " ".join(ws))
    result = align(old, new)
    assert all(a.old == a.new for a in result)
    assert sum(a.relation is Relation.CHANGED for a in result) == 200


def test_a_heading_repeated_a_thousand_times_keeps_every_identity_in_order() -> None:
    old = [f"Paragraph {k} on topic {k * 7919} and its follow-up {k * 31}." for k in range(2000)]
    old[1::2] = ["Member States;"] * 1000
    new = ["A paragraph added at the top."] + old[:1001] + old[1002:]  # old 1001 ("Member States;") deleted
    result = align(old, new)
    paired = [(a.old, a.new) for a in result if a.old is not None and a.new is not None]
    assert paired == [(i, i + 1 if i < 1001 else i) for i in range(2000) if i != 1001]
    assert [a.old for a in result if a.relation is Relation.DELETED] == [1001]
    assert not any(a.moved for a in result)


def test_many_near_duplicate_paragraphs_all_edited_pair_in_order() -> None:
    old = [f"Requests the Secretary-General to report on item {k % 4} at its session;" for k in range(1200)]
    new = [t.replace("report", "submit a report") for t in old]
    result = align(old, new)
    assert [(a.old, a.new) for a in result] == [(k, k) for k in range(1200)]
    assert all(a.relation is Relation.CHANGED and not a.moved for a in result)


def nearest_first(groups: list[tuple[list[int], list[int]]], where: dict[int, float]) -> dict[int, int]:
    """Return the pairs of every (distance, new, old) of each group taken in order while both are free."""
    taken: dict[int, int] = {}
    for _, j, i in sorted((abs(i - where[j]), j, i) for olds, js in groups for j in js for i in olds):
        if j not in taken and i not in taken.values():
            taken[j] = i
    return taken


@given(
    st.lists(
        st.tuples(st.sets(st.integers(0, 60), max_size=8), st.lists(st.integers(-10, 70), max_size=8)),
        max_size=4,
    ),
    st.booleans(),
)
def test_duplicates_pair_nearest_first_as_if_every_pair_were_ranked(
    raw: list[tuple[set[int], list[int]]], halves: bool
) -> None:
    # Groups share no paragraph, as texts do; places may tie, and may fall outside the text.
    seen: set[int] = set()
    groups, where, j = [], {}, 0
    for olds, places in raw:
        mine = sorted(olds - seen)
        seen |= olds
        js = []
        for place in places:
            where[j] = place / 2 if halves else float(place)
            js.append(j)
            j += 1
        groups.append((mine, js))
    pairs = align_module._Pairs(set())
    align_module._pair_nearest(groups, where.__getitem__, pairs)
    assert pairs.new == nearest_first(groups, where)


@pytest.mark.parametrize("enabled", [True, False])
def test_alignment_leaves_the_garbage_collector_as_it_found_it_and_no_cycles_behind(enabled: bool) -> None:
    old, new = revision_pair(300)
    gc.collect()
    if not enabled:
        gc.disable()
    try:
        align(old, new)
        align_module.align_with_overrides(old, new, {0: None, 1: 0})
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
    # Reference counting freed everything: pausing the collector during alignment loses nothing.
    assert gc.collect() == 0
