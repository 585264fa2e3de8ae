"""The status of negotiations file read back: brackets kept, attributions after their passages, statuses, footnotes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx

from drafter.text import brackets, footnotes
from drafter.text.structure import Kind
from drafter.word.model import DocHeader, DocParagraph
from drafter.word.package import save_docx
from drafter.word.status import StatusParagraph, write_status

HEADER = DocHeader(
    title="Declaration on water", label="Rev.1", date=dt.date(2026, 12, 2), subtitle="Status of negotiations"
)


def _read(rows):
    data = save_docx(write_status(HEADER, rows), timestamp=dt.datetime(2026, 12, 2, 5, 0))
    return data, docx.Document(io.BytesIO(data))


def test_attributions_follow_their_passages_in_italics_and_the_status_ends_the_paragraph():
    text = "Recalling [its resolution 70/1" + footnotes.marker(1) + "] and [Alt 1: water] [Alt 2: sanitation],"
    rows = [
        StatusParagraph(
            DocParagraph(Kind.PREAMBULAR, text, italic_chars=9, footnotes={1: "See A/RES/70/1."}),
            [
                brackets.attribution(
                    "its resolution 70/1" + footnotes.marker(1), ["G77 and China"], ["European Union"]
                ),
                brackets.attribution("Alt 2: sanitation", ["Japan"]),
            ],
            "pending",
        ),
        StatusParagraph(
            DocParagraph(Kind.OPERATIVE, "يقرر [وفقا للتشريعات الوطنية]؛", number_label="1"),
            [brackets.attribution("وفقا للتشريعات الوطنية", ["G77 and China"])],
        ),
    ]
    data, document = _read(rows)
    texts = [p.text for p in document.paragraphs]
    assert "Status of negotiations" in texts
    first = next(p for p in document.paragraphs if p.text.startswith("Recalling"))
    assert first.text == (  # python-docx leaves the footnote reference out of the text
        "Recalling [its resolution 70/1] (G77 and China; opposed: European Union) and [Alt 1: water]"
        " [Alt 2: sanitation] (Japan), (pending)"
    )
    assert [r.text for r in first.runs if r.italic][:2] == ["Recalling", "(G77 and China; opposed: European Union)"]
    assert b"See A/RES/70/1." in _part(data, "word/footnotes.xml")
    arabic = next(p for p in document.paragraphs if p.text.startswith("يقرر"))
    assert arabic.text == "يقرر [وفقا للتشريعات الوطنية] (G77 and China)؛"


def _part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name)
