"""The UN layout of clean and tracked files: page, masthead, running headers, star footnotes,
emblem, and the title and chapeau tracked like paragraphs; then the official L.58 text through
LibreOffice, page by page.

``python -m tests.unit.word.test_layout OUT_DIR`` writes the clean export of the corpus L.58 as
.docx, .pdf and 60 dpi PNG pages there, to set beside the official PDF.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from flask import Flask

from drafter.config import load_config
from drafter.exporting import services
from drafter.text import footnotes
from drafter.text.structure import Kind
from drafter.word import styles
from drafter.word.clean import write_clean
from drafter.word.compilation import write_compilation
from drafter.word.masthead import masthead_lines, organ
from drafter.word.model import DocHeader, DocParagraph, PageSetup
from drafter.word.tracked import write_tracked
from tests.support.docx_xml import body_paragraphs, merge_hazards, resolve, segments
from tests.support.drafts import DATE, para, rows_of, sample_draft, saved, title_texts
from tests.support.libreoffice import LibreOffice, libreoffice_fixture, skip_or_fail

#: an invented masthead with every field filled
FULL = DocHeader(
    title="Coastal observation networks for sustainable development",
    label="Rev.1",
    date=dt.date(2026, 3, 4),
    symbol="A/C.2/81/L.7",
    subtitle="Changes against Zero draft",
    distribution="Limited",
    original_language="English",
    session_name="Eighty-first session",
    committee="Second Committee",
    agenda_item="19 (a)",
    agenda_title="Sustainable development: oceans and coasts",
    sponsor_line="Freedonia:* draft resolution",
    chapeau="The General Assembly,",
    footnotes=("* On behalf of the States members of the Coastal Group.",),
)
W_P = qn("w:p")


def text_of(p) -> str:
    return "".join(text for _, text in segments(p))


def png(width: int = 40, height: int = 30) -> bytes:
    """Return a small grey PNG, made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def reopened(document: Document) -> Document:
    """Return the document saved and opened again, as a reader sees it."""
    buffer = io.BytesIO()
    document.save(buffer)
    return docx.Document(io.BytesIO(buffer.getvalue()))


