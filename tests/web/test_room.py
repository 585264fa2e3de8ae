"""The room's pages and forms through the test client: refusals beside their field, the stream."""

from __future__ import annotations

import json

import pytest

from drafter.drafting import services as drafting
from drafter.room import services
from drafter.room.models import Reading
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def room(app, session):
    app.config["ROOM_STREAM_SECONDS"] = 0  # a stream sends what there is and ends: the test client reads it whole
    n = f.negotiation(session, slug="room")
    team = f.team(session, n)
    zero = f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    public = services.open_reading(session, team["cofacilitator"], zero, "First reading")
    secret = services.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    session.commit()
    return n, team, public, secret


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _url(reading: Reading, tail: str = "") -> str:
    return f"/n/room/readings/{reading.id}{tail}"


def _events(body: str) -> list[tuple[str, str, dict]]:
    out = []
    for block in body.split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line and not line.startswith(":"))
        if "data" in fields:
            out.append((fields.get("id", ""), fields.get("event", ""), json.loads(fields["data"])))
    return out


def test_a_co_facilitator_opens_a_reading_and_a_refused_name_keeps_what_was_typed(app, room):
    n, team, public, secret = room
    chair = _client(app, team["cofacilitator"])
    page = chair.get("/n/room/readings")
    assert page.status_code == 200 and "Open a reading" in page.text
    r = chair.post("/n/room/readings", data={"revision": public.revision_id, "name": "   "})
    assert r.status_code == 400 and "Give the reading a name" in r.text
    r = chair.post("/n/room/readings", data={"revision": public.revision_id, "name": "Second reading" + "x" * 120})
    assert r.status_code == 400 and "at most 120 characters" in r.text and "Second readingxxx" in r.text
    r = chair.post("/n/room/readings", data={"revision": public.revision_id, "name": "Second reading"})
    assert r.status_code == 302 and "/readings/" in r.location


def test_a_reading_of_the_working_revision_is_invisible_to_delegates_and_observers(app, room):
    n, team, public, secret = room
    for role in ("delegate", "observer"):
        c = _client(app, team[role])
        for tail in ("", "/projector", "/stream", "/record"):
            assert c.get(_url(secret, tail)).status_code == 404, (role, tail)
            assert c.get(_url(public, tail)).status_code == 200, (role, tail)
        listing = c.get("/n/room/readings").text
        assert "First reading" in listing and "Informal consultations" not in listing


def test_a_jump_to_a_paragraph_that_is_not_there_comes_back_beside_the_field(app, room):
    n, team, public, secret = room
    chair = _client(app, team["cofacilitator"])
    r = chair.post(_url(public, "/move"), data={"to": "OP99"})
    assert r.status_code == 400
    assert 'value="OP99"' in r.text and "There is no paragraph OP99 in Zero draft" in r.text
    r = chair.post(_url(public, "/move"), data={"to": "OP99"}, headers={"Accept": "application/json"})
    assert r.status_code == 400 and "There is no paragraph OP99" in r.json["error"]
    r = chair.post(_url(public, "/move"), data={"to": "op 2"}, headers={"Accept": "application/json"})
    assert r.status_code == 200 and r.json["ok"]
    page = chair.get(_url(public))
    assert '<span id="room-ref">OP2</span>' in page.text


def test_a_stale_edit_is_a_conflict_shown_in_place(app, room, session):
    n, team, public, secret = room
    typist = _client(app, team["secretariat"])
    page = typist.get(_url(secret))
    assert 'id="type-text"' in page.text
    ok = typist.post(_url(secret, "/type"), data={"text": "Recalling [all] its resolutions,", "version": 1})
    assert ok.status_code == 302
    stale = typist.post(_url(secret, "/type"), data={"text": "Recalling my own words,", "version": 1})
    assert stale.status_code == 409
    assert "changed this paragraph after you opened it" in stale.text
    assert "Recalling my own words," in stale.text and "Recalling [all] its resolutions," in stale.text
    js = typist.post(
        _url(secret, "/type"), data={"text": "Recalling again,", "version": 1}, headers={"Accept": "application/json"}
    )
    assert js.status_code == 409 and js.json["conflict"] and js.json["current_version"] == 2
    # a delegate may not type, nor see the working reading; the typist may not drive
    assert (
        _client(app, team["delegate"]).post(_url(public, "/type"), data={"text": "x", "version": 1}).status_code == 403
    )
    assert typist.post(_url(secret, "/move"), data={"direction": "next"}).status_code == 403


