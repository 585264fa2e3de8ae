"""The Word reader on tracked changes: both versions of each paragraph, merges, splits, authors."""

from __future__ import annotations

import datetime as dt
import io

from drafter.text.structure import Kind
from drafter.word.reader import ChangeKind, DocxContent, read_docx
from drafter.word.tracked import write_tracked
from tests.support.drafts import DATE, HEADER, para, row, rows_of, title_texts
from tests.unit.word.docx_factory import (
    dele,
    ins,
    make_docx,
    mark_del,
    mark_ins,
    move,
    p,
    r,
)

WHEN = dt.datetime(2025, 11, 7, 12, tzinfo=dt.UTC)


def rows(content: DocxContent) -> list[tuple[str | None, str | None]]:
    return [(x.old_text, x.new_text) for x in content.paragraphs]


def test_insertions_and_deletions_inside_a_paragraph() -> None:
    body = p(r("Decides to "), dele("convene"), ins("hold"), r(" a meeting"), ins(" in 2028", author="Bob"), r(";"))
    content = read_docx(make_docx(body))
    assert rows(content) == [("Decides to convene a meeting;", "Decides to hold a meeting in 2028;")]
    changes = content.paragraphs[0].changes
    assert [(c.kind, c.author, c.text) for c in changes] == [
        (ChangeKind.DELETE, "Alice", "convene"),
        (ChangeKind.INSERT, "Alice", "hold"),
        (ChangeKind.INSERT, "Bob", " in 2028"),
    ]
    assert changes[0].date == WHEN
    assert content.has_tracked_changes and content.authors == ["Alice", "Bob"]


def test_moves_read_as_delete_and_insert() -> None:
    body = p(move("moveFrom", "Urgently "), r("Calls upon States"), move("moveTo", ", urgently,"), r(" to act;"))
    assert rows(read_docx(make_docx(body))) == [
        ("Urgently Calls upon States to act;", "Calls upon States, urgently, to act;")
    ]


def test_nested_revisions_inserted_by_one_author_deleted_by_another() -> None:
    nested = (
        '<w:ins w:id="90" w:author="Alice" w:date="2025-11-07T12:00:00Z">'
        '<w:del w:id="91" w:author="Bob" w:date="2025-11-08T09:30:00Z">'
        + r("briefly ", deleted=True)
        + "</w:del></w:ins>"
    )
    body = p(r("Decides "), nested, ins("firmly ", author="Alice"), r("to act;"))
    content = read_docx(make_docx(body))
    assert rows(content) == [("Decides to act;", "Decides firmly to act;")]
    kinds = {(c.kind, c.author, c.text) for c in content.paragraphs[0].changes}
    assert (ChangeKind.DELETE, "Bob", "briefly ") in kinds and (ChangeKind.INSERT, "Alice", "firmly ") in kinds
    assert content.authors == ["Alice", "Bob"]


def test_inserted_paragraph() -> None:
    body = p(r("One.")) + p(ins("Two."), mark=mark_ins(author="Mexico")) + p(r("Three."))
    content = read_docx(make_docx(body))
    assert rows(content) == [("One.", "One."), (None, "Two."), ("Three.", "Three.")]
    assert [c.kind for c in content.paragraphs[1].changes] == [ChangeKind.PARAGRAPH_INSERT, ChangeKind.INSERT]


def test_deleted_paragraph() -> None:
    body = p(r("One.")) + p(dele("Two."), mark=mark_del()) + p(r("Three."))
    assert rows(read_docx(make_docx(body))) == [("One.", "One."), ("Two.", None), ("Three.", "Three.")]


def test_deleted_paragraph_mark_merges_two_paragraphs() -> None:
    body = (
        p(r("Recalling its resolution 70/1"), dele(","), mark=mark_del())
        + p(ins(" and "), r("its resolution 79/1,"))
        + p(r("Decides."))
    )
    content = read_docx(make_docx(body))
    assert [x.text for x in content.old] == ["Recalling its resolution 70/1,", "its resolution 79/1,", "Decides."]
    assert [x.text for x in content.new] == ["Recalling its resolution 70/1 and its resolution 79/1,", "Decides."]
    assert content.new[0].sources == (0, 1)
    # the merged paragraph continues one of the two; the other was deleted
    assert rows(content)[:2] in (
        [
            ("Recalling its resolution 70/1,", "Recalling its resolution 70/1 and its resolution 79/1,"),
            ("its resolution 79/1,", None),
        ],
        [
            ("Recalling its resolution 70/1,", None),
            ("its resolution 79/1,", "Recalling its resolution 70/1 and its resolution 79/1,"),
        ],
    )


def test_inserted_paragraph_mark_splits_a_paragraph() -> None:
    body = p(r("Decides to act."), mark=mark_ins()) + p(ins("Also "), r("requests a report.")) + p(r("End."))
    content = read_docx(make_docx(body))
    assert [x.text for x in content.old] == ["Decides to act.requests a report.", "End."]
    assert [x.text for x in content.new] == ["Decides to act.", "Also requests a report.", "End."]
    assert len(content.paragraphs) == 3 and sum(x.old is None for x in content.paragraphs) == 1


