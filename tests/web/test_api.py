"""The JSON API through the test client: reads as the pages show them, the delegates' writes through the
same services (same rules, deadlines and record), ETags, pagination and JSON errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.audit import AuditEvent
from drafter.auth import tokens
from drafter.drafting.models import ProposalVisibility, Revision
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalState
from drafter.text import footnotes
from drafter.text.structure import Kind
from tests import factories as f
from tests.support.timing import bound
from tests.support.world import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


class Api:
    """A program calling the API with one user's token."""

    def __init__(self, app: Flask, user: Any, slug: str) -> None:
        self.client = app.test_client()
        self.headers = {"Authorization": f"Bearer {tokens.create(db.session, None, user, 'Test script')}"}
        db.session.commit()
        self.base = f"/api/v1/negotiations/{slug}"

    def get(self, path: str, **kwargs: Any):
        return self.client.get(self.base + path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs)

    def post(self, path: str, json: Any = None, **kwargs: Any):
        return self.client.post(self.base + path, json=json, headers=self.headers, **kwargs)


def api(app: Flask, w: World, role: str) -> Api:
    return Api(app, w.users[role], w.negotiation.slug)


def fresh(p: Proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, p.id)


def count(model: Any, **where: Any) -> int:
    q = sa.select(sa.func.count()).select_from(model)
    for k, v in where.items():
        q = q.where(getattr(model, k) == v)
    return db.session.scalar(q)


# -- Reading ----------------------------------------------------------------------------------------


def test_a_revision_reads_with_its_document_fields_and_paragraphs(app, w):
    rev = db.session.get(Revision, w.rev1.id)
    rev.symbol, rev.sponsor_line, rev.title_footnotes = "A/81/L.7", "Mexico: draft resolution", ["* On behalf of ..."]
    versions = load_versions(db.session, rev)
    versions[1].text, versions[1].footnotes = versions[1].text[:-1] + footnotes.marker(1) + ",", {"1": "See A/80/1."}
    v = versions[5]
    v.text, v.footnotes = v.text[:-1] + footnotes.marker(2) + ";", {"2": "Resolution 70/1.", "3": "Not referred to."}
    db.session.commit()
    body = api(app, w, "delegate").get(f"/revisions/{w.rev1.seq}").json
    assert body["label"] == "Rev.1" and body["state"] == "circulated" and body["accepts_proposals"] is True
    assert body["document"]["symbol"] == "A/81/L.7" and body["document"]["sponsor_line"] == "Mexico: draft resolution"
    assert body["document"]["footnotes"] == ["* On behalf of ..."]
    refs = [p["ref"] for p in body["paragraphs"]]
    assert refs[:2] == ["PP1", "PP2"] and "OP1" in refs and "OP2 (a)" in refs
    op1 = next(p for p in body["paragraphs"] if p["ref"] == "OP1")
    assert op1 == {
        **op1,
        "id": w.paragraph_id,
        "kind": "operative",
        "number": "1",
        "printed_number": "1.",
        "text": "Decides to convene a high-level meeting in 2029;",
        "status": "none",
    }
    sub = body["paragraphs"][5]
    assert sub["kind"] == "subparagraph" and sub["level"] == 1 and sub["number"] == "(a)"
    # footnotes as markers in the text with their notes beside, numbered over the whole revision
    assert sub["footnotes"] == [{"id": 2, "marker": footnotes.marker(2), "number": 2, "text": "Resolution 70/1."}]
    assert body["paragraphs"][1]["footnotes"][0]["number"] == 1 and footnotes.marker(1) in body["paragraphs"][1]["text"]


def test_the_paragraph_id_is_its_identity_across_revisions(app, w):
    client = api(app, w, "cofacilitator")
    zero = client.get(f"/revisions/{w.zero.seq}").json["paragraphs"]
    working = client.get(f"/revisions/{w.rev2.seq}").json["paragraphs"]
    assert {p["id"] for p in zero} < {p["id"] for p in working}  # the working revision added one
    assert [p["text"] for p in working if p["id"] == w.secret_paragraph_id] != []


