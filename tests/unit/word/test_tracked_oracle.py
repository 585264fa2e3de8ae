"""The law of the tracked export, checked by LibreOffice.

Accepting every change must give exactly the newer revision's paragraphs, rejecting every
change exactly the older one's, paragraph by paragraph after the title block; and after
accepting, Word's automatic numbering must print the newer revision's labels. Rows are made
the way the export makes them (``text.compare`` over keyed paragraphs), and the expected
texts come from the two versions themselves, not from the rows.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.text.structure import Kind
from drafter.word.lists import auto_labels
from drafter.word.model import DocParagraph
from drafter.word.tracked import write_tracked
from tests.support.docx_xml import merge_hazards, problems, resolve
from tests.support.drafts import (
    DATE,
    HEADER,
    LANGUAGES,
    Keyed,
    compared_rows,
    para,
    sample_draft,
    saved,
    texts,
    title_texts,
)
from tests.support.libreoffice import LibreOffice, libreoffice_fixture

pytestmark = pytest.mark.libreoffice
office = libreoffice_fixture()

TITLE = title_texts()
P, O, S, H = Kind.PREAMBULAR, Kind.OPERATIVE, Kind.SUBPARAGRAPH, Kind.HEADING
BASE: dict[str, DocParagraph] = {
    "A": para("Recalling its earlier decisions on coastal data,", P, italic=9),
    "B": para("Noting the work of the regional commissions,", P, italic=6),
    "C": para("Decides to establish an open registry of coastal stations;", O, italic=7),
    "D": para("Requests the secretariat to publish the registry every year;", O, italic=8),
    "E": para("Decides to remain seized of the matter.", O, italic=7),
}
NEW: dict[str, DocParagraph] = {
    "X": para("Encourages Member States to share data openly;", O, italic=10),
    "Y": para("Invites the regional commissions to report on progress;", O, italic=7),
    "Z": para("Welcoming the contributions of observers,", P, italic=9),
}


def version(*spec: str | tuple[str, str]) -> Keyed:
    """Return keyed paragraphs: a key of BASE or NEW, or (key, new text) for an edited one."""
    out = []
    for item in spec:
        key, text = (item, None) if isinstance(item, str) else item
        p = BASE.get(key) or NEW[key]
        out.append((key, p if text is None else DocParagraph(p.kind, text, italic_chars=p.italic_chars)))
    return out


def check(
    office: LibreOffice, path: Path, old: Keyed, new: Keyed, *, author: str = "Co-facilitators", labels: bool = True
) -> None:
    """Write the tracked export of old → new and check both versions in LibreOffice and in the XML.

    ``labels=False`` skips the numbering check, for unedited moves (see the test about them).
    """
    doc = write_tracked(HEADER, compared_rows(old, new), author=author, date=DATE)
    saved(doc, path)
    accepted = office.labelled(path, "accept")
    assert [t for _, t in accepted] == TITLE + texts(new), "accept all"
    assert office.reject_all(path) == TITLE + texts(old), "reject all"
    if labels:
        assert [label for label, _ in accepted[len(TITLE) :]] == auto_labels([p for _, p in new]), "numbering"
    assert resolve(doc, "accept") == TITLE + texts(new)
    assert resolve(doc, "reject") == TITLE + texts(old)
    assert merge_hazards(doc) == [] and problems(doc) == []


ABCDE = version("A", "B", "C", "D", "E")
CASES = {
    "unchanged": (ABCDE, ABCDE),
    "edit at the start": (
        ABCDE,
        version(("A", "Further recalling its earlier decisions on coastal data,"), "B", "C", "D", "E"),
    ),
    "edit in the middle": (
        ABCDE,
        version("A", "B", ("C", "Decides to establish and maintain an open registry of coastal stations;"), "D", "E"),
    ),
    "edit at the end": (ABCDE, version("A", "B", "C", "D", ("E", "Decides to remain actively seized of the matter"))),
    "edits everywhere": (
        ABCDE,
        version(
            ("A", "Also recalling its decisions on coastal data,"),
            "B",
            ("C", "Decides to establish a registry;"),
            "D",
            ("E", "Decides to remain seized."),
        ),
    ),
    "first inserted": (ABCDE, version("Z", "A", "B", "C", "D", "E")),
    "first deleted": (ABCDE, version("B", "C", "D", "E")),
    "first two deleted, one inserted": (ABCDE, version("Z", "C", "D", "E")),
    "last inserted": (ABCDE, version("A", "B", "C", "D", "E", "X")),
    "last two inserted": (ABCDE, version("A", "B", "C", "D", "E", "X", "Y")),
    "last deleted": (ABCDE, version("A", "B", "C", "D")),
    "last two deleted": (ABCDE, version("A", "B", "C")),
    "last replaced": (ABCDE, version("A", "B", "C", "D", "X")),
    "middle inserted and deleted": (ABCDE, version("A", "B", "X", "D", "Y", "E")),
    "moved forward": (ABCDE, version("A", "B", "D", "E", "C")),
    "moved back": (ABCDE, version("E", "A", "B", "C", "D")),
    "swapped and edited": (ABCDE, version("A", "B", "D", ("C", "Decides to establish a registry;"), "E")),
    "reversed": (ABCDE, version("E", "D", "C", "B", "A")),
    "whole rewrite": (
        ABCDE,
        version(
            ("A", "Welcoming progress,"),
            ("B", "Mindful of budget constraints,"),
            ("C", "Calls for cooperation."),
            ("D", "Urges prompt action."),
            ("E", "Closes the session."),
        ),
    ),
    "every paragraph new": (version(), version("X", "Y", "Z")),
    "every paragraph deleted": (ABCDE, version()),
    "every paragraph replaced": (ABCDE, version("X", "Y", "Z")),
    "empty to empty": (version(), version()),
    "insertion at a paragraph end, then an inserted paragraph": (
        ABCDE,
        version(
            "A",
            "B",
            ("C", BASE["C"].text + " and report on it"),
            "X",
            ("D", "Also requests the secretariat to publish the registry every year;"),
            "E",
        ),
    ),
    "insertion at an end, then a paragraph starting with one": (
        ABCDE,
        version(
            "A",
            "B",
            ("C", BASE["C"].text + " now"),
            ("D", "Further requests the secretariat to publish the registry every year;"),
            "E",
        ),
    ),
    "insertions at the end, then inserted paragraphs at the end": (
        ABCDE,
        version("A", "B", "C", "D", ("E", BASE["E"].text + " Done"), "X", "Y"),
    ),
}


@pytest.mark.parametrize(("old", "new"), CASES.values(), ids=CASES.keys())
def test_accept_gives_the_new_revision_and_reject_the_old(
    office: LibreOffice, tmp_path: Path, old: Keyed, new: Keyed
) -> None:
    check(office, tmp_path / "tracked.docx", old, new)


@pytest.mark.parametrize("lang", LANGUAGES.keys())
def test_the_six_languages(office: LibreOffice, tmp_path: Path, lang: str) -> None:
    old_text, new_text = LANGUAGES[lang]
    first, last = old_text.split()[0], new_text.split()[-1]
    old = [("d", para(first, O)), ("a", para(old_text, O)), ("b", para(old_text, P)), ("t", para(last, O))]
    new = [
        ("a", para(new_text, O)),
        ("b", para(old_text + " " + new_text, P)),
        ("x", para(new_text, O)),
        ("y", para(last + " " + first, O)),
    ]
    check(office, tmp_path / f"{lang}.docx", old, new)


def test_all_six_languages_in_one_document(office: LibreOffice, tmp_path: Path) -> None:
    old = [(lang, para(o, O)) for lang, (o, _) in LANGUAGES.items()]
    new = [(lang, para(n, O)) for lang, (_, n) in reversed(LANGUAGES.items())]
    check(office, tmp_path / "six.docx", old, new)


def test_structured_draft_with_subparagraphs(office: LibreOffice, tmp_path: Path) -> None:
    draft = sample_draft()
    old = list(enumerate(draft))
    new = [
        old[0],
        old[1],
        old[3],  # (a) deleted: (b) becomes (a)
        (100, para("data are often not shared,", S)),
        old[4],
        (101, para("Recognizes the role of the regional commissions;", O, italic=10)),
        old[5],
        old[6],
        old[7],
        old[8],
        (10, para("the gaps in coverage and quality;", S, level=2)),
        old[9],  # (ii) moved up, edited
        old[11],
        old[12],
        (102, para("to report on:", S)),
        old[13],
        old[14],
        old[16],
    ]  # last (a) deleted
    check(office, tmp_path / "structured.docx", old, new)


def test_libreoffice_reads_one_author_and_the_newer_revisions_date(office: LibreOffice, tmp_path: Path) -> None:
    doc = write_tracked(
        HEADER,
        compared_rows(ABCDE, CASES["middle inserted and deleted"][1]),
        author="Co-facilitators (Kenya and Ireland)",
        date=DATE,
    )
    redlines = office.redlines(saved(doc, tmp_path / "authors.docx"))
    assert {t for t, _, _ in redlines} == {"Insert", "Delete"}
    assert {a for _, a, _ in redlines} == {"Co-facilitators (Kenya and Ireland)"}
    assert {d[:13] for _, _, d in redlines} == {"2025-11-07T12"}


def test_unedited_move_keeps_the_law_though_libreoffice_renumbers_after_it(office: LibreOffice, tmp_path: Path) -> None:
    # LibreOffice pairs a deletion and an insertion of the same text as a move; accepting it
    # hands the moved-away paragraph's list level to the paragraph after it, so "(c)" below
    # prints as "(iii)" in LibreOffice (not in the XML: Word pairs only w:moveFrom/w:moveTo).
    old = list(enumerate(sample_draft()))[5:13]
    new = [old[0], old[1], old[2], old[3], old[5], old[4], old[6], old[7]]  # (i) and (ii) swapped
    check(office, tmp_path / "moved.docx", old, new, labels=False)
