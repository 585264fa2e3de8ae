"""What the import preview offers for each imported paragraph: which earlier paragraphs to pick from.

A choice list of every earlier paragraph on every row makes the page grow with the product of
the two lengths: 12 million options (1.2 GB of HTML) for 4,000 paragraphs against 3,000.
Past ``FULL_LISTS`` options in all, each row lists the paragraph the alignment chose, the
one it was split from, and the earlier paragraphs around where it is expected; the page's
script offers the whole list on demand, from one copy of it on the page.
"""

from __future__ import annotations

from collections.abc import Sequence

from drafter.text.align import Aligned

#: Below this many options in all, every row lists every earlier paragraph.
FULL_LISTS = 50_000
#: Earlier paragraphs listed on each side of where a paragraph is expected.
AROUND = 3


def pairing_choices(alignment: Sequence[Aligned], n_old: int, n_new: int) -> list[list[int]] | None:
    """Return, for each imported paragraph, the earlier paragraphs its choice list offers, or
    None when every list offers all of them."""
    if n_old * n_new <= FULL_LISTS:
        return None
    rows = {a.new: a for a in alignment if a.new is not None}
    choices: list[list[int]] = []
    last: tuple[int, int] | None = None  # (new index, old index) of the nearest pair above
    for j in range(n_new):
        a = rows.get(j)
        offered: set[int] = set()
        if a is not None and a.old is not None:
            where = a.old
            last = (j, a.old)
        else:
            where = last[1] + (j - last[0]) if last is not None else j * n_old // max(n_new, 1)
            where = min(where, n_old - 1)
        if a is not None and a.split_from is not None:
            offered.add(a.split_from)
        offered.update(range(max(0, where - AROUND), min(n_old, where + AROUND + 1)))
        if a is not None and a.old is not None:
            offered.add(a.old)
        choices.append(sorted(offered))
    return choices