def test_a_mark_before_a_table_does_not_merge_across_it() -> None:
    table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    body = p(r("Before."), mark=mark_del()) + table + p(r("After."))
    content = read_docx(make_docx(body))
    assert [x.text for x in content.new] == ["Before.", "After."]


def test_deleted_tail_with_the_mark_on_the_paragraph_before() -> None:
    # the shape our tracked writer uses when the last paragraphs are deleted
    body = p(r("One."), mark=mark_del()) + p(dele("Two."))
    assert rows(read_docx(make_docx(body))) == [("One.", "One."), ("Two.", None)]


def test_rewritten_paragraphs_pair_in_order() -> None:
    body = (
        p(dele("Old first paragraph text."), ins("New first paragraph text."))
        + p(dele("Second one."), mark=mark_del())
        + p(r("Kept."))
    )
    assert rows(read_docx(make_docx(body))) == [
        ("Old first paragraph text.", "New first paragraph text."),
        ("Second one.", None),
        ("Kept.", "Kept."),
    ]


def test_text_inside_deleted_text_of_an_inserted_paragraph_is_in_neither_version() -> None:
    nested = (
        '<w:ins w:id="80" w:author="Alice" w:date="2025-11-07T12:00:00Z">'
        + r("Invites all ")
        + '<w:del w:id="81" w:author="Bob" w:date="2025-11-07T13:00:00Z">'
        + r("warmly ", deleted=True)
        + "</w:del>"
        + r("to join.")
        + "</w:ins>"
    )
    body = p(r("One.")) + p(nested, mark=mark_ins()) + p(r("Two."))
    assert rows(read_docx(make_docx(body))) == [("One.", "One."), (None, "Invites all to join."), ("Two.", "Two.")]


def test_changes_belong_to_their_row() -> None:
    body = p(r("A "), ins("b", author="X")) + p(dele("C", author="Y"), mark=mark_del(author="Y")) + p(r("D"))
    content = read_docx(make_docx(body))
    assert [{c.author for c in x.changes} for x in content.paragraphs] == [{"X"}, {"Y"}, set()]


# -- Files written by our own tracked writer -----------------------------------------------------


def tracked_bytes(pairs, author: str = "Mexico") -> bytes:
    document = write_tracked(HEADER, rows_of(pairs), author=author, date=DATE)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_our_tracked_export_reads_back_as_both_versions() -> None:
    pairs = [
        ("Decides to convene a meeting;", "Decides to convene a high-level meeting in 2028;"),
        ("Requests a report;", None),
        (None, "Invites Member States to contribute;"),
        ("Calls upon all States to act;", "Calls upon all States to act;"),
        (None, "Decides to remain seized of the matter."),
    ]
    content = read_docx(tracked_bytes(pairs))
    titles = title_texts()
    old = [x.text for x in content.old]
    new = [x.text for x in content.new]
    assert old == titles + [o for o, _ in pairs if o is not None]
    assert new == titles + [n for _, n in pairs if n is not None]
    body = [(x.old_text, x.new_text) for x in content.paragraphs][len(titles) :]
    assert sorted(body, key=str) == sorted(pairs, key=str)
    assert content.authors == ["Mexico"]
    assert [x.number_label for x in content.new][len(titles) :] == ["1.", "2.", "3.", "4."]


def test_our_tracked_export_of_subparagraphs_and_italics() -> None:
    rows_ = [
        row(
            para("Recalling its decision,", Kind.PREAMBULAR, italic=9),
            para("Recalling also its decision,", Kind.PREAMBULAR, italic=14),
        ),
        row(para("Requests:", italic=8), para("Requests:", italic=8)),
        row(para("a report;", Kind.SUBPARAGRAPH), para("an annual report;", Kind.SUBPARAGRAPH)),
        row(None, para("a plan;", Kind.SUBPARAGRAPH)),
    ]
    document = write_tracked(HEADER, rows_, author="G77", date=DATE)
    buffer = io.BytesIO()
    document.save(buffer)
    content = read_docx(buffer.getvalue())
    body = content.new[len(title_texts()) :]
    assert [(x.number_label, x.text, x.italic_chars) for x in body] == [
        ("", "Recalling also its decision,", 14),
        ("1.", "Requests:", 8),
        ("(a)", "an annual report;", 0),
        ("(b)", "a plan;", 0),
    ]


def test_inserted_and_deleted_paragraphs_keep_their_order_in_the_file() -> None:
    # an inserted paragraph standing before a deleted one (both with marked paragraph marks)
    body = p(r("Kept.")) + p(ins("New."), mark=mark_ins()) + p(dele("Gone."), mark=mark_del()) + p(r("Last."))
    assert rows(read_docx(make_docx(body))) == [("Kept.", "Kept."), (None, "New."), ("Gone.", None), ("Last.", "Last.")]
    body = p(r("Kept.")) + p(dele("Gone."), mark=mark_del()) + p(ins("New."), mark=mark_ins()) + p(r("Last."))
    assert rows(read_docx(make_docx(body))) == [("Kept.", "Kept."), ("Gone.", None), (None, "New."), ("Last.", "Last.")]
