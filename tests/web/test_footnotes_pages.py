"""Footnotes on the pages and in the forms: numbered references, [^N] in text boxes, new ones typed."""

from __future__ import annotations

import re

import sqlalchemy as sa
from markupsafe import escape

from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions, working_revision
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals.models import Proposal
from drafter.text import footnotes
from drafter.text.structure import Kind, ParsedParagraph
from tests import factories as f
from tests.conftest import login

M1, M2 = footnotes.marker(1), footnotes.marker(2)


def world(session):
    n = f.negotiation(session, slug="notes")
    people = f.team(session, n)
    rev = drafting.import_revision(
        session,
        None,
        n,
        label="Zero draft",
        paragraphs=[
            ParsedParagraph(Kind.PREAMBULAR, f"Recalling the 2030 Agenda,{M1}", footnotes={1: "Resolution 70/1."}),
            ParsedParagraph(
                Kind.OPERATIVE,
                f"Decides to act on the Pact{M1} and the <b>Compact</b>;{M2}",
                footnotes={1: "Resolution 79/1.", 2: "Annex I to <script>x</script>."},
            ),
        ],
    )
    lifecycle.circulate(session, None, rev, deadline=None)
    session.commit()
    return n, rev, people


def versions(revision):
    db.session.expire_all()
    return load_versions(db.session, revision)


def test_the_revision_page_numbers_footnotes_through_the_document(client, session):
    n, rev, people = world(session)
    login(client, people["observer"])
    html = client.get(f"/n/notes/r/{rev.seq}/").get_data(as_text=True)
    # the second paragraph's notes are the document's second and third
    assert '<sup class="fnref"><a href="#fn-2">2</a></sup>' in html and 'href="#fn-3"' in html
    assert '<li value="3" id="fn-3">Annex I to &lt;script&gt;x&lt;/script&gt;.</li>' in html
    assert M1 not in html and "<b>Compact</b>" not in html


def test_a_delegate_keeps_a_footnote_and_adds_one_in_an_amendment(client, session):
    n, rev, people = world(session)
    target = versions(rev)[1]
    login(client, people["delegate"])
    url = f"/n/notes/r/{rev.seq}/propose"
    form = client.get(url, query_string={"paragraph": target.paragraph_id, "kind": "amend"}).get_data(as_text=True)
    assert str(escape("Decides to act on the Pact[^2] and the <b>Compact</b>;[^3]")) in form
    typed = "Decides to act now on the Pact[^2][new footnote: See A/80/2.] and the Compact;"
    response = client.post(url, data={"paragraph": target.paragraph_id, "kind": "amend", "text": typed})
    assert response.status_code == 302
    p = db.session.scalar(sa.select(Proposal).order_by(Proposal.id.desc()))
    assert p.proposed_text == f"Decides to act now on the Pact{M1}{footnotes.marker(3)} and the Compact;"
    assert p.notes == {1: "Resolution 79/1.", 3: "See A/80/2."}  # the removed note 2 went with its reference
    edit = client.get(f"/n/notes/proposals/{p.id}/edit").get_data(as_text=True)
    assert "Pact[^2][new footnote: See A/80/2.]" in edit


