"""Structure detection: the contract in drafter/text/structure.py's docstring."""

from __future__ import annotations

import pytest

from drafter.text import footnotes
from drafter.text.numbering import number_labels
from drafter.text.structure import (
    Block,
    Kind,
    ParsedParagraph,
    classify,
    clean_extracted_text,
    parse_text,
    split_blocks,
)

H, P, O, S = Kind.HEADING, Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH

DRAFT = """\
Zero draft

12 March 2026

Political declaration of the high-level meeting on water

The General Assembly,

Recalling its resolution 70/1 of 25 September 2015, entitled "Transforming our world",

Deeply concerned about the lack of access to safe drinking water,

1. Decides to convene a high-level meeting on water in 2026;

2. Requests the Secretary-General:

(a) To prepare a report;

(b) To consult Member States, including:

(i) Small island developing States;

(ii) Least developed countries;

(c) To report back to the General Assembly;

Follow-up and review

3. Decides to remain seized of the matter.
"""


def shape(text: str) -> list[tuple[Kind, str, int]]:
    return [(p.kind, p.number, p.level) for p in parse_text(text).paragraphs]


def test_a_draft() -> None:
    result = parse_text(DRAFT)
    assert result.title_lines == [
        "Zero draft", "12 March 2026", "Political declaration of the high-level meeting on water", "The General Assembly,",
    ]  # fmt: skip
    assert result.warnings == []
    assert [(p.kind, p.number, p.level) for p in result.paragraphs] == [
        (P, "", 0), (P, "", 0),
        (O, "1", 0), (O, "2", 0), (S, "a", 1), (S, "b", 1), (S, "i", 2), (S, "ii", 2), (S, "c", 1),
        (H, "", 0),
        (O, "3", 0),
    ]  # fmt: skip
    texts = [p.text for p in result.paragraphs]
    assert texts[2] == "Decides to convene a high-level meeting on water in 2026;"  # the number is split off
    assert texts[4] == "To prepare a report;"
    assert texts[9] == "Follow-up and review"


def test_italic_openings_are_detected() -> None:
    paragraphs = parse_text(DRAFT).paragraphs
    openings = [p.text[: p.italic_chars] for p in paragraphs]
    assert openings[:4] == ["Recalling", "Deeply concerned", "Decides", "Requests"]
    assert openings[4] == openings[9] == ""  # subparagraphs and headings have none


def test_printed_numbers_match_the_numbering_of_the_parsed_kinds() -> None:
    paragraphs = parse_text(DRAFT).paragraphs
    labels = number_labels([(p.kind, p.level) for p in paragraphs])
    printed = [p.number if p.kind is not S else f"({p.number})" for p in paragraphs]
    assert labels == [x if x != "()" else "" for x in printed]


def test_windows_and_mac_line_endings_bom_and_form_feeds() -> None:
    text = "\ufeffRecalling its resolution 1,\r\n\r\n1. Decides to act;\r\n\r\n2. Requests a report.\r\n"
    assert shape(text) == [(P, "", 0), (O, "1", 0), (O, "2", 0)]
    assert shape(text.replace("\r\n", "\r")) == shape(text)
    assert shape(text.replace("\r\n\r\n", "\f")) == shape(text)
    assert [p.text for p in parse_text(text).paragraphs][1] == "Decides to act;"


@pytest.mark.parametrize(
    ("line", "number", "text"),
    [
        ("5. Decides to act;", "5", "Decides to act;"),
        ("5.\tDecides to act;", "5", "Decides to act;"),
        ("5\tDecides to act;", "5", "Decides to act;"),
        ("5.Decides to act;", "5", "Decides to act;"),
    ],
)
def test_operative_labels(line: str, number: str, text: str) -> None:
    result = parse_text(f"Recalling A,\n\n{line}")
    para = result.paragraphs[-1]
    assert (para.kind, para.number, para.text) == (O, number, text)


def test_a_decimal_is_not_a_label() -> None:
    result = parse_text("1. Decides to act;\n\n2.5 million people lack water.")
    assert [p.kind for p in result.paragraphs] == [O, P]
    assert result.paragraphs[1].text == "2.5 million people lack water."


def test_a_number_without_its_period_counts_when_it_is_the_next_one() -> None:
    result = parse_text("24. Decides to act;\n\n25 Requests a report;\n\n40 States agree to act.")
    assert [(p.kind, p.number) for p in result.paragraphs] == [(O, "24"), (O, "25"), (P, "")]
    assert result.paragraphs[1].text == "Requests a report;"


def test_operative_numbers_out_of_sequence_are_reported() -> None:
    result = parse_text("1. Decides to act;\n\n3. Requests a report;\n\n2. Urges States to act.")
    assert [p.number for p in result.paragraphs] == ["1", "3", "2"]
    assert result.warnings == [
        "Operative paragraph 3 is out of sequence (after 1; expected 2).",
        "Operative paragraph 2 is out of sequence (after 3; expected 4).",
    ]


def test_a_first_number_other_than_one_is_reported() -> None:
    result = parse_text("4. Decides to act.")
    assert result.warnings == ["Operative paragraph 4 is out of sequence (first; expected 1)."]


