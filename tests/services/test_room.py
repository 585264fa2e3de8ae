"""Readings through the services: the paragraph under negotiation, marks, typing, the floor, events.

On SQLite, and on PostgreSQL when DRAFTER_TEST_DATABASE_URL names it.
"""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting import services as drafting
from drafter.drafting.models import Status
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, InvalidInput, NotAllowed, StateError
from drafter.extensions import db
from drafter.room import queries, services
from drafter.room.events import hub
from drafter.room.models import EventKind, FloorState, Mark
from drafter.text import footnotes
from drafter.text.structure import Kind
from tests import factories as f


@pytest.fixture
def room(session):
    n = f.negotiation(session)
    team = f.team(session, n)
    zero = f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    session.flush()
    return n, team, zero, working


def _refs(state):
    return state["current"]["ref"], (state["previous"] or {}).get("ref"), (state["next"] or {}).get("ref")


def test_a_reading_opens_on_the_first_paragraph_and_moves_by_step_and_by_reference(session, room):
    n, team, zero, _ = room
    chair = team["cofacilitator"]
    reading = services.open_reading(session, chair, zero, "  First   reading ")
    assert reading.name == "First reading"
    assert _refs(queries.screen(session, reading)) == ("PP1", None, "PP2")
    services.step(session, chair, reading, forward=True)
    services.step(session, chair, reading, forward=True)  # past the heading too
    assert queries.screen(session, reading)["current"]["heading"]
    services.jump(session, chair, reading, "op2 (a)")
    assert _refs(queries.screen(session, reading)) == ("OP2 (a)", "OP2", "OP2 (b)")
    services.jump(session, chair, reading, "3")
    state = queries.screen(session, reading)
    assert state["current"]["ref"] == "OP3" and state["next"] is None and state["position"] == state["total"]
    with pytest.raises(InvalidInput, match="OP3 is the last paragraph of Zero draft"):
        services.step(session, chair, reading, forward=True)
    with pytest.raises(InvalidInput, match="There is no paragraph OP9 in Zero draft"):
        services.jump(session, chair, reading, "OP9")
    kinds = [e.kind for e in queries.record(session, reading)]
    assert kinds == [EventKind.OPENED] + [EventKind.TAKEN_UP] * 4


def test_12_bis_is_the_new_paragraph_after_op12(session, room):
    n, team, zero, working = room
    versions = load_versions(session, working)
    op1 = next(v for v in versions if v.kind is Kind.OPERATIVE)
    from drafter.drafting import editing

    editing.insert_paragraph(session, None, working, anchor=op1, kind=Kind.OPERATIVE, text="Also decides to meet;")
    session.flush()
    reading = services.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    services.jump(session, team["cofacilitator"], reading, "1 bis")
    state = queries.screen(session, reading)
    assert state["current"]["text"] == "Also decides to meet;" and state["current"]["ref"] == "OP2"
    with pytest.raises(InvalidInput, match="no paragraph 1 ter"):
        services.jump(session, team["cofacilitator"], reading, "1 ter")


def test_names_and_states_that_are_refused(session, room):
    n, team, zero, working = room
    with pytest.raises(InvalidInput, match="Give the reading a name"):
        services.open_reading(session, None, working, "   ")
    with pytest.raises(InvalidInput, match="at most 120"):
        services.open_reading(session, None, working, "x" * 121)
    reading = services.open_reading(session, None, working, "First reading")
    services.close_reading(session, None, reading)
    with pytest.raises(StateError, match="was closed"):
        services.step(session, None, reading, forward=True)
    assert queries.screen(session, reading)["reading"]["open"] is False


def test_marks_set_the_working_paragraphs_status_against_the_version_seen(session, room):
    n, team, zero, working = room
    chair = team["cofacilitator"]
    reading = services.open_reading(session, chair, working, "First reading")
    cur = queries.screen(session, reading)["current"]
    services.mark(session, chair, reading, cur["paragraph_id"], Mark.AGREED_AD_REF, "capitals", expected_version=1)
    state = queries.screen(session, reading)
    assert state["current"]["mark"] == "agreed ad ref" and state["agreed"] == 1
    v = next(v for v in load_versions(session, working) if v.paragraph_id == cur["paragraph_id"])
    assert v.status is Status.AGREED_AD_REF and v.status_note == "capitals"
    with pytest.raises(EditConflict):  # the chair saw version 1; the paragraph is now at 2
        services.mark(session, chair, reading, cur["paragraph_id"], Mark.PENDING, expected_version=1)
    services.mark(session, chair, reading, cur["paragraph_id"], Mark.PARKED, "informals")
    assert queries.screen(session, reading)["current"]["mark"] == "parked"
    assert v.status is Status.AGREED_AD_REF  # parked is the reading's mark only


