"""Bracketed passages in the room: who asks for them, removing or deleting them, marks refused
while they remain, attributions through edits and into the next revision.

On SQLite, and on PostgreSQL when DRAFTER_TEST_DATABASE_URL names it.
"""

from __future__ import annotations

import io

import docx
import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Status
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, InvalidInput, StateError
from drafter.exporting.services import clean_export
from drafter.lifecycle import services as lifecycle
from drafter.room import brackets, exports, queries, services
from drafter.room.models import EventKind, Mark
from drafter.text import footnotes
from drafter.text.structure import Kind
from tests import factories as f

TEXT = "Recalling [all] its earlier resolutions [on the subject],"


@pytest.fixture
def room(session):
    n = f.negotiation(session)
    team = f.team(session, n)
    f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    session.flush()
    reading = services.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    return n, team, working, reading


def _current(session, reading):
    return queries.screen(session, reading)["current"]


def _typed(session, reading, who, text):
    return services.type_text(session, who, reading, text, expected_version=_current(session, reading)["version"])


def test_the_room_records_who_asks_for_a_passage_and_who_opposes_it(session, room):
    n, team, working, reading = room
    typist = team["secretariat"]
    _typed(session, reading, typist, TEXT)
    cur = _current(session, reading)
    assert [p["label"] for p in cur["passages"]] == ["[all]", "[on the subject]"]
    assert cur["pieces"] == []  # nobody named yet: the text is shown as it is

    brackets.attribute(
        session, typist, reading, 1, "on the subject", ["G77 and China"], ["Mexico"], expected_version=cur["version"]
    )
    cur = _current(session, reading)
    assert cur["passages"][1]["attribution"] == "(G77 and China; opposed: Mexico)"
    assert cur["pieces"] == [
        ["Recalling [all] its earlier resolutions [on the subject]", False, "(G77 and China; opposed: Mexico)"],
        [",", False, ""],
    ]
    event = queries.record(session, reading)[-1]
    assert event.kind is EventKind.BRACKET_ATTRIBUTED
    assert event.payload["line"] == "PP1: [on the subject] (G77 and China; opposed: Mexico)"
    audit = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "reading.bracket_attributed"))
    assert audit is not None and audit.data["asked"] == ["G77 and China"] and audit.data["opposed"] == ["Mexico"]

    with pytest.raises(InvalidInput, match="Japan is not a delegation of this negotiation"):
        brackets.attribute(session, typist, reading, 0, "all", ["Japan"], [], expected_version=cur["version"])
    with pytest.raises(InvalidInput, match="Mexico cannot both ask for the passage and oppose it"):
        brackets.attribute(session, typist, reading, 0, "all", ["Mexico"], ["Mexico"], expected_version=cur["version"])
    with pytest.raises(InvalidInput, match="has changed since the page was loaded"):
        brackets.attribute(session, typist, reading, 0, "every", ["Mexico"], [], expected_version=cur["version"])
    with pytest.raises(EditConflict):
        brackets.attribute(session, typist, reading, 0, "all", ["Mexico"], [], expected_version=cur["version"] - 1)
    with pytest.raises(StateError, match="The chair has moved on"):
        brackets.attribute(session, typist, reading, 0, "all", [], [], expected_version=cur["version"], paragraph_id=-1)


def test_agreement_is_refused_while_brackets_remain_and_removing_them_is_one_action(session, room):
    n, team, working, reading = room
    chair, typist = team["cofacilitator"], team["secretariat"]
    _typed(session, reading, typist, TEXT)
    cur = _current(session, reading)
    with pytest.raises(StateError, match="PP1 still has 2 bracketed passages"):
        services.mark(session, chair, reading, cur["paragraph_id"], Mark.AGREED_AD_REF)
    services.mark(session, chair, reading, cur["paragraph_id"], Mark.PENDING)  # pending is fine with brackets

    cur = _current(session, reading)
    brackets.attribute(session, typist, reading, 1, "on the subject", ["Mexico"], [], expected_version=cur["version"])
    brackets.remove_brackets(session, chair, reading, 0, "all", expected_version=_current(session, reading)["version"])
    cur = _current(session, reading)
    assert cur["text"] == "Recalling all its earlier resolutions [on the subject],"
    assert cur["passages"][0]["attribution"] == "(Mexico)"  # the other passage keeps its attribution
    with pytest.raises(StateError, match="PP1 still has 1 bracketed passage:"):
        services.mark(session, chair, reading, cur["paragraph_id"], Mark.AGREED_AD_REF, expected_version=cur["version"])

    brackets.delete_passage(session, chair, reading, 0, "on the subject", expected_version=cur["version"])
    cur = _current(session, reading)
    assert cur["text"] == "Recalling all its earlier resolutions," and cur["passages"] == []
    services.mark(session, chair, reading, cur["paragraph_id"], Mark.AGREED_AD_REF, expected_version=cur["version"])
    lines = [e.payload["line"] for e in queries.record(session, reading)]
    assert "PP1: [all] agreed: brackets removed" in lines
    assert "PP1: [on the subject] (Mexico) deleted" in lines
    assert [e.kind for e in queries.record(session, reading)][-3:] == [
        EventKind.BRACKETS_REMOVED,
        EventKind.BRACKET_DELETED,
        EventKind.MARKED,
    ]
    with pytest.raises(InvalidInput, match="has changed since the page was loaded"):
        brackets.remove_brackets(session, chair, reading, 0, "all", expected_version=cur["version"])


