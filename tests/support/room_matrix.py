"""The permission matrix's rows for the room: readings on the circulated and on the working revision.

Each case's ``before`` opens a reading on the world's circulated revision (Rev.1) and one on its
working revision (Rev.2), so that the request has them; streams end at once (the test client
reads an answer whole).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from drafter.drafting.models import Revision
from drafter.extensions import db
from drafter.room import services as room
from drafter.room.models import FloorRequest, FloorState, Reading
from tests.support.matrix import Case
from tests.support.world import World

G, P = "GET", "POST"


def _revision(w: World, label: str) -> Revision:
    """Return a revision of the world as the database holds it now (an earlier case may have discarded
    and the copy put back the working one, leaving the world's object deleted)."""
    return db.session.scalar(
        sa.select(Revision).where(
            Revision.negotiation_id == sa.inspect(w.negotiation).identity[0], Revision.label == label
        )
    )


def _readings(w: World) -> None:
    current_app.config["ROOM_STREAM_SECONDS"] = 0
    db.session.expire_all()
    chair = w.users["cofacilitator"]
    w.scratch["public"] = room.open_reading(db.session, chair, _revision(w, "Rev.1"), "First reading").id
    w.scratch["working"] = room.open_reading(db.session, chair, _revision(w, "Rev.2"), "Informal consultations").id
    db.session.commit()


def _queued(w: World) -> None:
    _readings(w)
    reading = db.session.get(Reading, w.scratch["public"])
    w.scratch["request"] = room.request_floor(db.session, w.users["delegate"], reading, screen="floor:matrix").id
    db.session.commit()


def _id(w: World, key: str) -> int:
    """Return the id ``before`` kept, making the readings first for a test that sends a case without it."""
    if key not in w.scratch:
        (_queued if key == "request" else _readings)(w)
    return w.scratch[key]


def _public(w: World) -> dict:
    return {"reading_id": _id(w, "public")}


def _working(w: World) -> dict:
    return {"reading_id": _id(w, "working")}


def _request(w: World) -> dict:
    return {"reading_id": _id(w, "request") and w.scratch["public"], "request_id": w.scratch["request"]}


def _reading(which: str, check) -> object:
    def effect(w, role, response):
        reading = db.session.get(Reading, w.scratch[which])
        assert check(reading), f"the {which} reading is not as the request left it"

    return effect


def _opened(w, role, response):
    assert db.session.scalar(sa.select(Reading).where(Reading.name == "Second reading")) is not None


def _floor(state: FloorState):
    def effect(w, role, response):
        rows = db.session.scalars(sa.select(FloorRequest)).all()
        assert any(r.state is state for r in rows), f"no request for the floor is {state.value}"

    return effect


def _moved(w, role, response):
    reading = db.session.get(Reading, w.scratch["public"])
    assert reading.current_paragraph_id != reading.revision.versions[0].paragraph_id


def _typed(w, role, response):
    reading = db.session.get(Reading, w.scratch["working"])
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    assert v.text == "Recalling [all] its resolutions,"


def _type_data(w: World) -> dict:
    reading = db.session.get(Reading, _id(w, "working"))
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    return {"text": "Recalling [all] its resolutions,", "version": v.version, "paragraph": v.paragraph_id}


def _mark_data(w: World) -> dict:
    reading = db.session.get(Reading, _id(w, "public"))
    return {"paragraph": reading.current_paragraph_id, "mark": "parked", "note": "informals"}


def _bracketed(w: World) -> None:
    _readings(w)
    reading = db.session.get(Reading, w.scratch["working"])
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    room.type_text(
        db.session, w.users["cofacilitator"], reading, "Recalling [all] its resolutions,", expected_version=v.version
    )
    db.session.commit()


def _bracket_data(w: World) -> dict:
    reading = db.session.get(Reading, _id(w, "working"))
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    return {"index": 0, "inner": "all", "version": v.version, "paragraph": v.paragraph_id, "action": "remove"}


def _unbracketed(w, role, response):
    reading = db.session.get(Reading, w.scratch["working"])
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    assert v.text == "Recalling all its resolutions,"


def _docx(w, role, response):
    assert response.data[:2] == b"PK" and "attachment" in response.headers["Content-Disposition"]


_PAGE = r"/n/world/readings/\d+$"

ROOM_CASES = [
    Case("readings", "room.index", G, "LHOOOOO", before=_readings),
    Case(
        "open a reading",
        "room.index",
        P,
        "LHDDDOD",
        data=lambda w: {"revision": _revision(w, "Rev.1").id, "name": "Second reading"},
        goes=_PAGE,
        effect=_opened,
    ),
    Case("reading", "room.reading", G, "LHOOOOO", args=_public, before=_readings),
    Case("reading of the working revision", "room.reading", G, "LHHHOOH", args=_working, before=_readings),
    Case("projector", "room.projector", G, "LHOOOOO", args=_public, before=_readings),
    Case("projector of the working revision", "room.projector", G, "LHHHOOH", args=_working, before=_readings),
    Case("reading stream", "room.stream", G, "LHOOOOO", args=_public, before=_readings),
    Case("stream of the working revision", "room.stream", G, "LHHHOOH", args=_working, before=_readings),
    Case("record of a reading", "room.record", G, "LHOOOOO", args=_public, before=_readings),
    Case("record of a working reading", "room.record", G, "LHHHOOH", args=_working, before=_readings),
    Case("status of negotiations", "room.status_file", G, "LHOOOOO", args=_public, before=_readings, effect=_docx),
    Case(
        "status of negotiations of a working reading",
        "room.status_file",
        G,
        "LHHHOOH",
        args=_working,
        before=_readings,
        effect=_docx,
    ),
    Case(
        "take up the next paragraph",
        "room.move",
        P,
        "LHDDDOD",
        args=_public,
        before=_readings,
        data=lambda w: {"direction": "next"},
        goes=_PAGE,
        effect=_moved,
    ),
    Case(
        "mark a paragraph",
        "room.mark",
        P,
        "LHDDDOD",
        args=_public,
        before=_readings,
        data=_mark_data,
        goes=_PAGE,
        effect=_reading("public", lambda r: r.is_open),
    ),
    Case(
        "type in the room",
        "room.type_text",
        P,
        "LHHHOOH",
        args=_working,
        before=_readings,
        data=_type_data,
        goes=_PAGE,
        effect=_typed,
    ),
    Case(
        "remove brackets in the room",
        "room.bracket",
        P,
        "LHHHOOH",
        args=_working,
        before=_bracketed,
        data=_bracket_data,
        goes=_PAGE,
        effect=_unbracketed,
    ),
    Case(
        "request the floor",
        "room.request_floor",
        P,
        "LHDODDD",
        args=_public,
        before=_readings,
        goes=_PAGE,
        effect=_floor(FloorState.WAITING),
    ),
    Case(
        "give the floor",
        "room.give_floor",
        P,
        "LHDDDOD",
        args=_request,
        before=_queued,
        goes=_PAGE,
        effect=_floor(FloorState.SPEAKING),
    ),
    Case(
        "clear the floor",
        "room.clear_floor",
        P,
        "LHDDDOD",
        args=_request,
        before=_queued,
        goes=_PAGE,
        effect=_floor(FloorState.CLEARED),
    ),
    Case(
        "close a reading",
        "room.close",
        P,
        "LHDDDOD",
        args=_public,
        before=_readings,
        goes=r"/record$",
        effect=_reading("public", lambda r: not r.is_open),
    ),
]