# -- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("paper", "size"), [("letter", (12240, 15840)), ("a4", (11906, 16838)), ("folio", (12240, 15840))]
)
def test_paper_per_setting(paper: str, size: tuple[int, int]) -> None:
    section = reopened(write_clean(FULL, [], page=PageSetup(paper=paper))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == size
    # the same text area on either paper, so the masthead's tab stops hold
    assert section.page_width.twips - section.left_margin.twips - section.right_margin.twips == styles.TEXT_WIDTH


@pytest.mark.parametrize(("paper", "size"), [("letter", (12240, 15840)), ("a4", (11906, 16838))])
def test_the_compilation_is_on_the_same_paper(paper: str, size: tuple[int, int]) -> None:
    section = reopened(write_compilation(FULL, [], style="formatted", page=PageSetup(paper=paper))).sections[0]
    assert (section.page_width.twips, section.page_height.twips) == size
    assert section.page_width.twips - section.left_margin.twips - section.right_margin.twips > 9000


@pytest.mark.parametrize("write", ["clean", "tracked"])
def test_headers_and_footers(write: str) -> None:
    doc = write_clean(FULL, []) if write == "clean" else write_tracked(FULL, rows_of([("A.", "B.")]), date=DATE)
    doc = reopened(doc)
    section = doc.sections[0]
    assert section.different_first_page_header_footer
    assert doc.settings.odd_and_even_pages_header_footer
    for header, align in ((section.header, "right"), (section.even_page_header, "left")):
        (p,) = header._element.findall(W_P)
        assert text_of(p) == FULL.symbol
        assert p.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == align
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        instructions = [t.text.strip() for t in footer._element.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"]
        assert "/" in [t.text for t in footer._element.iter(qn("w:t"))]
        assert xml.index("PAGE") < xml.index("NUMPAGES")
    first = section.first_page_header._element
    assert text_of(first.find(W_P)) == "Rev.1\u2002Changes against Zero draft"
    assert FULL.symbol not in first.xml and "PAGE" not in section.first_page_footer._element.xml


def test_running_header_without_a_symbol_is_the_label() -> None:
    section = write_clean(dataclasses.replace(FULL, symbol=""), []).sections[0]
    assert text_of(section.header._element.find(W_P)) == "Rev.1"


# -- the masthead --------------------------------------------------------------------------------


def test_masthead_texts_in_order() -> None:
    doc = write_clean(FULL, [para("Decides to act.", Kind.OPERATIVE, italic=7)])
    shown = [text_of(p) for p in body_paragraphs(doc)]
    assert shown == title_texts(FULL) + ["Decides to act."]
    assert shown[:-1] == [
        "United Nations\tA/C.2/81/L.7",
        "General Assembly\tDistr.: Limited",
        "4 March 2026",
        "Original: English",
        "Eighty-first session",
        "Second Committee",
        "Agenda item 19 (a)",
        "Sustainable development: oceans and coasts",
        "Freedonia:* draft resolution",
        FULL.title,
        "The General Assembly,",
    ]
    styles_of = [p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) for p in body_paragraphs(doc)]
    assert styles_of[:-1] == [
        styles.MASTHEAD,
        styles.ORGAN,
        styles.ISSUE,
        styles.LANGUAGE,
        styles.SESSION,
        styles.COMMITTEE,
        styles.AGENDA,
        styles.AGENDA_TITLE,
        styles.SPONSOR,
        styles.DOCUMENT_TITLE,
        styles.CHAPEAU,
    ]


def test_thick_rule_above_the_left_block_and_italic_chapeau() -> None:
    ps = body_paragraphs(write_clean(FULL, []))
    session = ps[4]
    assert session.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}").get(qn("w:sz")) == str(styles.RULE_SIZE)
    chapeau = ps[-1]
    italic = "".join(
        t.text
        for r in chapeau.iter(qn("w:r"))
        if r.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None
        for t in r.iter(qn("w:t"))
    )
    assert italic == "The General Assembly"  # the comma stays upright, as printed


def test_star_footnote_of_the_sponsor_line() -> None:
    doc = reopened(write_clean(FULL, []))
    sponsor = body_paragraphs(doc)[8]
    (ref,) = sponsor.iter(qn("w:footnoteReference"))
    assert ref.get(qn("w:customMarkFollows")) == "1" and ref.get(qn("w:id")) == "1"
    run = ref.getparent()
    assert [c.tag for c in run][-1] == qn("w:t") and run.find(qn("w:t")).text == "*"
    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/footnotes"))
    xml = part.blob.decode()
    assert 'w:type="separator"' in xml and 'w:type="continuationSeparator"' in xml
    assert "On behalf of the States members of the Coastal Group." in xml and "<w:footnoteRef/>" in xml
    assert doc.settings.element.find(qn("w:footnotePr")) is not None


def test_notes_are_numbered_in_the_order_of_their_marks() -> None:
    header = dataclasses.replace(
        FULL,
        sponsor_line="Freedonia** and Ruritania*: draft resolution",
        footnotes=("* First note.", "** Second note."),
    )
    doc = write_clean(header, [])
    sponsor = body_paragraphs(doc)[8]
    marks = [
        (r.find(qn("w:footnoteReference")).get(qn("w:id")), r.find(qn("w:t")).text)
        for r in sponsor.iter(qn("w:r"))
        if r.find(qn("w:footnoteReference")) is not None
    ]
    assert marks == [("1", "**"), ("2", "*")]
    assert text_of(sponsor) == "Freedonia** and Ruritania*: draft resolution"


def test_a_note_without_its_mark_or_sponsor_line() -> None:
    unmarked = body_paragraphs(write_clean(dataclasses.replace(FULL, sponsor_line="Freedonia: draft resolution"), []))
    assert text_of(unmarked[8]) == "Freedonia: draft resolution*"
    no_sponsor = write_clean(dataclasses.replace(FULL, sponsor_line=""), [])
    texts = [text_of(p) for p in body_paragraphs(no_sponsor)]
    assert "* On behalf of the States members of the Coastal Group." in texts
    assert not list(no_sponsor.element.body.iter(qn("w:footnoteReference")))


