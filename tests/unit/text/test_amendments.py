"""Formal amendment documents: parsing the instructions and applying them to a draft."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.text.amendments import (
    ALL,
    LAST,
    Action,
    ChangeKind,
    Instruction,
    ParsedAmendments,
    Problem,
    ProposedChange,
    Target,
    TargetParagraph,
    apply_amendments,
    parse_amendments,
)
from drafter.text.structure import Kind

PP, OP, SUB = Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH

#: A small draft of our own, keyed the way a caller keys lineages.
DRAFT = [
    TargetParagraph("pp1", PP, 1, "Recalling its resolution 12/34 on the protection of coastal wetlands,"),
    TargetParagraph("pp2", PP, 2, "Noting with concern the loss of mangrove forests in many regions,"),
    TargetParagraph(
        "pp3", PP, 3, "Recognizing the role of communities in the stewardship of wetlands, and the value of wetlands,"
    ),
    TargetParagraph("op1", OP, 1, "Welcomes the report of the Secretary-General on coastal wetlands;"),
    TargetParagraph(
        "op2", OP, 2, "Encourages Member States to protect coastal wetlands and to restore degraded mangrove forests;"
    ),
    TargetParagraph(
        "op3", OP, 3, "Requests the Secretary-General to submit a report on the present resolution at its next session;"
    ),
    TargetParagraph("op4", OP, 4, "Invites Member States:"),
    TargetParagraph("op4a", SUB, 0, "To share good practices on wetland restoration;", "(a)"),
    TargetParagraph("op4b", SUB, 0, "To support the collection of data on wetlands;", "(b)"),
    TargetParagraph(
        "op5",
        OP,
        5,
        "Decides to include in the agenda of its next session the item entitled “Coastal wetlands”.",
    ),
]
TEXT = {p.key: p.text for p in DRAFT}


def parse_one(text: str) -> Instruction:
    """Return the only instruction of ``text``, failing on anything not understood."""
    parsed = parse_amendments(text)
    assert parsed.unparsed == []
    assert len(parsed.instructions) == 1, parsed.instructions
    return parsed.instructions[0]


def apply(text: str, draft: list[TargetParagraph] = DRAFT) -> list[ProposedChange | Problem]:
    """Parse an amendment document and apply it to ``draft``."""
    parsed = parse_amendments(text)
    assert parsed.unparsed == []
    return apply_amendments(parsed.instructions, draft)


def amended(text: str, draft: list[TargetParagraph] = DRAFT) -> dict[object, str]:
    """Return the new text of each amended paragraph, failing on anything else."""
    outcomes = apply(text, draft)
    assert all(isinstance(o, ProposedChange) and o.kind is ChangeKind.AMEND for o in outcomes), outcomes
    return {o.key: o.text for o in outcomes if isinstance(o, ProposedChange)}


def messages(outcomes: list[ProposedChange | Problem]) -> list[str]:
    return [o.message for o in outcomes if isinstance(o, Problem)]


# -- Word edits ---------------------------------------------------------------------------------


def test_delete_words_in_preambular_paragraph_by_ordinal() -> None:
    doc = "In the second preambular paragraph, delete “in many regions”."
    assert parse_one(doc) == Instruction(Action.DELETE_WORDS, Target(PP, 2), words="in many regions", source=doc)
    assert amended(doc) == {"pp2": "Noting with concern the loss of mangrove forests,"}


@pytest.mark.parametrize(
    "doc",
    [
        'In operative paragraph 2, replace "protect" with "conserve".',
        "In operative paragraph 2, replace the word “protect” with the word “conserve”.",
        "In operative paragraph 2, replace “protect” by “conserve”;",
        "In operative paragraph 2, substitute “conserve” for “protect”.",
        "Replace “protect” with “conserve” in operative paragraph 2.",
        "In OP2, replace “protect” with “conserve”.",
    ],
)
def test_replace_words_forms(doc: str) -> None:
    ins = parse_one(doc)
    assert (ins.action, ins.target, ins.words, ins.text) == (Action.REPLACE_WORDS, Target(OP, 2), "protect", "conserve")
    assert amended(doc) == {"op2": TEXT["op2"].replace("protect", "conserve")}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            "In operative paragraph 3, after the words “a report”, insert “, with recommendations,”.",
            "Requests the Secretary-General to submit a report, with recommendations, on the present",
        ),
        (
            "In operative paragraph 3, before “report” insert “comprehensive”.",
            "Requests the Secretary-General to submit a comprehensive report on the present",
        ),
        (
            "In operative paragraph 3, insert “final” before “report”.",
            "Requests the Secretary-General to submit a final report on the present",
        ),
        (
            "In operative paragraph 3, insert the words “in writing” after the words “to submit”.",
            "Requests the Secretary-General to submit in writing a report on the present",
        ),
    ],
)
def test_insert_words_before_and_after(doc: str, expected: str) -> None:
    assert amended(doc)["op3"].startswith(expected)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (
            "At the end of operative paragraph 3, add “, with recommendations”.",
            "at its next session, with recommendations;",
        ),
        (
            "At the end of operative paragraph 3, add “, and to consult Member States thereon;”",
            "at its next session, and to consult Member States thereon;",
        ),
        (
            "In operative paragraph 3, add “and thereafter annually” at the end.",
            "next session and thereafter annually;",
        ),
        (
            "Add “and thereafter annually” at the end of operative paragraph 3.",
            "next session and thereafter annually;",
        ),
    ],
)
def test_add_at_the_end_goes_before_the_closing_punctuation(doc: str, expected: str) -> None:
    assert amended(doc)["op3"].endswith(expected)


def test_add_at_the_beginning() -> None:
    doc = "At the beginning of operative paragraph 1, insert “Also”."
    ins = parse_one(doc)
    assert ins.action is Action.ADD_AT_BEGINNING
    assert amended(doc)["op1"] == "Also Welcomes the report of the Secretary-General on coastal wetlands;"


def test_delete_several_quotations_in_one_instruction() -> None:
    doc = "In operative paragraph 2, delete “degraded” and “coastal”."
    assert amended(doc) == {"op2": "Encourages Member States to protect wetlands and to restore mangrove forests;"}


def test_lettered_edits_of_one_paragraph() -> None:
    doc = "In operative paragraph 3:\n(a) Replace “report” with “note”;\n(b) Delete “present”."
    assert amended(doc) == {
        "op3": "Requests the Secretary-General to submit a note on the resolution at its next session;"
    }


def test_instruction_on_several_paragraphs() -> None:
    doc = "In operative paragraphs 1 and 2, replace “coastal wetlands” with “wetlands”."
    assert [i.target for i in parse_amendments(doc).instructions] == [Target(OP, 1), Target(OP, 2)]
    result = amended(doc)
    assert result["op1"] == "Welcomes the report of the Secretary-General on wetlands;"
    assert result["op2"].startswith("Encourages Member States to protect wetlands and")


# -- Paragraph edits ----------------------------------------------------------------------------


def test_insert_a_new_paragraph_after_an_operative_paragraph() -> None:
    doc = 'After operative paragraph 3, insert a new paragraph reading: "Calls upon donors to support restoration;"'
    ins = parse_one(doc)
    assert (ins.action, ins.target, ins.new_kind) == (Action.INSERT_PARAGRAPH_AFTER, Target(OP, 3), OP)
    assert apply(doc) == [
        ProposedChange(ChangeKind.INSERT_AFTER, "op3", "Calls upon donors to support restoration;", OP, (ins,))
    ]


def test_new_paragraph_in_the_blocks_after_the_instruction() -> None:
    doc = (
        "Sponsors: amendment to draft resolution X/1\n\n"
        "After operative paragraph 1, insert the following new operative paragraph:\n\n"
        "Stresses the value of wetlands for\nflood protection;\n"
    )
    ins = parse_one(doc)
    assert ins.text == "Stresses the value of wetlands for flood protection;"
    assert ins.source == "After operative paragraph 1, insert the following new operative paragraph:"


def test_insert_a_new_preambular_paragraph_verb_first() -> None:
    doc = (
        "Insert a new preambular paragraph after the second preambular paragraph, reading:\n\n"
        "Aware of the role of wetlands in storing carbon,"
    )
    ins = parse_one(doc)
    assert (ins.action, ins.target, ins.new_kind) == (Action.INSERT_PARAGRAPH_AFTER, Target(PP, 2), PP)
    [change] = apply(doc)
    assert isinstance(change, ProposedChange)
    assert (change.kind, change.key, change.text) == (ChangeKind.INSERT_AFTER, "pp2", ins.text)


def test_insertion_after_a_paragraph_comes_after_its_subparagraphs() -> None:
    [change] = apply("After operative paragraph 4, insert a new operative paragraph reading: “Notes progress;”")
    assert isinstance(change, ProposedChange) and change.key == "op4b"


def test_insertion_before_the_first_operative_paragraph_follows_the_last_preambular() -> None:
    [change] = apply("Before operative paragraph 1, insert a new paragraph reading: “Affirms its support;”")
    assert isinstance(change, ProposedChange)
    assert (change.kind, change.key, change.new_kind) == (ChangeKind.INSERT_AFTER, "pp3", OP)


def test_delete_several_targets_in_one_instruction() -> None:
    doc = "Delete the third preambular paragraph and operative paragraph 2."
    assert [(i.action, i.target) for i in parse_amendments(doc).instructions] == [
        (Action.DELETE_PARAGRAPH, Target(PP, 3)),
        (Action.DELETE_PARAGRAPH, Target(OP, 2)),
    ]
    assert [(o.kind, o.key) for o in apply(doc) if isinstance(o, ProposedChange)] == [
        (ChangeKind.DELETE, "pp3"),
        (ChangeKind.DELETE, "op2"),
    ]


@pytest.mark.parametrize(
    ("doc", "targets"),
    [
        ("Delete operative paragraphs 2 to 4.", [Target(OP, 2), Target(OP, 3), Target(OP, 4)]),
        ("Delete operative paragraphs 2-3.", [Target(OP, 2), Target(OP, 3)]),
        ("Delete the first and third preambular paragraphs.", [Target(PP, 1), Target(PP, 3)]),
        ("Delete the first, second and third preambular paragraphs.", [Target(PP, 1), Target(PP, 2), Target(PP, 3)]),
        ("Delete the first to third preambular paragraphs.", [Target(PP, 1), Target(PP, 2), Target(PP, 3)]),
        ("Delete the 2nd preambular paragraph.", [Target(PP, 2)]),
        ("Delete the last preambular paragraph.", [Target(PP, LAST)]),
        ("Delete subparagraph (b) of operative paragraph 4.", [Target(OP, 4, "(b)")]),
        ("Delete operative paragraph 4, subparagraph (b).", [Target(OP, 4, "(b)")]),
        ("Delete operative paragraph 4 (a) and (b).", [Target(OP, 4, "(a)"), Target(OP, 4, "(b)")]),
        ("Delete PP3 and OP5.", [Target(PP, 3), Target(OP, 5)]),
    ],
)
def test_target_phrases(doc: str, targets: list[Target]) -> None:
    assert [i.target for i in parse_amendments(doc).instructions] == targets


def test_delete_the_last_preambular_paragraph() -> None:
    assert [
        (o.kind, o.key) for o in apply("Delete the last preambular paragraph.") if isinstance(o, ProposedChange)
    ] == [(ChangeKind.DELETE, "pp3")]


@pytest.mark.parametrize(
    "doc",
    [
        "Replace operative paragraph 5 with the following:\n\n“Decides to remain seized of the matter.”",
        "Replace operative paragraph 5 with the following: Decides to remain seized of the matter.",
        "Amend operative paragraph 5 to read as follows: “Decides to remain seized of the matter.”",
        "In operative paragraph 5, replace the paragraph with “Decides to remain seized of the matter.”",
    ],
)
def test_replace_a_whole_paragraph(doc: str) -> None:
    assert parse_one(doc).action is Action.REPLACE_PARAGRAPH
    assert amended(doc) == {"op5": "Decides to remain seized of the matter."}


def test_replace_several_paragraphs_with_one() -> None:
    doc = "Replace operative paragraphs 2 and 3 with the following: “Encourages action;”"
    assert [(o.kind, o.key) for o in apply(doc) if isinstance(o, ProposedChange)] == [
        (ChangeKind.AMEND, "op2"),
        (ChangeKind.DELETE, "op3"),
    ]


# -- Subparagraphs ------------------------------------------------------------------------------


def test_subparagraph_that_is_its_own_paragraph() -> None:
    doc = "In operative paragraph 4 (b), replace “data” with “statistics”."
    assert parse_one(doc).target == Target(OP, 4, "(b)")
    assert amended(doc) == {"op4b": "To support the collection of statistics on wetlands;"}


def test_subparagraph_inside_the_paragraph_text() -> None:
    draft = [TargetParagraph("op1", OP, 1, "Calls upon States: (a) to map data; (b) to share data; (c) to use data;")]
    doc = "In operative paragraph 1 (b), replace “data” with “findings”."
    # "data" occurs three times in the paragraph, once in (b)
    assert amended(doc, draft) == {"op1": "Calls upon States: (a) to map data; (b) to share findings; (c) to use data;"}
    outcomes = apply("At the end of operative paragraph 1 (a), add “of wetlands”.", draft)
    assert amended("At the end of operative paragraph 1 (a), add “of wetlands”.", draft)["op1"].startswith(
        "Calls upon States: (a) to map data of wetlands; (b)"
    )
    assert len(outcomes) == 1
    missing = apply("In operative paragraph 1 (d), delete “data”.", draft)
    assert messages(missing) == ["operative paragraph 1 (d) does not exist in the draft"]
    whole = apply("Delete operative paragraph 1 (b).", draft)
    assert messages(whole) == ["operative paragraph 1 (b) is not a separate paragraph in the draft"]


def test_new_subparagraph() -> None:
    doc = "After operative paragraph 4 (a), insert a new subparagraph reading: “To train wardens;”"
    ins = parse_one(doc)
    assert ins.new_kind is SUB
    [change] = apply(doc)
    assert isinstance(change, ProposedChange) and (change.key, change.new_kind) == ("op4a", SUB)


# -- Documents ----------------------------------------------------------------------------------

DOCUMENT = """\
United Nations X/80/L.99
General Assembly Distr.: Limited
1 January 2030

