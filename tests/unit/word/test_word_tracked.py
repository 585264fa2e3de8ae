"""The tracked export, checked in its XML: revision elements, paragraph marks, tricky shapes.

``docx_xml.resolve`` applies Word's accept/reject rules to the XML; the LibreOffice oracle
(test_tracked_oracle.py) checks the same files in a real word processor.
"""

from __future__ import annotations

import datetime as dt

import pytest
from docx.oxml.ns import qn
from lxml import etree

from drafter.text.diff import DiffOp, Op
from drafter.text.structure import Kind
from drafter.word import styles
from drafter.word.model import TrackedRow
from drafter.word.tracked import write_tracked
from tests.support.docx_xml import body_paragraphs, mark_kind, merge_hazards, problems, resolve, segments
from tests.support.drafts import (
    DATE,
    HEADER,
    LANGUAGES,
    compared_rows,
    expected,
    para,
    row,
    rows_of,
    texts,
    title_texts,
)

TITLE = title_texts()


def body(doc) -> list[etree._Element]:
    """Return the paragraphs after the title block."""
    return body_paragraphs(doc)[len(TITLE) :]


def assert_law(rows: list[TrackedRow], old: list[str] | None = None, new: list[str] | None = None) -> object:
    """Check accept and reject at the XML level, and the markup's hygiene; return the document."""
    doc = write_tracked(HEADER, rows, date=DATE)
    want_old, want_new = expected(rows)
    assert resolve(doc, "accept") == TITLE + (want_new if new is None else new)
    assert resolve(doc, "reject") == TITLE + (want_old if old is None else old)
    assert merge_hazards(doc) == []
    assert problems(doc) == []
    return doc


def numpr(p) -> tuple[int, int] | None:
    n = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if n is None:
        return None
    return int(n.find(qn("w:numId")).get(qn("w:val"))), int(n.find(qn("w:ilvl")).get(qn("w:val")))


def test_word_level_changes_inside_a_paragraph() -> None:
    doc = assert_law(rows_of([("Keep old text here.", "Keep new text here.")]))
    (p,) = body(doc)
    assert list(segments(p)) == [("", "Keep "), ("del", "old"), ("ins", "new"), ("", " text here.")]
    deletion = p.find(qn("w:del"))
    assert deletion.find(f".//{qn('w:t')}") is None
    assert deletion.find(f".//{qn('w:delText')}").text == "old"
    assert mark_kind(p) == ""


