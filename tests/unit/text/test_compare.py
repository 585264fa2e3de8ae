"""Comparing two versions of a text whose paragraphs carry identities."""

from __future__ import annotations

from drafter.text.compare import Change, Counts, compare, counts, stable_order
from drafter.text.diff import Op

Para = tuple[int, str]  # (identity, text)


def rows_of(old: list[Para], new: list[Para]) -> list[tuple[int | None, int | None, Change, bool]]:
    rows = compare(old, new, key=lambda p: p[0], text=lambda p: p[1])
    return [(r.old[0] if r.old else None, r.new[0] if r.new else None, r.change, r.moved) for r in rows]


OLD = [(1, "Recalling A,"), (2, "Noting B,"), (3, "Decides C;"), (4, "Requests D.")]


def test_unchanged() -> None:
    rows = compare(OLD, OLD, key=lambda p: p[0], text=lambda p: p[1])
    assert [r.change for r in rows] == [Change.UNCHANGED] * 4
    assert counts(rows) == Counts(changed=0, new=0, deleted=0, moved=0, unchanged=4)
    assert all(r.diff.similarity == 1.0 for r in rows)


def test_changed_new_and_deleted_in_the_new_order() -> None:
    new = [(5, "Welcoming E,"), (1, "Recalling A,"), (3, "Decides C and F;"), (4, "Requests D.")]
    assert rows_of(OLD, new) == [
        (None, 5, Change.NEW, False),
        (1, 1, Change.UNCHANGED, False),
        (2, None, Change.DELETED, False),  # where it stood: after its old predecessor
        (3, 3, Change.CHANGED, False),
        (4, 4, Change.UNCHANGED, False),
    ]
    rows = compare(OLD, new, key=lambda p: p[0], text=lambda p: p[1])
    assert rows[0].diff.new_text == "Welcoming E,"
    assert rows[2].diff.old_text == "Noting B," and rows[2].diff.new_text == ""
    assert [o.op for o in rows[3].diff.ops if o.op is not Op.EQUAL] == [Op.INSERT]
    assert counts(rows) == Counts(changed=1, new=1, deleted=1, moved=0, unchanged=2)


def test_deleted_first_paragraph_comes_first() -> None:
    assert rows_of(OLD, OLD[1:])[0] == (1, None, Change.DELETED, False)


def test_a_moved_paragraph_is_flagged() -> None:
    new = [OLD[0], OLD[2], OLD[3], OLD[1]]
    assert rows_of(OLD, new) == [
        (1, 1, Change.UNCHANGED, False),
        (3, 3, Change.UNCHANGED, False),
        (4, 4, Change.UNCHANGED, False),
        (2, 2, Change.UNCHANGED, True),
    ]
    rows = compare(OLD, new, key=lambda p: p[0], text=lambda p: p[1])
    assert counts(rows).moved == 1 and counts(rows).unchanged == 3


def test_everything_deleted_or_new() -> None:
    assert [r[2] for r in rows_of(OLD, [])] == [Change.DELETED] * 4
    assert [r[2] for r in rows_of([], OLD)] == [Change.NEW] * 4
    assert rows_of([], []) == []


def test_stable_order_keeps_a_longest_increasing_run() -> None:
    assert stable_order([]) == set()
    assert stable_order([0, 1, 2]) == {0, 1, 2}
    assert stable_order([0, 3, 1, 2]) == {0, 1, 2}
    assert len(stable_order([4, 0, 1, 2, 3])) == 4