def test_empty_fields_are_not_printed() -> None:
    bare = DocHeader(title="", label="", date=dt.date(2026, 1, 2))
    doc = write_clean(bare, [para("Decides to act.")])
    assert [text_of(p) for p in body_paragraphs(doc)] == ["United Nations", "2 January 2026", "Decides to act."]
    assert organ(bare) == ""
    saved(doc, Path("/dev/null"))


@pytest.mark.parametrize(
    ("symbol", "chapeau", "name"),
    [
        ("A/80/L.1", "", "General Assembly"),
        ("E/2026/L.3", "", "Economic and Social Council"),
        ("", "The Security Council,", "Security Council"),
        ("", "We, the Heads of State", ""),
        ("UNEP/EA.7/L.2", "", ""),
    ],
)
def test_organ_from_symbol_or_chapeau(symbol: str, chapeau: str, name: str) -> None:
    assert organ(DocHeader(title="", label="", date=dt.date(2026, 1, 2), symbol=symbol, chapeau=chapeau)) == name


def test_long_organ_keeps_the_right_block_on_its_own_lines() -> None:
    lines = masthead_lines(dataclasses.replace(FULL, symbol="E/2026/L.3"))
    assert [line.text for line in lines[1:3]] == ["Economic and Social Council", "Distr.: Limited"]


@pytest.mark.parametrize(
    "header",
    [
        dataclasses.replace(
            FULL, title="Oceans " * 80, sponsor_line="\n".join(["Freedonia, Ruritania and others:*"] * 40)
        ),
        dataclasses.replace(
            FULL,
            title="الإعلان السياسي بشأن المحيطات",
            chapeau="إن الجمعية العامة،",
            sponsor_line="فريدونيا:* مشروع قرار",
            agenda_title="المحيطات",
        ),
        dataclasses.replace(
            FULL, symbol="\x00A/\ufffe80\x0b", title="\x07", sponsor_line="***", footnotes=("*", "** ", "x")
        ),
    ],
    ids=["long", "rtl", "hostile"],
)
def test_no_layout_makes_an_export_fail(header: DocHeader, tmp_path: Path) -> None:
    for doc in (
        write_clean(header, sample_draft()),
        write_tracked(header, rows_of([("A.", "B.")]), date=DATE, before=FULL),
    ):
        docx.Document(saved(doc, tmp_path / "x.docx"))


# -- the emblem ----------------------------------------------------------------------------------


def test_emblem_floats_beside_the_organ() -> None:
    doc = reopened(write_clean(FULL, [], page=PageSetup(emblem=png())))
    organ_line = body_paragraphs(doc)[1]
    anchor = organ_line.find(f".//{qn('wp:anchor')}")
    assert anchor is not None and anchor.find(qn("wp:wrapNone")) is not None
    cy = int(anchor.find(qn("wp:extent")).get("cy"))
    assert cy == styles.EMBLEM_HEIGHT * 635  # EMU per twip
    assert any(rel.reltype.endswith("/image") for rel in doc.part.rels.values())


@pytest.mark.parametrize("data", [b"", b"not a picture", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, png()[:30]])
def test_an_unreadable_emblem_is_left_out(data: bytes) -> None:
    doc = write_clean(FULL, [], page=PageSetup(emblem=data))
    assert not list(doc.element.body.iter(qn("w:drawing")))
    assert not any(rel.reltype.endswith("/image") for rel in doc.part.rels.values())


