"""Reading a revision's document identity from the lines above its first paragraph."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from drafter.text.masthead import Masthead, parse_date, printed_date, read_masthead
from drafter.text.structure import clean_extracted_text, parse_text

DRAFT_LINES = [
    "United Nations A/C.2/81/L.7",
    "General Assembly Distr.: Limited",
    "3 October 2026",
    "Original: French",
    "Eighty-first session",
    "Second Committee",
    "Agenda item 19 (c)",
    "Sustainable development: protection of mountain",
    "ecosystems",
    "Andorra:* draft resolution",
    "Sustainable mountain development",
    "The General Assembly,",
]


def test_a_draft_masthead_gives_every_field():
    read = read_masthead(
        DRAFT_LINES, ["* On behalf of the States members of the Mountain Partnership.", "1 Resolution 1/2."]
    )
    assert read.masthead == Masthead(
        symbol="A/C.2/81/L.7",
        issued_on=dt.date(2026, 10, 3),
        distribution="Limited",
        original_language="French",
        session_name="Eighty-first session",
        committee="Second Committee",
        agenda_item="19 (c)",
        agenda_title="Sustainable development: protection of mountain ecosystems",
        sponsor_line="Andorra:* draft resolution",
        title="Sustainable mountain development",
        chapeau="The General Assembly,",
        footnotes=("* On behalf of the States members of the Mountain Partnership.",),
    )
    assert read.unread == []


def test_an_adopted_resolution_keeps_both_adoption_lines_and_its_number_in_the_title():
    lines = [
        "United Nations A/RES/81/40",
        "General Assembly Distr.: General",
        "12 December 2026",
        "Eighty-first session",
        "Agenda item 19 (c)",
        "Sustainable development",
        "Resolution adopted by the General Assembly on 9 December 2026",
        "[on the report of the Second Committee (A/81/400, para. 9)]",
        "81/40. Sustainable mountain development",
        "The General Assembly,",
    ]
    m = read_masthead(lines).masthead
    assert (m.symbol, m.distribution, m.committee, m.issued_on) == ("A/RES/81/40", "General", "", dt.date(2026, 12, 12))
    assert m.sponsor_line == (
        "Resolution adopted by the General Assembly on 9 December 2026\n"
        "[on the report of the Second Committee (A/81/400, para. 9)]"
    )
    assert m.title == "81/40. Sustainable mountain development"


@pytest.mark.parametrize("lines", [[], ["Zero draft"], ["Some words", "that are not a masthead at all"]])
def test_lines_that_are_not_a_masthead_leave_fields_empty_and_say_so(lines):
    read = read_masthead(lines)
    assert read.masthead.symbol == "" and read.masthead.issued_on is None
    assert len(read.unread) == len(lines)


def test_dates_as_printed_and_as_typed():
    assert parse_date("18 November 2025") == dt.date(2025, 11, 18)
    assert parse_date("2025-11-18") == dt.date(2025, 11, 18)
    assert parse_date("31 February 2025") is None and parse_date("Eightieth session") is None
    assert printed_date(dt.date(2025, 11, 8)) == "8 November 2025"


@pytest.mark.corpus
def test_every_masthead_of_the_corpus_is_read(corpus: Path):
    for path in sorted(corpus.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        read = read_masthead(parse_text(text).title_lines, clean_extracted_text(text).footnotes)
        m = read.masthead
        first = text.split("\n", 1)[0]
        assert m.symbol and first.endswith(m.symbol), path.name
        assert m.issued_on is not None and m.distribution in ("Limited", "General") and m.session_name, path.name
        assert read.unread == [], (path.name, read.unread)
        if "-draft-" in path.name or ("-adopted-" in path.name and "annex" not in path.name):
            assert m.chapeau.startswith("The General Assembly") and m.sponsor_line, path.name
        if "-g77-" in path.name:
            assert m.sponsor_line == "Iraq:* draft resolution" and m.footnotes[0].startswith("* On behalf of"), (
                path.name
            )


def test_a_masthead_without_its_distribution_line_is_still_read():
    lines = ["United Nations A/80/L.41", "General Assembly", "18 November 2025", "Original: English",
             "Eightieth session", "Agenda item 15", "Draft resolution submitted by the President",
             "Title of the thing", "The General Assembly,"]  # fmt: skip
    read = read_masthead(lines)
    m = read.masthead
    assert (m.symbol, m.issued_on, m.original_language, m.session_name, m.agenda_item) == (
        "A/80/L.41",
        dt.date(2025, 11, 18),
        "English",
        "Eightieth session",
        "15",
    )
    assert (m.sponsor_line, m.title, m.chapeau, m.distribution) == (
        "Draft resolution submitted by the President",
        "Title of the thing",
        "The General Assembly,",
        "",
    )
    assert read.unread == []