def test_the_negotiation_lists_only_the_revisions_the_caller_may_read(app, w):
    as_delegate = api(app, w, "delegate").get("").json
    assert [r["label"] for r in as_delegate["revisions"]] == ["Zero draft", "Rev.1"]
    assert as_delegate["your_role"] == "delegate" and as_delegate["your_delegation"]["name"] == "Mexico"
    as_cofacilitator = api(app, w, "cofacilitator").get("/revisions").json["items"]
    assert [r["state"] for r in as_cofacilitator] == ["superseded", "circulated", "working"]


def test_the_comparison_gives_rows_with_word_diff_operations(app, w):
    body = api(app, w, "delegate").get("/compare").json
    assert (body["old"], body["new"]) == (w.zero.seq, w.rev1.seq)
    assert body["counts"]["changed"] == 1
    changed = [r for r in body["rows"] if r["change"] == "changed"]
    assert len(changed) == 1 and changed[0]["old"]["id"] == changed[0]["new"]["id"] == w.paragraph_id
    ops = changed[0]["diff"]["ops"]
    assert {"op": "delete", "text": "2028"} in ops and {"op": "insert", "text": "2029"} in ops
    assert "".join(o["text"] for o in ops if o["op"] != "insert") == changed[0]["old"]["text"]
    assert "".join(o["text"] for o in ops if o["op"] != "delete") == changed[0]["new"]["text"]
    working = api(app, w, "cofacilitator").get("/compare", query_string={"old": w.rev1.seq, "new": w.rev2.seq}).json
    assert working["counts"]["new"] == 1
    assert api(app, w, "delegate").get("/compare", query_string={"new": "two"}).json["field"] == "new"


def test_a_proposal_reads_with_its_delegation_positions_diff_and_outcome(app, w):
    proposals.set_position(db.session, None, w.other_proposal, w.mexico, proposals.Stance.COSPONSOR)
    db.session.commit()
    body = api(app, w, "delegate").get(f"/proposals/{w.other_proposal.id}").json
    assert body["delegation"]["name"] == "G77 and China" and body["kind"] == "amend" and body["state"] == "submitted"
    assert body["ref"] == "PP1" and body["paragraph"] == w.other_proposal.target_version.paragraph_id
    assert [d["name"] for d in body["positions"]["cosponsor"]] == ["Mexico"]
    assert body["positions"]["support"] == [] and body["positions"]["oppose"] == []
    assert body["base_text"] == "Recalling its earlier resolutions on the subject,"
    assert body["diff"]["changed"] and {"op": "insert", "text": "all "} in body["diff"]["ops"]
    assert body["outcome"]["verdict"] == "pending" and body["decision"]["note"] == ""


def test_a_new_paragraph_is_referred_to_as_the_compilation_labels_it(app, w):
    v = load_versions(db.session, w.rev1)
    p = proposals.submit(
        db.session, None, w.rev1, w.mexico, kind=ProposalKind.INSERT, target=v[3], text="Decides also to act;"
    )
    db.session.commit()
    client = api(app, w, "delegate")
    assert client.get(f"/proposals/{p.id}").json["ref"] == "1 bis"
    blocks = client.get(f"/revisions/{w.rev1.seq}/compilation").json["blocks"]
    new = [b for b in blocks if b["is_new"]]
    assert [b["ref"] for b in new] == ["1 bis"] and new[0]["paragraph"] is None
    assert new[0]["proposals"][0]["attribution"] == "Mexico"
    on_pp1 = next(b for b in blocks if b["ref"] == "PP1")
    assert [x["id"] for x in on_pp1["proposals"]] == [w.other_proposal.id]


def test_proposals_of_other_delegations_stay_hidden_until_released_where_the_negotiation_says_so(app, w):
    n = w.negotiation
    n.proposal_visibility = ProposalVisibility.ON_RELEASE
    db.session.commit()
    delegate = api(app, w, "delegate")
    listed = delegate.get(f"/revisions/{w.rev1.seq}/proposals").json["items"]
    assert [p["id"] for p in listed] == [w.own_proposal.id]
    assert delegate.get(f"/proposals/{w.other_proposal.id}").status_code == 404
    compiled = delegate.get(f"/revisions/{w.rev1.seq}/compilation").json
    assert compiled["proposals"] == 1
    assert api(app, w, "observer").get(f"/revisions/{w.rev1.seq}/proposals").json["items"] == []
    everyone = api(app, w, "secretariat").get(f"/revisions/{w.rev1.seq}/proposals").json["items"]
    assert len(everyone) == 2


