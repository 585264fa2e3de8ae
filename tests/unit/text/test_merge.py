"""Three-way merge: a proposal's edits applied to a paragraph the co-facilitators edited since."""

from __future__ import annotations

import pytest

from drafter.text.merge import Hunk, MergeResult, hunks, merge
from drafter.text.tokenize import tokenize

BASE = "Decides to convene a meeting in 2026."


@pytest.mark.parametrize(
    ("current", "proposed", "merged"),
    [
        # Edits of different words combine.
        ("Decides to convene a high-level meeting in 2026.", "Decides to convene a meeting in 2027.",
         "Decides to convene a high-level meeting in 2027."),
        ("Also decides to convene a meeting in 2026.", "Decides to convene a meeting in 2026 in Geneva.",
         "Also decides to convene a meeting in 2026 in Geneva."),
        ("Decides to hold a meeting in 2026.", "Decides to convene a summit in 2026.",
         "Decides to hold a summit in 2026."),
        # The same edit on both sides is made once.
        ("Decides to convene a summit in 2026.", "Decides to convene a summit in 2026.", "Decides to convene a summit in 2026."),
        ("Decides to convene a summit in 2027.", "Decides to convene a summit in 2026.", "Decides to convene a summit in 2027."),
    ],
)  # fmt: skip
def test_edits_of_different_words_combine(current: str, proposed: str, merged: str) -> None:
    result = merge(BASE, current, proposed)
    assert result == MergeResult(merged)
    assert result.clean


def test_a_replacement_next_to_an_insertion_across_a_space() -> None:
    base = "Urges States to act."
    assert (
        merge(base, "Calls upon States to act.", "Urges Member States to act.").text
        == "Calls upon Member States to act."
    )


@pytest.mark.parametrize(
    ("current", "proposed"),
    [
        # The same words changed differently.
        ("Decides to convene a meeting in 2027.", "Decides to convene a meeting in 2028."),
        ("Decides to hold a meeting in 2026.", "Decides to organize a meeting in 2026."),
        # A deletion against a change inside it.
        ("Decides to convene a meeting.", "Decides to convene a meeting in 2027."),
        # Insertions at the same point: no order is right.
        ("Decides to convene a high-level meeting in 2026.", "Decides to convene a global meeting in 2026."),
        # Words added right after words the other side removed were written against them.
        ("Decides to convene a meeting.", "Decides to convene a meeting in 2026 or 2027."),
    ],
)
def test_overlapping_different_edits_conflict(current: str, proposed: str) -> None:
    result = merge(BASE, current, proposed)
    assert result.text is None
    assert not result.clean
    assert result.conflicts
    for c in result.conflicts:
        assert c.current != c.proposed
        assert c.base in BASE


def test_conflict_shows_each_side_of_the_disputed_words() -> None:
    result = merge(BASE, "Decides to convene a meeting in 2027.", "Decides to convene a meeting in 2028.")
    (c,) = result.conflicts
    assert (c.base, c.current, c.proposed) == ("2026", "2027", "2028")


def test_insertions_at_one_point_conflict() -> None:
    result = merge("a b c", "a new b c", "a other b c")
    (c,) = result.conflicts
    assert (c.base, c.current, c.proposed) == ("", "new ", "other ")


@pytest.mark.parametrize(
    ("base", "current", "proposed", "merged"),
    [
        ("Decides to act.", "Decides to act.", "Requests a report.", "Requests a report."),  # nothing edited since
        (
            "Decides to act.",
            "Decides to act now.",
            "Decides to act.",
            "Decides to act now.",
        ),  # the proposal changes nothing
        ("Decides to act.", "Requests a report.", "Requests a report.", "Requests a report."),  # already taken up
        ("", "", "Decides to act.", "Decides to act."),
        ("Decides to act.", "", "Decides to act.", ""),
    ],
)
def test_unchanged_sides_shortcut(base: str, current: str, proposed: str, merged: str) -> None:
    assert merge(base, current, proposed) == MergeResult(merged)


def test_hunks_describe_the_edits_over_base_tokens() -> None:
    base = tokenize("a b c")
    assert hunks(base, tokenize("a X c")) == [Hunk(2, 3, ("X",))]
    assert hunks(base, tokenize("a b c d")) == [Hunk(5, 5, (" ", "d"))]
    assert hunks(base, tokenize("a c")) in ([Hunk(1, 3, ())], [Hunk(2, 4, ())])
    assert hunks(base, base) == []


def test_merge_keeps_whitespace_and_unicode() -> None:
    base = "Décide de convoquer une réunion\u00a0en 2026 ; 我们决定"
    current = "Décide de convoquer une réunion\u00a0en 2027 ; 我们决定"
    proposed = "Décide également de convoquer une réunion\u00a0en 2026 ; 我们决定"
    assert merge(base, current, proposed).text == "Décide également de convoquer une réunion\u00a0en 2027 ; 我们决定"
