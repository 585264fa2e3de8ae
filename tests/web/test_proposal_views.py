"""Proposals through the test client: propose, edit, withdraw, positions, decisions, the compilation."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.drafting.models import ParagraphVersion, ProposalVisibility, Revision
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalState, Stance
from tests import factories as f
from tests.web.test_permissions import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def base(w: World) -> str:
    return f"/n/{w.negotiation.slug}"


def count(**where) -> int:
    q = sa.select(sa.func.count()).select_from(Proposal)
    for k, v in where.items():
        q = q.where(getattr(Proposal, k) == v)
    return db.session.scalar(q)


def fresh(p: Proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, p.id)


def shown_ids(html: str) -> set[int]:
    """Return the ids of the proposals a compilation page shows."""
    return {int(x) for x in re.findall(r'id="proposal-(\d+)"', html)}


def versions(rev: Revision) -> list[ParagraphVersion]:
    return load_versions(db.session, rev)


# -- Proposing -------------------------------------------------------------------------------------


def test_a_delegate_proposes_an_amendment_for_their_delegation(app, w):
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/r/{w.rev1.seq}/propose"
    form = client.get(url, query_string={"paragraph": w.paragraph_id, "kind": "amend"}).get_data(as_text=True)
    assert "Amend OP1" in form and "for Mexico" in form
    assert 'data-diff-base="Decides to convene a high-level meeting in 2029;"' in form
    assert "On behalf of" not in form  # a delegate speaks for their own delegation only
    response = client.post(
        url,
        data={
            "paragraph": w.paragraph_id,
            "kind": "amend",
            "text": "Decides to convene a summit in 2029;",
            "justification": "A summit carries more weight.",
        },
    )
    assert response.status_code == 302
    p = db.session.get(Proposal, int(response.location.rsplit("/", 1)[1]))
    assert (p.delegation_id, p.kind, p.created_by_id) == (w.mexico.id, ProposalKind.AMEND, w.users["delegate"].id)
    detail = client.get(response.location).get_data(as_text=True)
    assert "Proposal submitted for Mexico." in detail and "<ins>" in detail and "summit" in detail
    assert "A summit carries more weight." in detail and "Withdraw" in detail


def test_new_paragraph_delete_and_retain(app, w):
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/r/{w.rev1.seq}/propose"
    at_start = client.post(url, data={"kind": "insert", "text": "Welcomes the declaration;", "new_kind": "preambular"})
    assert at_start.status_code == 302
    p = db.session.get(Proposal, int(at_start.location.rsplit("/", 1)[1]))
    assert p.target_version_id is None and p.new_kind.value == "preambular"
    for kind in ("insert", "delete", "retain"):
        data = {"kind": kind, "paragraph": w.paragraph_id, "text": "Notes the report;" if kind == "insert" else ""}
        assert client.post(url, data=data).status_code == 302, kind
    assert count(delegation_id=w.mexico.id) == 5
    same = client.post(
        url,
        data={
            "kind": "amend",
            "paragraph": w.paragraph_id,
            "text": "Decides to convene a high-level meeting in  2029; ",
        },
    )
    assert same.status_code == 400 and "nothing would change" in same.get_data(as_text=True)
    no_target = client.get(url, query_string={"kind": "amend"})
    assert no_target.status_code == 302 and no_target.location.endswith("/compilation")
    bad_kind = client.post(url, data={"kind": "rewrite", "paragraph": w.paragraph_id})
    assert bad_kind.status_code == 400 and "Choose what to propose" in bad_kind.get_data(as_text=True)
    foreign = client.post(url, data={"kind": "retain", "paragraph": 999999})
    assert foreign.status_code == 400 and "not part of this revision" in foreign.get_data(as_text=True)


def test_no_proposals_after_the_deadline(app, w, session):
    w.rev1.proposal_deadline = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    session.commit()
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/r/{w.rev1.seq}/propose"
    form = client.get(url, query_string={"paragraph": w.paragraph_id, "kind": "retain"})
    assert form.status_code == 409 and "The deadline for proposals on Rev.1 has passed. It passed at" in form.get_data(
        as_text=True
    )
    assert "Submit the proposal" not in form.get_data(as_text=True)
    late = client.post(url, data={"kind": "retain", "paragraph": w.paragraph_id})
    assert late.status_code == 409 and "The deadline for proposals on Rev.1 has passed." in late.get_data(as_text=True)
    assert count(kind=ProposalKind.RETAIN) == 0


def test_the_secretariat_proposes_on_behalf_of_any_delegation(app, w):
    client = client_as(app, w, "secretariat")
    url = f"{base(w)}/r/{w.rev1.seq}/propose"
    form = client.get(url, query_string={"paragraph": w.paragraph_id, "kind": "delete"}).get_data(as_text=True)
    assert "On behalf of" in form and "for G77 and China" in form  # the first delegation, preselected
    assert (
        f'<option value="{w.mexico.id}" >Mexico</option>' in form
        or f'<option value="{w.mexico.id}">Mexico</option>' in form
    )
    response = client.post(url, data={"kind": "delete", "paragraph": w.paragraph_id, "delegation": w.mexico.id})
    assert response.status_code == 302
    p = db.session.get(Proposal, int(response.location.rsplit("/", 1)[1]))
    assert p.delegation_id == w.mexico.id and p.created_by_id == w.users["secretariat"].id
    unnamed = client.post(url, data={"kind": "delete", "paragraph": w.paragraph_id})
    assert unnamed.status_code == 400 and "Choose the delegation" in unnamed.get_data(as_text=True)


def test_a_delegate_cannot_propose_for_another_delegation(app, w):
    client = client_as(app, w, "delegate")
    before = count()
    url = f"{base(w)}/r/{w.rev1.seq}/propose"
    assert (
        client.post(url, data={"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.g77.id}).status_code
        == 403
    )
    assert (
        client.get(
            url, query_string={"kind": "retain", "paragraph": w.paragraph_id, "delegation": w.g77.id}
        ).status_code
        == 403
    )
    assert count() == before


# -- Editing, withdrawing, positions ----------------------------------------------------------------


def test_edit_own_proposal_and_conflict_on_a_stale_form(app, w):
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/proposals/{w.own_proposal.id}/edit"
    form = client.get(url).get_data(as_text=True)
    version = int(re.search(r'name="version" value="(\d+)"', form).group(1))
    assert "Decides to convene a high-level meeting in 2030;" in form
    ok = client.post(
        url,
        data={
            "text": "Decides to convene a high-level meeting in 2031;",
            "justification": "Later.",
            "version": version,
        },
    )
    assert ok.status_code == 302 and "Proposal updated." in client.get(ok.location).get_data(as_text=True)
    assert fresh(w.own_proposal).proposed_text.endswith("2031;")
    stale = client.post(url, data={"text": "Decides to convene a high-level meeting in 2032;", "version": version})
    assert stale.status_code == 409 and "changed after you opened it" in stale.get_data(as_text=True)
    assert fresh(w.own_proposal).proposed_text.endswith("2031;")


def test_withdraw_own_proposal(app, w):
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/proposals/{w.own_proposal.id}"
    response = client.post(f"{url}/withdraw")
    assert response.status_code == 302
    assert fresh(w.own_proposal).state is ProposalState.WITHDRAWN
    page = client.get(url).get_data(as_text=True)
    assert "Proposal withdrawn." in page and "Withdrawn" in page and ">Withdraw</button>" not in page
    again = client.post(f"{url}/withdraw")
    assert again.status_code == 409 and "can no longer be changed" in again.get_data(as_text=True)
    edit = client.post(f"{url}/edit", data={"text": "Decides anyway;"})
    assert edit.status_code == 409


def test_positions_on_another_delegations_proposal(app, w):
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/proposals/{w.other_proposal.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Mexico has taken no position." in page
    assert client.post(f"{url}/position", data={"stance": "cosponsor"}).status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "G77 and China, co-sponsored by Mexico" in page and "Mexico has co-sponsored this proposal." in page
    client.post(f"{url}/position", data={"stance": "oppose"})
    assert "G77 and China; opposed by Mexico" in client.get(url).get_data(as_text=True)
    client.post(f"{url}/position", data={"stance": ""})
    assert fresh(w.other_proposal).positions == []
    bad = client.post(f"{url}/position", data={"stance": "adore"})
    assert bad.status_code == 400 and "Choose co-sponsor, support or oppose." in bad.get_data(as_text=True)
    own = client.post(f"{base(w)}/proposals/{w.own_proposal.id}/position", data={"stance": "support"})
    assert own.status_code == 400 and "its own proposal" in own.get_data(as_text=True)


def test_positions_from_the_compilation_return_to_the_proposal(app, w):
    client = client_as(app, w, "delegate")
    page = client.get(f"{base(w)}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    next_value = re.search(r'name="next" value="([^"]+)"', page).group(1)
    assert next_value.endswith(f"#proposal-{w.other_proposal.id}")
    response = client.post(
        f"{base(w)}/proposals/{w.other_proposal.id}/position",
        data={"stance": "support", "next": next_value.replace("&amp;", "&")},
    )
    assert response.status_code == 302
    assert re.search(rf"/r/{w.rev1.seq}/compilation\??#proposal-{w.other_proposal.id}$", response.location)


# -- Decisions ----------------------------------------------------------------------------------------


def test_decide_not_retained_with_a_note(app, w):
    client = client_as(app, w, "cofacilitator")
    url = f"{base(w)}/proposals/{w.other_proposal.id}/decide"
    page = client.get(url).get_data(as_text=True)
    assert "Decide proposal #" in page and "Effect on the working revision (Rev.2)" in page
    response = client.post(url, data={"outcome": "not_retained", "note": "Covered by PP2."})
    assert response.status_code == 302
    assert response.location == f"{base(w)}/r/{w.rev1.seq}/compilation#proposal-{w.other_proposal.id}"
    p = fresh(w.other_proposal)
    assert (p.state, p.decision_note, p.decided_by_id) == (
        ProposalState.NOT_RETAINED,
        "Covered by PP2.",
        w.users["cofacilitator"].id,
    )
    compilation = client_as(app, w, "delegate").get(f"{base(w)}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    assert "Co-facilitators: Covered by PP2." in compilation
    bad = client.post(url, data={"outcome": "maybe"})
    assert bad.status_code == 400 and "Choose a decision." in bad.get_data(as_text=True)


def test_incorporating_a_proposal_changes_the_working_revision(app, w):
    client = client_as(app, w, "cofacilitator")
    response = client.post(f"{base(w)}/proposals/{w.other_proposal.id}/decide", data={"outcome": "incorporated"})
    assert response.status_code == 302
    db.session.expire_all()
    assert versions(w.rev2)[0].text == "Recalling all its earlier resolutions on the subject,"
    assert fresh(w.other_proposal).state is ProposalState.INCORPORATED


def test_a_decision_on_a_proposal_edited_meanwhile_is_a_conflict(app, w):
    cofac = client_as(app, w, "cofacilitator")
    url = f"{base(w)}/proposals/{w.own_proposal.id}/decide"
    version = int(re.search(r'name="version" value="(\d+)"', cofac.get(url).get_data(as_text=True)).group(1))
    delegate = client_as(app, w, "delegate")
    assert (
        delegate.post(
            f"{base(w)}/proposals/{w.own_proposal.id}/edit",
            data={"text": "Decides to convene a high-level meeting in 2035;", "version": version},
        ).status_code
        == 302
    )
    response = cofac.post(url, data={"outcome": "incorporated", "version": version})
    assert response.status_code == 409 and "Read it again before deciding" in response.get_data(as_text=True)
    assert fresh(w.own_proposal).state is ProposalState.SUBMITTED
    db.session.expire_all()
    assert "2035" not in " ".join(v.text for v in versions(w.rev2))


def test_merge_needs_another_proposal(app, w):
    client = client_as(app, w, "cofacilitator")
    url = f"{base(w)}/proposals/{w.own_proposal.id}/decide"
    alone = client.post(url, data={"outcome": "merged"})
    assert alone.status_code == 400 and "Choose the proposal on the same revision" in alone.get_data(as_text=True)
    merged = client.post(url, data={"outcome": "merged", "merged_into": w.other_proposal.id})
    assert merged.status_code == 302
    assert fresh(w.own_proposal).merged_into_id == w.other_proposal.id
    page = client.get(f"{base(w)}/proposals/{w.own_proposal.id}").get_data(as_text=True)
    assert f'merged with <a href="{base(w)}/proposals/{w.other_proposal.id}">#{w.other_proposal.id}</a>' in page


# -- The compilation and its filters ---------------------------------------------------------------


@pytest.fixture
def crowded(w: World, session) -> dict[str, Proposal]:
    """Add proposals of every kind and state to the world's Rev.1."""
    vs = versions(w.rev1)
    made = {
        "mexico_amend": w.own_proposal,
        "g77_amend": w.other_proposal,
        "mexico_delete": proposals.submit(session, None, w.rev1, w.mexico, kind=ProposalKind.DELETE, target=vs[1]),
        "g77_insert": proposals.submit(
            session,
            None,
            w.rev1,
            w.g77,
            kind=ProposalKind.INSERT,
            target=vs[3],
            text="Welcomes the offer of Fiji to host the meeting;",
        ),
        "g77_withdrawn": proposals.submit(session, None, w.rev1, w.g77, kind=ProposalKind.RETAIN, target=vs[4]),
    }
    proposals.withdraw(session, None, made["g77_withdrawn"])
    proposals.set_position(session, None, made["g77_amend"], w.mexico, Stance.SUPPORT)
    session.commit()
    return made


