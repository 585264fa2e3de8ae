"""The clean export, checked in its XML: styles, automatic numbering, italics, status, direction."""

from __future__ import annotations

import dataclasses

from docx.oxml.ns import qn

from drafter.text.structure import Kind
from drafter.word import styles
from drafter.word.clean import write_clean
from drafter.word.lists import auto_labels
from tests.support.docx_xml import body_paragraphs, segments
from tests.support.drafts import HEADER, para, sample_draft, title_texts


def pstyle(p) -> str:
    return p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))


def numpr(p) -> tuple[int, int] | None:
    n = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
    if n is None:
        return None
    return int(n.find(qn("w:numId")).get(qn("w:val"))), int(n.find(qn("w:ilvl")).get(qn("w:val")))


def text(p) -> str:
    return "".join(t.text for t in p.iter(qn("w:t")))


def italic_text(p) -> str:
    return "".join(
        t.text for r in p.iter(qn("w:r")) if r.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None for t in r.iter(qn("w:t"))
    )


def test_title_block_comes_first() -> None:
    doc = write_clean(HEADER, [])
    ps = body_paragraphs(doc)
    assert (
        ["".join(segment for _, segment in segments(p)) for p in ps]
        == title_texts()
        == ["United Nations\tA/80/L.99", "General Assembly", "7 November 2025", HEADER.title]
    )
    assert [pstyle(p) for p in ps] == [styles.MASTHEAD, styles.ORGAN, styles.ISSUE, styles.DOCUMENT_TITLE]
    assert doc.core_properties.title == HEADER.title


def test_title_block_leaves_out_empty_lines() -> None:
    header = dataclasses.replace(HEADER, symbol="", subtitle="")
    assert title_texts(header) == ["United Nations", "7 November 2025", HEADER.title]


def test_paragraph_styles_numbering_and_no_number_text() -> None:
    draft = sample_draft()
    ps = body_paragraphs(write_clean(HEADER, draft))[len(title_texts()) :]
    assert [text(p) for p in ps] == [d.text for d in draft]  # labels come from Word numbering
    assert [pstyle(p) for p in ps] == [styles.STYLE_OF_KIND[d.kind] for d in draft]
    nums = [numpr(p) for p in ps]
    operative = styles.LIST_NUM_ID
    for d, n in zip(draft, nums):
        if d.kind is Kind.OPERATIVE:
            assert n == (operative, 0)
        elif d.kind is Kind.SUBPARAGRAPH:
            assert n is not None
        else:
            assert n is None
    # subparagraphs of an operative paragraph share its list at levels 1 and 2
    assert nums[7] == nums[8] == nums[11] == (operative, 1)
    assert nums[9] == nums[10] == (operative, 2)
    # under preambular paragraphs: a list of their own per parent, (a) at level 0
    assert nums[2] == nums[3] != nums[15]
    assert nums[2][1] == nums[15][1] == 0
    assert operative not in (nums[2][0], nums[15][0])


def test_loose_subparagraphs_use_their_own_abstract_list_restarting_at_a() -> None:
    doc = write_clean(HEADER, sample_draft())
    numbering = doc.part.numbering_part.element
    abstract_of = {
        n.get(qn("w:numId")): n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in numbering.findall(qn("w:num"))
    }
    loose = [n for n, a in abstract_of.items() if a == str(styles.LOOSE_ABSTRACT_ID)]
    assert abstract_of[str(styles.LIST_NUM_ID)] == str(styles.LIST_ABSTRACT_ID)
    assert len(loose) == 2  # "Noting with concern that:" and "Further recalling ..."
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) in loose:
            assert [o.get(qn("w:ilvl")) for o in num.findall(qn("w:lvlOverride"))] == ["0", "1"]
    children = [c.tag for c in numbering]
    assert children.index(qn("w:num")) > max(i for i, t in enumerate(children) if t == qn("w:abstractNum"))


def test_app_labels_agree_with_word_numbering() -> None:
    draft = sample_draft()
    printed = [styles.printed_label(d) for d in draft]
    assert auto_labels(draft) == printed


def test_italic_opening() -> None:
    ps = body_paragraphs(write_clean(HEADER, sample_draft()))[len(title_texts()) :]
    assert italic_text(ps[0]) == "Recalling"
    assert italic_text(ps[5]) == "Decides"
    assert italic_text(ps[2]) == ""


def test_status_suffix_only_when_asked() -> None:
    d = dataclasses.replace(para("Decides to act.", label="1", italic=7), status="agreed ad ref")
    plain = body_paragraphs(write_clean(HEADER, [d]))[-1]
    shown = body_paragraphs(write_clean(HEADER, [d], show_status=True))[-1]
    assert text(plain) == "Decides to act."
    assert text(shown) == "Decides to act. [agreed ad ref]"
    last = list(shown.iter(qn("w:r")))[-1]
    assert last.find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == styles.STATUS


def test_arabic_paragraph_is_right_to_left() -> None:
    ps = body_paragraphs(write_clean(HEADER, [para("يرحب بعمل اللجان.", Kind.PREAMBULAR), para("Welcomes.")]))
    arabic, english = ps[-2], ps[-1]
    assert arabic.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert all(r.find(f"{qn('w:rPr')}/{qn('w:rtl')}") is not None for r in arabic.iter(qn("w:r")))
    assert english.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None


def test_tabs_breaks_and_hostile_text() -> None:
    p = body_paragraphs(write_clean(HEADER, [para("Column\tnext\nline\x00\x0b end\ufffe")]))[-1]
    run = next(p.iter(qn("w:r")))
    names = [c.tag.split("}")[1] for c in run]
    assert names == ["t", "tab", "t", "br", "t", "br", "t"]
    assert text(p) == "Columnnextline end"


def test_page_is_letter_with_page_numbers() -> None:
    doc = write_clean(HEADER, [])
    section = doc.sections[0]
    assert (section.page_width.twips, section.page_height.twips) == (12240, 15840)
    assert "PAGE" in section.footer._element.xml