def test_the_record_reads_newest_first_with_filters_for_those_who_may(app, w):
    client = api(app, w, "secretariat")
    body = client.get("/audit", query_string={"kind": "proposal"}).json
    assert {e["action"] for e in body["items"]} == {"proposal.submitted"}
    assert body["items"][0]["id"] > body["items"][-1]["id"]
    assert all(e["data"] is not None for e in body["items"])
    for args in ({"since": "yesterday"}, {"actor": "²"}, {"revision": "-1"}):
        bad = client.get("/audit", query_string=args)
        assert bad.status_code == 400 and bad.json["code"] == "invalid", args
    assert api(app, w, "delegate").get("/audit").json["code"] == "forbidden"


def test_the_record_withholds_what_events_quote_of_a_working_revision_from_those_who_may_not_read_it(app, w):
    admin = api(app, w, "admin").get("/audit", query_string={"limit": 200}).json["items"]
    working = [e for e in admin if e["revision"] == "Rev.2"]
    assert working and all(e["data"] is None for e in working)
    assert all(e["data"] is not None for e in admin if e["revision"] in ("Zero draft", "Rev.1"))
    secretariat = api(app, w, "secretariat").get("/audit", query_string={"limit": 200}).json["items"]
    assert all(e["data"] is not None for e in secretariat)


# -- ETag and pagination ----------------------------------------------------------------------------


