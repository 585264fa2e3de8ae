"""Word files written by other programs and other habits: legal packages, Strict files, text in
tables and text boxes, tracked changes without text, drop caps."""

from __future__ import annotations

import pytest

from drafter.errors import InvalidInput
from drafter.importing.docx import read_docx_draft
from drafter.word.reader import IN_TABLE, READ_FROM, read_docx
from drafter.word.safety import DAMAGED, STRICT, UnreadableDocument, UnsafeDocument, check_docx
from tests.unit.word.docx_factory import (
    CT,
    DATE,
    abstract_num,
    dele,
    drop_cap,
    ins,
    main_by_default,
    main_moved,
    make_docx,
    mark_del,
    num,
    p,
    r,
    strict_docx,
    table,
    text_box,
    unzip,
    zip_members,
)

BODY = p(r("Recalling its resolution on oceans,")) + p(r("Decides to act."))
TEXTS = ["Recalling its resolution on oceans,", "Decides to act."]


def texts(data: bytes, version: str = "new") -> list[str]:
    return [x.text for x in read_docx(data).block_paragraphs(version)]  # type: ignore[arg-type]


# -- Packages Word, LibreOffice and python-docx open -----------------------------------------------


@pytest.mark.parametrize(
    "data",
    [main_by_default(BODY), main_moved(BODY), main_moved(BODY, "word/document2.xml")],
    ids=["default-content-type", "main-part-elsewhere", "document2"],
)
def test_legal_packages_are_read(data: bytes) -> None:
    check_docx(data)
    assert texts(data) == TEXTS


def test_main_part_elsewhere_declared_by_default() -> None:
    members = unzip(main_moved(BODY))
    main = b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    members[CT] = members[CT].replace(b'<Override PartName="/word/body.xml" ContentType="' + main + b'"/>', b"")
    members[CT] = members[CT].replace(
        b'Extension="xml" ContentType="application/xml"', b'Extension="xml" ContentType="' + main + b'"'
    )
    assert texts(zip_members(members)) == TEXTS


def test_main_part_named_by_the_relationships_must_be_a_word_document() -> None:
    members = unzip(make_docx(BODY))
    template = b"application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml"
    members[CT] = members[CT].replace(
        b'Extension="xml" ContentType="application/xml"', b'Extension="dat" ContentType="' + template + b'"'
    )
    members["_rels/.rels"] = members["_rels/.rels"].replace(b'Target="word/document.xml"', b'Target="word/other.dat"')
    members["word/other.dat"] = members["word/document.xml"]
    with pytest.raises(UnsafeDocument, match="Word template"):
        check_docx(zip_members(members))


def test_main_part_missing_is_damaged() -> None:
    members = unzip(main_by_default(BODY))
    del members["word/document.xml"]
    with pytest.raises(UnsafeDocument) as refused:
        check_docx(zip_members(members))
    assert refused.value.message == DAMAGED


# -- Strict Open XML --------------------------------------------------------------------------------


def test_strict_file_is_named_as_such() -> None:
    with pytest.raises(UnsafeDocument) as refused:
        read_docx(strict_docx("Decides to act."))
    assert refused.value.message == STRICT
    assert "Strict Open XML format; save it again as a Word Document (.docx)" in STRICT
    with pytest.raises(InvalidInput, match="Strict Open XML"):
        read_docx_draft(strict_docx("Decides to act."))


def test_strict_namespaces_behind_transitional_relationships() -> None:
    members = unzip(make_docx(BODY))
    members["word/document.xml"] = members["word/document.xml"].replace(
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
    )
    with pytest.raises(UnreadableDocument) as refused:
        read_docx(zip_members(members))
    assert refused.value.message == STRICT


# -- Text in tables and text boxes ------------------------------------------------------------------


def test_text_in_a_one_column_table_is_read_in_order() -> None:
    body = p() + table((p(r("Recalling its resolution on oceans,")),), (p(r("Decides to act.")) + p(),)) + p()
    content = read_docx(make_docx(body))
    assert [x.text for x in content.block_paragraphs()] == TEXTS
    assert content.skipped == [READ_FROM["table"]]
    draft = read_docx_draft(make_docx(body))
    assert [q.text for q in draft.paragraphs] == TEXTS and READ_FROM["table"] in draft.skipped


def test_a_cell_end_is_a_paragraph_end_even_after_a_deleted_mark() -> None:
    body = table((p(r("Recalling its resolution on oceans,"), mark=mark_del()),), (p(r("Decides to act.")),))
    assert texts(make_docx(body)) == TEXTS


def test_tracked_changes_in_a_table_are_read() -> None:
    body = table((p(r("Decides to "), dele("convene"), ins("hold"), r(" a meeting.")),))
    content = read_docx(make_docx(body))
    assert content.has_tracked_changes
    assert [x.text for x in content.old] == ["Decides to convene a meeting."]
    assert [x.text for x in content.new] == ["Decides to hold a meeting."]


def test_text_in_a_table_of_several_columns_is_refused_with_the_reason() -> None:
    body = table((p(r("1.")), p(r("Decides to act."))), (p(r("2.")), p(r("Requests a report."))))
    with pytest.raises(UnreadableDocument) as refused:
        read_docx(make_docx(body))
    assert refused.value.message == IN_TABLE and refused.value.message.startswith(
        "The text of this file is in a table;"
    )
    with pytest.raises(InvalidInput, match="The text of this file is in a table;") as invalid:
        read_docx_draft(make_docx(body))
    assert "no text to import" not in str(invalid.value)


