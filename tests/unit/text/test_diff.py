"""Word diffs: exact, cut at word boundaries, readable."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.text.diff import REWRITE_THRESHOLD, DiffOp, Op, WordDiff, word_diff
from drafter.text.tokenize import tokenize

E, D, I = Op.EQUAL, Op.DELETE, Op.INSERT


def ops(d: WordDiff) -> list[tuple[Op, str]]:
    return [(o.op, o.text) for o in d.ops]


# -- Reconstruction: the property everything else relies on -------------------------------------

#: pieces of text in the scripts and characters negotiators paste
PIECES = [
    "Decides", "to", "convene", "the", "meeting", "States", "2030", "70/1", "high-level", "non\u2011discriminatory",
    "يقرر", "الدول", "مَرْحَبًا", "决定", "召开", "会议", "我们", "Постановляет", "государства", "Décide", "e\u0301",
    "\u0301", "\u064e", "👍", "👍🏽", "👩\u200d💻", "❤\ufe0f", "\u200d", "\u200c",
    " ", "  ", "\t", "\n", "\r\n", "\u00a0", ",", ".", ";", ":", "«", "»", "“", "”", "(", ")", "–", "-", "،", "。", "，",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@st.composite
def edited_pairs(draw: st.DrawFn) -> tuple[str, str]:
    """An old text and a new one made from it by a few edits (so both equal and changed runs)."""
    old = draw(st.lists(st.sampled_from(PIECES), max_size=40))
    new = list(old)
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(new)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(PIECES))
        if action == "insert" or not new:
            new.insert(at, piece)
        elif action == "delete":
            del new[min(at, len(new) - 1)]
        else:
            new[min(at, len(new) - 1)] = piece
    return "".join(old), "".join(new)


def check_reconstructs(old: str, new: str) -> WordDiff:
    d = word_diff(old, new)
    assert d.old_text == old
    assert d.new_text == new
    assert all(o.text for o in d.ops), "no empty runs"
    assert all(a.op is not b.op for a, b in zip(d.ops, d.ops[1:])), "neighbouring runs differ in kind"
    assert d.changed == (old != new)
    assert 0.0 <= d.similarity <= 1.0
    return d


@settings(max_examples=400, deadline=None)
@given(edited_pairs())
def test_edited_text_reconstructs_both_versions(pair: tuple[str, str]) -> None:
    d = check_reconstructs(*pair)
    # Runs start and end on token boundaries, in both versions: no word is cut.
    for text, skipped in ((pair[0], Op.INSERT), (pair[1], Op.DELETE)):
        bounds = {0}
        for t in tokenize(text):
            bounds.add(max(bounds) + len(t))
        pos = 0
        for o in d.ops:
            if o.op is not skipped:
                pos += len(o.text)
                assert pos in bounds, (o, text)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_unrelated_texts_reconstruct(old: str, new: str) -> None:
    check_reconstructs(old, new)


@settings(max_examples=300, deadline=None)
@given(st.text(), st.text())
def test_any_unicode_reconstructs(old: str, new: str) -> None:
    check_reconstructs(old, new)


# -- What a reader sees ---------------------------------------------------------------------------


def test_identical_texts() -> None:
    d = word_diff("Decides to act.", "Decides to act.")
    assert ops(d) == [(E, "Decides to act.")]
    assert d.similarity == 1.0 and not d.changed
    assert word_diff("", "") == WordDiff((), 1.0)


def test_insertion_cut_at_word_boundaries() -> None:
    d = word_diff("Decides to convene a meeting.", "Decides to convene a high-level meeting.")
    assert ops(d) == [(E, "Decides to convene a "), (I, "high-level "), (E, "meeting.")]
    assert d.inserted_words == 2 and d.deleted_words == 0


def test_repeated_word_insertion_slides_to_a_word_boundary() -> None:
    # "the new[+ new] cat" and "the [+new ]new cat" are the same change; the cut falls between words.
    d = word_diff("the new cat", "the new new cat")
    (inserted,) = [o.text for o in d.ops if o.op is I]
    assert inserted.strip() == "new"
    assert inserted[0].isspace() or inserted[-1].isspace()


def test_a_changed_word_is_replaced_whole() -> None:
    d = word_diff("Decides to act now.", "Decides to acts now.")
    assert ops(d) == [(E, "Decides to "), (D, "act"), (I, "acts"), (E, " now.")]


def test_neighbouring_word_changes_read_as_one_replacement() -> None:
    d = word_diff("The meeting shall decide.", "The conference will decide.")
    assert ops(d) == [(E, "The "), (D, "meeting shall"), (I, "conference will"), (E, " decide.")]


def test_a_resolution_symbol_is_not_cut_at_its_slash() -> None:
    d = word_diff("Recalling its resolution 71/2,", "Recalling its resolution 72/3,")
    assert ops(d) == [(E, "Recalling its resolution "), (D, "71/2"), (I, "72/3"), (E, ",")]


def test_deleted_words() -> None:
    d = word_diff("Strongly urges all States to act.", "Urges States to act.")
    assert d.old_text == "Strongly urges all States to act."
    assert d.deleted_words >= 2
    assert (E, " States to act.") in ops(d)


def test_a_rewrite_is_shown_as_one_replacement() -> None:
    old = "Decides to convene a high-level meeting on water in 2026;"
    new = "Welcomes the offer of Fiji to host the conference next year."
    d = word_diff(old, new)
    assert d.similarity < REWRITE_THRESHOLD
    assert ops(d) == [(D, old), (I, new)]


@pytest.mark.parametrize(
    ("old", "new", "expected"), [("", "Decides.", [(I, "Decides.")]), ("Decides.", "", [(D, "Decides.")])]
)
def test_added_or_emptied_text(old: str, new: str, expected: list[tuple[Op, str]]) -> None:
    d = word_diff(old, new)
    assert ops(d) == expected
    assert d.similarity == 0.0


def test_chinese_is_diffed_per_character() -> None:
    d = word_diff("我们决定召开会议", "我们决定召开高级别会议")
    assert ops(d) == [(E, "我们决定召开"), (I, "高级别"), (E, "会议")]


def test_arabic_word_added() -> None:
    d = word_diff("ينبغي للدول أن تعمل", "ينبغي للدول أن تعمل معا")
    assert ops(d) == [(E, "ينبغي للدول أن تعمل"), (I, " معا")]


def test_similarity_counts_words_only() -> None:
    assert word_diff("Decides, to act", "Decides to act").similarity == 1.0
    assert word_diff("a b c d", "a x c y").similarity == pytest.approx(0.5)


def test_ops_are_frozen_plain_data() -> None:
    d = word_diff("a b", "a c")
    assert isinstance(d.ops, tuple) and all(isinstance(o, DiffOp) for o in d.ops)
    with pytest.raises(AttributeError):
        d.ops[0].text = "x"  # type: ignore[misc]