def test_compilation_lists_every_paragraph_and_proposal_with_labels(app, w, crowded):
    page = client_as(app, w, "cofacilitator").get(f"{base(w)}/r/{w.rev1.seq}/compilation").get_data(as_text=True)
    assert shown_ids(page) == {p.id for p in crowded.values()}
    assert "5 of 5 proposals" in page
    assert "Proposed new paragraph 1 bis" in page
    assert "G77 and China; supported by Mexico:" in page


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"delegation": "mexico"}, {"mexico_amend", "mexico_delete", "g77_amend"}),  # its own, and those it supports
        ({"delegation": "g77"}, {"g77_amend", "g77_insert", "g77_withdrawn"}),
        ({"paragraph": "op1"}, {"mexico_amend", "g77_insert"}),  # and the new paragraph proposed after it
        ({"kind": "delete"}, {"mexico_delete"}),
        ({"kind": "insert"}, {"g77_insert"}),
        ({"state": "withdrawn"}, {"g77_withdrawn"}),
        ({"state": "submitted", "delegation": "g77"}, {"g77_amend", "g77_insert"}),
        ({"kind": "nonsense"}, {"mexico_amend", "mexico_delete", "g77_amend", "g77_insert", "g77_withdrawn"}),
    ],
)
def test_compilation_filters(app, w, crowded, query, expected):
    ids = {"mexico": w.mexico.id, "g77": w.g77.id, "op1": w.paragraph_id}
    params = {k: ids.get(v, v) for k, v in query.items()}
    page = (
        client_as(app, w, "secretariat")
        .get(f"{base(w)}/r/{w.rev1.seq}/compilation", query_string=params)
        .get_data(as_text=True)
    )
    assert shown_ids(page) == {crowded[name].id for name in expected}
    assert f"{len(expected)} of 5 proposals" in page