def test_the_export_service_reads_paper_and_emblem(tmp_path: Path) -> None:
    (tmp_path / "emblem.png").write_bytes(png())
    app = Flask("drafter", instance_path=str(tmp_path / "instance"))
    load_config(app, {"PAPER": "A4", "EMBLEM": str(tmp_path / "emblem.png"), "SECRET_KEY": "x"})
    with app.app_context():
        assert services._page() == PageSetup(paper="a4", emblem=png())
        app.config["EMBLEM"] = str(tmp_path / "missing.png")
        assert services._page().emblem is None
        app.config["EMBLEM"] = str(tmp_path)  # a folder
        assert services._page().emblem is None
    assert services._page() == PageSetup()  # outside an app


def test_an_unknown_paper_is_refused_at_start(tmp_path: Path) -> None:
    app = Flask("drafter", instance_path=str(tmp_path / "instance"))
    with pytest.raises(ValueError, match="DRAFTER_PAPER"):
        load_config(app, {"PAPER": "legal", "SECRET_KEY": "x"})


# -- the title and the chapeau, tracked -----------------------------------------------------------

OLD = dataclasses.replace(FULL, title="Coastal observation for development", chapeau="The General Assembly,")
NEW = dataclasses.replace(
    FULL,
    title="Coastal networks for sustainable development",
    chapeau="The General Assembly, meeting in plenary,",
    symbol="A/C.2/81/L.7/Rev.1",
)


def test_changed_title_and_chapeau_are_tracked() -> None:
    rows = rows_of([("Decides to act.", "Decides to act now.")])
    doc = write_tracked(NEW, rows, date=DATE, before=OLD)
    ps = body_paragraphs(doc)
    n = len(masthead_lines(NEW))
    title, chapeau = ps[n], ps[n + 1]
    assert {kind for kind, _ in segments(title)} == {"", "ins", "del"}
    assert {kind for kind, _ in segments(chapeau)} >= {"", "ins"}
    assert all(kind == "" for p in ps[:n] for kind, _ in segments(p))  # symbol, date, sponsor: untracked
    assert resolve(doc, "accept") == title_texts(NEW) + ["Decides to act now."]
    assert resolve(doc, "reject") == [line.text for line in masthead_lines(NEW)] + [
        OLD.title,
        OLD.chapeau,
        "Decides to act.",
    ]
    assert merge_hazards(doc) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (dataclasses.replace(OLD, title="", chapeau=""), NEW),
        (NEW, dataclasses.replace(OLD, title="", chapeau="")),
        (
            dataclasses.replace(OLD, chapeau="The General Assembly,"),
            dataclasses.replace(NEW, chapeau="The General Assembly, again"),
        ),
    ],
)
def test_title_and_chapeau_added_removed_or_ending_in_an_insertion(old: DocHeader, new: DocHeader) -> None:
    rows = rows_of([(None, "Welcomes the plan."), ("Decides to act.", "Decides to act.")])
    doc = write_tracked(new, rows, date=DATE, before=old)
    top = [line.text for line in masthead_lines(new)]
    assert resolve(doc, "accept") == top + [p for p in title_texts(new)[len(top) :]] + [
        "Welcomes the plan.",
        "Decides to act.",
    ]
    assert resolve(doc, "reject") == top + [p for p in title_texts(old)[len(masthead_lines(old)) :]] + [
        "Decides to act."
    ]
    assert merge_hazards(doc) == []


# -- through LibreOffice ------------------------------------------------------------------------

office = libreoffice_fixture()


@pytest.mark.libreoffice
@pytest.mark.parametrize(
    ("old", "new"),
    [(OLD, NEW), (dataclasses.replace(OLD, title="", chapeau=""), NEW), (NEW, dataclasses.replace(OLD, title=""))],
)
def test_tracked_title_through_libreoffice(office: LibreOffice, tmp_path: Path, old: DocHeader, new: DocHeader) -> None:
    rows = rows_of([(None, "Welcomes the plan."), ("Decides to act.", "Decides to act now.")])
    path = saved(write_tracked(new, rows, date=DATE, before=old), tmp_path / "tracked.docx")
    top = [line.text for line in masthead_lines(new)]
    assert office.accept_all(path) == title_texts(new) + ["Welcomes the plan.", "Decides to act now."]
    assert office.reject_all(path) == top + title_texts(old)[len(masthead_lines(old)) :] + ["Decides to act."]


