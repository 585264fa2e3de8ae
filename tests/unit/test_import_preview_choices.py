"""The choice lists of the import preview: every earlier paragraph for a small text, a few nearby for a long one."""

from __future__ import annotations

from drafter.importing.preview import AROUND, FULL_LISTS, pairing_choices
from drafter.text.align import Aligned, Relation


def same(i: int, j: int) -> Aligned:
    return Aligned(i, j, Relation.SAME, 1.0)


def test_a_small_text_offers_every_earlier_paragraph_on_every_row() -> None:
    assert pairing_choices([same(i, i) for i in range(200)], 200, 200) is None


def test_a_long_text_offers_the_chosen_paragraph_and_its_neighbours() -> None:
    n = 1000
    assert n * n > FULL_LISTS
    alignment = [same(i, i) for i in range(n)]
    alignment[500] = Aligned(20, 500, Relation.CHANGED, 0.8, moved=True)  # moved from far up
    choices = pairing_choices(alignment, n, n)
    assert choices is not None and len(choices) == n
    assert choices[0] == list(range(AROUND + 1))
    assert choices[300] == list(range(300 - AROUND, 300 + AROUND + 1))
    assert choices[500] == list(range(20 - AROUND, 20 + AROUND + 1))
    assert choices[n - 1] == list(range(n - 1 - AROUND, n))
    assert max(len(c) for c in choices) <= 2 * AROUND + 3


def test_an_unpaired_paragraph_is_offered_the_paragraphs_after_the_pair_above_it_and_its_origin() -> None:
    n = 600
    alignment = [same(i, i) for i in range(100)]
    alignment.append(Aligned(None, 100, Relation.NEW, split_from=400))
    alignment += [same(i, i + 1) for i in range(100, n)]
    choices = pairing_choices(alignment, n, n + 1)
    assert choices is not None
    assert choices[100] == sorted({*range(100 - AROUND, 100 + AROUND + 1), 400})


def test_rows_below_the_last_earlier_paragraph_are_offered_its_last_ones() -> None:
    alignment = [same(i, i) for i in range(300)] + [Aligned(None, j, Relation.NEW) for j in range(300, 400)]
    choices = pairing_choices(alignment, 300, 400)
    assert choices is not None
    assert choices[399] == list(range(299 - AROUND, 300))
