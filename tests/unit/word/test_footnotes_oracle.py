"""Footnotes in the clean and tracked files, checked by LibreOffice.

A footnote is a real Word footnote at its reference; in a tracked file one added or removed is
a tracked insertion or deletion of its reference and text, and one rewritten has its words
tracked, so that accepting every change gives the newer paragraphs with their notes and
rejecting every change the older ones. A footnote only renumbered (others came before it) is
no change at all.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from drafter.text import footnotes
from drafter.text.compare import compare
from drafter.text.structure import Kind
from drafter.word.clean import write_clean
from drafter.word.model import DocParagraph
from drafter.word.tracked import write_tracked
from tests.support.drafts import DATE, HEADER, Keyed, compared_rows, saved, title_texts
from tests.support.libreoffice import LibreOffice, libreoffice_fixture

pytestmark = pytest.mark.libreoffice
office = libreoffice_fixture()

M1, M2, M3 = footnotes.marker(1), footnotes.marker(2), footnotes.marker(3)
P, O = Kind.PREAMBULAR, Kind.OPERATIVE
TITLE = len(title_texts())


def p(text: str, notes: dict[int, str] | None = None, kind: Kind = O) -> DocParagraph:
    return DocParagraph(kind, text, footnotes=notes or {})


def read(paragraphs: Keyed) -> list[str]:
    """Return what a reader sees: each paragraph with its notes' texts where they stand."""
    return [footnotes.inline(d.text, d.footnotes) for _, d in paragraphs]


OLD: Keyed = [
    (
        "a",
        p(
            f"Recalling the 2030 Agenda,{M1} and the Pact for the Future,{M2}",
            {1: "Resolution 70/1.", 2: "Resolution 79/1."},
            P,
        ),
    ),
    ("b", p(f"Decides to act on the Agenda{M1} now;", {1: "See A/80/1, annex."})),
    ("c", p(f"Requests a report{M1};", {1: "To be issued as A/81/100."})),
    ("d", p("Decides to remain seized of the matter.")),
]
NEW: Keyed = [
    # a note added before the others: theirs are renumbered, which is no change of them
    ("a", p(f"Recalling the Charter,{M3} the 2030 Agenda,{M1} and the Pact for the Future,{M2}",
            {1: "Resolution 70/1.", 2: "Resolution 79/1.", 3: "Signed at San Francisco."}, P)),
    ("b", p("Decides to act on the Agenda now;")),  # a note removed
    ("c", p(f"Requests a report{M1};", {1: "To be issued as A/81/200, in all languages."})),  # rewritten
    ("e", p(f"Invites States to contribute{M1};", {1: "Voluntary contributions."})),  # a new paragraph with one
    ("d", p("Decides to remain seized of the matter.")),
]  # fmt: skip


def test_a_tracked_file_accepts_into_the_new_notes_and_rejects_into_the_old(
    office: LibreOffice, tmp_path: Path
) -> None:
    path = saved(write_tracked(HEADER, compared_rows(OLD, NEW), date=DATE), tmp_path / "tracked.docx")
    assert office.noted(path, "accept")[TITLE:] == read(NEW)
    assert office.noted(path, "reject")[TITLE:] == read(OLD)


def test_a_clean_file_has_real_footnotes_numbered_by_word(office: LibreOffice, tmp_path: Path) -> None:
    path = saved(write_clean(HEADER, [d for _, d in NEW]), tmp_path / "clean.docx")
    assert office.noted(path)[TITLE:] == read(NEW)
    with zipfile.ZipFile(path) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
    assert body.count("<w:footnoteReference") == 5 and "customMarkFollows" not in body
    assert "Signed at San Francisco." in notes and "\ue001" not in body + notes  # no marker left as text


def test_a_note_only_renumbered_is_no_change_and_a_rewritten_one_is() -> None:
    rows = compared_rows(OLD, NEW)
    assert [r.change.value for r in compare(OLD, NEW, key=lambda kp: kp[0], text=lambda kp: kp[1].text,
                                           notes=lambda kp: kp[1].footnotes)] == [
        "changed", "changed", "changed", "new", "unchanged"]  # fmt: skip
    same = [("a", p(OLD[0][1].text, OLD[0][1].footnotes, P))]
    (row,) = compare(OLD[:1], same, key=lambda kp: kp[0], text=lambda kp: kp[1].text, notes=lambda kp: kp[1].footnotes)
    assert row.change.value == "unchanged" and not row.notes
    (c,) = [r for r in compare(OLD, NEW, key=lambda kp: kp[0], text=lambda kp: kp[1].text,
                               notes=lambda kp: kp[1].footnotes) if r.new and r.new[0] == "c"]  # fmt: skip
    assert [(n.label, n.old, n.new) for n in c.notes] == [
        ("changed", "To be issued as A/81/100.", "To be issued as A/81/200, in all languages.")
    ]
    assert len(rows) == 5