def test_subparagraph_labels_and_levels() -> None:
    text = "1. Decides:\n\na) first;\n\nb) second, with:\n\n(i) one;\n\n(ii) two;\n\n(A) capital;\n\n(1) numbered;"
    assert shape(text) == [(O, "1", 0), (S, "a", 1), (S, "b", 1), (S, "i", 2), (S, "ii", 2), (S, "A", 3), (S, "1", 4)]


def test_i_after_h_is_a_letter_and_i_after_a_is_a_numeral() -> None:
    letters = "1. Decides:\n\n" + "\n\n".join(f"({c}) item {c};" for c in "abcdefghij")
    assert [p.level for p in parse_text(letters).paragraphs[1:]] == [1] * 10
    nested = "1. Decides:\n\n(a) item;\n\n(i) first;\n\n(ii) second;\n\n(iii) third;\n\n(b) item;"
    assert shape(nested)[1:] == [(S, "a", 1), (S, "i", 2), (S, "ii", 2), (S, "iii", 2), (S, "b", 1)]


def test_subparagraph_letters_restart_under_each_parent() -> None:
    text = "1. Decides:\n\n(a) one;\n\n(b) two;\n\n2. Requests:\n\n(a) one;\n\n(b) two."
    result = parse_text(text)
    assert result.warnings == []
    assert [p.number for p in result.paragraphs] == ["1", "a", "b", "2", "a", "b"]


def test_subparagraph_letters_out_of_sequence_are_reported() -> None:
    result = parse_text("1. Decides:\n\n(a) one;\n\n(c) three;")
    assert result.warnings == ["Subparagraph (c) is out of sequence (expected (b))."]


def test_a_subparagraph_with_no_paragraph_above_it_is_reported() -> None:
    result = parse_text("(a) an orphan item;\n\n1. Decides to act.")
    assert result.paragraphs[0].kind is S
    assert result.warnings == ["Subparagraph “(a) an orphan item;” has no paragraph above it."]


@pytest.mark.parametrize(
    "heading",
    ["Follow-up and review", "I. Introduction", "A. Scope of the declaration.", "Means of implementation"],
)
def test_headings(heading: str) -> None:
    result = parse_text(f"Recalling A,\n\n{heading}\n\n1. Decides to act.")
    assert [p.kind for p in result.paragraphs] == [P, H, O]
    assert result.paragraphs[1].text == heading


def test_a_long_block_without_closing_punctuation_is_not_a_heading() -> None:
    long = "Recalling " + "the relevant resolutions of the General Assembly " * 5
    result = parse_text(f"{long.strip()}\n\n1. Decides to act.")
    assert [p.kind for p in result.paragraphs] == [P, O]


def test_preambular_paragraphs_come_before_the_first_operative_one() -> None:
    text = "Recalling A,\n\nNoting B,\n\nStressing C,\n\n1. Decides D;\n\n2. Requests E."
    assert [p.kind for p in parse_text(text).paragraphs] == [P, P, P, O, O]


def test_an_unnumbered_paragraph_among_operative_ones_stays_unnumbered_with_a_warning() -> None:
    result = parse_text("1. Decides A;\n\nNoting with concern the situation,\n\n2. Requests B.")
    assert [(p.kind, p.number) for p in result.paragraphs] == [(O, "1"), (P, ""), (O, "2")]
    assert result.warnings == [
        "An unnumbered paragraph after operative paragraph 1 was kept unnumbered: “Noting with concern the situation,”."
    ]


def test_without_numbers_operative_paragraphs_start_at_the_first_operative_verb() -> None:
    result = parse_text("Recalling A,\n\nNoting B,\n\nDecides C;\n\nRequests D;\n\nInvites E.")
    assert [(p.kind, p.number) for p in result.paragraphs] == [(P, ""), (P, ""), (O, ""), (O, ""), (O, "")]
    assert number_labels([(p.kind, p.level) for p in result.paragraphs]) == ["", "", "1", "2", "3"]


def test_title_block_up_to_the_chapeau() -> None:
    text = "A/80/L.41\n\nDistr.: Limited\n16 December 2025\n\nSome title\n\nThe General Assembly,\n\nRecalling A,\n\n1. Decides B."
    result = parse_text(text)
    assert result.title_lines == [
        "A/80/L.41",
        "Distr.: Limited",
        "16 December 2025",
        "Some title",
        "The General Assembly,",
    ]
    assert [p.kind for p in result.paragraphs] == [P, O]


def test_title_block_without_chapeau_takes_masthead_lines_only() -> None:
    text = "A/80/L.99\nDistr.: Limited\n1 April 2026\n\nTitle of the resolution\n\nRecalling A,\n\n1. Decides B."
    result = parse_text(text)
    assert result.title_lines == ["A/80/L.99", "Distr.: Limited", "1 April 2026"]
    assert [(p.kind, p.text) for p in result.paragraphs][0] == (H, "Title of the resolution")


def test_no_title_block() -> None:
    assert parse_text("Recalling A,\n\n1. Decides B.").title_lines == []


