"""``drafter backup`` / ``restore`` carry the room: readings, their events, marks and requests for the floor."""

from __future__ import annotations

import sqlalchemy as sa

from drafter.drafting.models import Negotiation, Paragraph
from drafter.room import queries
from drafter.room import services as room
from drafter.room.models import FloorRequest, FloorState, Mark, Reading, ReadingEvent, ReadingMark
from tests import factories as f


def _room_of(session, slug: str) -> tuple[Reading, list[ReadingEvent], list[ReadingMark], list[FloorRequest]]:
    n = session.scalar(sa.select(Negotiation).where(Negotiation.slug == slug))
    reading = session.scalar(sa.select(Reading).where(Reading.negotiation_id == n.id))
    events = queries.record(session, reading)
    marks = list(session.scalars(sa.select(ReadingMark).where(ReadingMark.reading_id == reading.id)))
    floor = list(session.scalars(sa.select(FloorRequest).where(FloorRequest.reading_id == reading.id)))
    return reading, events, marks, floor


def test_a_reading_comes_back_with_its_events_marks_and_floor(app, session, tmp_path):
    n = f.negotiation(session, slug="room-backup")
    team = f.team(session, n)
    zero = f.revision(session, n, label="Zero draft")
    reading = room.open_reading(session, team["cofacilitator"], zero, "First reading")
    room.step(session, team["cofacilitator"], reading, forward=True)
    room.mark(session, team["cofacilitator"], reading, reading.current_paragraph_id, Mark.PARKED, "informals")
    asked = room.request_floor(session, team["delegate"], reading, screen="floor:backup")
    room.give_floor(session, team["cofacilitator"], reading, asked.id)
    room.close_reading(session, team["cofacilitator"], reading)
    session.commit()

    runner = app.test_cli_runner()
    backup_file = tmp_path / "room.zip"
    assert runner.invoke(args=["backup", "room-backup", "-o", str(backup_file)]).exit_code == 0
    result = runner.invoke(args=["restore", str(backup_file), "--as", "room-copy"])
    assert result.exit_code == 0, result.output
    session.expire_all()

    r1, e1, _, _ = _room_of(session, "room-backup")
    r2, e2, m2, f2 = _room_of(session, "room-copy")
    assert r2.id != r1.id and (r2.name, r2.closed_at) == (r1.name, r1.closed_at)
    assert [(e.kind, e.payload["line"]) for e in e2] == [(e.kind, e.payload["line"]) for e in e1]
    assert [(m.mark, m.note) for m in m2] == [(Mark.PARKED, "informals")]
    assert [(r.state, r.ref) for r in f2] == [(FloorState.SPOKE, "PP2")]
    copy_id = r2.negotiation_id
    pids = {r2.current_paragraph_id, m2[0].paragraph_id, f2[0].paragraph_id} | {
        e.paragraph_id for e in e2 if e.paragraph_id
    }
    assert {session.get(Paragraph, pid).negotiation_id for pid in pids} == {copy_id}