def test_deleting_the_whole_text_is_refused(session, room):
    n, team, working, reading = room
    _typed(session, reading, team["secretariat"], "[Recalling its resolutions]")
    with pytest.raises(InvalidInput, match="would leave the paragraph empty"):
        brackets.delete_passage(
            session,
            team["secretariat"],
            reading,
            0,
            "Recalling its resolutions",
            expected_version=_current(session, reading)["version"],
        )


def test_brackets_that_do_not_pair_up_are_refused_when_typed(session, room):
    n, team, working, reading = room
    with pytest.raises(InvalidInput, match="The opening bracket at character 11, before “all its earlier…”"):
        _typed(session, reading, team["secretariat"], "Recalling [all its earlier resolutions,")
    assert _current(session, reading)["text"] == "Recalling its earlier resolutions on the subject,"


def test_attributions_survive_edits_with_footnotes_and_a_new_revision(session, room):
    n, team, working, reading = room
    typist = team["secretariat"]
    _typed(session, reading, typist, "Recalling [resolution 70/1[new footnote: See A/RES/70/1.]] and [its others],")
    cur = _current(session, reading)
    assert cur["passages"][0]["words"] == "resolution 70/1[^1]"
    assert footnotes.has_markers(cur["passages"][0]["inner"])
    brackets.attribute(
        session, typist, reading, 0, cur["passages"][0]["inner"], ["G77 and China"], [], expected_version=cur["version"]
    )
    # the typist edits the text around the passage, and moves it after the other one
    _typed(session, reading, typist, "Also recalling [its others] and [resolution 70/1[^1]],")
    cur = _current(session, reading)
    assert [p["attribution"] for p in cur["passages"]] == ["", "(G77 and China)"]
    assert cur["pieces"][1] == [" [its others] and [resolution 70/1[^1]]", False, "(G77 and China)"]

    lifecycle.circulate(session, None, working, deadline=None)
    next_revision = drafting.start_revision(session, None, n, label="Rev.2")
    session.flush()
    copied = next(v for v in load_versions(session, next_revision) if "70/1" in v.text)
    assert copied.attributions[0]["for"] == ["G77 and China"]
    with pytest.raises(StateError, match="has been circulated"):
        brackets.attribute(session, typist, reading, 1, copied.attributions[0]["text"], [], [], expected_version=1)


def test_a_text_stored_with_unpaired_brackets_still_shows_and_its_status_is_printed(session):
    n = f.negotiation(session)
    team = f.team(session, n)
    f.revision(session, n, [(Kind.PREAMBULAR, "Recalling [its resolutions,"), (Kind.OPERATIVE, "Decides to act;")])
    working = drafting.start_revision(session, None, n, label="Rev.1")
    session.flush()
    op1 = next(v for v in working.versions if v.kind is Kind.OPERATIVE)
    editing.set_status(session, None, op1, Status.AGREED_AD_REF, expected_version=op1.version)
    reading = services.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    cur = _current(session, reading)
    assert cur["text"] == "Recalling [its resolutions," and cur["passages"] == [] and cur["pieces"] == []
    with pytest.raises(StateError, match="PP1 still has 1 bracketed passage"):
        services.mark(session, team["cofacilitator"], reading, cur["paragraph_id"], Mark.AGREED_AD_REF)
    name, data = exports.status_file(session, reading)
    assert name.endswith(".docx")
    texts = [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]
    assert "Recalling [its resolutions, (bracketed)" in texts
    assert "Decides to act; (agreed ad ref)" in texts


def test_the_clean_file_prints_the_brackets_and_no_names(session, room):
    n, team, working, reading = room
    _typed(session, reading, team["secretariat"], TEXT)
    cur = _current(session, reading)
    brackets.attribute(session, None, reading, 0, "all", ["G77 and China"], ["Mexico"], expected_version=cur["version"])
    texts = [p.text for p in docx.Document(io.BytesIO(clean_export(session, working).data)).paragraphs]
    assert TEXT in texts
    assert not any("G77" in t or "Mexico" in t for t in texts)
