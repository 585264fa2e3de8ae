"""The Word reader on .docx files built in the tests: text, numbering, styles, notes, what is skipped."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from drafter.text import footnotes
from drafter.word.reader import read_docx
from tests.unit.word.docx_factory import (
    abstract_num,
    make_docx,
    note,
    note_ref,
    num,
    p,
    paragraph_style,
    r,
    start_override,
)

UN_LIST = abstract_num(0, ("decimal", "%1."), ("lowerLetter", "(%2)"), ("lowerRoman", "(%3)"))


def texts(data: bytes, version: str = "new") -> list[str]:
    content = read_docx(data)
    return [x.text for x in (content.new if version == "new" else content.old)]


def labels(data: bytes) -> list[tuple[str, str]]:
    return [(x.number_label, x.text) for x in read_docx(data).new]


# -- Text ---------------------------------------------------------------------------------------


def test_python_docx_document() -> None:
    document = docx.Document()
    document.add_paragraph("Recalling its resolution 70/1,")
    document.add_heading("Commitments", level=1)
    document.add_paragraph("1.\tDecides to act;")
    buffer = io.BytesIO()
    document.save(buffer)
    content = read_docx(buffer.getvalue())
    assert [x.text for x in content.new] == ["Recalling its resolution 70/1,", "Commitments", "1.\tDecides to act;"]
    assert [x.heading_hint for x in content.new] == [False, True, False]
    assert not content.has_tracked_changes and content.authors == [] and content.skipped == []


def test_runs_join_and_text_is_stripped() -> None:
    data = make_docx(p(r("  Recalling "), r("its resolution"), r(" 70/1,  ")))
    assert texts(data) == ["Recalling its resolution 70/1,"]


def test_tabs_breaks_and_special_characters() -> None:
    body = p(
        r("1."),
        "<w:r><w:tab/></w:r>",
        r("Decides"),
        "<w:r><w:br/></w:r>",
        r("to act"),
        "<w:r><w:noBreakHyphen/></w:r>",
        r("now"),
        "<w:r><w:softHyphen/></w:r>",
        r("."),
    )
    assert texts(make_docx(body)) == ["1.\tDecides\nto act-now."]


def test_symbol_characters() -> None:
    body = p(
        r("Paragraph "),
        '<w:r><w:sym w:font="Symbol" w:char="F0B7"/></w:r>',
        '<w:r><w:sym w:font="Arial" w:char="00A7"/></w:r>',
    )
    assert texts(make_docx(body)) == ["Paragraph §"]


def test_field_instructions_are_not_text_but_results_are() -> None:
    body = p(
        r("See page "),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGEREF _Ref1 \\h </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        r("4"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        r(" and "),
        f'<w:fldSimple w:instr=" DATE ">{r("7 November 2025")}</w:fldSimple>',
    )
    assert texts(make_docx(body)) == ["See page 4 and 7 November 2025"]


def test_hyperlinks_smart_tags_and_content_controls_hold_text() -> None:
    body = (
        p(r("Visit "), f'<w:hyperlink r:id="rId99">{r("the site")}</w:hyperlink>', r("."))
        + p(f'<w:smartTag w:uri="x" w:element="place">{r("Geneva")}</w:smartTag>')
        + f"<w:sdt><w:sdtPr/><w:sdtContent>{p(r('Inside a block control.'))}</w:sdtContent></w:sdt>"
        + p(f"<w:sdt><w:sdtPr/><w:sdtContent>{r('Inline control.')}</w:sdtContent></w:sdt>")
    )
    assert texts(make_docx(body)) == ["Visit the site.", "Geneva", "Inside a block control.", "Inline control."]


def test_comments_and_bookmarks_are_not_text() -> None:
    body = p(
        '<w:bookmarkStart w:id="0" w:name="x"/>',
        '<w:commentRangeStart w:id="1"/>',
        r("Text"),
        '<w:commentRangeEnd w:id="1"/>',
        '<w:r><w:commentReference w:id="1"/></w:r>',
        '<w:bookmarkEnd w:id="0"/>',
    )
    content = read_docx(make_docx(body))
    assert content.new[0].text == "Text"
    assert content.skipped == ["1 comment was not imported (near paragraph 1)."]


# -- Formatting: italic openings, headings --------------------------------------------------------


def test_italic_opening_words() -> None:
    body = (
        p(r("Recalling", italic=True), r(" its resolution,"))
        + p(r("Also ", italic=True), r(" "), r("recalling", italic=True), r(" its decision,"))
        + p(r("Plain text."))
        + p(r("All italic.", italic=True))
    )
    assert [x.italic_chars for x in read_docx(make_docx(body)).new] == [9, 15, 0, 11]


def test_italic_opening_after_a_number_typed_by_hand() -> None:
    body = p(r("5.\t"), r("Decides", italic=True), r(" to act;")) + p(r("(a) "), r("Urges", italic=True), r(" States;"))
    content = read_docx(make_docx(body))
    assert [(x.text, x.italic_chars) for x in content.new] == [("5.\tDecides to act;", 10), ("(a) Urges States;", 9)]


def test_italic_from_styles_and_toggles() -> None:
    styles = (
        '<w:style w:type="character" w:styleId="Emph"><w:name w:val="Emph"/><w:rPr><w:i/></w:rPr></w:style>'
        + paragraph_style("Quote", rpr="<w:i/>")
    )
    body = (
        p(r("Noting", rpr='<w:rStyle w:val="Emph"/>'), r(" with concern,"))
        + p(r("Stressing"), r(" the need,", rpr='<w:i w:val="0"/>'), style="Quote")
        + p(r("Affirming", rpr="<w:i w:val='false'/>"), r(" that"))
    )
    content = read_docx(make_docx(body, styles=styles))
    assert [x.italic_chars for x in content.new] == [6, 9, 0]


def test_complex_script_italic_uses_the_cs_property() -> None:
    body = p(r("يرحب", rpr="<w:rtl/><w:iCs/>"), r(" بعمل اللجان", rpr="<w:rtl/><w:i/>"))
    assert read_docx(make_docx(body)).new[0].italic_chars == 4


def test_headings_by_style_outline_level_and_bold() -> None:
    styles = paragraph_style("Sect", ppr='<w:outlineLvl w:val="1"/>') + paragraph_style("SubSect", based_on="Sect")
    body = (
        p(r("Introduction"), style="Heading1")
        + p(r("Follow-up"), style="SubSect")
        + p(r("Body text"), ppr='<w:outlineLvl w:val="9"/>')
        + p(r("Means of implementation", bold=True))
        + p(r("Decides to act.", bold=True))
        + p(r("Short but plain"))
        + p(r("A title"), style="Title")
    )
    content = read_docx(make_docx(body, styles=styles))
    assert [x.heading_hint for x in content.new] == [True, True, False, True, False, False, True]
    assert content.new[0].style_name == "heading 1"


# -- Automatic numbering ------------------------------------------------------------------------


def test_automatic_numbering_through_numbering_xml() -> None:
    body = (
        p(r("Recalling its resolution,"))
        + p(r("Decides to act;"), num=(1, 0))
        + p(r("Requests:"), num=(1, 0))
        + p(r("a report;"), num=(1, 1))
        + p(r("covering:"), num=(1, 1))
        + p(r("the data;"), num=(1, 2))
        + p(r("Invites all;"), num=(1, 0))
        + p(r("in writing;"), num=(1, 1))
    )
    data = make_docx(body, numbering=UN_LIST + num(1, 0))
    assert labels(data) == [
        ("", "Recalling its resolution,"),
        ("1.", "Decides to act;"),
        ("2.", "Requests:"),
        ("(a)", "a report;"),
        ("(b)", "covering:"),
        ("(i)", "the data;"),
        ("3.", "Invites all;"),
        ("(a)", "in writing;"),
    ]
    assert [x.level for x in read_docx(data).new] == [-1, 0, 0, 1, 1, 2, 0, 1]


def test_numbering_inherited_from_a_style_and_its_base() -> None:
    styles = (
        paragraph_style("Operative", ppr='<w:numPr><w:numId w:val="1"/></w:numPr>')
        + paragraph_style("OperativeBold", based_on="Operative", rpr="<w:b/>")
        + paragraph_style("Sub", ppr='<w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr>')
    )
    body = (
        p(r("Decides;"), style="Operative")
        + p(r("Urges;"), style="OperativeBold")
        + p(r("first;"), style="Sub")
        + p(r("Unnumbered here;"), style="Operative", ppr='<w:numPr><w:numId w:val="0"/></w:numPr>')
        + p(r("Requests;"), style="Operative")
    )
    data = make_docx(body, numbering=UN_LIST + num(1, 0), styles=styles)
    assert [label for label, _ in labels(data)] == ["1.", "2.", "(a)", "", "3."]


def test_level_chosen_by_the_style_named_in_the_list() -> None:
    numbering = (
        '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
        '<w:pStyle w:val="Op"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
        '<w:numFmt w:val="lowerLetter"/><w:pStyle w:val="Sub"/><w:lvlText w:val="(%2)"/></w:lvl></w:abstractNum>'
        + num(1, 0)
    )
    styles = paragraph_style("Op", ppr='<w:numPr><w:numId w:val="1"/></w:numPr>') + paragraph_style(
        "Sub", ppr='<w:numPr><w:numId w:val="1"/></w:numPr>'
    )
    body = p(r("Decides;"), style="Op") + p(r("first;"), style="Sub") + p(r("Requests;"), style="Op")
    assert [label for label, _ in labels(make_docx(body, numbering=numbering, styles=styles))] == ["1.", "(a)", "2."]


def test_lists_sharing_an_abstract_continue_and_start_overrides_restart() -> None:
    numbering = UN_LIST + num(1, 0) + num(2, 0) + num(3, 0, start_override(0, 10))
    body = (
        p(r("a;"), num=(1, 0))
        + p(r("b;"), num=(2, 0))
        + p(r("c;"), num=(3, 0))
        + p(r("d;"), num=(3, 0))
        + p(r("e;"), num=(1, 0))
    )
    assert [label for label, _ in labels(make_docx(body, numbering=numbering))] == ["1.", "2.", "10.", "11.", "12."]


def test_number_formats() -> None:
    numbering = abstract_num(
        0, ("upperRoman", "%1."), ("upperLetter", "%2."), ("decimal", "%1.%3", 5), ("bullet", "\uf0b7")
    )
    numbering += num(1, 0)
    body = (
        p(r("Introduction"), num=(1, 0))
        + p(r("Scope"), num=(1, 1))
        + p(r("item"), num=(1, 2))
        + p(r("dot"), num=(1, 3))
        + p(r("Means"), num=(1, 0))
    )
    assert [label for label, _ in labels(make_docx(body, numbering=numbering))] == ["I.", "A.", "I.5", "•", "II."]


def test_undefined_lists_print_nothing() -> None:
    body = p(r("Decides;"), num=(700, 0)) + p(r("Urges;"), num=(701, 0))
    assert labels(make_docx(body)) == [("", "Decides;"), ("", "Urges;")]


def test_numbers_in_each_version_of_a_tracked_document() -> None:
    body = (
        p(r("Decides;"), num=(1, 0))
        + p(
            f'<w:ins w:id="5" w:author="Mexico" w:date="2025-11-07T12:00:00Z">{r("Invites all;")}</w:ins>',
            num=(1, 0),
            mark='<w:ins w:id="6" w:author="Mexico" w:date="2025-11-07T12:00:00Z"/>',
        )
        + p(r("Requests;"), num=(1, 0))
    )
    content = read_docx(make_docx(body, numbering=UN_LIST + num(1, 0)))
    assert [(x.number_label, x.text) for x in content.old] == [("1.", "Decides;"), ("2.", "Requests;")]
    assert [(x.number_label, x.text) for x in content.new] == [
        ("1.", "Decides;"),
        ("2.", "Invites all;"),
        ("3.", "Requests;"),
    ]


def test_numbering_added_as_a_tracked_formatting_change() -> None:
    change = '<w:pPrChange w:id="9" w:author="Mexico" w:date="2025-11-07T12:00:00Z"><w:pPr/></w:pPrChange>'
    body = p(r("Decides;"), ppr=f'<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>{change}')
    content = read_docx(make_docx(body, numbering=UN_LIST + num(1, 0)))
    assert content.old[0].number_label == "" and content.new[0].number_label == "1."
    assert content.skipped == ["1 tracked formatting change ignored; only text changes are read."]


# -- Notes --------------------------------------------------------------------------------------


def test_footnotes_and_endnotes_are_attached_to_their_paragraph() -> None:
    body = (
        p(r("Recalling the Agenda"), note_ref("footnote", 2), r(" and the Pact,"), note_ref("footnote", 3))
        + p(r("Decides to act;"), note_ref("endnote", 1))
        + p(r("No notes."))
    )
    data = make_docx(
        body,
        footnotes=note("footnote", 2, "Resolution 70/1.") + note("footnote", 3, "Resolution 79/1.", "Annex."),
        endnotes=note("endnote", 1, "See the report."),
    )
    content = read_docx(data)
    m1, m2 = footnotes.marker(1), footnotes.marker(2)
    assert content.new[0].text == f"Recalling the Agenda{m1} and the Pact,{m2}"
    assert content.new[1].text == f"Decides to act;{m1}"
    assert [x.footnotes for x in content.new] == [
        {1: "Resolution 70/1.", 2: "Resolution 79/1.\nAnnex."},
        {1: "See the report."},
        {},
    ]


def test_a_note_printing_its_own_mark_is_kept_apart_with_no_marker() -> None:
    body = p(
        r("Iraq:"),
        note_ref("footnote", 2).replace("<w:footnoteReference", '<w:footnoteReference w:customMarkFollows="1"'),
        r("*"),
        r(" draft resolution"),
    )
    content = read_docx(make_docx(body, footnotes=note("footnote", 2, "On behalf of the Group.")))
    assert content.new[0].text == "Iraq:* draft resolution"
    assert content.new[0].footnotes == {} and content.new[0].marked_notes == ["On behalf of the Group."]


def test_a_footnote_inserted_with_tracking_belongs_to_the_new_version_only() -> None:
    body = p(
        r("Recalling the Agenda"),
        f'<w:ins w:id="1" w:author="A" w:date="2025-11-07T12:00:00Z">{note_ref("footnote", 2)}</w:ins>',
        r(","),
    )
    content = read_docx(make_docx(body, footnotes=note("footnote", 2, "Resolution 70/1.")))
    assert content.old[0].text == "Recalling the Agenda,"
    assert content.new[0].text == f"Recalling the Agenda{footnotes.marker(1)},"
    assert content.old[0].footnotes == {} and content.new[0].footnotes == {1: "Resolution 70/1."}
    assert content.paragraphs[0].changes, "a footnote added is a change of the paragraph"


def test_a_note_keeps_its_id_in_both_versions_when_one_before_it_is_deleted() -> None:
    body = p(
        r("Recalling A"),
        f'<w:del w:id="1" w:author="A" w:date="2025-11-07T12:00:00Z">{note_ref("footnote", 2)}</w:del>',
        r(" and B"),
        note_ref("footnote", 3),
        r(","),
    )
    content = read_docx(make_docx(body, footnotes=note("footnote", 2, "One.") + note("footnote", 3, "Two.")))
    m1, m2 = footnotes.marker(1), footnotes.marker(2)
    assert content.old[0].text == f"Recalling A{m1} and B{m2},"
    assert content.new[0].text == f"Recalling A and B{m2},"
    assert content.new[0].footnotes == {2: "Two."}


# -- What is skipped ------------------------------------------------------------------------------

TABLE = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>cell</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>"


def test_tables_are_skipped_with_a_warning_saying_where() -> None:
    body = p(r("Recalling its resolution on oceans and seas,")) + TABLE + p(r("Decides to act."))
    content = read_docx(make_docx(body))
    assert [x.text for x in content.new] == ["Recalling its resolution on oceans and seas,", "Decides to act."]
    assert content.skipped == [
        'A table with 2 rows after paragraph 1 ("Recalling its resolution on oceans and ...") was skipped.'
    ]


def test_table_at_the_start() -> None:
    assert read_docx(make_docx(TABLE + p(r("Text.")))).skipped == [
        "A table with 2 rows at the start of the document was skipped."
    ]


def test_images_text_boxes_and_equations_are_reported() -> None:
    body = (
        p(r("One."))
        + p(r("Two."), "<w:r><w:drawing><wp:inline/></w:drawing></w:r>")
        + p(
            "<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p>"
            "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>",
            r("Three."),
        )
        + p(r("Four "), "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>")
    )
    content = read_docx(make_docx(body))
    assert [x.text for x in content.new] == ["One.", "Two.", "Three.", "Four"]
    assert content.skipped == [
        "1 image was not imported (near paragraph 2).",
        "1 text box was not imported (near paragraph 3).",
        "1 equation was not imported (near paragraph 4).",
    ]


# -- Dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-07T12:00:00Z", dt.datetime(2025, 11, 7, 12, tzinfo=dt.UTC)),
        ("2025-11-07T12:00:00", dt.datetime(2025, 11, 7, 12, tzinfo=dt.UTC)),
        ("2025-11-07T12:00Z", dt.datetime(2025, 11, 7, 12, tzinfo=dt.UTC)),
        ("2025-11-07T12:00:00.123456789Z", dt.datetime(2025, 11, 7, 12, 0, 0, 123456, tzinfo=dt.UTC)),
        ("2025-11-07T14:00:00+02:00", dt.datetime(2025, 11, 7, 12, tzinfo=dt.UTC)),
        ("yesterday", None),
        ("2025-13-45T12:00:00Z", None),
        (None, None),
    ],
)
def test_parse_date(text: str | None, expected: dt.datetime | None) -> None:
    from drafter.word.reader import parse_date

    assert parse_date(text) == expected