def test_compilation_can_hide_paragraphs_without_proposals(app, w, crowded):
    client = client_as(app, w, "secretariat")
    url = f"{base(w)}/r/{w.rev1.seq}/compilation"
    everything = client.get(url).get_data(as_text=True)
    only = client.get(url, query_string={"only": "1"}).get_data(as_text=True)
    assert everything.count('class="para-row') == len(versions(w.rev1)) + 1  # and the new paragraph
    assert only.count('class="para-row') == 5  # PP1, PP2, OP1, the new paragraph after OP1, OP2
    assert shown_ids(only) == shown_ids(everything)


def test_proposals_index_goes_to_the_latest_compilation(app, w, session):
    response = client_as(app, w, "delegate").get(f"{base(w)}/proposals")
    assert response.status_code == 302 and response.location == f"{base(w)}/r/{w.rev1.seq}/compilation"
    f.negotiation(session, slug="empty-one")
    session.commit()
    empty = client_as(app, w, "admin").get("/n/empty-one/proposals", follow_redirects=True)
    assert empty.status_code == 200 and "No revision has been circulated yet" in empty.get_data(as_text=True)


# -- Visibility on release ------------------------------------------------------------------------------


def test_on_release_delegations_see_only_their_own_until_the_compilation_is_released(app, w, crowded, session):
    w.negotiation.proposal_visibility = ProposalVisibility.ON_RELEASE
    session.commit()
    url = f"{base(w)}/r/{w.rev1.seq}/compilation"
    delegate, observer, cofac = (client_as(app, w, r) for r in ("delegate", "observer", "cofacilitator"))

    mine = delegate.get(url).get_data(as_text=True)
    # Mexico's own proposals and the one it supports; not G77's other proposals.
    assert shown_ids(mine) == {crowded[k].id for k in ("mexico_amend", "mexico_delete", "g77_amend")}
    assert "will be shown when the co-facilitators release the compilation" in mine
    assert "Welcomes the offer of Fiji" not in mine
    assert delegate.get(f"{base(w)}/proposals/{crowded['g77_insert'].id}").status_code == 404
    assert "Fiji" not in delegate.get(f"{base(w)}/delegations/{w.g77.id}").get_data(as_text=True)

    nothing = observer.get(url).get_data(as_text=True)
    assert shown_ids(nothing) == set() and "has not been released yet" in nothing
    assert observer.get(f"{base(w)}/proposals/{crowded['mexico_amend'].id}").status_code == 404

    assert cofac.post(f"{base(w)}/r/{w.rev1.seq}/release").status_code == 302
    assert shown_ids(delegate.get(url).get_data(as_text=True)) == {p.id for p in crowded.values()}
    assert shown_ids(observer.get(url).get_data(as_text=True)) == {p.id for p in crowded.values()}
    assert delegate.get(f"{base(w)}/proposals/{crowded['g77_insert'].id}").status_code == 200


