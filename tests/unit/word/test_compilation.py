"""The compilation of proposals: formatted and tracked styles, in the XML and in LibreOffice.

What the tracked style promises, checked by LibreOffice: accepting every change turns each
proposal's text paragraph into the text the proposal asks for (empty for a deletion, the base
text for "retain", the new text for a proposed new paragraph); rejecting every change turns
it back into the base text it was made against (empty for a new paragraph). Every other line
(title block, base paragraphs with their labels, attributions, notes) reads the same either way.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from drafter.text.diff import DiffOp, Op, word_diff
from drafter.text.structure import Kind
from drafter.word import styles
from drafter.word.compilation import NEW_PARAGRAPH, proposal_ops, write_compilation
from drafter.word.model import CompilationEntry, CompiledProposal, DocParagraph
from tests.support.docx_xml import body_paragraphs, mark_kind, problems, resolve, segments
from drafter.word.masthead import masthead_lines
from tests.support.drafts import HEADER, LANGUAGES, para, saved
from tests.support.libreoffice import LibreOffice, libreoffice_fixture

office = libreoffice_fixture()
P, O = Kind.PREAMBULAR, Kind.OPERATIVE
SUBMITTED = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)
LATER = dt.datetime(2025, 11, 4, 16, 0, tzinfo=dt.UTC)

PP1 = para("Recalling its earlier decisions on coastal data,", P, label="PP1", italic=9)
OP1 = para("Decides to establish an open registry of coastal stations;", O, label="1", italic=7)
OP2 = para("Requests the secretariat to report every year;", O, label="2", italic=8)
ARABIC_OLD, ARABIC_NEW = LANGUAGES["ar"]
OP3 = para(ARABIC_OLD, O, label="3")


def amend(
    delegation: str,
    base: DocParagraph,
    new: str,
    *,
    note: str = "",
    when: dt.datetime = SUBMITTED,
    attribution: str = "",
) -> CompiledProposal:
    return CompiledProposal(attribution or delegation, delegation, "amend", word_diff(base.text, new).ops, note, when)


#: (entries, what each proposal's text paragraph reads after accept-all and after reject-all)
ENTRIES = [
    CompilationEntry(PP1, []),
    CompilationEntry(
        OP1,
        [
            amend(
                "G77 and China",
                OP1,
                "Decides to establish and maintain an open registry of coastal stations;",
                attribution="G77 and China, supported by Mexico; opposed by Norway",
                note="To make it last.",
            ),
            amend("European Union", OP1, "Also decides to establish a registry of coastal stations;", when=LATER),
            CompiledProposal("Norway", "Norway", "delete", (), "", LATER),
        ],
    ),
    CompilationEntry(
        DocParagraph(O, "", "1 bis"),
        [
            CompiledProposal(
                "Mexico",
                "Mexico",
                "insert",
                (DiffOp(Op.INSERT, "Calls upon States to share data;"),),
                "[Withdrawn]",
                SUBMITTED,
            )
        ],
        is_new=True,
    ),
    CompilationEntry(
        DocParagraph(O, "", "1 ter"),
        [
            CompiledProposal(
                "Japan", "Japan", "insert", (DiffOp(Op.INSERT, "Invites observers to contribute;"),), "", SUBMITTED
            )
        ],
        is_new=True,
    ),
    CompilationEntry(
        OP2,
        [
            CompiledProposal("Switzerland", "Switzerland", "retain", (), "", SUBMITTED),
            amend("G77 and China", OP2, "Requests the secretariat to report;"),
        ],
    ),
    CompilationEntry(OP3, [amend("Egypt", OP3, ARABIC_NEW)]),
]
PROPOSED = [
    "Decides to establish and maintain an open registry of coastal stations;",
    "Also decides to establish a registry of coastal stations;",
    "",
    "Calls upon States to share data;",
    "Invites observers to contribute;",
    OP2.text,
    "Requests the secretariat to report;",
    ARABIC_NEW,
]
BASES = [OP1.text, OP1.text, OP1.text, "", "", OP2.text, OP2.text, ARABIC_OLD]
AUTHORS = ["G77 and China", "European Union", "Norway", "Mexico", "Japan", "Switzerland", "G77 and China", "Egypt"]


def title_page(header=HEADER) -> list[str]:
    """Return the texts of the compilation's first lines: the masthead, the title, "Rev.1  Compilation ..."."""
    return [line.text for line in masthead_lines(header)] + [header.title, f"{header.label}\u2002{header.subtitle}"]


def lines(version: list[str]) -> list[str]:
    """Return every paragraph of the compilation, proposal texts taken from ``version``."""
    texts = iter(version)
    out = title_page()
    for entry in ENTRIES:
        label = styles.printed_label(entry.paragraph)
        out.append(f"{label}\t{entry.paragraph.text or NEW_PARAGRAPH}")
        for proposal in entry.proposals:
            tag = {"delete": " Delete", "retain": " Retain"}.get(proposal.kind, "")
            out.append(f"{proposal.attribution}:{tag}")
            out.append(next(texts))
            if proposal.note:
                out.append(proposal.note)
    return out


def by_style(doc, style: str) -> list[etree._Element]:
    return [p for p in body_paragraphs(doc) if p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == style]


def run_has(r, tag: str) -> bool:
    return r.find(f"{qn('w:rPr')}/{qn(tag)}") is not None


def printed() -> list[str]:
    """Return each proposal's text as the formatted style prints it: deleted and inserted words both."""
    return ["".join(o.text for o in proposal_ops(p, e.paragraph)) for e in ENTRIES for p in e.proposals]