def test_marks_on_a_circulated_revision_stay_in_the_reading(session, room):
    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    cur = queries.screen(session, reading)["current"]
    services.mark(session, None, reading, cur["paragraph_id"], Mark.AGREED_AD_REF)
    assert all(v.status is Status.NONE for v in load_versions(session, zero))
    summary = queries.summary(session, reading)
    assert (summary.read, summary.agreed, summary.not_read) == (1, 1, summary.paragraphs - 1)


def test_a_footnote_shows_as_its_number_in_the_room_and_survives_typing(session, room):
    n, team, zero, working = room
    first = load_versions(session, working)[0]
    first.text, first.footnotes = f"Recalling its resolutions,{footnotes.marker(1)}", {"1": "Resolution 70/1."}
    session.flush()
    reading = services.open_reading(session, team["cofacilitator"], working, "First reading")
    cur = queries.screen(session, reading)["current"]
    assert cur["text"] == "Recalling its resolutions,[^1]" and cur["notes"] == [[1, "Resolution 70/1."]]
    typed = "Recalling all its resolutions,[^1] and the Pact[new footnote: Resolution 79/1.]"
    v = services.type_text(session, team["secretariat"], reading, typed, expected_version=cur["version"])
    assert footnotes.inline(v.text, v.notes) == (
        "Recalling all its resolutions,[^Resolution 70/1.] and the Pact[^Resolution 79/1.]"
    )
    assert queries.screen(session, reading)["current"]["text"] == "Recalling all its resolutions,[^1] and the Pact[^2]"


def test_typing_uses_the_editors_versions(session, room):
    n, team, zero, working = room
    typist = team["secretariat"]
    reading = services.open_reading(session, team["cofacilitator"], working, "First reading")
    cur = queries.screen(session, reading)["current"]
    text = "Recalling [all] its earlier resolutions on the subject,"
    v = services.type_text(session, typist, reading, text, expected_version=cur["version"])
    assert v.text == text and v.version == cur["version"] + 1
    with pytest.raises(EditConflict, match="changed this paragraph after you opened it"):
        services.type_text(session, typist, reading, "Recalling,", expected_version=cur["version"])
    state = queries.screen(session, reading)
    assert state["current"]["text"] == text and state["current"]["bracketed"]
    services.step(session, None, reading, forward=True)
    with pytest.raises(StateError, match="moved on to PP2"):
        services.type_text(session, typist, reading, "x", expected_version=v.version, paragraph_id=cur["paragraph_id"])
    events = queries.record(session, reading)
    assert [e.kind for e in events].count(EventKind.TEXT_CHANGED) == 1


def test_typing_on_a_circulated_revision_is_refused(session, room):
    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    with pytest.raises(StateError, match="has been circulated"):
        services.type_text(session, None, reading, "New words,", expected_version=1)


def test_the_floor_queue_counts_a_group_as_one_speaker(session, room):
    n, team, zero, working = room
    chair = team["cofacilitator"]
    g77 = team["delegate2"].memberships[0].delegation
    other_g77 = f.user(session, role=team["delegate2"].memberships[0].role, negotiation=n, delegation=g77)
    reading = services.open_reading(session, chair, zero, "First reading")
    first = services.request_floor(session, team["delegate"], reading, screen="floor:a")
    second = services.request_floor(session, team["delegate2"], reading, screen="floor:b")
    with pytest.raises(StateError, match="G77 and China is already in the queue"):
        services.request_floor(session, other_g77, reading, screen="floor:c")
    with pytest.raises(NotAllowed):
        services.request_floor(session, team["observer"], reading, screen="floor:d")
    assert [q["delegation"] for q in queries.screen(session, reading)["queue"]] == ["Mexico", "G77 and China"]
    services.give_floor(session, chair, reading, first.id)
    services.give_floor(session, chair, reading, second.id)  # Mexico is done speaking
    assert first.state is FloorState.SPOKE and second.state is FloorState.SPEAKING
    with pytest.raises(StateError, match="no longer waiting"):
        services.give_floor(session, chair, reading, first.id)
    services.clear_floor(session, chair, reading, second.id)
    assert queries.screen(session, reading)["queue"] == []
    services.step(session, chair, reading, forward=True)  # on the next paragraph, Mexico may ask again
    again = services.request_floor(session, team["delegate"], reading, screen="floor:a")
    services.clear_floor(session, chair, reading, again.id)
    assert again.state is FloorState.CLEARED
    lines = [e.payload["line"] for e in queries.record(session, reading)]
    assert "Floor given to Mexico on PP1" in lines and "G77 and China spoke on PP1" in lines


def test_a_flood_of_floor_requests_from_one_screen_is_limited(session, room):
    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    for _ in range(services.FLOOR_REQUESTS_PER_SCREEN - 1):
        services.count_refused_request(session, "floor:x")
    services.request_floor(session, team["delegate"], reading, screen="floor:x")
    with pytest.raises(services.FloorThrottled, match="Too many requests for the floor"):
        services.request_floor(session, team["delegate2"], reading, screen="floor:x")
    services.request_floor(session, team["delegate2"], reading, screen="floor:y")  # another screen


