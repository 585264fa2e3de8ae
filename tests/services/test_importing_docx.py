"""A draft .docx read as a revision: structure from Word's hints, footnotes, what is skipped; the CLI."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput
from drafter.importing.docx import docx_limits, read_docx_draft
from drafter.importing.services import read_draft
from drafter.text import footnotes
from drafter.text.masthead import Masthead
from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from tests import factories as f
from tests.support.drafts import HEADER, sample_draft
from tests.unit.word.docx_factory import (
    abstract_num,
    dele,
    ins,
    make_docx,
    note,
    note_ref,
    num,
    p,
    paragraph_style,
    r,
)

UN_LIST = abstract_num(0, ("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)")) + num(1, 0)
TABLE = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"

MARK = footnotes.marker(1)


def draft_docx() -> bytes:
    """A small draft as a co-facilitator's Word file: masthead, chapeau, styles, lists, notes, a table."""
    styles = paragraph_style("Operative", ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    body = (
        p(r("A/80/L.99"))
        + p(r("Zero draft"))
        + p(r("Political declaration on coastal resilience"), style="Title")
        + p(r("The General Assembly,"))
        + p(r("Recalling", italic=True), r(" its resolution 70/1"), note_ref("footnote", 1), r(","))
        + p(r("Deeply concerned", italic=True), r(" about rising seas,"))
        + p(r("Commitments"), style="Heading1")
        + p(r("Decides", italic=True), r(" to convene a meeting;"), style="Operative")
        + p(r("Calls upon", italic=True), r(" States:"), style="Operative")
        + p(r("to share data;"), num=(1, 1))
        + p(r("to protect coasts;"), num=(1, 1))
        + TABLE
        + p(r("Requests", italic=True), r(" a report"), note_ref("footnote", 2), r("."), style="Operative")
    )
    return make_docx(
        body,
        numbering=UN_LIST,
        styles=styles,
        footnotes=note("footnote", 1, "Resolution 70/1, annex.") + note("footnote", 2, "See A/80/1."),
    )


def test_word_draft_structure() -> None:
    draft = read_docx_draft(draft_docx())
    assert draft.title_lines == [
        "A/80/L.99",
        "Zero draft",
        "Political declaration on coastal resilience",
        "The General Assembly,",
    ]
    assert [(q.kind, q.number, q.level, q.text, q.italic_chars) for q in draft.paragraphs] == [
        (Kind.PREAMBULAR, "", 0, f"Recalling its resolution 70/1{MARK},", 9),
        (Kind.PREAMBULAR, "", 0, "Deeply concerned about rising seas,", 16),
        (Kind.HEADING, "", 0, "Commitments", 0),
        (Kind.OPERATIVE, "1", 0, "Decides to convene a meeting;", 7),
        (Kind.OPERATIVE, "2", 0, "Calls upon States:", 10),
        (Kind.SUBPARAGRAPH, "a", 1, "to share data;", 0),
        (Kind.SUBPARAGRAPH, "b", 1, "to protect coasts;", 0),
        (Kind.OPERATIVE, "3", 0, f"Requests a report{MARK}.", 8),
    ]
    # each note where its reference stands, and ids of the paragraph's own: numbers are derived
    assert [q.footnotes for q in draft.paragraphs] == [
        {1: "Resolution 70/1, annex."},
        {},
        {},
        {},
        {},
        {},
        {},
        {1: "See A/80/1."},
    ]
    assert draft.skipped == ['A table with 1 row after paragraph 11 ("to protect coasts; ...") was skipped.']
    assert draft.warnings == []


def test_title_lines_by_style_come_first() -> None:
    draft = read_docx_draft(make_docx(p(r("Ocean declaration"), style="Title") + p(r("Decides to act."))))
    assert draft.title_lines == ["Ocean declaration"] and [q.text for q in draft.paragraphs] == ["Decides to act."]


def test_our_clean_export_reads_back() -> None:
    buffer = io.BytesIO()
    source = sample_draft()
    header = dataclasses.replace(
        HEADER,
        distribution="Limited",
        original_language="English",
        session_name="Eighty-first session",
        agenda_item="12",
        agenda_title="Oceans",
        sponsor_line="Freedonia: draft resolution",
        chapeau="The General Assembly,",
    )
    write_clean(header, source).save(buffer)
    draft = read_docx_draft(buffer.getvalue())
    assert [(q.kind, q.text, q.italic_chars) for q in draft.paragraphs] == [
        (x.kind, x.text, len(x.text[: x.italic_chars].rstrip())) for x in source
    ]
    read = draft.read_masthead()
    assert read.masthead == Masthead(
        symbol="A/80/L.99",
        issued_on=HEADER.date,
        distribution="Limited",
        original_language="English",
        session_name="Eighty-first session",
        agenda_item="12",
        agenda_title="Oceans",
        sponsor_line=header.sponsor_line,
        title=HEADER.title,
        chapeau="The General Assembly,",
    )
    assert read.unread == []


def test_manual_numbers_and_italics_after_them() -> None:
    body = (
        p(r("Recalling", italic=True), r(" its work,"))
        + p(r("1.\t"), r("Decides", italic=True), r(" to act;"))
        + p(r("(a)\tby sharing data;"))
        + p(r("2.\t"), r("Requests", italic=True), r(" a report."))
    )
    draft = read_docx_draft(make_docx(body))
    assert [(q.kind, q.number, q.text, q.italic_chars) for q in draft.paragraphs] == [
        (Kind.PREAMBULAR, "", "Recalling its work,", 9),
        (Kind.OPERATIVE, "1", "Decides to act;", 7),
        (Kind.SUBPARAGRAPH, "a", "by sharing data;", 0),
        (Kind.OPERATIVE, "2", "Requests a report.", 8),
    ]


def test_without_any_italics_the_openings_are_detected() -> None:
    draft = read_docx_draft(make_docx(p(r("Recalling its work,")) + p(r("1. Decides to act."))))
    assert [q.italic_chars for q in draft.paragraphs] == [9, 7]


def test_bullets_become_subparagraphs() -> None:
    numbering = abstract_num(5, ("bullet", "\uf0b7")) + num(6, 5)
    body = p(r("1. Calls upon States:")) + p(r("to share data;"), num=(6, 0)) + p(r("to protect coasts;"), num=(6, 0))
    draft = read_docx_draft(make_docx(body, numbering=numbering))
    assert [(q.kind, q.level) for q in draft.paragraphs] == [
        (Kind.OPERATIVE, 0),
        (Kind.SUBPARAGRAPH, 1),
        (Kind.SUBPARAGRAPH, 1),
    ]


def test_tracked_changes_are_accepted_with_a_warning() -> None:
    body = p(r("Decides to "), dele("convene", author="Ana"), ins("hold", author="Ana"), r(" a meeting."))
    draft = read_docx_draft(make_docx(body))
    assert [q.text for q in draft.paragraphs] == ["Decides to hold a meeting."]
    assert (
        draft.warnings[0] == "The file has tracked changes (by Ana): the text with every change accepted was imported."
    )


@pytest.mark.parametrize(
    "body",
    ["", p() * 3, TABLE.replace("<w:r><w:t>cell</w:t></w:r>", "")],
    ids=["empty", "blank-paragraphs", "only-an-empty-table"],
)  # text in a table is read: test_foreign_files
def test_no_paragraphs_is_a_clear_error(body: str) -> None:
    with pytest.raises(InvalidInput, match="No paragraphs were found in the Word file"):
        read_docx_draft(make_docx(body))


def test_read_draft_dispatches_by_file_name() -> None:
    assert read_draft("Draft.DOCX", draft_docx()).paragraphs[0].text == f"Recalling its resolution 70/1{MARK},"
    assert read_draft("draft.txt", b"1. Decides to act.").paragraphs[0].kind is Kind.OPERATIVE
    with pytest.raises(InvalidInput, match=r"\.txt or \.docx"):
        read_draft("draft.doc", b"\xd0\xcf\x11\xe0")
    with pytest.raises(InvalidInput, match="PDF"):
        read_draft("draft.txt", b"%PDF-1.4 ...")


def test_limits_follow_the_configuration() -> None:
    assert docx_limits({"UPLOAD_MAX_BYTES": 5_000_000, "MAX_CONTENT_LENGTH": 20_000_000}).max_bytes == 5_000_000
    assert docx_limits({"UPLOAD_MAX_BYTES": 5_000_000, "MAX_CONTENT_LENGTH": 1_000}).max_bytes == 1_000
    with pytest.raises(InvalidInput, match="larger than"):
        read_draft("draft.docx", draft_docx(), limits=docx_limits({"UPLOAD_MAX_BYTES": 10_000}))


def test_unexpected_reader_failure_is_a_clear_message(monkeypatch) -> None:
    import drafter.importing.docx as module

    def broken(data, limits=None):
        raise AttributeError("a bug")

    monkeypatch.setattr(module, "read_docx", broken)
    with pytest.raises(InvalidInput, match="could not be read"):
        read_docx_draft(draft_docx())


# -- The revision import command ------------------------------------------------------------------


def test_cli_imports_a_docx_revision(session, runner, tmp_path: Path):
    n = f.negotiation(session, slug="coasts")
    session.commit()
    path = tmp_path / "zero.docx"
    path.write_bytes(draft_docx())
    result = runner.invoke(args=["revisions", "import", "coasts", str(path), "--label", "Zero draft"])
    assert result.exit_code == 0, result.output
    assert "Imported Zero draft: 8 paragraphs" in result.output
    assert "skipped: A table with 1 row" in result.output
    rev = n.revisions[0]
    versions = load_versions(session, rev)
    assert [v.number_label for v in versions] == ["", "", "", "1", "2", "(a)", "(b)", "3"]
    assert versions[0].notes == {1: "Resolution 70/1, annex."} and versions[0].italic_chars == 9


def test_a_star_note_of_the_title_block_is_read_with_the_masthead() -> None:
    star = '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="3"/><w:t>*</w:t></w:r>'
    body = (
        p(r("Iraq:"), star, r(" draft resolution"))
        + p(r("Coastal resilience"), style="Title")
        + p(r("The General Assembly,"))
        + p(r("Recalling", italic=True), r(" its resolution 70/1,"))
    )
    data = make_docx(body, footnotes=note("footnote", 3, "On behalf of the States Members of the Group of 77."))
    draft = read_docx_draft(data)
    assert draft.title_footnotes == ["* On behalf of the States Members of the Group of 77."]
    assert draft.read_masthead().masthead.footnotes == ("* On behalf of the States Members of the Group of 77.",)
    assert not any("was not imported" in w for w in draft.warnings)
