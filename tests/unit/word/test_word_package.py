"""Saving: deterministic bytes, the shipped template up to date, no text that breaks a save."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import docx

from drafter.word import styles
from drafter.word.build_template import TEMPLATE_TIMESTAMP, build_template
from drafter.word.clean import write_clean
from drafter.word.compilation import write_compilation
from drafter.word.model import CompilationEntry, CompiledProposal, TrackedRow
from drafter.word.package import save_docx
from drafter.word.tracked import write_tracked
from tests.support.docx_xml import resolve
from tests.support.drafts import (
    DATE,
    HEADER,
    compared_rows,
    para,
    sample_compilation,
    sample_draft,
    sample_revision_pair,
)

HOSTILE = "nul\x00 bell\x07 vt\x0b ff\x0c nonchar\ufffe\uffff lone\ud800 tab\t cr\r end"


def exports():
    old, new = sample_revision_pair()
    return [
        write_clean(HEADER, sample_draft(), show_status=True),
        write_tracked(HEADER, compared_rows(old, new), date=DATE),
        write_compilation(HEADER, sample_compilation(), style="formatted"),
        write_compilation(HEADER, sample_compilation(), style="tracked"),
    ]


def test_same_inputs_give_the_same_bytes() -> None:
    first = [save_docx(d, timestamp=DATE) for d in exports()]
    second = [save_docx(d, timestamp=DATE) for d in exports()]
    assert first == second


def test_the_timestamp_is_the_only_date_in_the_package() -> None:
    doc = write_clean(HEADER, sample_draft())
    a = save_docx(doc, timestamp=DATE)
    b = save_docx(doc, timestamp=DATE + dt.timedelta(days=1))
    assert a != b
    with zipfile.ZipFile(io.BytesIO(a)) as z:
        assert z.namelist()[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert {i.date_time for i in z.infolist()} == {(2025, 11, 7, 12, 0, 0)}
        assert b"2025-11-07T12:00:00Z" in z.read("docProps/core.xml")
    reopened = docx.Document(io.BytesIO(a))
    assert reopened.core_properties.title == HEADER.title


def test_shipped_template_is_what_build_template_makes() -> None:
    # after changing a style or list level: python -m drafter.word.build_template
    assert save_docx(build_template(), timestamp=TEMPLATE_TIMESTAMP) == styles.TEMPLATE.read_bytes()


def test_hostile_text_anywhere_never_breaks_an_export() -> None:
    header = dataclasses.replace(HEADER, title=HOSTILE, label=HOSTILE, symbol=HOSTILE, subtitle=HOSTILE)
    p = dataclasses.replace(para(HOSTILE, italic=5), status=HOSTILE)
    proposal = CompiledProposal(HOSTILE, HOSTILE, "amend", (), HOSTILE)
    documents = [
        write_clean(header, [p], show_status=True),
        write_tracked(
            header,
            [TrackedRow(p, None), TrackedRow(None, p), TrackedRow(p, para(HOSTILE + " more"))],
            author=HOSTILE,
            date=DATE,
        ),
        write_compilation(header, [CompilationEntry(p, [proposal])], style="tracked"),
        write_compilation(header, [CompilationEntry(p, [proposal])], style="formatted"),
    ]
    for doc in documents:
        data = save_docx(doc, timestamp=DATE)
        reopened = docx.Document(io.BytesIO(data))
        text = "\n".join(resolve(reopened, "accept"))
        assert "\x00" not in text and "\ufffe" not in text and "\ud800" not in text
        assert "nul bell" in text
