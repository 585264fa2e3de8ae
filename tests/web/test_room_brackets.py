"""Brackets in the room through the test client: the forms beside each passage, who may use them,
what every screen shows, the record and the status of negotiations Word file."""

from __future__ import annotations

import io

import docx
import pytest

from drafter.drafting import services as drafting
from drafter.room import services
from drafter.room.models import Reading
from tests import factories as f
from tests.conftest import login

TEXT = "Recalling [in accordance with national legislation] its resolutions [Alt 1: on the subject] [Alt 2: <b>x</b>],"


@pytest.fixture
def room(app, session):
    app.config["ROOM_STREAM_SECONDS"] = 0
    n = f.negotiation(session, slug="room")
    team = f.team(session, n)
    zero = f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    public = services.open_reading(session, team["cofacilitator"], zero, "First reading")
    secret = services.open_reading(session, team["cofacilitator"], working, "Informal consultations")
    v = next(v for v in working.versions if v.paragraph_id == secret.current_paragraph_id)
    services.type_text(session, team["secretariat"], secret, TEXT, expected_version=v.version)
    session.commit()
    return n, team, public, secret


def _client(app, user):
    c = app.test_client()
    login(c, user)
    return c


def _url(reading: Reading, tail: str = "") -> str:
    return f"/n/room/readings/{reading.id}{tail}"


def _form(reading: Reading, index: int, inner: str, action: str, **extra) -> dict:
    v = next(v for v in reading.revision.versions if v.paragraph_id == reading.current_paragraph_id)
    return {
        "index": index,
        "inner": inner,
        "version": v.version,
        "paragraph": v.paragraph_id,
        "action": action,
        **extra,
    }