def test_author_date_and_unique_ids() -> None:
    when = dt.datetime(2025, 11, 7, 14, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rows = rows_of([("Alpha beta.", "Alpha gamma."), (None, "Inserted."), ("Deleted.", None), ("Tail.", "Tail")])
    doc = write_tracked(HEADER, rows, author="Co-facilitators (Kenya and Ireland)", date=when)
    revisions = list(doc.element.body.iter(qn("w:ins"), qn("w:del")))
    assert len(revisions) >= 6
    assert {r.get(qn("w:author")) for r in revisions} == {"Co-facilitators (Kenya and Ireland)"}
    assert {r.get(qn("w:date")) for r in revisions} == {"2025-11-07T12:30:00Z"}
    ids = [r.get(qn("w:id")) for r in revisions]
    assert len(set(ids)) == len(ids)


def test_default_author_and_tracking_left_on() -> None:
    doc = write_tracked(HEADER, rows_of([("A b.", "A c.")]), date=DATE)
    assert {r.get(qn("w:author")) for r in doc.element.body.iter(qn("w:ins"))} == {"Co-facilitators"}
    settings = doc.settings.element
    assert settings.find(qn("w:trackRevisions")) is not None
    names = [etree.QName(c).localname for c in settings]
    assert names.index("trackRevisions") < names.index("defaultTabStop")


def test_title_block_is_the_newer_revisions_and_untracked() -> None:
    doc = assert_law(rows_of([("A.", "A."), ("B.", "B!")]))
    title = body_paragraphs(doc)[: len(TITLE)]
    assert [{kind for kind, _ in segments(p)} for p in title] == [{""}] * len(TITLE)
    assert ["".join(text for _, text in segments(p)) for p in title] == TITLE
    assert doc.core_properties.title == HEADER.title


def test_whole_paragraphs_inserted_and_deleted_in_the_middle() -> None:
    doc = assert_law(
        rows_of([("First.", "First."), ("Gone paragraph.", None), (None, "New paragraph."), ("Last.", "Last.")])
    )
    first, gone, new, last = body(doc)
    assert (mark_kind(first), mark_kind(gone), mark_kind(new), mark_kind(last)) == ("", "del", "ins", "")
    assert list(segments(gone)) == [("del", "Gone paragraph.")]
    assert list(segments(new)) == [("ins", "New paragraph.")]
    mark = gone.find(f"{qn('w:pPr')}/{qn('w:rPr')}")[0]
    assert etree.QName(mark).localname == "del" and mark.get(qn("w:author")) == "Co-facilitators"


@pytest.mark.parametrize("kind", ["ins", "del"])
def test_a_trailing_block_marks_the_paragraph_before_and_leaves_the_last_mark_plain(kind: str) -> None:
    pairs = (
        [("Kept.", "Kept."), (None, "Two."), (None, "Three.")]
        if kind == "ins"
        else [("Kept.", "Kept."), ("Two.", None), ("Three.", None)]
    )
    doc = assert_law(rows_of(pairs))
    assert [mark_kind(p) for p in body(doc)] == [kind, kind, ""]


@pytest.mark.parametrize("kind", ["ins", "del"])
def test_every_paragraph_new_or_deleted_marks_the_title_blocks_last_line(kind: str) -> None:
    pairs = [(None, "One."), (None, "Two.")] if kind == "ins" else [("One.", None), ("Two.", None)]
    doc = assert_law(rows_of(pairs))
    ps = body_paragraphs(doc)
    assert [mark_kind(p) for p in ps] == [""] * (len(TITLE) - 1) + [kind, kind, ""]


def test_leading_insertions_and_deletions() -> None:
    doc = assert_law(rows_of([("Old first.", None), (None, "New first."), ("Kept.", "Kept.")]))
    assert [mark_kind(p) for p in body(doc)] == ["del", "ins", ""]


def test_replaced_last_paragraph() -> None:
    assert_law(rows_of([("Kept.", "Kept."), ("Old last.", None), (None, "New last.")]))


def test_insertion_at_a_paragraph_end_before_an_inserted_paragraph_is_not_left_to_libreoffice_to_merge() -> None:
    doc = assert_law(rows_of([("Alpha.", "Alpha. Added"), (None, "Inserted."), ("Omega.", "Omega.")]))
    # the break after "Added" is part of the insertion instead of a plain break between two insertions
    assert [mark_kind(p) for p in body(doc)] == ["ins", "", ""]


def test_kept_paragraph_starting_with_an_insertion_after_one_ending_with_one_borrows_its_first_word() -> None:
    doc = assert_law(rows_of([("Alpha.", "Alpha. Added"), ("beta gamma.", "New beta gamma.")]))
    second = body(doc)[1]
    assert list(segments(second))[:3] == [("del", "beta"), ("ins", "New beta"), ("", " gamma.")]


@pytest.mark.parametrize(
    "pairs",
    [
        [("A", "A b"), (None, ""), ("G", "x G")],  # empty inserted paragraph between two insertions
        [(None, ""), ("", ""), (None, "of ,"), ("delta", "delta")],  # empty kept paragraph between two
        [("", "One"), ("", ""), (None, "Two"), ("Three", "Three")],
        [("A", "A b"), ("", ""), (None, "C")],  # only a split break helps: see the next test
        [("", ""), ("", "")],
        [("", None), (None, ""), ("", None)],
    ],
)
def test_empty_paragraphs_between_insertions(pairs: list) -> None:
    assert_law(rows_of(pairs))


def test_a_plain_break_no_word_can_guard_is_split_into_a_deleted_and_an_inserted_one() -> None:
    doc = assert_law(rows_of([("A", "A b"), ("", ""), (None, "C")]))
    ps = body(doc)
    assert [mark_kind(p) for p in ps] == ["del", "ins", "ins", ""]
    assert [list(segments(p)) for p in ps[1:]] == [[], [], [("ins", "C")]]


def test_kept_paragraph_emptied_or_filled_is_written_deleted_and_inserted() -> None:
    doc = assert_law(rows_of([("Text.", ""), ("", "Text."), ("End.", "End.")]))
    assert [mark_kind(p) for p in body(doc)] == ["del", "ins", "del", "ins", ""]


def test_moved_paragraphs_are_deleted_where_they_stood_and_inserted_where_they_stand() -> None:
    old = [(k, para(f"Paragraph {k}.")) for k in "ABCDE"]
    new = [old[4], old[0], old[1], (9, para("Brand new.")), old[2], old[3]]  # E moved first
    rows = compared_rows(old, new)
    doc = assert_law(rows, old=texts(old), new=texts(new))
    assert [(mark_kind(p), "".join(t for _, t in segments(p))) for p in body(doc)][:2] == [
        ("ins", "Paragraph E."),
        ("", "Paragraph A."),
    ]
    assert resolve(doc, "reject")[len(TITLE) :] == texts(old)


def test_rows_out_of_order_without_positions_are_written_as_given() -> None:
    rows = rows_of([("B.", "B."), ("A.", "A.")])
    assert resolve(write_tracked(HEADER, rows, date=DATE), "reject")[len(TITLE) :] == ["B.", "A."]


def test_ops_that_do_not_spell_the_texts_are_recomputed() -> None:
    bogus = TrackedRow(para("Old words here."), para("New words here."), (DiffOp(Op.EQUAL, "Something else"),))
    assert_law([bogus])


def test_numbering_follows_the_newer_revision() -> None:
    O, S = Kind.OPERATIVE, Kind.SUBPARAGRAPH
    rows = [
        row(para("Decides one;", O), para("Decides one;", O)),
        row(None, para("first;", S)),
        row(para("Old two;", O), None),
        row(para("Requests three;", O), para("Requests three;", O)),
    ]
    doc = assert_law(rows)
    nums = [numpr(p) for p in body(doc)]
    assert nums == [(styles.LIST_NUM_ID, 0), (styles.LIST_NUM_ID, 1), (styles.LIST_NUM_ID, 0), (styles.LIST_NUM_ID, 0)]
    assert not any(t.text[:1].isdigit() for p in body(doc) for t in p.iter(qn("w:t")))  # Word prints numbers


def test_italic_openings_in_both_versions() -> None:
    rows = [row(para("Invites States to act;", italic=7), para("Encourages States to act;", italic=10))]
    (p,) = body(assert_law(rows))

    def italic(el) -> bool:
        return el.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None

    deleted = p.find(qn("w:del")).find(qn("w:r"))
    inserted = p.find(qn("w:ins")).find(qn("w:r"))
    assert italic(deleted) and deleted.find(qn("w:delText")).text == "Invites"
    assert italic(inserted) and inserted.find(qn("w:t")).text == "Encourages"
    plain = [r for r in p.findall(qn("w:r"))]
    assert plain and not any(italic(r) for r in plain)


def test_right_to_left_paragraphs() -> None:
    old, new = LANGUAGES["ar"]
    (p,) = body(assert_law(rows_of([(old, new)])))
    assert p.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None for r in p.iter(qn("w:r")))


def test_hostile_text_tabs_and_breaks() -> None:
    rows = rows_of([("Col\tumn\x00 one\x0b two", "Col\tumn one\ntwo\ufffe three"), (None, "bad \ud800 half\x1f")])
    doc = assert_law(rows)
    inserted = body(doc)[1]
    assert list(segments(inserted)) == [("ins", "bad \ufffd half")]
    tags = {etree.QName(el).localname for el in body(doc)[0].iter()}
    assert {"tab", "br"} <= tags