L58 = "ict4sd-facilitator-draft-A_C.2_80_L.58.txt"
OFFICIAL_PAGES = 18  #: the official A/C.2/80/L.58 as printed


def l58_paragraphs(corpus: Path) -> list:
    from drafter.importing.services import read_draft

    path = corpus / L58
    return read_draft(path.name, path.read_bytes()).paragraphs


def l58_export(corpus: Path) -> tuple[Document, DocHeader]:
    """Return the clean export of the corpus L.58 text, with the identity its masthead prints."""
    from drafter.importing.services import read_draft

    path = corpus / L58
    draft = read_draft(path.name, path.read_bytes())
    m = draft.read_masthead().masthead
    header = DocHeader.of(m, label="", date=m.issued_on or dt.date(2025, 11, 18))
    paragraphs = [
        DocParagraph(
            kind=q.kind,
            text=q.text,
            number_label=q.number,
            level=q.level,
            italic_chars=q.italic_chars,
            footnotes=q.footnotes,
        )
        for q in draft.paragraphs
    ]
    return write_clean(header, paragraphs), header


def _pdf_page(pdf: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(out.split())


def _metric_font() -> bool:
    """Return whether Times New Roman, or a font of its metrics, is there for LibreOffice."""
    try:
        found = subprocess.run(["fc-match", "Times New Roman"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return bool(re.search(r"Times New Roman|Liberation Serif|Tinos", found))


@pytest.mark.libreoffice
def test_l58_pages_as_printed(office: LibreOffice, corpus: Path, tmp_path: Path) -> None:
    for tool in ("pdfinfo", "pdftotext"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            skip_or_fail(f"{tool} (poppler-utils) is not installed")
    document, header = l58_export(corpus)
    pdf = office.to_pdf(saved(document, tmp_path / "l58.docx"), tmp_path / "l58.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Page size:\s+612 x 792 pts", info, re.MULTILINE), info
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    first = _pdf_page(pdf, 1)
    for shown in [
        "United Nations",
        header.symbol,
        "General Assembly",
        f"Distr.: {header.distribution}",
        "18 November 2025",
        f"Original: {header.original_language}",
        header.session_name,
        header.committee,
        f"Agenda item {header.agenda_item}",
        header.sponsor_line,
        header.title,
        header.chapeau,
    ]:
        assert " ".join(shown.split()) in first, shown
    second = _pdf_page(pdf, 2)
    assert second.startswith(header.symbol) and f"2/{pages}" in second
    # every footnote of the text is a real footnote, at the foot of the page of its reference
    notes = office.footnote_pages(tmp_path / "l58.docx")
    expected = [
        n for q in l58_paragraphs(corpus) for n in (q.footnotes[k] for k in dict.fromkeys(footnotes.ids_in(q.text)))
    ]
    assert [" ".join(t.split()) for _, t in notes[len(header.footnotes) :]] == [" ".join(n.split()) for n in expected]
    assert len(expected) >= 20
    for page, text in notes[len(header.footnotes) :]:
        opening = " ".join(text.split()[:4])
        assert opening in _pdf_page(pdf, page), (page, text)
    assert f"{pages}/{pages}" in _pdf_page(pdf, pages)
    if not _metric_font():
        pytest.skip("the page count needs Times New Roman or a font of its metrics (fonts-liberation2)")
    assert abs(pages - OFFICIAL_PAGES) <= 0.15 * OFFICIAL_PAGES, pages


def main(out: Path) -> None:
    """Write the clean export of the corpus L.58 as .docx, .pdf and PNG pages into ``out``."""
    corpus = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "un"
    out.mkdir(parents=True, exist_ok=True)
    document, _ = l58_export(corpus)
    with LibreOffice() as lo:
        pdf = lo.to_pdf(saved(document, out / "l58.docx"), out / "l58.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / "l58")], check=True)
    print(pdf)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/drafter-layout"))