# -- A delegation's proposals and what became of them ------------------------------------------------------


def test_delegation_page_shows_outcomes_and_filters_by_verdict(app, w, crowded):
    cofac = client_as(app, w, "cofacilitator")
    cofac.post(f"{base(w)}/proposals/{crowded['mexico_delete'].id}/decide", data={"outcome": "incorporated"})
    assert cofac.post(f"{base(w)}/r/{w.rev2.seq}/circulate", data={"deadline": ""}).status_code == 302
    client = client_as(app, w, "delegate")
    url = f"{base(w)}/delegations/{w.mexico.id}"
    page = client.get(url).get_data(as_text=True)
    assert "Proposals by Mexico" in page
    assert "The paragraph was deleted in Rev.2." in page  # the deletion was taken up
    assert "Rev.2 does not follow the proposal." in page  # the amendment was not
    taken = client.get(url, query_string={"verdict": "taken up"}).get_data(as_text=True)
    assert f"#{crowded['mexico_delete'].id}</a>" in taken and f"#{crowded['mexico_amend'].id}</a>" not in taken
    detail = client.get(f"{base(w)}/proposals/{crowded['mexico_amend'].id}").get_data(as_text=True)
    assert "Not taken up" in detail and "From the proposed text to the text as circulated in Rev.2" in detail
    assert client.get(f"{base(w)}/delegations/999999").status_code == 404


# -- The live diff ------------------------------------------------------------------------------------


def test_live_diff(app, w):
    client = client_as(app, w, "delegate")
    response = client.post("/api/diff", json={"base": "Decides to act now;", "text": "Decides to act later;"})
    assert response.status_code == 200
    data = response.json
    assert data["changed"] is True and 0 < data["similarity"] < 1
    assert "<del>" in data["html"] and "now" in data["html"] and "<ins>" in data["html"] and "later" in data["html"]
    same = client.post("/api/diff", json={"base": "Same;", "text": "Same;"}).json
    assert same["changed"] is False and same["similarity"] == 1
    assert client.post("/api/diff", data="not json", content_type="text/plain").json["changed"] is False
