"""What LibreOffice shows of each export: a PDF with pages, the title and the paragraphs; and
for the clean export, the number labels, styles, italic openings and direction of each paragraph.

``python -m tests.unit.word.test_render OUT_DIR`` writes the sample exports as .docx, .pdf
and 60 dpi PNG pages there, to look at.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from docx.document import Document

from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.compilation import write_compilation
from drafter.word.lists import auto_labels
from drafter.word.model import DocParagraph
from drafter.word.tracked import write_tracked
from tests.support.drafts import (
    DATE,
    HEADER,
    LANGUAGES,
    compared_rows,
    para,
    sample_compilation,
    sample_draft,
    sample_revision_pair,
    saved,
    title_texts,
)
from tests.support.libreoffice import LibreOffice, libreoffice_fixture, skip_or_fail

pytestmark = pytest.mark.libreoffice
office = libreoffice_fixture()


def clean() -> Document:
    draft = sample_draft()
    draft[5] = dataclasses.replace(draft[5], status="agreed ad ref")
    draft.append(para(LANGUAGES["ar"][0], Kind.PREAMBULAR, italic=4))
    return write_clean(dataclasses.replace(HEADER, subtitle=""), draft, show_status=True)


def tracked() -> Document:
    return write_tracked(HEADER, compared_rows(*sample_revision_pair()), date=DATE)


def compilation(style: str) -> Callable[[], Document]:
    return lambda: write_compilation(
        dataclasses.replace(HEADER, subtitle="Compilation of proposals"), sample_compilation(), style=style
    )  # type: ignore[arg-type]


#: name -> (document, words the page must show besides the title)
EXPORTS: dict[str, tuple[Callable[[], Document], list[str]]] = {
    "clean": (clean, ["Recalling its earlier decisions", "to publish the registry every year", "agreed ad ref"]),
    "tracked": (tracked, ["to consult the scientific community", "Encourages", "Invites"]),
    "compilation-formatted": (compilation("formatted"), ["G77 and China, supported by Mexico", "1 bis"]),
    "compilation-tracked": (compilation("tracked"), ["Calls upon Member States", "Norway: Delete"]),
}


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_pages_and_text(pdf: Path) -> tuple[int, str]:
    for tool in ("pdfinfo", "pdftotext"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} (poppler-utils) is not installed")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return pages, flat(text)


@pytest.mark.parametrize("name", EXPORTS.keys())
def test_export_renders_to_pdf(office: LibreOffice, tmp_path: Path, name: str) -> None:
    make, words = EXPORTS[name]
    pdf = office.to_pdf(saved(make(), tmp_path / f"{name}.docx"), tmp_path / f"{name}.pdf")
    pages, text = pdf_pages_and_text(pdf)
    assert pages >= 1
    for expected in [HEADER.title, HEADER.label, "7 November 2025", *words]:
        assert flat(expected) in text, expected


STYLE_NAMES = {
    Kind.HEADING: "Drafter Heading",
    Kind.PREAMBULAR: "Drafter Preambular",
    Kind.OPERATIVE: "Drafter Operative",
    Kind.SUBPARAGRAPH: "Drafter Subparagraph",
}
S, O, P = Kind.SUBPARAGRAPH, Kind.OPERATIVE, Kind.PREAMBULAR
DRAFTS: dict[str, list[DocParagraph]] = {
    "sample": sample_draft()
    + [
        para(LANGUAGES["ar"][0], P, italic=4),
        para(LANGUAGES["zh"][0], O, italic=2),
        para(LANGUAGES["ru"][0], O, italic=12),
    ],
    # subparagraphs before any operative one once made LibreOffice start the operatives at "2."
    "subparagraphs first": [
        para("first,", S),
        para("second,", S),
        para("Decides one;", O, italic=7),
        para("under one;", S),
        para("Decides two.", O, italic=7),
    ],
    "subparagraph of a preambular first": [
        para("Noting that:", P, italic=6),
        para("first,", S),
        para("Decides one;", O, italic=7),
        para("Decides two.", O, italic=7),
    ],
}


@pytest.mark.parametrize("name", DRAFTS.keys())
def test_clean_export_as_libreoffice_reads_it(office: LibreOffice, tmp_path: Path, name: str) -> None:
    draft = DRAFTS[name]
    shown = office.styled(saved(write_clean(HEADER, draft), tmp_path / "clean.docx"))[len(title_texts()) :]
    assert [label for label, *_ in shown] == auto_labels(draft)
    assert [text for _, text, *_ in shown] == [p.text for p in draft]
    assert [style for _, _, style, *_ in shown] == [STYLE_NAMES[p.kind] for p in draft]
    assert [rtl for *_, rtl, _ in shown] == [p.text[0] == "ي" for p in draft]
    assert [italic for *_, italic in shown] == [p.text[: p.italic_chars] for p in draft]


def main(out: Path) -> None:
    """Write every sample export as .docx, .pdf and PNG pages into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with LibreOffice() as lo:
        for name, (make, _) in EXPORTS.items():
            pdf = lo.to_pdf(saved(make(), out / f"{name}.docx"), out / f"{name}.pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / name)], check=True)
            print(pdf)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/drafter-render"))