def test_a_delegates_request_appears_in_the_chairs_queue(app, room):
    n, team, public, secret = room
    delegate = _client(app, team["delegate"])
    page = delegate.get(_url(public))
    assert "Request the floor for Mexico" in page.text
    assert delegate.post(_url(public, "/floor")).status_code == 302
    again = delegate.post(_url(public, "/floor"))
    assert again.status_code == 409 and "Mexico is already in the queue" in again.text
    chair = _client(app, team["cofacilitator"]).get(_url(public))
    assert "Mexico" in chair.text and "Give the floor" in chair.text


def test_the_stream_resumes_after_the_last_event_seen_and_says_when_the_reading_closed(app, room, session):
    n, team, public, secret = room
    delegate = _client(app, team["delegate"])
    first = _events(delegate.get(_url(public, "/stream")).text)
    assert [e[2]["kind"] for e in first] == ["state"]
    seen = first[0][0]
    chair = _client(app, team["cofacilitator"])
    chair.post(_url(public, "/move"), data={"direction": "next"})
    chair.post(_url(public, "/move"), data={"direction": "next"})
    resumed = _events(delegate.get(_url(public, "/stream"), headers={"Last-Event-ID": seen}).text)
    assert [e[2]["line"] for e in resumed] == ["PP2 taken up", "Commitments taken up"]
    assert resumed[0][2]["state"] is None and resumed[-1][2]["state"]["current"]["ref"] == "Commitments"
    chair.post(_url(public, "/close"))
    closing = _events(delegate.get(_url(public, f"/stream?after={resumed[-1][0]}")).text)
    assert [e[1] for e in closing] == ["room", "closed"] and closing[-1][0] == closing[0][0]
    assert closing[0][2]["state"]["reading"]["open"] is False


def test_the_projector_and_the_record(app, room):
    n, team, public, secret = room
    observer = _client(app, team["observer"])
    projector = observer.get(_url(public, "/projector"))
    assert projector.status_code == 200 and "PP1" in projector.text and "topbar" not in projector.text
    record = observer.get(_url(public, "/record"))
    assert "First reading opened on Zero draft, at PP1" in record.text and "Not read" in record.text
    audit = _client(app, team["secretariat"]).get("/n/room/audit")
    assert "First reading: First reading opened on Zero draft, at PP1" in audit.text


def test_a_delegate_browsing_elsewhere_is_one_click_from_the_paragraph_under_negotiation(app, room, session):
    n, team, public, secret = room
    elsewhere = next(v for v in public.revision.versions if v.position == 3)
    page = _client(app, team["delegate"]).get(_url(public, f"?at={elsewhere.paragraph_id}")).text
    assert "You are reading OP1; the room is on" in page and '<strong id="room-live-ref">PP1</strong>' in page
    assert f'id="room-back" href="{_url(public)}"' in page
    assert elsewhere.text in page


def test_the_chair_takes_up_the_paragraph_they_browsed_to(app, room):
    n, team, public, secret = room
    chair = _client(app, team["cofacilitator"])
    elsewhere = next(v for v in public.revision.versions if v.position == 3)
    page = chair.get(_url(public, f"?at={elsewhere.paragraph_id}")).text
    assert "Take up OP1" in page
    assert chair.post(_url(public, "/move"), data={"paragraph": elsewhere.paragraph_id}).status_code == 302
    assert '<span id="room-ref">OP1</span>' in chair.get(_url(public)).text
