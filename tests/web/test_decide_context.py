"""Deciding with the paragraph in view: its reference, text and status, and the other proposals on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from drafter.drafting import services as drafting
from drafter.drafting.models import Status
from drafter.drafting.queries import load_versions
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind
from tests.web.test_permissions import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


@pytest.fixture
def more(w: World, session) -> dict[str, Proposal]:
    """On OP1 (the world's Mexico amendment): a G77 deletion, and a G77 new paragraph after it."""
    op1 = load_versions(session, w.rev1)[3]
    op1.status = Status.PENDING
    made = {
        "g77_delete": proposals.submit(session, None, w.rev1, w.g77, kind=ProposalKind.DELETE, target=op1),
        "g77_insert": proposals.submit(
            session, None, w.rev1, w.g77, kind=ProposalKind.INSERT, target=op1, text="Welcomes the offer of Fiji;"
        ),
    }
    session.commit()
    return made


def decide_url(w: World, p: Proposal) -> str:
    return f"/n/{w.negotiation.slug}/proposals/{p.id}/decide"


def section(page: str, id_: str) -> str:
    """Return the HTML of the page's section with that id."""
    match = re.search(rf'<section class="card" id="{id_}">(.*?)</section>', page, re.S)
    assert match, f"no section {id_}"
    return match.group(1)


def checked(page: str) -> list[str]:
    """Return the values of the decision's radio buttons that are checked."""
    return re.findall(r'<input checked id="outcome-\d+" name="outcome" type="radio" value="(\w+)">', page)


def test_the_decide_page_names_the_paragraph_and_the_other_proposals_on_it(app, w, more):
    page = client_as(app, w, "cofacilitator").get(decide_url(w, w.own_proposal)).get_data(as_text=True)
    paragraph = section(page, "the-paragraph")
    assert "OP1 in Rev.1" in paragraph and "Decides to convene a high-level meeting in 2029;" in paragraph
    assert 'Status: <span class="status status-pending" title="Status">pending</span>' in paragraph
    others = section(page, "other-proposals")
    assert "Other proposals on OP1" in others
    assert 'G77 and China:</strong> Delete OP1 · <span class="tag">Submitted</span>' in others
    assert "New paragraph after OP1" in others and "Welcomes the offer of Fiji;" in others
    # the G77 amendment of PP1 is on another paragraph
    assert f"#{w.other_proposal.id}<" not in others


def test_a_decided_neighbour_shows_its_state_and_links_to_its_record(app, w, more, session):
    cofac = client_as(app, w, "cofacilitator")
    assert cofac.post(decide_url(w, more["g77_delete"]), data={"outcome": "not_retained"}).status_code == 302
    proposals.withdraw(session, None, more["g77_insert"])
    session.commit()
    others = section(cofac.get(decide_url(w, w.own_proposal)).get_data(as_text=True), "other-proposals")
    assert '<span class="tag">Not retained</span>' in others and '<span class="tag">Withdrawn</span>' in others
    # a decision not applied may still be changed; a withdrawn proposal only read
    assert f'href="/n/world/proposals/{more["g77_delete"].id}/decide">#' in others
    assert f'href="/n/world/proposals/{more["g77_insert"].id}">#' in others


def test_alone_on_its_paragraph_the_page_says_so(app, w):
    page = client_as(app, w, "cofacilitator").get(decide_url(w, w.other_proposal)).get_data(as_text=True)
    assert "No other proposal on this paragraph." in section(page, "other-proposals")
    assert "Status:" in section(page, "the-paragraph") and "none set" in section(page, "the-paragraph")


def test_incorporated_is_preselected_only_when_there_is_a_working_revision(app, w, session):
    cofac = client_as(app, w, "cofacilitator")
    assert checked(cofac.get(decide_url(w, w.own_proposal)).get_data(as_text=True)) == ["incorporated"]
    drafting.discard_revision(session, None, w.rev2)
    session.commit()
    page = cofac.get(decide_url(w, w.own_proposal)).get_data(as_text=True)
    assert "You can still record that it was not retained or merged." in page
    assert checked(page) == []
    refused = cofac.post(decide_url(w, w.own_proposal), data={"note": "Too early."})
    assert refused.status_code == 400 and "Choose a decision." in refused.get_data(as_text=True)
    assert "Too early." in refused.get_data(as_text=True)


def test_a_new_paragraph_is_named_after_the_paragraph_it_follows(app, w, more):
    p = more["g77_insert"]
    cofac = client_as(app, w, "cofacilitator")
    pages = {
        "detail": cofac.get(f"/n/world/proposals/{p.id}").get_data(as_text=True),
        "decide": cofac.get(decide_url(w, p)).get_data(as_text=True),
        "delegation": cofac.get(f"/n/world/delegations/{w.g77.id}").get_data(as_text=True),
        "compilation": cofac.get(f"/n/world/r/{w.rev1.seq}/compilation").get_data(as_text=True),
    }
    assert f"Proposal #{p.id}: new paragraph after OP1</h1>" in pages["detail"]
    assert "New paragraph after OP1 · Submitted" in pages["decide"]
    assert "The paragraph it follows: OP1 in Rev.1" in pages["decide"]
    assert "New paragraph after OP1 <span" in pages["delegation"]
    assert "Proposed new paragraph 1 bis, after OP1" in pages["compilation"]
    for name, page in pages.items():
        assert not re.search(r"new paragraph OP1", page, re.I), name


def test_the_compilation_shows_the_position_the_delegation_took(app, w):
    delegate = client_as(app, w, "delegate")  # Mexico
    url = f"/n/world/r/{w.rev1.seq}/compilation"

    def buttons() -> dict[str, str]:
        page = delegate.get(url).get_data(as_text=True)
        card = re.search(rf'id="proposal-{w.other_proposal.id}">(.*?)</form>', page, re.S).group(1)
        return dict(re.findall(r'value="(\w*)" aria-pressed="(\w+)"', card))

    assert buttons() == {"cosponsor": "false", "support": "false", "oppose": "false"}
    assert (
        delegate.post(f"/n/world/proposals/{w.other_proposal.id}/position", data={"stance": "oppose"}).status_code
        == 302
    )
    assert buttons() == {"cosponsor": "false", "support": "false", "oppose": "true"}
    page = delegate.get(url).get_data(as_text=True)
    assert "Mexico has opposed it." in page and "Withdraw our position" in page
    assert delegate.post(f"/n/world/proposals/{w.other_proposal.id}/position", data={"stance": ""}).status_code == 302
    assert buttons() == {"cosponsor": "false", "support": "false", "oppose": "false"}
