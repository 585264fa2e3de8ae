"""The clean and tracked exports print each revision's own document identity."""

from __future__ import annotations

import datetime as dt
import io

import docx
from docx.oxml.ns import qn

from drafter.exporting import services as exports
from drafter.text.masthead import Masthead
from drafter.text.structure import Kind
from tests import factories as f
from tests.support.docx_xml import body_paragraphs, resolve, segments

IDENTITY = Masthead(
    symbol="A/C.2/81/L.7",
    issued_on=dt.date(2026, 3, 4),
    distribution="Limited",
    original_language="English",
    session_name="Eighty-first session",
    committee="Second Committee",
    agenda_item="19",
    agenda_title="Oceans and coasts",
    sponsor_line="Freedonia:* draft resolution",
    title="Coastal observation networks",
    chapeau="The General Assembly,",
    footnotes=("* On behalf of the Coastal Group.",),
)


def _texts(data: bytes) -> list[str]:
    document = docx.Document(io.BytesIO(data))
    return ["".join(t for _, t in segments(p)) for p in body_paragraphs(document)]


def test_the_clean_export_prints_the_revisions_identity(session) -> None:
    n = f.negotiation(session, slug="coasts", title="Negotiation on coasts")
    rev = f.revision(session, n)
    rev.set_masthead(IDENTITY)
    texts = _texts(exports.clean_export(session, rev).data)
    assert texts[:11] == [
        "United Nations\tA/C.2/81/L.7",
        "General Assembly\tDistr.: Limited",
        "4 March 2026",
        "Original: English",
        "Eighty-first session",
        "Second Committee",
        "Agenda item 19",
        "Oceans and coasts",
        "Freedonia:* draft resolution",
        "Coastal observation networks",
        "The General Assembly,",
    ]


def test_without_an_identity_the_negotiations_title_and_the_revisions_date(session) -> None:
    n = f.negotiation(session, slug="coasts", title="Negotiation on coasts")
    rev = f.revision(session, n, now=dt.datetime(2026, 2, 1, 9, tzinfo=dt.UTC))
    texts = _texts(exports.clean_export(session, rev).data)
    assert "Negotiation on coasts" in texts and "1 February 2026" in texts


def test_the_tracked_export_tracks_the_title_and_prints_the_newer_identity(session) -> None:
    n = f.negotiation(session, slug="coasts")
    old = f.revision(session, n)
    old.set_masthead(IDENTITY)
    new = f.revision(session, n, [*f.SAMPLE, (Kind.OPERATIVE, "Decides to remain seized of the matter.")])
    new.set_masthead(IDENTITY.merged(symbol="A/C.2/81/L.7/Rev.1", title="Coastal observation and data networks"))
    data = exports.tracked_export(session, old, new).data
    document = docx.Document(io.BytesIO(data))
    accepted, rejected = resolve(document, "accept"), resolve(document, "reject")
    assert accepted[0] == rejected[0] == "United Nations\tA/C.2/81/L.7/Rev.1"
    assert "Coastal observation and data networks" in accepted and "Coastal observation networks" in rejected
    assert "Coastal observation networks" not in accepted
    assert list(document.element.body.iter(qn("w:footnoteReference")))