def test_a_reference_to_a_footnote_the_paragraph_has_not_is_refused_beside_the_text(client, session):
    n, rev, people = world(session)
    target = versions(rev)[1]
    login(client, people["delegate"])
    typed = "Decides to act on the Pact[^7];"
    response = client.post(
        f"/n/notes/r/{rev.seq}/propose", data={"paragraph": target.paragraph_id, "kind": "amend", "text": typed}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "There is no footnote 7 in this paragraph" in html
    assert str(escape(typed)) in html and db.session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_an_incorporated_footnote_shows_as_added_and_the_others_are_not_renumbered_changes(client, session):
    n, rev, people = world(session)
    target = versions(rev)[1]
    login(client, people["delegate"])
    client.post(
        f"/n/notes/r/{rev.seq}/propose",
        data={"paragraph": target.paragraph_id, "kind": "amend",
              "text": "Decides to act on the Pact[^2] and the <b>Compact</b>;[^3][new footnote: Adopted 2025.]"},
    )  # fmt: skip
    p = db.session.scalar(sa.select(Proposal).order_by(Proposal.id.desc()))
    drafting.start_revision(db.session, None, n)
    db.session.commit()
    cofac = client.__class__(client.application, client.response_wrapper, use_cookies=True)
    login(cofac, people["cofacilitator"])
    assert cofac.post(f"/n/notes/proposals/{p.id}/decide", data={"outcome": "incorporated"}).status_code == 302
    working = working_revision(db.session, n)
    v = versions(working)[1]
    assert footnotes.inline(v.text, v.notes).endswith(";[^Annex I to <script>x</script>.][^Adopted 2025.]")
    html = cofac.get("/n/notes/compare", query_string={"old": rev.seq, "new": working.seq}).get_data(as_text=True)
    assert "Footnote added" in html and "Adopted 2025." in html and "1 changed" in html
    # the editor writes the references as printed; removing one removes its footnote
    url = f"/n/notes/r/{working.seq}/p/{v.paragraph_id}/edit"
    page = cofac.get(url).get_data(as_text=True)
    assert "Compact&lt;/b&gt;;[^3][^4]" in page
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    saved = cofac.post(url, data={"text": "Decides to act on the Pact[^2];[^4]", "version": version})
    assert saved.status_code == 302
    v = versions(working)[1]
    assert footnotes.inline(v.text, v.notes) == "Decides to act on the Pact[^Resolution 79/1.];[^Adopted 2025.]"


# -- a new title, proposed from the compilation ------------------------------------------------


def test_a_delegate_proposes_a_new_title_from_the_compilation_and_it_is_decided(client, session):
    n, rev, people = world(session)
    rev.title = "Resilient coasts"
    session.commit()
    login(client, people["delegate"])
    page = client.get(f"/n/notes/r/{rev.seq}/compilation").get_data(as_text=True)
    assert "Propose a new title" in page
    url = f"/n/notes/r/{rev.seq}/propose"
    form = client.get(url, query_string={"kind": "title"}).get_data(as_text=True)
    assert "A new title" in form and 'data-diff-base="Resilient coasts"' in form
    refused = client.post(url, data={"kind": "title", "text": "Resilient coasts"})
    assert refused.status_code == 400 and "the same as the title" in refused.get_data(as_text=True)
    made = client.post(url, data={"kind": "title", "text": "Resilient coasts and islands"})
    assert made.status_code == 302
    page = client.get(f"/n/notes/r/{rev.seq}/compilation").get_data(as_text=True)
    assert page.index("Resilient coasts") < page.index("Recalling the 2030 Agenda") and "<ins>" in page
    p = db.session.scalar(sa.select(Proposal).order_by(Proposal.id.desc()))
    drafting.start_revision(db.session, None, n)
    db.session.commit()
    cofac = client.__class__(client.application, client.response_wrapper, use_cookies=True)
    login(cofac, people["cofacilitator"])
    decide = cofac.get(f"/n/notes/proposals/{p.id}/decide").get_data(as_text=True)
    assert "Effect on the working revision" in decide
    assert cofac.post(f"/n/notes/proposals/{p.id}/decide", data={"outcome": "incorporated"}).status_code == 302
    db.session.expire_all()
    assert working_revision(db.session, n).title == "Resilient coasts and islands"


def test_the_rooms_screens_print_footnote_references_as_superscript_numbers(app, session):
    from drafter.room import services as room

    n, rev, people = world(session)
    reading = room.open_reading(session, people["cofacilitator"], rev, "First reading")
    room.step(session, people["cofacilitator"], reading, forward=True)
    session.commit()
    client = app.test_client()
    login(client, people["delegate"])
    for page in ("", "/projector"):
        html = client.get(f"/n/notes/readings/{reading.id}{page}").get_data(as_text=True)
        # OP1 is under negotiation: its notes are the document's second and third
        assert '<sup class="fn-ref">2</sup>' in html and '<sup class="fn-ref">3</sup>' in html, page
        assert "[^" not in html and "&lt;b&gt;Compact&lt;/b&gt;" in html, page
