"""Real races on PostgreSQL: threads, each with its own test client, hit the same object at once.

Every round starts two requests together. Whatever the order the database lets them in, each
gets a 2xx/3xx or a 409 (never a 5xx), exactly one wins, and what the winner was told is saved
is in the database afterwards. Skipped without DRAFTER_TEST_DATABASE_URL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import ParagraphVersion, Revision
from drafter.drafting.queries import load_versions, working_revision
from drafter.extensions import db
from drafter.importing.models import PendingImport
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from drafter.text.structure import Kind
from tests.conftest import PG_URL
from tests.web.test_permissions import World, build_world, client_as

pytestmark = pytest.mark.skipif(not PG_URL, reason="real races need PostgreSQL (DRAFTER_TEST_DATABASE_URL)")

ROUNDS = 20


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def race(*requests: Callable[[], object]) -> list[object]:
    """Run the requests in threads released together; return their responses in order."""
    barrier = threading.Barrier(len(requests))
    out: list[object] = [None] * len(requests)

    def run(i: int) -> None:
        barrier.wait()
        out[i] = requests[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(requests))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return out


def codes(*responses) -> list[int]:
    got = [r.status_code for r in responses]
    assert all(c < 400 or c == 409 for c in got), got
    return got


def fresh(model, id_: int):
    db.session.expire_all()
    return db.session.get(model, id_)


def test_edit_against_delete_of_one_paragraph(app, w, session):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    base = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p"
    won = {"edit": 0, "delete": 0}
    for i in range(ROUNDS):
        anchor = load_versions(session, w.rev2)[0]
        v = editing.insert_paragraph(
            session, None, w.rev2, anchor=anchor, kind=Kind.PREAMBULAR, text=f"Noting round {i},"
        )
        session.commit()
        pid, version_id, version = v.paragraph_id, v.id, str(v.version)
        text = f"Noting with appreciation round {i},"
        edit, delete = race(
            lambda: alice.post(f"{base}/{pid}/edit", data={"text": text, "version": version}),
            lambda: bob.post(f"{base}/{pid}/delete", data={"version": version}),
        )
        assert sorted(codes(edit, delete)) == [302, 409], i
        stored = fresh(ParagraphVersion, version_id)
        if edit.status_code == 302:  # "Paragraph saved." was shown: the text must be there
            won["edit"] += 1
            assert stored is not None and stored.text == text
        else:
            won["delete"] += 1
            assert stored is None and "deleted this paragraph" in edit.get_data(as_text=True)
    print(f"edit/delete: {won}")


def test_move_against_edit_and_kind_change_of_one_paragraph(app, w, session):
    clients = [client_as(app, w, "cofacilitator") for _ in range(3)]
    base = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p/{w.paragraph_id}"
    for i in range(ROUNDS):
        v = session.scalar(
            sa.select(ParagraphVersion).where(
                ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == w.paragraph_id
            )
        )
        session.refresh(v)
        version, position, text = str(v.version), v.position, f"Decides to convene a summit in {2030 + i};"
        up = position > 3  # stay off the edges, where a move is refused as such
        session.commit()
        move, edit, kind = race(
            lambda: clients[0].post(f"{base}/move", data={"direction": "up" if up else "down", "version": version}),
            lambda: clients[1].post(f"{base}/edit", data={"text": text, "version": version}),
            lambda: clients[2].post(f"{base}/kind", data={"kind": "operative:0", "version": version}),
        )
        got = codes(move, edit, kind)
        assert got.count(302) == 1, (i, got)
        stored = fresh(ParagraphVersion, v.id)
        assert stored.version == int(version) + 1
        if edit.status_code == 302:
            assert stored.text == text
        if move.status_code == 302:
            assert stored.position == position + (-1 if up else 1)
        else:
            assert stored.position == position


def test_two_decisions_on_one_proposal(app, w, session):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    g77 = w.g77
    anchor = load_versions(session, w.rev1)[0]
    won = {"incorporated": 0, "not_retained": 0}
    for i in range(ROUNDS):
        text = f"Welcoming the contribution of round {i},"
        p = proposals.submit(session, None, w.rev1, g77, kind=ProposalKind.INSERT, target=anchor, text=text)
        session.commit()
        url, version = f"/n/{w.negotiation.slug}/proposals/{p.id}/decide", str(p.version)
        a, b = race(
            lambda: alice.post(url, data={"outcome": "incorporated", "version": version}),
            lambda: bob.post(url, data={"outcome": "not_retained", "version": version}),
        )
        assert sorted(codes(a, b)) == [302, 409], i
        stored = fresh(Proposal, p.id)
        inserted = session.scalar(
            sa.select(sa.func.count())
            .select_from(ParagraphVersion)
            .where(ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.text == text)
        )
        if a.status_code == 302:
            won["incorporated"] += 1
            assert stored.state is ProposalState.INCORPORATED and inserted == 1
        else:
            won["not_retained"] += 1
            assert stored.state is ProposalState.NOT_RETAINED and inserted == 0
        loser = b if a.status_code == 302 else a
        assert "Your decision was not recorded." in loser.get_data(as_text=True)
    print(f"decide/decide: {won}")


def test_a_delegation_editing_its_proposal_while_it_is_decided(app, w, session):
    delegate, cofac = client_as(app, w, "delegate"), client_as(app, w, "cofacilitator")
    target = load_versions(session, w.rev1)[1]
    for i in range(ROUNDS):
        p = proposals.submit(
            session,
            None,
            w.rev1,
            w.mexico,
            kind=ProposalKind.AMEND,
            target=target,
            text=f"Recognizing the importance of cooperation, round {i},",
        )
        session.commit()
        slug, version, new_text = w.negotiation.slug, str(p.version), f"Recognizing the vital importance of round {i},"
        edit, decide = race(
            lambda: delegate.post(
                f"/n/{slug}/proposals/{p.id}/edit", data={"text": new_text, "justification": "", "version": version}
            ),
            lambda: cofac.post(
                f"/n/{slug}/proposals/{p.id}/decide", data={"outcome": "not_retained", "version": version}
            ),
        )
        assert sorted(codes(edit, decide)) == [302, 409], i
        stored = fresh(Proposal, p.id)
        if edit.status_code == 302:
            assert (stored.state, stored.proposed_text) == (ProposalState.SUBMITTED, new_text)
        else:
            assert stored.state is ProposalState.NOT_RETAINED and stored.proposed_text != new_text


def test_double_click_on_save_the_revision(app, w, session):
    cofac = client_as(app, w, "cofacilitator")
    twin = FlaskClient(app, use_cookies=True)
    twin._cookies = cofac._cookies  # the same browser: one session cookie, two requests
    slug = w.negotiation.slug
    for i in range(10):
        working = working_revision(session, w.negotiation)
        if working is not None:
            drafting.discard_revision(session, None, working)
            session.commit()
        before = session.scalar(sa.select(sa.func.count()).select_from(Revision))
        preview = cofac.post(
            f"/n/{slug}/import", data={"text": f"Decides to meet in round {i};\n\nRequests a report;"}
        ).location
        first, second = race(
            lambda: cofac.post(preview, data={"label": f"Rev.{10 + i}"}),
            lambda: twin.post(preview, data={"label": f"Rev.{10 + i}"}),
        )
        assert codes(first, second) == [302, 302], i
        db.session.expire_all()
        assert session.scalar(sa.select(sa.func.count()).select_from(Revision)) == before + 1, i
        assert session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0
        assert sorted(r.location.endswith("/edit") for r in (first, second)) == [False, True]