def test_every_event_is_in_the_audit_log_and_streams_resume_from_an_id(session, room):
    n, team, zero, working = room
    chair = team["cofacilitator"]
    reading = services.open_reading(session, chair, zero, "First reading")
    services.step(session, chair, reading, forward=True)
    middle = queries.last_event_id(session, reading)
    services.step(session, chair, reading, forward=True)
    services.mark(session, chair, reading, reading.current_paragraph_id, Mark.READ)
    events = queries.record(session, reading)
    audited = session.scalars(sa.select(AuditEvent).where(AuditEvent.action.like("reading.%"))).all()
    assert sorted(a.data["event_id"] for a in audited) == [e.id for e in events]
    assert [e.kind for e in queries.events_after(session, reading.id, middle)] == [EventKind.TAKEN_UP, EventKind.MARKED]


@pytest.fixture
def own_hub(monkeypatch):
    """A hub of this test's own: other tests' databases reuse reading ids in this process."""
    from drafter.room import events

    monkeypatch.setattr(events, "_hub", events.Hub())


def test_a_commit_wakes_the_streams_of_this_process(session, room, own_hub):
    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    session.commit()
    heard = hub().heard(reading.id)
    woke: list[bool] = []
    waiter = threading.Thread(target=lambda: woke.append(hub().wait(reading.id, heard, 5)))
    waiter.start()
    services.step(session, None, reading, forward=True)
    session.flush()
    assert waiter.is_alive()  # not before the commit
    session.commit()
    waiter.join(5)
    assert woke == [True]


def test_a_rolled_back_event_wakes_no_one(session, room, own_hub):
    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    session.commit()
    heard = hub().heard(reading.id)
    services.step(session, None, reading, forward=True)
    db.session.rollback()
    db.session.commit()
    assert hub().heard(reading.id) == heard


def test_a_stream_stops_for_a_user_who_may_no_longer_read(session, room, monkeypatch):
    from drafter.room import live

    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    session.commit()
    seen = queries.last_event_id(session, reading)
    services.step(session, None, reading, forward=True)
    session.commit()
    monkeypatch.setattr(live, "RECHECK_SECONDS", -1)
    import datetime as dt

    messages = list(
        live.stream(
            db.engine,
            reading_id=reading.id,
            user_id=team["delegate"].id,
            token="a session that was ended",
            idle=dt.timedelta(hours=1),
            after=seen,
            seconds=0,
        )
    )
    assert messages[-1].startswith(f"id: {seen}\nevent: gone")
    assert not any("PP2 taken up" in m for m in messages)


def test_the_streams_of_a_process_share_one_read_of_each_batch(app, session, room, monkeypatch):
    from drafter.room import live

    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    session.commit()
    seen = queries.last_event_id(session, reading)
    services.step(session, None, reading, forward=True)
    session.commit()
    reads: list[int] = []
    real = live._read_batch

    def slow_read(engine, reading_id, last, batch):
        reads.append(last)
        time.sleep(0.2)  # the others ask while it reads
        real(engine, reading_id, last, batch)

    monkeypatch.setattr(live, "_read_batch", slow_read)
    batches, engine = live._Batches(), db.engine
    got: list = []

    def screen() -> None:  # as a stream does, inside the app's context
        with app.app_context():
            got.append(batches.get(engine, reading.id, seen, 7))

    threads = [threading.Thread(target=screen) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert reads == [seen] and len(got) == 20 and len({id(b) for b in got}) == 1
    assert "taken up" in got[0].text and got[0].last > seen and not got[0].closed
    # a stream that heard of a newer announcement reads again; a read that failed is not kept
    batches.get(db.engine, reading.id, seen, 8)
    assert reads == [seen, seen]

    def broken(engine, reading_id, last, batch):
        reads.append(-1)
        raise RuntimeError("the database went away")

    monkeypatch.setattr(live, "_read_batch", broken)
    with pytest.raises(RuntimeError):
        batches.get(db.engine, reading.id, seen, 9)
    monkeypatch.setattr(live, "_read_batch", real)
    assert batches.get(db.engine, reading.id, seen, 9).last > seen


def test_a_batch_serves_late_streams_only_for_a_moment(session, room, monkeypatch):
    from drafter.room import live

    n, team, zero, working = room
    reading = services.open_reading(session, None, zero, "First reading")
    session.commit()
    seen = queries.last_event_id(session, reading)
    batches = live._Batches()
    first = batches.get(db.engine, reading.id, seen, 1)
    assert batches.get(db.engine, reading.id, seen, 1) is first
    monkeypatch.setattr(live._Batches, "KEEP_SECONDS", -1.0)
    assert batches.get(db.engine, reading.id, seen, 1) is not first
