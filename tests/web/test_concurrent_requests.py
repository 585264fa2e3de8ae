"""Two people acting on the same thing, one after the other from pages opened at the same time.

Each test opens both pages first (so both forms carry the same version), lets one request win,
then sends the other: the loser gets a conflict page (409) that says what happened and offers a
way on, and the winner's change stands. The real races, on PostgreSQL, are in tests/load/.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.drafting.models import ParagraphVersion, Revision, RevisionState
from drafter.extensions import db
from drafter.importing.models import PendingImport
from drafter.proposals.models import Proposal, ProposalState
from tests import factories as f
from tests.web.test_permissions import World, build_world, client_as

_VERSION = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def working(w: World, paragraph_id: int | None = None) -> ParagraphVersion | None:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(ParagraphVersion).where(
            ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == (paragraph_id or w.paragraph_id)
        )
    )


def seen_version(page: str) -> str:
    """Return the paragraph or proposal version a form on the page carries."""
    m = _VERSION.search(page)
    assert m, "the form carries no version"
    return m.group(1)


def paragraph_url(w: World, action: str) -> str:
    return f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p/{w.paragraph_id}/{action}"


# -- The working revision: edit, delete, move, kind ------------------------------------------------


def test_an_edit_of_a_paragraph_deleted_meanwhile_gets_the_conflict_page_with_its_text(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    version = seen_version(alice.get(paragraph_url(w, "edit")).get_data(as_text=True))
    assert bob.post(paragraph_url(w, "delete"), data={"version": version}).status_code == 302

    response = alice.post(
        paragraph_url(w, "edit"), data={"text": "Decides to convene a summit in 2031;", "version": version}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "This paragraph was deleted while you were working on it" in page
    assert f"{w.users['cofacilitator'].name} deleted this paragraph from Rev.2" in page
    assert "Decides to convene a summit in 2031;" in page and "Add it as a new paragraph" in page
    assert working(w) is None  # the deletion stands


def test_a_delete_from_a_page_opened_before_an_edit_is_refused_and_the_edit_stands(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    editor_page = bob.get(f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/edit").get_data(as_text=True)
    version = str(working(w).version)
    assert f'value="{version}"' in editor_page
    assert (
        alice.post(
            paragraph_url(w, "edit"), data={"text": "Decides to convene a summit in 2031;", "version": version}
        ).status_code
        == 302
    )

    response = bob.post(paragraph_url(w, "delete"), data={"version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "changed this paragraph after you opened it" in page
    assert "Decides to convene a summit in 2031;" in page and "Back to the editor at this paragraph" in page
    assert working(w).text == "Decides to convene a summit in 2031;"


def test_a_move_sends_the_version_it_was_shown_and_a_stale_one_is_a_conflict(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    editor = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/edit"
    page = alice.get(editor).get_data(as_text=True)
    form = re.search(rf'action="{re.escape(paragraph_url(w, "move"))}".*?</form>', page, re.S)
    assert form and f'name="version" value="{working(w).version}"' in form.group(0)
    version, position = str(working(w).version), working(w).position

    assert bob.post(paragraph_url(w, "move"), data={"direction": "up", "version": version}).status_code == 302
    assert working(w).position == position - 1
    again = alice.post(paragraph_url(w, "move"), data={"direction": "up", "version": version})
    assert again.status_code == 409 and "changed this paragraph after you opened it" in again.get_data(as_text=True)
    assert working(w).position == position - 1  # moved once, not twice


def test_kind_status_and_move_of_a_deleted_paragraph_are_conflicts_not_missing_pages(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    version = str(working(w).version)
    assert bob.post(paragraph_url(w, "delete"), data={"version": version}).status_code == 302
    for action, data in [
        ("kind", {"kind": "preambular:0"}),
        ("status", {"status": "agreed"}),
        ("move", {"direction": "down"}),
        ("delete", {}),
    ]:
        response = alice.post(paragraph_url(w, action), data={**data, "version": version})
        page = response.get_data(as_text=True)
        assert response.status_code == 409, action
        assert "deleted this paragraph from Rev.2" in page and "Back to the editor" in page


def test_an_edit_after_someone_elses_move_is_a_conflict_showing_both_texts(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    version = seen_version(alice.get(paragraph_url(w, "edit")).get_data(as_text=True))
    assert bob.post(paragraph_url(w, "move"), data={"direction": "down", "version": version}).status_code == 302
    response = alice.post(paragraph_url(w, "edit"), data={"text": "Decides to meet in 2031;", "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Save this text" in page and "Decides to meet in 2031;" in page
    assert working(w).text == "Decides to convene a high-level meeting in 2029;"


# -- Decisions and edits of proposals --------------------------------------------------------------


def decide_url(w: World, proposal: Proposal) -> str:
    return f"/n/{w.negotiation.slug}/proposals/{proposal.id}/decide"


def fresh(proposal: Proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def test_a_second_decision_from_a_page_opened_at_the_same_time_is_a_conflict(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    url = decide_url(w, w.own_proposal)
    version = seen_version(alice.get(url).get_data(as_text=True))
    assert seen_version(bob.get(url).get_data(as_text=True)) == version
    assert alice.post(url, data={"outcome": "incorporated", "version": version}).status_code == 302

    response = bob.post(url, data={"outcome": "not_retained", "version": version})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your decision was not recorded." in page and "is incorporated; its decision cannot be changed" in page
    assert fresh(w.own_proposal).state is ProposalState.INCORPORATED
    assert working(w).text == "Decides to convene a high-level meeting in 2030;"


def test_a_changed_decision_from_a_stale_page_names_who_decided(app, w):
    alice, bob = client_as(app, w, "cofacilitator"), client_as(app, w, "cofacilitator")
    url = decide_url(w, w.other_proposal)
    version = seen_version(alice.get(url).get_data(as_text=True))
    assert alice.post(url, data={"outcome": "not_retained", "note": "Covered.", "version": version}).status_code == 302
    response = bob.post(url, data={"outcome": "merged", "merged_into": w.own_proposal.id, "version": version})
    assert response.status_code == 409
    assert f"{w.users['cofacilitator'].name} decided this proposal (not retained)" in response.get_data(as_text=True)
    assert fresh(w.other_proposal).decision_note == "Covered."


def test_editing_a_proposal_decided_meanwhile_says_so_and_keeps_the_decision(app, w):
    delegate, cofac = client_as(app, w, "delegate"), client_as(app, w, "cofacilitator")
    edit_url = f"/n/{w.negotiation.slug}/proposals/{w.own_proposal.id}/edit"
    version = seen_version(delegate.get(edit_url).get_data(as_text=True))
    assert cofac.post(decide_url(w, w.own_proposal), data={"outcome": "not_retained"}).status_code == 302

    response = delegate.post(
        edit_url, data={"text": "Decides to convene a summit in 2032;", "justification": "", "version": version}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Your change was not saved." in page and "not retained and can no longer be changed" in page
    assert "Decides to convene a summit in 2032;" in page and "See the proposal" in page
    p = fresh(w.own_proposal)
    assert (p.state, p.proposed_text) == (
        ProposalState.NOT_RETAINED,
        "Decides to convene a high-level meeting in 2030;",
    )


# -- Imports confirmed twice ----------------------------------------------------------------------


def test_confirming_an_import_twice_saves_one_revision_and_says_so(client, session):
    n = f.negotiation(session, slug="twice")
    cofac = f.team(session, n)["cofacilitator"]
    session.commit()
    from tests.conftest import login

    login(client, cofac)
    response = client.post("/n/twice/import", data={"text": "Decides to meet;\n\nRequests a report;"})
    preview = response.location
    first = client.post(preview, data={"label": "Zero draft"})
    assert first.status_code == 302
    second = client.post(preview, data={"label": "Zero draft"}, follow_redirects=True)
    page = second.get_data(as_text=True)
    assert second.status_code == 200 and "This import was already saved" in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Revision).where(Revision.negotiation_id == n.id)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(PendingImport)) == 0


# -- Circulating a text identical to the previous one ---------------------------------------------


def test_circulating_an_unchanged_revision_asks_first_and_keeps_proposals_open_until_confirmed(app, w, session):
    cofac = client_as(app, w, "cofacilitator")
    slug = w.negotiation.slug
    assert cofac.post(f"/n/{slug}/r/{w.rev2.seq}/discard").status_code == 302
    assert cofac.post(f"/n/{slug}/revisions/start", data={"label": "Rev.2"}).status_code == 302
    rev2 = session.scalar(
        sa.select(Revision).where(Revision.negotiation_id == w.negotiation.id, Revision.label == "Rev.2")
    )
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")

    warning = cofac.post(f"/n/{slug}/r/{rev2.seq}/circulate", data={"deadline": deadline})
    page = warning.get_data(as_text=True)
    assert warning.status_code == 409 and "This text is identical to Rev.1" in page
    assert "closes the 2 open proposals on Rev.1 as superseded" in page
    assert f'name="deadline" value="{deadline}"' in page and 'name="confirm_identical" value="1"' in page
    session.expire_all()
    assert session.get(Revision, rev2.id).state is RevisionState.WORKING
    assert fresh(w.own_proposal).state is ProposalState.SUBMITTED

    confirmed = cofac.post(f"/n/{slug}/r/{rev2.seq}/circulate", data={"deadline": deadline, "confirm_identical": "1"})
    assert confirmed.status_code == 302
    session.expire_all()
    assert session.get(Revision, rev2.id).state is RevisionState.CIRCULATED
    assert fresh(w.own_proposal).state is ProposalState.SUPERSEDED


def test_importing_and_circulating_the_same_text_again_asks_first(client, session):
    n = f.negotiation(session, slug="again")
    cofac = f.team(session, n)["cofacilitator"]
    session.commit()
    from tests.conftest import login

    login(client, cofac)
    text = "\n\n".join(t for _, t in f.SAMPLE)
    deadline = (dt.datetime.now(dt.UTC) + dt.timedelta(days=5)).strftime("%Y-%m-%dT%H:%M")
    preview = client.post("/n/again/import", data={"text": text}).location
    assert client.post(preview, data={"label": "Zero draft", "circulate": "1", "deadline": deadline}).status_code == 302
    preview = client.post("/n/again/import", data={"text": text}).location
    form = {"label": "Rev.1", "circulate": "1", "deadline": deadline}
    warning = client.post(preview, data=form)
    page = warning.get_data(as_text=True)
    assert warning.status_code == 409 and "Rev.1 has exactly the same text as Zero draft." in page
    assert session.scalar(sa.select(sa.func.count()).select_from(Revision).where(Revision.negotiation_id == n.id)) == 1
    assert client.post(preview, data={**form, "confirm_identical": "1"}).status_code == 302
    session.expire_all()
    states = session.scalars(
        sa.select(Revision.state).where(Revision.negotiation_id == n.id).order_by(Revision.seq)
    ).all()
    assert states == [RevisionState.SUPERSEDED, RevisionState.CIRCULATED]


def test_a_form_about_a_paragraph_that_never_was_in_the_revision_is_not_found(app, w):
    cofac = client_as(app, w, "cofacilitator")
    url = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p/999999/edit"
    assert cofac.post(url, data={"text": "Decides to meet;", "version": "1"}).status_code == 404