Freedonia and Sylvania: amendment to draft resolution X/80/L.98

Protection of coastal wetlands

1. In the second preambular paragraph, replace “mangrove
forests” with “mangroves”.

2. In operative paragraph 2, after “Member States”, insert
“, in cooperation with local communities,”;

3. Delete operative paragraph 5.

__________________
* Footnotes of the amendment itself are not instructions.
"""


def test_numbered_document_with_masthead_and_wrapped_lines() -> None:
    parsed = parse_amendments(DOCUMENT)
    assert parsed.unparsed == []
    assert [(i.action, i.target) for i in parsed.instructions] == [
        (Action.REPLACE_WORDS, Target(PP, 2)),
        (Action.INSERT_AFTER_WORDS, Target(OP, 2)),
        (Action.DELETE_PARAGRAPH, Target(OP, 5)),
    ]
    assert parsed.instructions[0].words == "mangrove forests"
    assert parsed.instructions[0].source.startswith("In the second preambular paragraph, replace “mangrove")
    outcomes = apply_amendments(parsed.instructions, DRAFT)
    assert [(o.kind, o.key) for o in outcomes if isinstance(o, ProposedChange)] == [
        (ChangeKind.AMEND, "pp2"),
        (ChangeKind.AMEND, "op2"),
        (ChangeKind.DELETE, "op5"),
    ]


def test_numbered_items_without_blank_lines() -> None:
    doc = "1. Delete operative paragraph 1.\n2. Delete operative paragraph 2.\n3. Delete operative paragraph 3."
    assert [i.target.number for i in parse_amendments(doc).instructions] == [1, 2, 3]


def test_two_sentences_in_one_block() -> None:
    doc = "Delete operative paragraph 1. In operative paragraph 2, delete “degraded”."
    assert [i.action for i in parse_amendments(doc).instructions] == [Action.DELETE_PARAGRAPH, Action.DELETE_WORDS]


def test_several_instructions_on_one_paragraph_compose_into_one_change() -> None:
    doc = (
        "1. In operative paragraph 2, replace “protect” with “conserve”.\n\n"
        "2. In operative paragraph 2, delete “degraded” and replace “conserve coastal” with “conserve all”.\n\n"
        "3. At the end of operative paragraph 2, add “, as appropriate”."
    )
    parsed = parse_amendments(doc)
    [change] = apply_amendments(parsed.instructions, DRAFT)
    assert isinstance(change, ProposedChange)
    assert change.kind is ChangeKind.AMEND and change.key == "op2"
    assert (
        change.text
        == "Encourages Member States to conserve all wetlands and to restore mangrove forests, as appropriate;"
    )
    assert change.instructions == tuple(parsed.instructions)


def test_quotes_straight_or_curly_in_the_instruction_and_the_draft() -> None:
    nested = "In operative paragraph 5, replace “entitled “Coastal wetlands”” with “entitled “Wetlands””."
    assert parse_one(nested).words == "entitled “Coastal wetlands”"
    assert amended(nested)["op5"].endswith("the item entitled “Wetlands”.")
    straight = "In operative paragraph 5, delete 'the item entitled \"Coastal wetlands\"'."
    assert parse_amendments(straight).unparsed  # single quotes do not delimit: reported, not guessed
    draft = [TargetParagraph("p", PP, 1, "Noting the States’ reports,")]
    assert amended('In the first preambular paragraph, replace "States\' reports" with "reports".', draft) == {
        "p": "Noting the reports,"
    }


def test_whitespace_hyphens_and_footnote_markers_do_not_hide_words() -> None:
    draft = [TargetParagraph("p", PP, 1, "Recalling the Wetlands Convention,3 the non\u2011governmental  sector,")]
    doc = "In the first preambular paragraph, delete “the Wetlands Convention,* the\nnon-governmental sector”."
    assert amended(doc, draft) == {"p": "Recalling,"}


# -- Problems -----------------------------------------------------------------------------------


def test_out_of_range_paragraphs_are_reported() -> None:
    doc = "Delete operative paragraph 14 and the ninth preambular paragraph."
    assert messages(apply(doc)) == [
        "operative paragraph 14 does not exist (the draft has 5)",
        "the ninth preambular paragraph does not exist (the draft has 3)",
    ]


def test_words_not_found_are_reported_not_guessed() -> None:
    doc = "In the third preambular paragraph, delete “the community”."
    assert messages(apply(doc)) == ["the words “the community” were not found in the third preambular paragraph"]
    case = "In the third preambular paragraph, delete “The role”."
    assert messages(apply(case)) and not [o for o in apply(case) if isinstance(o, ProposedChange)]


def test_repeated_words_need_the_instruction_to_say_which() -> None:
    doc = "In the third preambular paragraph, replace “wetlands” with “marshes”"
    assert messages(apply(doc + ".")) == [
        "the words “wetlands” occur 2 times in the third preambular paragraph; the instruction does not say which"
    ]
    second = amended(doc + ", the second time it appears.")
    assert second == {
        "pp3": "Recognizing the role of communities in the stewardship of wetlands, and the value of marshes,"
    }
    assert parse_one(doc + ", the second time it appears.").occurrence == 2
    every = parse_one("In the third preambular paragraph, replace “the” with “this” wherever it appears.")
    assert every.occurrence == ALL
    assert amended(every.source)["pp3"] == (
        "Recognizing this role of communities in this stewardship of wetlands, and this value of wetlands,"
    )
    fourth = "In the third preambular paragraph, delete the fourth occurrence of “of”."
    assert messages(apply(fourth)) == [
        "the words “of” occur only 3 times in the third preambular paragraph, not a fourth time"
    ]


def test_unparsed_sentences_are_reported() -> None:
    doc = (
        "Freedonia: amendment to draft resolution X/80/L.98\n\n"
        "In operative paragraph 2, move “degraded” to the end.\n\n"
        "The sponsors propose to delete operative paragraph 2 in its entirety.\n\n"
        "Delete operative paragraph 3."
    )
    parsed = parse_amendments(doc + "\n\nIn operative paragraph 2, delete “”.")
    assert parsed.unparsed[2:] == ["In operative paragraph 2, delete “”."]
    assert parsed.unparsed[:2] == [
        "In operative paragraph 2, move “degraded” to the end.",
        "The sponsors propose to delete operative paragraph 2 in its entirety.",
    ]
    assert [i.target for i in parsed.instructions] == [Target(OP, 3)]


def test_resolution_text_is_not_mistaken_for_instructions() -> None:
    text = (
        "The General Assembly,\n\nRecalling paragraph 4 of its resolution 12/34,\n\n"
        "1. Invites the States referred to in paragraph 7 to add their views;\n\n"
        "2. Decides that, after paragraph 3 of the annex, experts may replace members;"
    )
    assert parse_amendments(text) == ParsedAmendments([], [])


def test_amending_a_deleted_paragraph_is_a_problem() -> None:
    doc = "1. In operative paragraph 2, delete “degraded”.\n\n2. Delete operative paragraph 2."
    outcomes = apply(doc)
    assert [type(o) for o in outcomes] == [ProposedChange, Problem]
    assert isinstance(outcomes[0], ProposedChange) and outcomes[0].kind is ChangeKind.DELETE
    assert messages(outcomes) == ["operative paragraph 2 is deleted by another instruction"]


def test_preambular_numbers_counted_in_order_when_not_given() -> None:
    draft = [TargetParagraph(k, PP, 0, t) for k, t in (("a", "Recalling one,"), ("b", "Noting two,"))]
    assert amended("In the second preambular paragraph, replace “two” with “three”.", draft) == {"b": "Noting three,"}


def test_describe_targets() -> None:
    assert Target(PP, 28).describe() == "the twenty-eighth preambular paragraph"
    assert Target(PP, 2, "(a)").describe() == "subparagraph (a) of the second preambular paragraph"
    assert Target(OP, 4, "(b)(ii)").describe() == "operative paragraph 4 (b)(ii)"
    assert Target(OP, LAST).describe() == "the last operative paragraph"


# -- The real UN amendment documents, when the corpus is beside the checkout --------------------

CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "un"
AMENDMENTS = sorted(CORPUS.glob("*-amendment-*.txt")) if CORPUS.is_dir() else []
_ROMANS = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


def _split_draft(text: str) -> list[TargetParagraph]:
    """Return the paragraphs of a corpus draft: blocks after "The General Assembly," until the footnotes."""
    # deliberately simple; drafter.text.structure.parse_text can take over once it is written
    blocks = [" ".join(b.split()) for b in re.split(r"\n\s*\n", text.split("\n____")[0])]
    start = next(i for i, b in enumerate(blocks) if b.startswith("The General Assembly"))
    paragraphs: list[TargetParagraph] = []
    letter, seen_operative = "", False
    for block in blocks[start + 1 :]:
        key = len(paragraphs)
        if numbered := re.match(r"(\d{1,3})\.?\s+(?=[A-Z“])", block):  # some drafts drop the period
            seen_operative = True
            paragraphs.append(TargetParagraph(key, OP, int(numbered.group(1)), block[numbered.end() :]))
        elif labelled := re.match(r"\(([a-z]{1,4})\)\s+", block):
            label = labelled.group(1)
            nested = label in _ROMANS and letter not in ("", "h")
            letter = letter if nested else label
            path = f"({letter})({label})" if nested else f"({label})"
            paragraphs.append(TargetParagraph(key, SUB, 0, block[labelled.end() :], path))
        elif not seen_operative:
            paragraphs.append(TargetParagraph(key, PP, 0, block))
    return paragraphs


def _amended_draft(document: str) -> tuple[Path | None, bool]:
    """Return the corpus file of the draft an amendment names, and whether it is that exact version."""
    named = re.search(r"amendment to (?:revised )?draft resolution (\S+)", " ".join(document.split()))
    if named is None:
        return None, False
    symbol = named.group(1)
    symbols = {p.read_text(encoding="utf-8").split("\n", 1)[0].split()[-1]: p for p in CORPUS.glob("*-draft-*.txt")}
    if symbol in symbols:
        return symbols[symbol], True
    return symbols.get(re.sub(r"/Rev\.\d+$", "", symbol)), False  # the revision is not in the corpus


@pytest.mark.corpus
@pytest.mark.skipif(not AMENDMENTS, reason="the UN corpus is not beside the checkout")
def test_corpus_amendments_parse_and_apply() -> None:
    total = applied = 0
    lines, failures = [""], []
    for path in AMENDMENTS:
        document = path.read_text(encoding="utf-8")
        parsed = parse_amendments(document)
        draft, exact = _amended_draft(document)
        paragraphs = _split_draft(draft.read_text(encoding="utf-8")) if draft else []
        outcomes = apply_amendments(parsed.instructions, paragraphs)
        done = sum(len(o.instructions) for o in outcomes if isinstance(o, ProposedChange))
        problems = messages(outcomes)
        total, applied = total + len(parsed.instructions), applied + done
        version = "" if exact else " (amends a revision not in the corpus: applied to the original)"
        lines.append(f"{path.name}: {len(parsed.instructions)} instructions, {done} applied{version}")
        lines += [f"    problem: {m}" for m in problems] + [f"    unparsed: {u}" for u in parsed.unparsed]
        if draft is None or not parsed.instructions or parsed.unparsed:
            failures.append(f"{path.name}: not read")
        # the draft an amendment names must take every instruction; an older version may refuse
        # some, but only by saying the words or paragraphs are not there
        if problems and (exact or not all("not found" in m or "does not exist" in m for m in problems)):
            failures.append(f"{path.name}: {problems}")
    print("\n".join([*lines, f"corpus: {applied} of {total} instructions applied"]))
    assert not failures
    assert applied * 2 > total


@pytest.mark.corpus
@pytest.mark.skipif(not AMENDMENTS, reason="the UN corpus is not beside the checkout")
def test_corpus_resolutions_hold_no_instructions() -> None:
    for path in sorted(CORPUS.glob("*.txt")):
        if "-amendment-" not in path.name:
            assert parse_amendments(path.read_text(encoding="utf-8")) == ParsedAmendments([], []), path.name
