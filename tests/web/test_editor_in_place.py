"""The editor changed in place: each tool answers editor.js with only the rows that now read
differently, and the status of several paragraphs is set at once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import ParagraphVersion, Revision, Status
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.text.structure import Kind
from tests import factories
from tests.conftest import login

JSON = {"Accept": "application/json"}


@pytest.fixture
def ed(app, session):
    n = factories.negotiation(session, slug="inplace")
    people = factories.team(session, n)
    zero = factories.revision(session, n, label="Zero draft")
    rev = drafting.start_revision(session, None, n, label="Rev.1")
    session.commit()
    client = app.test_client()
    login(client, people["cofacilitator"])
    return {"n": n, "zero": zero, "rev": rev, "people": people, "client": client, "url": f"/n/inplace/r/{rev.seq}"}


def versions(rev: Revision) -> list[ParagraphVersion]:
    db.session.expire_all()
    return load_versions(db.session, rev)


def by_ref(rev: Revision) -> dict[str, ParagraphVersion]:
    vs = versions(rev)
    refs = revision_refs(vs)
    return {refs[v.id]: v for v in vs}


def test_a_status_set_in_place_sends_back_that_row_only(ed):
    op1 = by_ref(ed["rev"])["OP1"]
    seen = op1.version
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/status",
        data={"status": "pending", "note": "EU to check", "version": seen},
        headers=JSON,
    )
    assert r.status_code == 200
    body = r.get_json()
    assert body["ok"] and body["message"] == "OP1: pending."
    assert list(body["rows"]) == [f"p{op1.paragraph_id}"]
    row = body["rows"][f"p{op1.paragraph_id}"]
    assert 'value="EU to check"' in row and f'name="version" value="{seen + 1}"' in row
    assert body["order"] == [f"p{v.paragraph_id}" for v in versions(ed["rev"])]
    assert by_ref(ed["rev"])["OP1"].status is Status.PENDING


def test_without_script_the_same_form_goes_back_to_the_editor_at_the_row(ed):
    op1 = by_ref(ed["rev"])["OP1"]
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/status", data={"status": "pending", "version": op1.version}
    )
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/edit#p{op1.paragraph_id}")


def test_a_move_sends_back_the_two_rows_that_swapped_numbers(ed):
    refs = by_ref(ed["rev"])
    op1, op2 = refs["OP1"], refs["OP2"]
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/move", data={"direction": "down", "version": op1.version}, headers=JSON
    )
    body = r.get_json()
    assert r.status_code == 200 and body["ok"]
    assert set(body["rows"]) == {f"p{op1.paragraph_id}", f"p{op2.paragraph_id}"}
    assert body["order"].index(f"p{op2.paragraph_id}") < body["order"].index(f"p{op1.paragraph_id}")
    moved = body["rows"][f"p{op1.paragraph_id}"]
    # the moved paragraph now reads OP2, and says what it was in the zero draft
    assert 'data-ref="OP2"' in moved and "OP1 in Zero draft" in moved


def test_a_change_of_kind_sends_back_every_row_renumbered(ed):
    refs = by_ref(ed["rev"])
    op1 = refs["OP1"]
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/kind", data={"kind": "preambular:0", "version": op1.version}, headers=JSON
    )
    body = r.get_json()
    assert r.status_code == 200
    # OP1 became PP3; OP2 (with its subparagraphs) and OP3 are now OP1 and OP2; PP1, PP2 and the heading stay
    expected = {refs[x].paragraph_id for x in ("OP1", "OP2", "OP2 (a)", "OP2 (b)", "OP3")}
    assert {int(k[1:]) for k in body["rows"]} == expected


def test_a_deletion_drops_the_row_from_the_order(ed):
    refs = by_ref(ed["rev"])
    op1 = refs["OP1"]
    r = ed["client"].post(f"{ed['url']}/p/{op1.paragraph_id}/delete", data={"version": op1.version}, headers=JSON)
    body = r.get_json()
    assert r.status_code == 200 and body["message"] == "OP1 deleted from Rev.1."
    assert f"p{op1.paragraph_id}" not in body["order"] and f"p{op1.paragraph_id}" not in body["rows"]
    assert f"p{refs['OP2'].paragraph_id}" in body["rows"]  # renumbered OP1


def test_insert_opens_its_form_in_place_and_adds_the_row(ed):
    client, refs = ed["client"], by_ref(ed["rev"])
    anchor = refs["OP3"]
    opened = client.get(f"{ed['url']}/insert?anchor={anchor.paragraph_id}&where=after", headers=JSON).get_json()
    assert (
        opened["slot"]["row"] == f"p{anchor.paragraph_id}" and "Insert a paragraph after OP3" in opened["slot"]["html"]
    )
    refused = client.post(
        f"{ed['url']}/insert",
        data={"anchor": anchor.paragraph_id, "where": "after", "kind": "operative:0", "text": "x" * 20_001},
        headers=JSON,
    )
    assert refused.status_code == 400 and refused.get_json()["slot"]["html"].count("x" * 20_001) == 1
    r = client.post(
        f"{ed['url']}/insert",
        data={
            "anchor": anchor.paragraph_id,
            "where": "after",
            "kind": "operative:0",
            "text": "Decides to <b>meet</b>;",
        },
        headers=JSON,
    )
    body = r.get_json()
    new = by_ref(ed["rev"])["OP4"]
    assert r.status_code == 200 and body["rows"].keys() == {f"p{new.paragraph_id}"}
    assert body["order"][-1] == f"p{new.paragraph_id}" and body["focus"] == f"p{new.paragraph_id}"
    assert "&lt;b&gt;meet&lt;/b&gt;" in body["rows"][f"p{new.paragraph_id}"]


def test_an_edit_in_place_that_lost_a_race_keeps_the_typed_text_beside_the_saved_one(ed, session):
    op1 = by_ref(ed["rev"])["OP1"]
    seen = op1.version
    opened = ed["client"].get(f"{ed['url']}/p/{op1.paragraph_id}/edit", headers=JSON).get_json()
    assert f'id="text-{op1.paragraph_id}"' in opened["slot"]["html"]
    editing.edit_text(session, ed["people"]["secretariat"], op1, "Decides to meet in 2029;", expected_version=seen)
    session.commit()
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/edit",
        data={"text": "Decides to meet in 2030;", "version": seen},
        headers=JSON,
    )
    body = r.get_json()
    assert r.status_code == 409 and not body["ok"] and "changed this paragraph after you opened it" in body["error"]
    slot = body["slot"]["html"]
    assert "Decides to meet in 2030;" in slot and "Decides to meet in 2029;" in slot and "Differences" in slot
    assert "changed this paragraph" in body["rows"][f"p{op1.paragraph_id}"]  # the notice over the row
    assert by_ref(ed["rev"])["OP1"].text == "Decides to meet in 2029;"


def test_a_refused_status_comes_back_in_its_row_with_what_was_typed(ed):
    op1 = by_ref(ed["rev"])["OP1"]
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/status",
        data={"status": "pending", "note": "n" * 600, "version": op1.version},
        headers=JSON,
    )
    body = r.get_json()
    assert r.status_code == 400 and "at most" in body["error"]
    row = body["rows"][f"p{op1.paragraph_id}"]
    assert "n" * 600 in row and 'class="field-error"' in row


def test_several_paragraphs_get_one_status_by_range_and_ticks(ed):
    refs = by_ref(ed["rev"])
    r = ed["client"].post(
        f"{ed['url']}/statuses",
        data={"paragraphs": "PP1-2", "pick": [str(refs["OP3"].paragraph_id), "junk"], "status": "agreed_ad_ref"},
        headers=JSON,
    )
    body = r.get_json()
    assert r.status_code == 200 and body["message"] == "PP1, PP2, OP3: now agreed ad ref."
    assert {int(k[1:]) for k in body["rows"]} == {refs[x].paragraph_id for x in ("PP1", "PP2", "OP3")}
    now = by_ref(ed["rev"])
    assert [now[x].status for x in ("PP1", "PP2", "OP1", "OP3")] == [
        Status.AGREED_AD_REF,
        Status.AGREED_AD_REF,
        Status.NONE,
        Status.AGREED_AD_REF,
    ]
    again = (
        ed["client"]
        .post(f"{ed['url']}/statuses", data={"paragraphs": "PP1 to OP3", "status": "agreed_ad_ref"}, headers=JSON)
        .get_json()
    )
    assert again["message"] == "PP1–OP3: now agreed ad ref (3 already were)."


def test_a_range_naming_no_paragraph_is_refused_and_keeps_what_was_typed(ed):
    page = ed["client"].post(f"{ed['url']}/statuses", data={"paragraphs": "PP1–PP9", "status": "agreed"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400 and "There is no paragraph PP9 in Rev.1" in html
    assert 'value="PP1–PP9"' in html
    assert all(v.status is Status.NONE for v in versions(ed["rev"]))
    nothing = ed["client"].post(f"{ed['url']}/statuses", data={"paragraphs": "", "status": "agreed"}, headers=JSON)
    assert nothing.status_code == 400 and "Choose the paragraphs" in nothing.get_json()["error"]


def test_without_script_several_statuses_go_back_to_the_editor_with_the_message(ed):
    r = ed["client"].post(f"{ed['url']}/statuses", data={"paragraphs": "OP1; OP2", "status": "pending"})
    assert r.status_code == 302 and r.headers["Location"].endswith("/edit")
    page = ed["client"].get(r.headers["Location"]).get_data(as_text=True)
    assert "OP1, OP2: now pending." in page


def test_a_delegate_cannot_set_statuses(ed, app):
    client = app.test_client()
    login(client, ed["people"]["delegate"])
    r = client.post(f"{ed['url']}/statuses", data={"paragraphs": "PP1", "status": "agreed"}, headers=JSON)
    assert r.status_code in (403, 404)
    assert all(v.status is Status.NONE for v in versions(ed["rev"]))


def test_the_editor_page_names_the_zero_draft_number_only_of_moved_paragraphs(ed, session):
    html = ed["client"].get(f"{ed['url']}/edit").get_data(as_text=True)
    assert "in Zero draft" not in html
    op1 = by_ref(ed["rev"])["OP1"]
    editing.insert_paragraph(
        session, None, ed["rev"], anchor=None, after=True, kind=Kind.OPERATIVE, level=0, text="New;"
    )
    editing.move_paragraph(session, None, op1, up=False, expected_version=op1.version)
    session.commit()
    html = ed["client"].get(f"{ed['url']}/edit").get_data(as_text=True)
    # OP1 and OP2 swapped; their subparagraphs keep their letters; the new OP4 has no number there
    assert re.findall(r"OP\S* in Zero draft", html) == ["OP2 in Zero draft", "OP1 in Zero draft"]


def test_a_paragraph_deleted_while_being_edited_in_place_offers_the_text_back_at_the_end(ed, session):
    op1 = by_ref(ed["rev"])["OP1"]
    seen = op1.version
    editing.delete_paragraph(session, ed["people"]["secretariat"], op1, expected_version=seen)
    session.commit()
    r = ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/edit",
        data={"text": "Decides to meet in <i>2030</i>;", "version": seen},
        headers=JSON,
    )
    body = r.get_json()
    assert r.status_code == 409 and "deleted this paragraph" in body["error"]
    assert f"p{op1.paragraph_id}" not in body["order"]
    assert body["slot"]["row"] is None and "Decides to meet in &lt;i&gt;2030&lt;/i&gt;;" in body["slot"]["html"]


def test_a_reading_open_on_the_revision_is_told_of_each_change_in_the_editor(ed, session):
    from drafter.room import services as room
    from drafter.room.models import EventKind, ReadingEvent

    reading = room.open_reading(session, ed["people"]["cofacilitator"], ed["rev"], "Informal consultations")
    session.commit()
    op1 = by_ref(ed["rev"])["OP1"]
    ed["client"].post(
        f"{ed['url']}/p/{op1.paragraph_id}/status", data={"status": "pending", "version": op1.version}, headers=JSON
    )
    ed["client"].post(f"{ed['url']}/statuses", data={"paragraphs": "PP1-PP2", "status": "agreed"})
    db.session.expire_all()
    events = session.scalars(
        sa.select(ReadingEvent).where(ReadingEvent.reading_id == reading.id, ReadingEvent.kind == EventKind.EDITED)
    ).all()
    assert [(e.paragraph_id, e.payload["line"]) for e in events] == [
        (op1.paragraph_id, "OP1: pending."),
        (None, "PP1, PP2: now agreed."),
    ]
