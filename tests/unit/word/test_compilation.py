"""The compilation of proposals: formatted and tracked styles, in the XML and in LibreOffice.

What the tracked style promises, checked by LibreOffice: accepting every change turns each
proposal's text paragraph into the text the proposal asks for (empty for a deletion, the base
text for "retain", the new text for a proposed new paragraph); rejecting every change turns
it back into the base text it was made against (empty for a new paragraph). Every other line
(title block, base paragraphs with their labels, attributions, notes) reads the same either way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx.oxml.ns import qn
from lxml import etree

from drafter.text import footnotes
from drafter.text.diff import DiffOp, Op, word_diff
from drafter.text.structure import Kind
from drafter.word import styles
from drafter.word.compilation import NEW_PARAGRAPH, proposal_note, proposal_ops, write_compilation
from drafter.word.masthead import masthead_lines
from drafter.word.model import CompilationEntry, CompiledProposal, DocParagraph
from tests.support.docx_xml import body_paragraphs, mark_kind, problems, resolve, segments
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


# -- reading like a secretariat's compilation ------------------------------------------------

WHEN = dt.datetime(2025, 11, 3, 9, 30, tzinfo=dt.UTC)
PLAIN_OPENINGS = [
    ("Recalling the work of the regional commissions on coastal observation and data,", P),
    ("Noting the gaps in the coverage of coastal stations in many regions of the world,", P),
    ("Decides to keep the registry of coastal stations open to every Member State;", O),
    ("Requests the secretariat to publish the registry and its updates every year;", O),
    ("Invites observers to contribute their data to the registry on a voluntary basis;", O),
]


def long_compilation(n: int = 60) -> list[CompilationEntry]:
    """Return ``n`` paragraphs of our own text, long stretches of them without any proposal."""
    out = []
    for i in range(n):
        text, kind = PLAIN_OPENINGS[i % len(PLAIN_OPENINGS)]
        text = text[:-1] + ", drawing on the experience of coastal States and of regional bodies" + text[-1]
        base = para(text, kind, label="" if kind is P else str(i + 1), italic=len(text.split()[0]))
        proposals = []
        if i % 9 == 4:
            new = text.replace("the ", "all the ", 1)
            proposals.append(amend("G77 and China", base, new, note="To widen the scope."))
        if i % 13 == 7:
            proposals.append(CompiledProposal("Norway", "Norway", "delete", (), "", WHEN))
        out.append(CompilationEntry(base, proposals))
    return out


def keeps_next(doc, p) -> bool:
    """Return True when a paragraph is kept with the next, directly or by its style."""
    if p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None:
        return True
    style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val"))
    return bool(doc.styles.element.xpath(f'w:style[@w:styleId="{style}"]/w:pPr/w:keepNext'))


def test_keep_with_next_holds_a_paragraph_with_its_first_proposal_and_never_chains() -> None:
    entries = long_compilation()
    doc = write_compilation(HEADER, entries, style="formatted")
    paragraphs = body_paragraphs(doc)
    bases = by_style(doc, styles.BASE)
    kept = [keeps_next(doc, p) for p in bases]
    assert kept == [bool(e.proposals) for e in entries]
    attributions = by_style(doc, styles.ATTRIBUTION)
    assert all(keeps_next(doc, p) for p in attributions)
    assert not any(keeps_next(doc, p) for p in by_style(doc, styles.PROPOSAL) + by_style(doc, styles.NOTE))
    title = len(masthead_lines(HEADER)) + 2
    body = paragraphs[title:]
    assert sum(keeps_next(doc, p) for p in body) == sum(len(e.proposals) + 1 for e in entries if e.proposals)
    longest = run = 0
    for p in body:
        run = run + 1 if keeps_next(doc, p) else 0
        longest = max(longest, run)
    assert longest <= 2  # base and attribution, then the proposal's text


def test_a_heading_keeps_with_what_follows() -> None:
    heading = para("I. Observation networks", Kind.HEADING)
    doc = write_compilation(HEADER, [CompilationEntry(heading, []), CompilationEntry(OP1, [])], style="formatted")
    first, second = by_style(doc, styles.BASE)
    assert keeps_next(doc, first) and not keeps_next(doc, second)


def test_the_first_page_carries_the_revisions_identity() -> None:
    header = dataclasses.replace(HEADER, subtitle="Compilation of proposals", chapeau="The General Assembly,")
    doc = write_compilation(header, [CompilationEntry(OP1, [])], style="formatted")
    texts = ["".join(t for _, t in segments(p)) for p in body_paragraphs(doc)]
    assert texts[0] == "United Nations\tA/80/L.99"
    assert "7 November 2025" in texts and header.title in texts
    assert "Rev.1\u2002Compilation of proposals" in texts and "The General Assembly," in texts
    # the symbol's right tab stands at this page's text width, not past its margin
    section = doc.sections[0]
    width = (section.page_width - section.left_margin - section.right_margin) / 635
    tabs = body_paragraphs(doc)[0].findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
    assert [(t.get(qn("w:val")), int(t.get(qn("w:pos")))) for t in tabs] == [
        ("clear", styles.TEXT_WIDTH),
        ("right", round(width)),
    ]


@pytest.mark.parametrize(
    ("justification", "outcome", "decision", "note"),
    [
        ("", "Not retained", "Not retained: overtaken by OP4", "[Not retained: overtaken by OP4]"),
        ("", "Not retained", "not retained.", "[Not retained]"),
        ("To stress access.", "Merged", "Merged with #12", "To stress access. [Merged: with #12]"),
        ("", "Merged", "Mergers of paragraphs were avoided", "[Merged: Mergers of paragraphs were avoided]"),
        ("Why.", "", "", "Why."),
        ("", "Incorporated", "", "[Incorporated]"),
    ],
)
def test_a_decision_note_does_not_repeat_the_outcome(justification, outcome, decision, note) -> None:
    assert proposal_note(justification, outcome, decision) == note
    doc = write_compilation(
        HEADER, [CompilationEntry(OP1, [amend("Japan", OP1, OP2.text, note=note)])], style="formatted"
    )
    printed = ["".join(t for _, t in segments(p)) for p in by_style(doc, styles.NOTE)]
    assert printed == [note] and (not outcome or f"{outcome}: {outcome}".casefold() not in printed[0].casefold())


def test_right_to_left_paragraphs_are_bidi_inside_their_column_and_english_keeps_its_order() -> None:
    mixed = ARABIC_NEW[:-1] + " Agenda 2030 " + ARABIC_NEW[-1]
    doc = write_compilation(HEADER, [CompilationEntry(OP3, [amend("Egypt", OP3, mixed)])], style="tracked")
    base, proposal = by_style(doc, styles.BASE)[0], by_style(doc, styles.PROPOSAL)[0]
    for p in (base, proposal):
        ppr = p.find(qn("w:pPr"))
        assert ppr.find(qn("w:bidi")) is not None
        ind = ppr.find(qn("w:ind"))  # start (the right edge) 1 cm in, end 3 cm clear of the references
        assert (ind.get(qn("w:left")), ind.get(qn("w:right")), ind.get(qn("w:hanging"))) == ("567", "1701", "0")
        for r in p.iter(qn("w:r")):
            text = "".join(t.text or "" for t in r if t.tag in (qn("w:t"), qn("w:delText")))
            if any("\u0600" <= ch <= "\u06ff" for ch in text):
                assert run_has(r, "w:rtl"), text
            if any("a" <= ch.lower() <= "z" for ch in text):
                assert not run_has(r, "w:rtl") and not any("\u0600" <= ch <= "\u06ff" for ch in text), text
    attribution = by_style(doc, styles.ATTRIBUTION)[0]
    assert attribution.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None
    assert resolve(doc, "accept")[-1] == mixed  # the runs split by script still spell the text
    following = write_compilation(HEADER, [CompilationEntry(OP3, []), CompilationEntry(OP1, [])], style="formatted")
    english = by_style(following, styles.BASE)[1]
    assert english.find(f"{qn('w:pPr')}/{qn('w:bidi')}") is None
    assert english.find(f"{qn('w:pPr')}/{qn('w:ind')}") is None


def test_new_paragraphs_keep_their_italic_opening() -> None:
    new = "Also decides to review the registry every two years;"
    doc = write_compilation(
        HEADER,
        [
            CompilationEntry(
                DocParagraph(O, "", "1 bis"),
                [CompiledProposal("Japan", "Japan", "insert", (DiffOp(Op.INSERT, new),), "", WHEN)],
                is_new=True,
            ),
            CompilationEntry(OP1, [amend("Fiji", OP1, "Strongly decides to establish a registry;")]),
        ],
        style="formatted",
    )
    inserted, amended = by_style(doc, styles.PROPOSAL)
    italic = "".join(r.find(qn("w:t")).text for r in inserted.iter(qn("w:r")) if run_has(r, "w:i"))
    assert italic == "Also decides"
    kept = [r for r in amended.iter(qn("w:r")) if not run_has(r, "w:strike")]  # the new text's runs
    assert "".join(r.find(qn("w:t")).text for r in kept if run_has(r, "w:i")) == "Strongly decides"


def text_area_used(pdf: Path, page: int, top: float, bottom: float) -> float:
    """Return the share of a page's text area that its body text reaches down to (0 for a blank page)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out).group(1))
    ys = [
        (float(a), float(b))
        for a, b in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', out)
    ]
    body = [(a, b) for a, b in ys if a >= top - 2 and b <= height - bottom + 2]
    if not body:
        return 0.0
    return (max(b for _, b in body) - top) / (height - top - bottom)


