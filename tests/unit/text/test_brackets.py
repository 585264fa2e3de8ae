"""Bracketed passages and alternatives: pairing, positions named, attributions carried through edits."""

from __future__ import annotations

import pytest

from drafter.errors import InvalidInput
from drafter.text import brackets as b
from drafter.text import footnotes

TEXT = "Decides, [in accordance with national legislation], to act [Alt 1: to strengthen] [Alt. 2 : to enhance] now."


def test_brackets_pair_up_in_order_and_alternatives_are_named():
    found = b.spans(TEXT)
    assert [s.inner for s in found] == [
        "in accordance with national legislation",
        "Alt 1: to strengthen",
        "Alt. 2 : to enhance",
    ]
    assert [s.alternative for s in found] == [None, 1, 2]
    assert [s.label for s in found] == ["[in accordance with national legislation]", "Alt 1", "Alt 2"]
    assert TEXT[found[0].start : found[0].end] == "[in accordance with national legislation]"
    assert found[2].words == "to enhance"
    assert b.spans("No brackets here.") == ()


def test_nested_brackets_are_passages_inside_passages():
    found = b.spans("To [promote [and protect]] rights")
    assert [(s.inner, s.depth) for s in found] == [("promote [and protect]", 0), ("and protect", 1)]
    assert b.count("To [promote [and protect]] rights") == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "Calls upon States, [in accordance with national legislation, to act",
            "The opening bracket at character 20, before “in accordance with…”, has no closing bracket.",
        ),
        ("Calls upon] States", "The closing bracket at character 11, after “Calls upon”, has no opening bracket."),
        ("]", "The closing bracket at character 1, has no opening bracket."),
        ("[[a] b", "The opening bracket at character 1, before “[a] b”, has no closing bracket."),
    ],
)
def test_brackets_that_do_not_pair_up_are_refused_with_their_position(text, message):
    with pytest.raises(InvalidInput) as e:
        b.spans(text)
    assert e.value.message == message
    assert b.count(text) >= 1


def test_footnote_markers_inside_a_passage_are_kept_and_not_counted_in_positions():
    note = footnotes.marker(1)
    text = f"Recalling{note} [resolution 70/1{footnote(2)}] and [more"
    found = b.spans(text.removesuffix(" and [more"))
    assert found[0].inner == f"resolution 70/1{footnote(2)}"
    with pytest.raises(InvalidInput, match="at character 33,"):
        b.spans(text)
    new = text.removesuffix(" and [more").replace("Recalling", "Also recalling")
    old = [b.attribution(found[0].inner, ["EU"])]
    assert b.carry(text.removesuffix(" and [more"), old, new) == old


def footnote(n: int) -> str:
    return footnotes.marker(n)


def test_arabic_and_chinese_passages():
    arabic = "يقرر [وفقا للتشريعات الوطنية] أن"
    chinese = "决定[根据国家立法]采取行动"
    assert b.spans(arabic)[0].inner == "وفقا للتشريعات الوطنية"
    assert b.spans(chinese)[0].inner == "根据国家立法"
    with pytest.raises(InvalidInput, match="character 6, before “وفقا للتشريعات”"):
        b.spans("يقرر [وفقا للتشريعات")
    old = [b.attribution("根据国家立法", ["G77 and China"])]
    assert b.carry(chinese, old, "兹决定[根据国家立法]采取行动") == old


def test_an_attribution_is_printed_after_its_passage():
    entry = b.attribution("in accordance with national legislation", ["G77 and China"], ["EU"], "2026-12-02T05:00:00")
    assert b.line(entry) == "(G77 and China; opposed: EU)"
    assert b.line(b.attribution("x", [], ["EU", "EU"])) == "(opposed: EU)"
    assert b.line(b.attribution("x")) == "" and b.line(None) == ""
    text = "Decides [in accordance with national legislation] to act"
    assert b.pieces(text, [entry], italic_chars=7) == [
        ("Decides", True, ""),
        (" [in accordance with national legislation]", False, "(G77 and China; opposed: EU)"),
        (" to act", False, ""),
    ]
    assert b.pieces("Decides [to act", [entry], italic_chars=7) == [("Decides", True, ""), (" [to act", False, "")]


def test_alternatives_in_one_line():
    pairs = b.attach(
        TEXT,
        [
            b.attribution("Alt 1: to strengthen", ["EU", "Japan"]),
            b.attribution("Alt. 2 : to enhance", ["G77 and China"]),
        ],
    )
    assert b.alternatives_line(pairs) == "Alt 1 (EU, Japan) / Alt 2 (G77 and China)"


def test_attributions_survive_edits_elsewhere_and_a_moved_passage():
    old_text = "Decides [to act] and [to report] soon"
    old = [b.attribution("to act", ["EU"]), b.attribution("to report", ["G77 and China"])]
    assert b.carry(old_text, old, "Also decides [to act] and [to report] very soon") == old
    moved = b.carry(old_text, old, "Decides [to report] first and [to act] later")
    assert moved == [old[1], old[0]]


def test_a_rewritten_passage_keeps_its_attribution_a_deleted_one_loses_it():
    old_text = "Decides [to act promptly on the matter] and [to report]"
    old = [b.attribution("to act promptly on the matter", ["EU"]), b.attribution("to report", ["Japan"])]
    rewritten = b.carry(old_text, old, "Decides [to act promptly on this matter] and [to report]")
    assert rewritten == [{**old[0], "text": "to act promptly on this matter"}, old[1]]
    assert b.carry(old_text, old, "Decides [something else entirely] and [to report]") == [old[1]]
    assert b.carry(old_text, old, "Decides to act and to report") == []
    with pytest.raises(InvalidInput, match="has no closing bracket"):
        b.carry(old_text, old, "Decides [to act")
    assert b.carry("Decides [to act", [{"text": "to act", "for": ["EU"]}], "Decides [to act]") == [
        {"text": "to act", "for": ["EU"]}
    ]
    assert b.carry(old_text, "not a list", "Decides [to act]") == []


def test_removing_the_brackets_keeps_the_words_deleting_drops_them():
    text = "Decides, [in accordance with national legislation], to act [Alt 1: to strengthen] now"
    first, alt = b.spans(text)
    assert (
        b.unbracket(text, first)
        == "Decides, in accordance with national legislation, to act [Alt 1: to strengthen] now"
    )
    assert b.without(text, first) == "Decides, to act [Alt 1: to strengthen] now"
    assert b.unbracket(text, alt) == "Decides, [in accordance with national legislation], to act to strengthen now"
    assert b.without("To ( [a] b)", b.spans("To ( [a] b)")[0]) == "To (b)"
    assert b.find(text, 1, "Alt 1: to strengthen") == alt
    with pytest.raises(InvalidInput, match="has changed since the page was loaded"):
        b.find(text, 1, "Alt 1: to enhance")
    with pytest.raises(InvalidInput, match="has changed"):
        b.find(text, 5, "x")
