"""Each revision's own document identity: read at import, inherited, corrected, recorded."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting import services as drafting
from drafter.drafting.models import Revision
from drafter.errors import InvalidInput, StateError
from drafter.importing.services import masthead_for, read_text_draft
from drafter.lifecycle import services as lifecycle
from drafter.text.masthead import Masthead
from tests import factories as f

MASTHEAD = """United Nations A/C.2/81/L.7
General Assembly Distr.: Limited
3 October 2026
Original: English
Eighty-first session
Second Committee
Agenda item 19 (c)
Sustainable development: protection of mountain
ecosystems

Andorra:* draft resolution

Sustainable mountain development

The General Assembly,

Recalling its resolution 80/1 on mountains,

1. Decides to keep the matter under review.

__________________
* On behalf of the States members of the Mountain Partnership.
"""

REV = """United Nations A/C.2/81/L.31
General Assembly Distr.: Limited
20 November 2026
Original: English
Eighty-first session
Second Committee
Agenda item 19 (c)
Sustainable development: protection of mountain
ecosystems

Draft resolution submitted by the Vice-Chair of the Committee on the basis of informal consultations on draft resolution A/C.2/81/L.7

Sustainable mountain development

The General Assembly,

Recalling its resolution 80/1 on mountains,

1. Decides to keep the matter under close review.
"""


def _imported(session, n, text: str, label: str) -> Revision:
    draft = read_text_draft(text)
    masthead, unread = masthead_for(session, n, draft)
    assert unread == []
    return drafting.import_revision(session, None, n, label=label, paragraphs=draft.paragraphs, masthead=masthead)


def test_an_imported_masthead_is_stored_with_the_revision(session):
    n = f.negotiation(session)
    rev = _imported(session, n, MASTHEAD, "L.7")
    session.flush()
    session.expire_all()
    m = session.get(Revision, rev.id).masthead
    assert (m.symbol, m.issued_on, m.committee, m.agenda_item) == (
        "A/C.2/81/L.7",
        dt.date(2026, 10, 3),
        "Second Committee",
        "19 (c)",
    )
    assert m.sponsor_line == "Andorra:* draft resolution" and m.chapeau == "The General Assembly,"
    assert m.title == "Sustainable mountain development"
    assert m.footnotes == ("* On behalf of the States members of the Mountain Partnership.",)
    assert [v.text for v in rev.versions][0].startswith("Recalling")  # the frame is not a paragraph


def test_the_next_revision_has_its_own_identity_and_a_started_one_inherits(session):
    n = f.negotiation(session)
    first = _imported(session, n, MASTHEAD, "L.7")
    lifecycle.circulate(session, None, first, deadline=None)
    second = _imported(session, n, REV, "L.31")
    assert second.symbol == "A/C.2/81/L.31" and second.issued_on == dt.date(2026, 11, 20)
    assert second.sponsor_line.startswith("Draft resolution submitted by") and second.title_footnotes == []
    assert first.symbol == "A/C.2/81/L.7"  # untouched
    lifecycle.circulate(session, None, second, deadline=None)
    third = drafting.start_revision(session, None, n, label="Rev.1")
    assert third.masthead == second.masthead
    drafting.set_masthead(session, None, third, third.masthead.merged(symbol="A/C.2/81/L.31/Rev.1"))
    assert second.symbol == "A/C.2/81/L.31"  # each revision keeps its own copy


def test_a_pasted_text_without_masthead_inherits_and_a_first_one_takes_the_negotiation(session):
    n = f.negotiation(session, title="Ocean summit declaration")
    n.symbol = "A/81/L.12"
    rev = drafting.import_revision(
        session, None, n, label="Zero draft", paragraphs=read_text_draft("Recalling all,\n\n1. Decides.").paragraphs
    )
    assert (rev.symbol, rev.title, rev.chapeau) == ("A/81/L.12", "Ocean summit declaration", "")


def test_corrections_are_recorded_and_the_frame_of_a_circulated_text_stays(session):
    n = f.negotiation(session)
    rev = _imported(session, n, MASTHEAD, "L.7")
    drafting.set_masthead(
        session, None, rev, rev.masthead.merged(title="Mountain development", issued_on=dt.date(2026, 10, 4))
    )
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "revision.masthead_changed"))
    assert event.data["before"] == {"issued_on": "2026-10-03", "title": "Sustainable mountain development"}
    assert event.data["after"] == {"issued_on": "2026-10-04", "title": "Mountain development"}
    lifecycle.circulate(session, None, rev, deadline=None)
    drafting.set_masthead(session, None, rev, rev.masthead.merged(symbol="A/C.2/81/L.7/Corr.1"))  # metadata: fine
    with pytest.raises(StateError, match="title and chapeau"):
        drafting.set_masthead(session, None, rev, rev.masthead.merged(chapeau="We, the Heads of State,"))
    with pytest.raises(InvalidInput, match="symbol has at most 60"):
        drafting.set_masthead(session, None, rev, rev.masthead.merged(symbol="A/" * 40))


def test_the_command_line_reads_sets_and_refuses(runner, session, tmp_path: Path):
    f.negotiation(session, slug="mountains")
    session.commit()
    draft = tmp_path / "l7.txt"
    draft.write_text(MASTHEAD, encoding="utf-8")
    result = runner.invoke(
        args=["revisions", "import", "mountains", str(draft), "--label", "L.7", "--date", "2026-10-05"]
    )
    assert result.exit_code == 0, result.output
    assert "symbol: A/C.2/81/L.7" in result.output and "date of issue: 5 October 2026" in result.output
    result = runner.invoke(
        args=["revisions", "set", "mountains", "L.7", "--symbol", "A/C.2/81/L.7/Rev.1", "--committee", ""]
    )
    assert result.exit_code == 0, result.output
    rev = session.scalar(sa.select(Revision).where(Revision.label == "L.7"))
    session.refresh(rev)
    assert (rev.symbol, rev.committee, rev.issued_on) == ("A/C.2/81/L.7/Rev.1", "", dt.date(2026, 10, 5))
    bad = runner.invoke(args=["revisions", "set", "mountains", "L.7", "--date", "someday"])
    assert bad.exit_code != 0 and "is not a date" in bad.output


def test_a_masthead_dataclass_round_trips_through_the_model(session):
    n = f.negotiation(session)
    rev = f.revision(session, n, circulate=False)
    m = Masthead(symbol="A/1", issued_on=dt.date(2026, 1, 2), sponsor_line="One\nTwo", footnotes=("* Note.",))
    drafting.set_masthead(session, None, rev, m)
    assert rev.masthead == m
