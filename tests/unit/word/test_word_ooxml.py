"""Raw OOXML building blocks: runs, revisions, marks, settings, XML-safe text."""

from __future__ import annotations

import datetime as dt

import pytest
from docx.oxml.ns import qn
from lxml import etree

from drafter.word import ooxml, styles
from drafter.word.ooxml import Fmt, Revisions

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
WHEN = dt.datetime(2025, 11, 7, 12, 0)


def tags(el: etree._Element) -> list[str]:
    return [etree.QName(c).localname for c in el]


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("plain text", "plain text"),
        ("nul\x00here", "nulhere"),
        ("bell\x07 and escape\x1b", "bell and escape"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("windows\r\nline", "windows\nline"),
        ("old mac\rline", "old mac\nline"),
        ("vertical\x0btab and form\x0cfeed", "vertical\ntab and form\nfeed"),
        ("non\ufffecharacters\uffff", "noncharacters"),
        ("lone \ud800 surrogate \udfff", "lone \ufffd surrogate \ufffd"),
        ("emoji 🌊 stays", "emoji 🌊 stays"),
    ],
)
def test_xml_safe(raw: str, safe: str) -> None:
    assert ooxml.xml_safe(raw) == safe


def test_hostile_text_goes_into_a_run_without_error() -> None:
    hostile = "".join(chr(c) for c in range(0x20)) + "\ufffe\uffff\ud800 end"
    r = ooxml.run(hostile)
    etree.tostring(r)  # lxml would have raised on unsafe characters when setting the text
    assert "".join(t.text for t in r.iter(qn("w:t"))).endswith("\ufffd end")


def test_w_date_is_utc_with_z() -> None:
    assert ooxml.w_date(dt.datetime(2025, 11, 7, 12, 0, 5, 999)) == "2025-11-07T12:00:05Z"
    plus_two = dt.timezone(dt.timedelta(hours=2))
    assert ooxml.w_date(dt.datetime(2025, 11, 7, 14, 0, tzinfo=plus_two)) == "2025-11-07T12:00:00Z"


def test_run_preserves_spaces_and_splits_tabs_and_breaks() -> None:
    r = ooxml.run(" lead\tafter tab\nnext line ")
    assert tags(r) == ["t", "tab", "t", "br", "t"]
    texts = [t for t in r if t.tag == qn("w:t")]
    assert [t.text for t in texts] == [" lead", "after tab", "next line "]
    assert all(t.get(XML_SPACE) == "preserve" for t in texts)


def test_deleted_run_uses_deltext() -> None:
    r = ooxml.run(" gone ", deleted=True)
    assert tags(r) == ["delText"]
    assert r[0].get(XML_SPACE) == "preserve"
    assert r.find(qn("w:t")) is None


def test_run_properties_are_in_schema_order() -> None:
    fmt = Fmt(italic=True, bold=True, underline=True, strike=True, rtl=True, size=18, color="808080", style="X")
    rpr = ooxml.run("x", fmt)[0]
    assert tags(rpr) == ["rStyle", "b", "bCs", "i", "iCs", "strike", "color", "sz", "szCs", "u", "rtl"]
    assert ooxml.run_properties(Fmt()) is None


def test_revisions_share_one_counter_and_carry_author_and_date() -> None:
    revs = Revisions()
    a = revs.wrap("ins", "Mexico", WHEN, [ooxml.run("new")])
    b = revs.mark("del", "Norway", WHEN)
    assert (a.get(qn("w:id")), b.get(qn("w:id"))) == ("1", "2")
    assert a.get(qn("w:author")) == "Mexico" and a.get(qn("w:date")) == "2025-11-07T12:00:00Z"
    assert etree.QName(a).localname == "ins" and etree.QName(b).localname == "del"


def test_mark_revision_is_first_in_the_mark_properties() -> None:
    p = ooxml.paragraph(styles.OPERATIVE, rtl=True, num=(1, 0), keep_next=True)
    assert tags(p.find(qn("w:pPr"))) == ["pStyle", "keepNext", "numPr", "bidi"]
    ooxml.mark_paragraph(p, Revisions().mark("ins", "A", WHEN))
    ppr = p.find(qn("w:pPr"))
    assert tags(ppr)[-1] == "rPr"
    assert tags(ppr.find(qn("w:rPr"))) == ["ins"]
    assert ooxml.mark_revision(p) is not None


def test_mark_goes_before_section_properties() -> None:
    p = ooxml.paragraph(styles.OPERATIVE)
    p.find(qn("w:pPr")).append(etree.SubElement(p.find(qn("w:pPr")), qn("w:sectPr")))
    ooxml.mark_paragraph(p, Revisions().mark("del", "A", WHEN))
    assert tags(p.find(qn("w:pPr")))[-2:] == ["rPr", "sectPr"]


def test_track_revisions_sits_before_the_default_tab_stop() -> None:
    settings = styles.new_document().settings.element
    ooxml.set_track_revisions(settings)
    ooxml.set_track_revisions(settings)  # idempotent
    names = tags(settings)
    assert names.count("trackRevisions") == 1
    assert names.index("proofState") < names.index("trackRevisions") < names.index("defaultTabStop")


def test_add_num_restarts_levels() -> None:
    numbering = styles.new_document().part.numbering_part.element
    num_id = ooxml.add_num(numbering, styles.LIST_ABSTRACT_ID, restart=[1, 2])
    assert num_id == styles.LIST_NUM_ID + 1
    num = numbering.findall(qn("w:num"))[-1]
    overrides = num.findall(qn("w:lvlOverride"))
    assert [o.get(qn("w:ilvl")) for o in overrides] == ["1", "2"]
    assert all(o.find(qn("w:startOverride")).get(qn("w:val")) == "1" for o in overrides)