def test_wrapped_lines_are_joined() -> None:
    text = (
        "Recalling its resolution 70/1 of 25 September 2015, and all its\n"
        "subsequent resolutions on the topic,\n"
        "1. Decides to engage multi-\n"
        "stakeholder partners and the\n"
        "private sector;\n"
        "2. Requests a report."
    )
    result = parse_text(text)
    assert [p.text for p in result.paragraphs] == [
        "Recalling its resolution 70/1 of 25 September 2015, and all its subsequent resolutions on the topic,",
        "Decides to engage multi-stakeholder partners and the private sector;",
        "Requests a report.",
    ]


def test_one_paragraph_per_line() -> None:
    assert shape("Recalling A,\nNoting B,\n1. Decides C;\n2. Requests D.") == [
        (P, "", 0),
        (P, "", 0),
        (O, "1", 0),
        (O, "2", 0),
    ]


def test_a_label_alone_on_its_line() -> None:
    result = parse_text("1. Decides A;\n\n2.\n\nRequests B.")
    assert [(p.number, p.text) for p in result.paragraphs] == [("1", "Decides A;"), ("2", "Requests B.")]


def test_footnotes_attach_to_the_paragraph_with_their_marker() -> None:
    text = (
        "Recalling its resolution 70/1,1\n\n1. Decides to act,2 now.\n\n__________\n1 Resolution 70/1.\n2 See A/80/1."
    )
    result = parse_text(text)
    assert [p.footnotes for p in result.paragraphs] == [{1: "Resolution 70/1."}, {1: "See A/80/1."}]
    m = footnotes.marker(1)
    # the printed number becomes a marker: a renumbered footnote is no change of the words
    assert [p.text for p in result.paragraphs] == [f"Recalling its resolution 70/1,{m}", f"Decides to act,{m} now."]
    assert result.warnings == []


def test_a_marker_printed_after_a_space_joins_its_word() -> None:
    result = parse_text("Recalling the Agenda for 2004 3 and the Pact,\n\n__________\n3 Resolution 58/1.")
    assert result.paragraphs[0].text == f"Recalling the Agenda for 2004{footnotes.marker(1)} and the Pact,"


def test_a_footnote_without_its_marker_is_reported_and_kept() -> None:
    result = parse_text("Recalling A,\n\n1. Decides B.\n\n__________\n1 Resolution 70/1.")
    assert len(result.warnings) == 1 and result.warnings[0].startswith("Footnote 1 was not found in the text")
    assert result.paragraphs[0].text == "Recalling A," + footnotes.marker(1)
    assert result.paragraphs[0].footnotes == {1: "Resolution 70/1."}


def test_marker_characters_pasted_in_are_dropped() -> None:
    result = parse_text(f"Recalling A{footnotes.marker(3)},")
    assert result.paragraphs[0].text == "Recalling A," and result.paragraphs[0].footnotes == {}


@pytest.mark.parametrize(
    "closing",
    ["64th plenary meeting\n15 December 2025", "64th plenary meeting 15 December 2025", "64th plenary meeting"],
)
def test_the_closing_line_is_left_out(closing: str) -> None:
    result = parse_text(f"Recalling A,\n\n1. Decides B.\n\n{closing}")
    assert [p.kind for p in result.paragraphs] == [P, O]
    assert result.warnings == [f"Left out the closing line “{' '.join(closing.split())}”."]


def test_page_furniture_is_dropped() -> None:
    text = "A/80/L.99\nRecalling A,\n2/18\n25-16621 (E)\n\fA/80/L.99\n1. Decides B."
    extracted = clean_extracted_text(text)
    assert "2/18" not in extracted.body and "25-16621" not in extracted.body
    assert extracted.body.count("A/80/L.99") == 1


def test_split_blocks() -> None:
    blocks = split_blocks("Recalling A,\n\n1. Decides B;\n2. Requests C.")
    assert [b.text for b in blocks] == ["Recalling A,", "1. Decides B;", "2. Requests C."]


def test_classify_trusts_word_hints() -> None:
    blocks = [
        Block("Introduction", heading_hint=True),
        Block("Recalling A,", italic_chars=9),
        Block("Decides B:", number_hint="1."),
        Block("first item;", level_hint=1),
        Block("Requests C.", level_hint=0),
    ]
    result = classify(blocks)
    assert result.paragraphs == [
        ParsedParagraph(H, "Introduction"),
        ParsedParagraph(P, "Recalling A,", italic_chars=9),
        ParsedParagraph(O, "Decides B:", "1", italic_chars=7),
        ParsedParagraph(S, "first item;", level=1),
        ParsedParagraph(O, "Requests C.", italic_chars=8),
    ]


def test_empty_text() -> None:
    result = parse_text("")
    assert result.paragraphs == [] and result.title_lines == [] and result.warnings == []
    assert parse_text(" \n\n\t\n").paragraphs == []


def test_a_footnote_after_the_closing_comma_leaves_a_paragraph_a_paragraph() -> None:
    m = footnotes.marker(1)
    result = classify([Block(f"Recalling its resolutions on the marine environment,{m}"), Block(f"Commitments{m}")])
    assert [p.kind for p in result.paragraphs] == [P, H]
