"""The compilation page of a revision: each proposal's links, its diff from the copy kept with it
(made on the page when an older row has none), and positions taken shown with it."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.proposals import diffs, services
from drafter.proposals.models import Proposal, Stance
from drafter.text import footnotes
from drafter.text.diff import word_diff
from tests.support.world import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def page(app: Flask, w: World, role: str) -> str:
    response = client_as(app, w, role).get(f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/compilation")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_proposal_links_to_its_page_its_decision_and_its_positions(app, w):
    slug, own, other = w.negotiation.slug, w.own_proposal.id, w.other_proposal.id
    chair = page(app, w, "cofacilitator")
    for pid in (own, other):
        assert f'<a href="/n/{slug}/proposals/{pid}">#{pid}</a>' in chair
        assert f'href="/n/{slug}/proposals/{pid}/decide">Decide</a>' in chair
    delegate = page(app, w, "delegate")  # Mexico takes a position on G77's proposal, not on its own
    assert f'action="/n/{slug}/proposals/{other}/position"' in delegate
    assert f'action="/n/{slug}/proposals/{own}/position"' not in delegate
    assert 'name="csrf_token"' in delegate.split(f'action="/n/{slug}/proposals/{other}/position"', 1)[1][:200]


def test_a_position_taken_shows_in_the_attribution_and_on_the_delegations_buttons(app, session, w):
    services.set_position(session, None, w.other_proposal, w.mexico, Stance.SUPPORT)
    session.commit()
    delegate = page(app, w, "delegate")
    assert "G77 and China; supported by Mexico:" in delegate
    assert f"{w.mexico.name} has supported it." in delegate
    assert 'value="support" aria-pressed="true"' in delegate


def test_an_older_row_without_a_copy_of_its_diff_gets_one_from_the_page(app, session, w):
    p = w.own_proposal
    base, text, version = p.target_version.text, p.proposed_text, p.version
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == p.id).values(stored_diff=None))
    session.commit()
    chair = page(app, w, "cofacilitator")
    assert '<ins><span class="sr-only">[inserted: </span>2030<span' in chair
    session.expire_all()
    again = session.get(Proposal, p.id)
    assert diffs.decode(again.stored_diff, base, text) == word_diff(base, text)
    assert again.version == version  # the delegate's edit form opened before is still current

    def document(html: str) -> str:
        return html.split('<article class="document compilation"', 1)[1].split("</article>", 1)[0]

    assert document(page(app, w, "cofacilitator")) == document(chair)  # from the copy, the same page


def test_a_footnote_in_a_proposal_shows_as_a_reference_inside_its_diff(app, session, w):
    mark = footnotes.marker(1)
    p = w.other_proposal
    services.edit(
        session,
        None,
        p,
        text=f"Recalling all its earlier resolutions{mark} on the subject,",
        justification="",
        notes={1: "See resolution 70/1."},
    )
    session.commit()
    chair = page(app, w, "cofacilitator")
    card = chair.split(f'id="proposal-{p.id}"', 1)[1].split('<div class="proposal-actions">', 1)[0]
    assert '<ins><span class="sr-only">[inserted: </span><sup class="fnref" title="Footnote">*</sup>' in card
    assert mark not in chair


def test_a_bracketed_passage_shows_who_asked_for_it_and_who_opposed_it(app, session, w):
    from drafter.drafting.models import ParagraphVersion
    from drafter.text import brackets

    v = session.scalar(sa.select(ParagraphVersion).where(ParagraphVersion.revision_id == w.rev1.id).limit(1))
    v.text = v.text.rstrip(";,") + " [in accordance with <national> legislation];"
    v.attributions = [brackets.attribution("in accordance with <national> legislation", ["G77 and China"], ["Mexico"])]
    session.commit()
    html = page(app, w, "observer")
    assert "<li>[in accordance with &lt;national&gt; legislation] (G77 and China; opposed: Mexico)</li>" in html, html[
        :500
    ]


def test_what_users_typed_is_printed_as_text_never_as_markup(app, session, w):
    """Every proposal is printed in Python (``proposals.markup``): names, justifications, notes and the
    page's own address in the position forms are escaped there as the template escaped them."""
    w.other_proposal.justification = "<script>alert(1)</script> & more"
    w.other_proposal.decision_note = '<img src=x onerror="alert(2)">'
    w.g77.name = "G77 <b>and</b> China"
    session.commit()
    client = client_as(app, w, "delegate")
    url = f"/n/{w.negotiation.slug}/r/{w.rev1.seq}/compilation?from=%22%3E%3Cscript%3E"
    html = client.get(url).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "<img src=x" not in html and "Co-facilitators: &lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    assert "<b>and</b>" not in html and "G77 &lt;b&gt;and&lt;/b&gt; China" in html
    assert '"><script>' not in html