@pytest.mark.libreoffice
def test_a_long_compilation_fills_its_pages_from_the_first(office: LibreOffice, tmp_path: Path) -> None:
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} (poppler-utils) is not installed")
    header = dataclasses.replace(HEADER, subtitle="Compilation of proposals")
    entries = long_compilation()
    doc = write_compilation(header, entries, style="formatted")
    section = doc.sections[0]
    top, bottom = section.top_margin.pt, section.bottom_margin.pt
    pdf = office.to_pdf(saved(doc, tmp_path / "long.docx"), tmp_path / "long.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 3
    first = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert header.title.split()[0] in first and "A/80/L.99" in first
    assert entries[0].paragraph.text.split(",")[0] in " ".join(first.split())
    used = [text_area_used(pdf, n, top, bottom) for n in range(1, pages + 1)]
    assert all(u >= 1 / 3 for u in used[:-1]), used


# -- footnotes -----------------------------------------------------------------------------------

M1, M2 = footnotes.marker(1), footnotes.marker(2)
NOTED = DocParagraph(O, f"Decides to act on the Agenda{M1} now;", "1", footnotes={1: "Resolution 70/1."})


def _noted_proposal() -> CompiledProposal:
    new = f"Decides to act on the Agenda{M1} and the Pact{M2} now;"
    return CompiledProposal(
        "Mexico",
        "Mexico",
        "amend",
        word_diff(NOTED.text, new).ops,
        footnotes={1: "Resolution 70/1.", 2: "Resolution 79/1."},
    )


@pytest.mark.libreoffice
@pytest.mark.parametrize("style", ["formatted", "tracked"])
def test_footnotes_of_the_base_and_new_ones_of_a_proposal_are_real_the_rest_printed_numbers(
    office: LibreOffice, tmp_path: Path, style: str
) -> None:
    path = saved(
        write_compilation(HEADER, [CompilationEntry(NOTED, [_noted_proposal()])], style=style), tmp_path / "c.docx"
    )
    noted = office.noted(path, "accept")
    # the base paragraph's note once, the proposal's new one as a note of its own; the proposal's
    # copy of the base's note prints the base's number instead of a second note
    assert any(line.endswith("Decides to act on the Agenda[^Resolution 70/1.] now;") for line in noted)
    assert "Decides to act on the Agenda1 and the Pact[^Resolution 79/1.] now;" in noted