def test_layout_is_the_same_in_both_styles() -> None:
    tracked = write_compilation(HEADER, ENTRIES, style="tracked")
    assert resolve(tracked, "accept") == lines(PROPOSED)
    assert resolve(tracked, "reject") == lines(BASES)
    formatted = write_compilation(HEADER, ENTRIES, style="formatted")
    assert resolve(formatted, "accept") == resolve(formatted, "reject") == lines(printed())
    for doc in (tracked, formatted):
        bases = by_style(doc, styles.BASE)
        assert ["".join(t for _, t in segments(p)).split("\t")[0] for p in bases] == [
            "PP1",
            "1.",
            "1 bis",
            "1 ter",
            "2.",
            "3.",
        ]


def test_formatted_style_prints_changes_as_formatting_without_revisions() -> None:
    doc = write_compilation(HEADER, ENTRIES, style="formatted")
    body = doc.element.body
    assert body.find(f".//{qn('w:ins')}") is None and body.find(f".//{qn('w:del')}") is None
    assert doc.settings.element.find(qn("w:trackRevisions")) is None
    first = by_style(doc, styles.PROPOSAL)[0]
    runs = {r.find(qn("w:t")).text: r for r in first.iter(qn("w:r"))}
    assert run_has(runs["and maintain "], "w:b") and run_has(runs["and maintain "], "w:u")
    assert run_has(runs["Decides"], "w:i") and not run_has(runs["Decides"], "w:strike")
    deleted = by_style(doc, styles.PROPOSAL)[2]  # Norway deletes the whole paragraph
    assert all(run_has(r, "w:strike") for r in deleted.iter(qn("w:r")))
    inserted = by_style(doc, styles.PROPOSAL)[3]
    assert all(run_has(r, "w:b") and run_has(r, "w:u") for r in inserted.iter(qn("w:r")))


def test_attribution_is_bold_and_names_delete_and_retain() -> None:
    doc = write_compilation(HEADER, ENTRIES, style="formatted")
    style = doc.styles.element.xpath(f'w:style[@w:styleId="{styles.ATTRIBUTION}"]')[0]
    assert style.find(f"{qn('w:rPr')}/{qn('w:b')}") is not None
    texts = ["".join(t for _, t in segments(p)) for p in by_style(doc, styles.ATTRIBUTION)]
    assert texts[:3] == ["G77 and China, supported by Mexico; opposed by Norway:", "European Union:", "Norway: Delete"]
    assert "Switzerland: Retain" in texts


def test_tracked_style_uses_one_author_per_delegation_and_never_tracks_a_paragraph_mark() -> None:
    doc = write_compilation(HEADER, ENTRIES, style="tracked")
    assert problems(doc) == []
    assert doc.settings.element.find(qn("w:trackRevisions")) is not None
    assert all(mark_kind(p) == "" for p in body_paragraphs(doc))
    proposals = by_style(doc, styles.PROPOSAL)
    for p, author in zip(proposals, AUTHORS):
        revisions = list(p.iter(qn("w:ins"), qn("w:del")))
        assert {r.get(qn("w:author")) for r in revisions} <= {author}
    eu = list(proposals[1].iter(qn("w:ins")))[0]
    assert eu.get(qn("w:date")) == "2025-11-04T16:00:00Z"
    others = [p for p in body_paragraphs(doc) if p not in proposals]
    assert not any(el.tag in (qn("w:ins"), qn("w:del")) for p in others for el in p.iter())


def test_proposal_ops_for_delete_and_retain() -> None:
    delete = CompiledProposal("A", "A", "delete", ())
    retain = CompiledProposal("A", "A", "retain", ())
    assert proposal_ops(delete, OP2) == [DiffOp(Op.DELETE, OP2.text)]
    assert proposal_ops(retain, OP2) == [DiffOp(Op.EQUAL, OP2.text)]


def test_right_to_left_proposal_and_hostile_text() -> None:
    hostile = CompiledProposal("Bad\x00 name", "", "amend", word_diff("a b", "a\tc\x0b d\ufffe").ops, "note\x07")
    doc = write_compilation(
        HEADER,
        [
            CompilationEntry(OP3, [amend("Egypt", OP3, ARABIC_NEW)]),
            CompilationEntry(para("a b", O, label="4"), [hostile]),
        ],
        style="tracked",
    )
    arabic = by_style(doc, styles.PROPOSAL)[0]
    assert arabic.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is not None
    assert resolve(doc, "accept")[-3:] == ["Bad name:", "a\tc\n d", "note"]
    # no author: the attribution stands in
    assert {r.get(qn("w:author")) for r in by_style(doc, styles.PROPOSAL)[1].iter(qn("w:ins"))} == {"Bad name"}


def test_unknown_style_is_refused() -> None:
    with pytest.raises(ValueError):
        write_compilation(HEADER, ENTRIES, style="fancy")  # type: ignore[arg-type]


@pytest.mark.libreoffice
def test_tracked_style_accepts_to_each_proposal_and_rejects_to_the_base(office: LibreOffice, tmp_path: Path) -> None:
    path = saved(write_compilation(HEADER, ENTRIES, style="tracked"), tmp_path / "compilation.docx")
    assert office.accept_all(path) == lines(PROPOSED)
    assert office.reject_all(path) == lines(BASES)
    redlines = office.redlines(path)
    assert {author for _, author, _ in redlines} == set(AUTHORS) - {"Switzerland"}  # retain changes nothing


@pytest.mark.libreoffice
def test_formatted_style_has_nothing_to_accept(office: LibreOffice, tmp_path: Path) -> None:
    path = saved(write_compilation(HEADER, ENTRIES, style="formatted"), tmp_path / "formatted.docx")
    assert office.redlines(path) == []
    assert office.paragraphs(path) == office.accept_all(path)