def test_the_typist_names_who_asks_for_a_passage_and_every_screen_shows_it(app, session, room):
    n, team, public, secret = room
    typist = _client(app, team["secretariat"])
    page = typist.get(_url(secret)).text
    assert page.count('name="action" value="remove"') == 3 and "<option>G77 and China</option>" in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page

    data = _form(
        secret, 0, "in accordance with national legislation", "attribute", asked="G77 and China", opposed="Mexico"
    )
    r = typist.post(_url(secret, "/brackets"), data=data)
    assert r.status_code == 302 and r.location.endswith(_url(secret))
    session.expire_all()
    r = typist.post(
        _url(secret, "/brackets"),
        data=_form(secret, 1, "Alt 1: on the subject", "attribute", asked=["Mexico", "G77 and China"]),
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 200 and r.json["ok"]

    chair = _client(app, team["cofacilitator"])
    shown = (
        '[in accordance with national legislation] <span class="attribution">(G77 and China; opposed: Mexico)</span>'
    )
    for url in (_url(secret), _url(secret, "/projector")):
        text = chair.get(url).text
        assert shown in text, url
    assert "Alt 1 (Mexico, G77 and China) / Alt 2" in chair.get(_url(secret)).text
    record = chair.get(_url(secret, "/record")).text
    assert "Brackets attributed" in record and "PP1: Alt 1 (Mexico, G77 and China)" in record
    stream = chair.get(_url(secret, "/stream?after=0")).text
    assert "(G77 and China; opposed: Mexico)" in stream


def test_refusals_come_back_as_messages(app, session, room):
    n, team, public, secret = room
    typist = _client(app, team["secretariat"])
    r = typist.post(_url(secret, "/brackets"), data=_form(secret, 0, "something else", "remove"))
    assert r.status_code == 400 and "has changed since the page was loaded" in r.text
    r = typist.post(
        _url(secret, "/brackets"),
        data=_form(secret, 0, "in accordance with national legislation", "attribute", asked="Narnia"),
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 400 and "Choose delegations of this negotiation" in r.json["error"]
    stale = _form(secret, 0, "in accordance with national legislation", "remove")
    stale["version"] -= 1
    r = typist.post(_url(secret, "/brackets"), data=stale, headers={"Accept": "application/json"})
    assert r.status_code == 409 and "changed this paragraph" in r.json["error"]
    r = typist.post(_url(secret, "/brackets"), data={"action": "remove"}, headers={"Accept": "application/json"})
    assert r.status_code == 400 and "reload the page" in r.json["error"]

    chair = _client(app, team["cofacilitator"])
    v = _form(secret, 0, "", "")
    r = chair.post(
        _url(secret, "/mark"),
        data={"paragraph": v["paragraph"], "version": v["version"], "mark": "agreed_ad_ref"},
        headers={"Accept": "application/json"},
    )
    assert r.status_code == 409 and "PP1 still has 3 bracketed passages" in r.json["error"]
    r = chair.post(
        _url(secret, "/brackets"), data=_form(secret, 0, "in accordance with national legislation", "delete")
    )
    assert r.status_code == 302
    session.expire_all()
    assert "Delete the bracketed words" in chair.get(_url(secret)).text


def test_delegates_and_observers_cannot_set_attributions(app, session, room):
    n, team, public, secret = room
    data = _form(secret, 0, "in accordance with national legislation", "remove")
    for role in ("delegate", "observer"):
        c = _client(app, team[role])
        assert c.post(_url(secret, "/brackets"), data=data).status_code == 404, role  # the working revision is unseen
        assert c.post(_url(public, "/brackets"), data=data).status_code == 403, role
        assert c.get(_url(secret, "/status.docx")).status_code == 404, role
        page = c.get(_url(public)).text
        assert "Remove brackets" not in page
    chair = _client(app, team["cofacilitator"])
    r = chair.post(
        _url(public, "/brackets"), data=_form(public, 0, "x", "remove"), headers={"Accept": "application/json"}
    )
    assert r.status_code == 409 and "has been circulated" in r.json["error"]


def test_the_status_of_negotiations_word_file(app, session, room):
    n, team, public, secret = room
    typist = _client(app, team["secretariat"])
    typist.post(
        _url(secret, "/brackets"),
        data=_form(
            secret, 0, "in accordance with national legislation", "attribute", asked="G77 and China", opposed="Mexico"
        ),
    )
    session.expire_all()
    chair = _client(app, team["cofacilitator"])
    services.mark(session, team["cofacilitator"], secret, secret.current_paragraph_id, services.Mark.PENDING)
    session.commit()
    assert "status.docx" in chair.get(_url(secret, "/record")).text
    r = chair.get(_url(secret, "/status.docx"))
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    assert (
        "attachment" in r.headers["Content-Disposition"]
        and "Informal-consultations" in r.headers["Content-Disposition"]
    )
    document = docx.Document(io.BytesIO(r.data))
    texts = [p.text for p in document.paragraphs]
    assert any(t.startswith("Status of negotiations: Informal consultations, as at") for t in texts), texts
    first = next(p for p in document.paragraphs if p.text.startswith("Recalling"))
    assert first.text == (
        "Recalling [in accordance with national legislation] (G77 and China; opposed: Mexico) its resolutions"
        " [Alt 1: on the subject] [Alt 2: <b>x</b>], (pending)"
    )
    italic = [run.text for run in first.runs if run.italic]
    assert "(G77 and China; opposed: Mexico)" in italic
    later = next(p for p in document.paragraphs if p.text.startswith("Decides"))
    assert later.text == "Decides to convene a high-level meeting in 2028;"
    services.mark(session, team["cofacilitator"], public, public.current_paragraph_id, services.Mark.READ)
    session.commit()
    public_file = docx.Document(io.BytesIO(chair.get(_url(public, "/status.docx")).data))
    texts = [p.text for p in public_file.paragraphs]
    assert "Recalling its earlier resolutions on the subject, (read)" in texts
    assert "Recognizing the importance of international cooperation," in texts  # not read yet: no status