def test_a_one_column_table_beside_body_text_is_still_skipped() -> None:
    body = p(r("Decides to act.")) + table((p(r("A boxed note.")),))
    content = read_docx(make_docx(body))
    assert [x.text for x in content.new] == ["Decides to act."]
    assert content.skipped == ['A table with 1 row after paragraph 1 ("Decides to act. ...") was skipped.']


@pytest.mark.parametrize("fallback", [True, False], ids=["drawing-and-vml", "drawing-only"])
def test_text_in_text_boxes_is_read_once_in_order(fallback: bool) -> None:
    body = p(text_box(p(r("Recalling its resolution on oceans,")), fallback=fallback)) + p(
        text_box(p(r("Decides to act.")), fallback=fallback)
    )
    content = read_docx(make_docx(body))
    assert [x.text for x in content.block_paragraphs()] == TEXTS
    assert content.skipped == [READ_FROM["text box"]]
    assert [q.text for q in read_docx_draft(make_docx(body)).paragraphs] == TEXTS


def test_vml_text_box_alone_is_read() -> None:
    box = (
        "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
        + p(r("Decides to act."))
        + "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    assert texts(make_docx(p(box))) == ["Decides to act."]


def test_text_boxes_beside_body_text_are_still_reported() -> None:
    content = read_docx(make_docx(p(r("Decides to act."), text_box(p(r("boxed"))))))
    assert [x.text for x in content.new] == ["Decides to act."]
    assert content.skipped == ["1 text box was not imported (near paragraph 1)."]


@pytest.mark.parametrize("body", ["", p() * 3, table((p(),), (p(),))], ids=["empty", "blank-paragraphs", "empty-table"])
def test_a_file_with_no_text_anywhere_is_still_empty(body: str) -> None:
    assert read_docx(make_docx(body)).block_paragraphs() == []
    with pytest.raises(InvalidInput, match="no text to import"):
        read_docx_draft(make_docx(body))


# -- Tracked changes that change no text ------------------------------------------------------------

PPR_CHANGE = f'<w:pPrChange w:id="91" w:author="Mexico" w:date="{DATE}"><w:pPr/></w:pPrChange>'
NUMBERING_CHANGE = (
    '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/>'
    f'<w:numberingChange w:id="92" w:author="Mexico" w:date="{DATE}" w:original="%1."/></w:numPr>'
)
RPR_CHANGE = f'<w:rPrChange w:id="93" w:author="Mexico" w:date="{DATE}"><w:rPr/></w:rPrChange>'
FIELD = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
         '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>')  # fmt: skip
NO_TEXT_CHANGES = {
    "paragraph-properties": p(r("Decides to act."), ppr=PPR_CHANGE),
    "numbering": p(r("Decides to act."), ppr=NUMBERING_CHANGE),
    "run-formatting": p(r("Decides to act.", rpr="<w:b/>" + RPR_CHANGE)),
    "mark-formatting": p(r("Decides to act."), mark=RPR_CHANGE),
    "inserted-field": p(r("Decides to act."), ins(FIELD)),
    "deleted-field": p(r("Decides to act."), dele(FIELD)),
}


@pytest.mark.parametrize("body", NO_TEXT_CHANGES.values(), ids=NO_TEXT_CHANGES.keys())
def test_tracked_changes_without_text_are_counted(body: str) -> None:
    content = read_docx(make_docx(body, numbering=abstract_num(0, ("decimal", "%1.")) + num(1, 0)))
    assert not content.has_tracked_changes and content.other_changes == 1
    assert [x.text for x in content.old] == [x.text for x in content.new] == ["Decides to act."]


def test_a_plain_file_has_no_other_changes() -> None:
    assert read_docx(make_docx(BODY)).other_changes == 0
    assert read_docx(make_docx(p(r("Decides to "), ins("act")))).other_changes == 0


# -- Drop caps ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["drop", "margin"])
def test_a_drop_cap_is_joined_to_its_paragraph(how: str) -> None:
    body = drop_cap("D", how=how) + p(r("rop cap.")) + p(r("Next paragraph."))
    content = read_docx(make_docx(body))
    assert [x.text for x in content.new] == [x.text for x in content.old] == ["Drop cap.", "Next paragraph."]
    assert [q.text for q in read_docx_draft(make_docx(body)).paragraphs] == ["Drop cap.", "Next paragraph."]


def test_a_joined_drop_cap_keeps_the_paragraph_properties_and_its_changes() -> None:
    body = drop_cap("D") + p(r("ecides to "), dele("convene"), ins("hold"), r(" a meeting."), num=(1, 0))
    content = read_docx(make_docx(body, numbering=abstract_num(0, ("decimal", "%1.")) + num(1, 0)))
    assert [(x.number_label, x.text) for x in content.new] == [("1.", "Decides to hold a meeting.")]
    assert [x.text for x in content.old] == ["Decides to convene a meeting."]
    assert len(content.paragraphs) == 1 and len(content.paragraphs[0].changes) == 2


def test_a_framed_paragraph_that_is_not_an_initial_is_its_own_paragraph() -> None:
    body = drop_cap("A framed note") + p(r("Decides to act."))
    assert texts(make_docx(body)) == ["A framed note", "Decides to act."]
    plain_frame = p(r("D"), ppr='<w:framePr w:wrap="around" w:vAnchor="text" w:hAnchor="text"/>') + p(r("ecides."))
    assert texts(make_docx(plain_frame)) == ["D", "ecides."]


def test_a_drop_cap_before_a_table_stays_apart() -> None:
    body = drop_cap("D") + table((p(r("cell")), p(r("cell")))) + p(r("ecides."))
    assert texts(make_docx(body)) == ["D", "ecides."]