def test_reads_carry_an_etag_and_answer_304_while_nothing_changed(app, w):
    client = api(app, w, "delegate")
    first = client.get(f"/proposals/{w.own_proposal.id}")
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag and first.headers["Cache-Control"] == "no-store"
    same = client.get(f"/proposals/{w.own_proposal.id}", headers={"If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b"" and same.headers["ETag"] == etag
    proposals.edit(db.session, None, fresh(w.own_proposal), text="Decides to meet in 2033;", justification="")
    db.session.commit()
    changed = client.get(f"/proposals/{w.own_proposal.id}", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.json["proposed_text"] == "Decides to meet in 2033;"
    # a list too, and HEAD gives the tag without the body
    listed = client.get(f"/revisions/{w.rev1.seq}/proposals")
    assert (
        client.get(f"/revisions/{w.rev1.seq}/proposals", headers={"If-None-Match": listed.headers["ETag"]}).status_code
        == 304
    )
    head = client.client.head(f"{client.base}/revisions/{w.rev1.seq}", headers=client.headers)
    assert head.status_code == 200 and head.headers["ETag"] and head.get_data() == b""


def _submit_many(w: World, n: int) -> list[Proposal]:
    v = load_versions(db.session, w.rev1)
    made = [
        proposals.submit(
            db.session, None, w.rev1, w.mexico, kind=ProposalKind.AMEND, target=v[7], text=f"Requests a report in {i};"
        )
        for i in range(n)
    ]
    db.session.commit()
    return made


def test_long_lists_come_in_pages_with_a_link_to_the_next(app, w):
    _submit_many(w, 5)
    client = api(app, w, "delegate")
    seen, url, pages = [], f"{client.base}/revisions/{w.rev1.seq}/proposals?limit=3&kind=amend", 0
    while url:
        body = client.client.get(url, headers=client.headers).json
        assert len(body["items"]) <= 3
        seen += [p["id"] for p in body["items"]]
        url, pages = body["next"], pages + 1
    assert pages == 3 and len(seen) == 7 and seen == sorted(set(seen))
    only_g77 = client.get(f"/revisions/{w.rev1.seq}/proposals", query_string={"delegation": w.g77.id}).json
    assert [p["id"] for p in only_g77["items"]] == [w.other_proposal.id] and only_g77["next"] is None
    for args, field in (({"limit": 0}, "limit"), ({"limit": 500}, "limit"), ({"after": "x"}, "after")):
        refused = client.get(f"/revisions/{w.rev1.seq}/proposals", query_string=args)
        assert refused.status_code == 400 and refused.json["field"] == field
    refused = client.get(f"/revisions/{w.rev1.seq}/proposals", query_string={"state": "maybe"})
    assert refused.status_code == 400 and refused.json["field"] == "state"


def test_pages_of_a_delegate_who_sees_only_their_own_skip_the_others_whatever_the_reading_chunk(app, w, monkeypatch):
    from drafter.api import views

    monkeypatch.setattr(views, "CHUNK", 2)
    w.negotiation.proposal_visibility = ProposalVisibility.ON_RELEASE
    v = load_versions(db.session, w.rev1)
    for i in range(5):
        proposals.submit(db.session, None, w.rev1, w.g77, kind=ProposalKind.AMEND, target=v[7], text=f"Requests {i};")
    mine = [w.own_proposal.id] + [p.id for p in _submit_many(w, 3)]
    inserted = proposals.submit(db.session, None, w.rev1, w.mexico, kind=ProposalKind.INSERT, target=v[3], text="Also;")
    db.session.commit()
    client = api(app, w, "delegate")
    seen, query = [], {"limit": 2}
    while True:
        body = client.get(f"/revisions/{w.rev1.seq}/proposals", query_string=query).json
        seen += [(p["id"], p["ref"]) for p in body["items"]]
        if body["next"] is None:
            break
        query = {"limit": 2, "after": re.search(r"after=(\d+)", body["next"]).group(1)}
    assert [i for i, _ in seen] == [*mine, inserted.id]
    assert dict(seen)[inserted.id] == "1 bis" and dict(seen)[w.own_proposal.id] == "OP1"


def test_the_record_comes_in_pages_too(app, w):
    client = api(app, w, "secretariat")
    everything = [e["id"] for e in client.get("/audit", query_string={"limit": 200}).json["items"]]
    seen, query = [], {"limit": 4}
    while True:
        body = client.get("/audit", query_string=query).json
        seen += [e["id"] for e in body["items"]]
        if body["next"] is None:
            break
        query = {"limit": 4, "after": re.search(r"after=(\d+)", body["next"]).group(1)}
    assert seen == everything and len(seen) > 8


# -- Writing ----------------------------------------------------------------------------------------


def test_a_delegate_submits_edits_and_withdraws_a_proposal(app, w):
    client = api(app, w, "delegate")
    made = client.post(
        f"/revisions/{w.rev1.seq}/proposals",
        json={
            "kind": "amend",
            "paragraph": w.paragraph_id,
            "text": "Decides to meet in 2031;",
            "justification": "Why.",
        },
    )
    assert made.status_code == 201 and made.headers["Location"].endswith(f"/proposals/{made.json['id']}")
    p = db.session.get(Proposal, made.json["id"])
    assert p.delegation_id == w.mexico.id and p.created_by_id == w.users["delegate"].id
    assert made.json["ref"] == "OP1" and made.json["delegation"]["name"] == "Mexico"
    edited = client.post(f"/proposals/{p.id}/edit", json={"justification": "Timing.", "version": p.version})
    assert edited.status_code == 200 and edited.json["justification"] == "Timing."
    assert edited.json["proposed_text"] == "Decides to meet in 2031;" and edited.json["version"] == 2
    stale = client.post(f"/proposals/{p.id}/edit", json={"text": "Decides to meet in 2040;", "version": 1})
    assert stale.status_code == 409 and stale.json["code"] == "conflict"
    assert stale.json["details"] == {"current_version": 2}
    assert fresh(p).proposed_text == "Decides to meet in 2031;"
    gone = client.post(f"/proposals/{p.id}/withdraw", json={"version": 2})
    assert gone.status_code == 200 and gone.json["state"] == "withdrawn"
    again = client.post(f"/proposals/{p.id}/withdraw")
    assert again.status_code == 409 and again.json["code"] == "invalid_state"


def test_a_delegate_takes_and_withdraws_a_position(app, w):
    client = api(app, w, "delegate")
    for stance in ("support", "oppose", "cosponsor"):
        body = client.post(f"/proposals/{w.other_proposal.id}/position", json={"stance": stance}).json
        assert [d["name"] for d in body["positions"][stance]] == ["Mexico"]
    body = client.post(f"/proposals/{w.other_proposal.id}/position", json={"stance": None}).json
    assert all(v == [] for v in body["positions"].values())
    own = client.post(f"/proposals/{w.own_proposal.id}/position", json={"stance": "support"})
    assert own.status_code == 400 and own.json["code"] == "invalid" and "own proposal" in own.json["message"]


def test_a_delegate_acting_for_another_delegation_is_refused_and_nothing_is_stored(app, w):
    client = api(app, w, "delegate")
    before = count(Proposal)
    refused = client.post(
        f"/revisions/{w.rev1.seq}/proposals",
        json={"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.g77.id},
    )
    assert refused.status_code == 403 and refused.json["code"] == "forbidden"
    assert "not for G77 and China" in refused.json["message"] and refused.json["field"] == "delegation"
    assert count(Proposal) == before
    for path, body in (("edit", {"text": "Recalling nothing,"}), ("withdraw", {})):
        response = client.post(f"/proposals/{w.other_proposal.id}/{path}", json=body)
        assert response.status_code == 403 and response.json["code"] == "forbidden"
    assert fresh(w.other_proposal).state is ProposalState.SUBMITTED
    assert fresh(w.other_proposal).proposed_text == "Recalling all its earlier resolutions on the subject,"


def test_the_secretariat_enters_a_proposal_for_a_delegation_it_names(app, w):
    client = api(app, w, "secretariat")
    unnamed = client.post(f"/revisions/{w.rev1.seq}/proposals", json={"kind": "retain", "paragraph": w.paragraph_id})
    assert unnamed.status_code == 400 and unnamed.json["field"] == "delegation"
    named = client.post(
        f"/revisions/{w.rev1.seq}/proposals",
        json={"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.g77.id},
    )
    assert named.status_code == 201 and named.json["delegation"]["name"] == "G77 and China"


def _past_deadline(w: World) -> None:
    rev = db.session.get(Revision, w.rev1.id)
    rev.proposal_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()


def test_writes_after_the_deadline_are_refused_with_deadline_passed(app, w):
    _past_deadline(w)
    client = api(app, w, "delegate")
    before = (count(Proposal), count(ProposalPosition), count(AuditEvent))
    calls = [
        (f"/revisions/{w.rev1.seq}/proposals", {"kind": "retain", "paragraph": w.paragraph_id}),
        (f"/proposals/{w.own_proposal.id}/edit", {"text": "Decides to meet in 2035;"}),
        (f"/proposals/{w.own_proposal.id}/withdraw", {}),
        (f"/proposals/{w.other_proposal.id}/position", {"stance": "support"}),
    ]
    for path, body in calls:
        response = client.post(path, json=body)
        assert response.status_code == 409, path
        assert response.json["code"] == "deadline_passed" and "deadline" in response.json["message"], path
    assert (count(Proposal), count(ProposalPosition), count(AuditEvent)) == before
    assert fresh(w.own_proposal).state is ProposalState.SUBMITTED
    assert client.get(f"/revisions/{w.rev1.seq}").json["accepts_proposals"] is False


def test_a_proposal_on_a_working_revision_is_not_found_for_a_delegate(app, w):
    response = api(app, w, "delegate").post(
        f"/revisions/{w.rev2.seq}/proposals", json={"kind": "retain", "paragraph": w.paragraph_id}
    )
    assert response.status_code == 404 and "Secretly" not in response.get_data(as_text=True)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _same_event(web: AuditEvent, via_api: AuditEvent, web_id: int, api_id: int) -> None:
    assert (via_api.actor_id, via_api.negotiation_id, via_api.revision_id, via_api.object_type) == (
        web.actor_id,
        web.negotiation_id,
        web.revision_id,
        web.object_type,
    )
    assert via_api.summary == web.summary.replace(f"#{web_id}", f"#{api_id}")
    assert via_api.data == web.data


def test_the_api_writes_the_same_record_as_the_pages(app, w):
    page = client_as(app, w, "delegate")
    client = api(app, w, "delegate")
    text = "Decides to meet in 2031;"
    page.post(
        f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/propose",
        data={"paragraph": w.paragraph_id, "kind": "amend", "text": text, "justification": "Why."},
    )
    client.post(
        f"/revisions/{w.rev1.seq}/proposals",
        json={"kind": "amend", "paragraph": w.paragraph_id, "text": text, "justification": "Why."},
    )
    web_event, api_event = _events("proposal.submitted")[-2:]
    web_id, api_id = web_event.object_id, api_event.object_id
    assert web_id != api_id
    _same_event(web_event, api_event, web_id, api_id)

    page.post(f"/n/{w.negotiation.slug}/proposals/{web_id}/edit", data={"text": "Decides to meet in 2032;"})
    client.post(f"/proposals/{api_id}/edit", json={"text": "Decides to meet in 2032;", "justification": ""})
    _same_event(*_events("proposal.edited")[-2:], web_id, api_id)

    page.post(f"/n/{w.negotiation.slug}/proposals/{w.other_proposal.id}/position", data={"stance": "oppose"})
    web_position = _events("proposal.position_set")[-1]
    page.post(f"/n/{w.negotiation.slug}/proposals/{w.other_proposal.id}/position", data={"stance": ""})
    client.post(f"/proposals/{w.other_proposal.id}/position", json={"stance": "oppose"})
    _same_event(web_position, _events("proposal.position_set")[-1], 0, 0)

    page.post(f"/n/{w.negotiation.slug}/proposals/{web_id}/withdraw")
    client.post(f"/proposals/{api_id}/withdraw")
    _same_event(*_events("proposal.withdrawn")[-2:], web_id, api_id)


# -- Bad input --------------------------------------------------------------------------------------


def _submit_raw(client: Api, w: World, data: bytes, content_type: str = "application/json"):
    return client.client.post(
        f"{client.base}/revisions/{w.rev1.seq}/proposals", data=data, content_type=content_type, headers=client.headers
    )


@pytest.mark.parametrize(
    ("body", "status", "field", "words"),
    [
        (b'{"kind": "amend", ', 400, None, "not valid JSON"),
        (b"[1, 2]", 400, None, "JSON object"),
        (b'{"kind": "amend", "paragrahp": 1}', 400, "paragrahp", "Unknown field"),
        (b'{"kind": "amend", "paragraph": "1"}', 400, "paragraph", "whole number"),
        (b'{"kind": "amend", "paragraph": true}', 400, "paragraph", "whole number"),
        (b'{"kind": "amend", "paragraph": 99999999999}', 400, "paragraph", "out of range"),
        (b'{"kind": "amend", "paragraph": 99999}', 400, "paragraph", "not part of this revision"),
        (b'{"kind": "rewrite"}', 400, "kind", "one of"),
        (b'{"paragraph": 1}', 400, "kind", "required"),
        (b'{"kind": "amend", "text": 5}', 400, "text", "string"),
        (b'{"kind": null}', 400, "kind", "null"),
        (b'{"kind": "delete"}', 400, "paragraph", "Choose the paragraph"),
    ],
)
def test_a_malformed_body_gets_a_json_error_naming_the_field(app, w, body, status, field, words):
    before = count(Proposal)
    response = _submit_raw(api(app, w, "delegate"), w, body)
    assert response.status_code == status and response.json["code"] == "invalid"
    assert response.json.get("field") == field and words in response.json["message"]
    assert count(Proposal) == before


def test_a_text_over_the_services_limit_is_refused_beside_the_text(app, w):
    response = api(app, w, "delegate").post(
        f"/revisions/{w.rev1.seq}/proposals", json={"kind": "amend", "paragraph": w.paragraph_id, "text": "a" * 20_001}
    )
    assert response.status_code == 400 and response.json["field"] == "text" and "20,000" in response.json["message"]
    long_reason = api(app, w, "delegate").post(
        f"/proposals/{w.own_proposal.id}/edit", json={"justification": "b" * 5_001}
    )
    assert long_reason.status_code == 400 and long_reason.json["field"] == "justification"


def test_oversized_and_non_json_bodies_are_refused(app, w):
    client = api(app, w, "delegate")
    big = _submit_raw(client, w, b'{"kind": "amend", "text": "' + b"a" * 300_000 + b'"}')
    assert big.status_code == 413 and big.json["code"] == "too_large"
    form = _submit_raw(client, w, b"kind=amend", "application/x-www-form-urlencoded")
    assert form.status_code == 415 and form.json["code"] == "invalid"


def test_addresses_and_methods_the_api_does_not_have_get_json(app, w):
    client = api(app, w, "delegate")
    missing = client.client.get("/api/v1/nothing-here", headers=client.headers)
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    wrong = client.client.delete(f"{client.base}/proposals/{w.own_proposal.id}", headers=client.headers)
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed"
    big_id = client.get("/proposals/99999999999")
    assert big_id.status_code == 404 and big_id.is_json
    nul = client.post(f"/proposals/{w.own_proposal.id}/edit", json={"text": "Decides\x00;"})
    assert nul.status_code == 400 and nul.json["code"] == "invalid" and "NUL" in nul.json["message"]


def test_a_session_write_needs_the_pages_csrf_token_and_a_token_write_does_not(tmp_path):
    from tests.conftest import serve_app
    from tests.web.test_security import csrf_token, login_with_token

    for app in serve_app(tmp_path, WTF_CSRF_ENABLED=True):
        w = build_world(db.session, Path(app.config["EXPORT_DIR"]))
        browser = app.test_client()
        login_with_token(browser, w.users["delegate"])
        url = f"/api/v1/negotiations/{w.negotiation.slug}/proposals/{w.other_proposal.id}/position"
        refused = browser.post(url, json={"stance": "support"})
        assert refused.status_code == 400 and refused.json["code"] == "csrf_failed"
        assert browser.get(f"/api/v1/negotiations/{w.negotiation.slug}").status_code == 200  # reads need none
        ok = browser.post(url, json={"stance": "support"}, headers={"X-CSRFToken": csrf_token(browser, "/")})
        assert ok.status_code == 200
        script = Api(app, w.users["delegate"], w.negotiation.slug)
        assert script.post(f"/proposals/{w.other_proposal.id}/position", json={"stance": "oppose"}).status_code == 200


def test_a_revision_of_200_paragraphs_reads_quickly(app, session):
    import time

    n = f.negotiation(session, slug="long")
    team = f.team(session, n)
    items = [(Kind.OPERATIVE, f"Decides to take measure number {i} without delay;") for i in range(200)]
    rev = f.revision(session, n, items, label="Zero draft")
    session.commit()
    client = Api(app, team["delegate"], "long")
    client.get(f"/revisions/{rev.seq}")  # warm
    times = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.get(f"/revisions/{rev.seq}")
        times.append(time.perf_counter() - start)
        assert len(response.json["paragraphs"]) == 200
    # the target is 0.1 s (bench/ measures it); the bound here only guards against unbounded work on a busy machine
    assert sorted(times)[2] < bound(0.3), f"median {sorted(times)[2]:.3f} s"


def test_a_database_outage_and_an_unexpected_error_are_json_too(app, w, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from drafter.api import views

    client = api(app, w, "delegate")

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(views, "load_versions", down)
    response = client.get(f"/revisions/{w.rev1.seq}")
    assert response.status_code == 503 and response.json["code"] == "unavailable"
    assert response.headers["Retry-After"] == "30"

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(views, "load_versions", broken)
    response = client.get(f"/revisions/{w.rev1.seq}")
    assert response.status_code == 500 and response.json["code"] == "server_error"
    assert "a bug" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_a_proposal_changed_at_the_same_moment_is_a_conflict(app, w, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from drafter.api import writes

    def clash(*args, **kwargs):
        raise StaleDataError("changed meanwhile")

    monkeypatch.setattr(writes.services, "withdraw", clash)
    response = api(app, w, "delegate").post(f"/proposals/{w.own_proposal.id}/withdraw")
    assert response.status_code == 409 and response.json["code"] == "conflict"
    assert fresh(w.own_proposal).state is ProposalState.SUBMITTED


def test_any_json_body_sent_to_a_write_is_answered_never_with_a_server_error(app, w):
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.unit.fuzzing import fuzz

    client = api(app, w, "delegate")
    fields = st.sampled_from(["kind", "paragraph", "text", "justification", "delegation", "new_kind", "new_level",
                              "version", "stance", "x"])  # fmt: skip
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
    values = st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=5,
    )
    paths = st.sampled_from(
        [
            f"/revisions/{w.rev1.seq}/proposals",
            f"/proposals/{w.own_proposal.id}/edit",
            f"/proposals/{w.other_proposal.id}/position",
            f"/proposals/{w.own_proposal.id}/withdraw",
        ]
    )

    @fuzz(0.25)
    @given(path=paths, body=st.dictionaries(fields, values, max_size=4) | values)
    def check(path, body):
        response = client.post(path, json=body)
        assert response.status_code < 500, (path, body, response.get_data(as_text=True)[:300])
        assert (response.is_json and "code" in response.json) or response.status_code < 300

    check()
