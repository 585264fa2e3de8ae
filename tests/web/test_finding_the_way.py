"""Finding one's way in a long text: the "go to paragraph" box, and words searched in the compilation."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from drafter.drafting.models import ProposalVisibility
from drafter.drafting.queries import load_versions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from tests.web.test_permissions import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def pages(w: World) -> dict[str, str]:
    """Return the four long pages, by name (the compare page compares Rev.1 with Rev.2)."""
    return {
        "revision": f"/n/world/r/{w.rev1.seq}/",
        "compilation": f"/n/world/r/{w.rev1.seq}/compilation",
        "compare": f"/n/world/compare?from={w.rev1.seq}&to={w.rev2.seq}",
        "editor": f"/n/world/r/{w.rev2.seq}/edit",
    }


@pytest.mark.parametrize("page", ["revision", "compilation", "compare", "editor"])
def test_each_long_page_has_a_go_to_box_that_leads_to_the_paragraph(app, w, page):
    cofac = client_as(app, w, "cofacilitator")
    url = pages(w)[page]
    html = cofac.get(url).get_data(as_text=True)
    assert '<label for="go">Go to paragraph</label>' in html
    op1 = w.paragraph_id
    joiner = "&" if "?" in url else "?"
    for typed in ("OP1", "op 1", "1", "  OP1. "):
        response = cofac.get(f"{url}{joiner}go={typed}")
        assert response.status_code == 302, typed
        assert response.location.endswith(f"#p{op1}")
        assert f'id="p{op1}"' in cofac.get(response.location.split("#")[0]).get_data(as_text=True)
    if page == "compare":  # the revisions compared stay as they were
        assert cofac.get(f"{url}&go=OP1").location == f"/n/world/compare?from={w.rev1.seq}&to={w.rev2.seq}#p{op1}"


@pytest.mark.parametrize("page", ["revision", "compilation", "compare", "editor"])
def test_a_reference_that_names_no_paragraph_is_said_beside_the_box(app, w, page):
    url = pages(w)[page]
    joiner = "&" if "?" in url else "?"
    response = client_as(app, w, "cofacilitator").get(f"{url}{joiner}go=OP99")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert re.search(r'<p class="field-error" id="go-error">There is no paragraph OP99 in Rev\.\d', html)
    assert 'value="OP99"' in html


def test_the_box_finds_preambular_paragraphs_and_new_ones_by_their_bis(app, w, session):
    cofac = client_as(app, w, "cofacilitator")
    versions = load_versions(session, w.rev2)
    pp2 = cofac.get(f"/n/world/r/{w.rev2.seq}/edit?go=PP2")
    assert pp2.location.endswith(f"#p{versions[1].paragraph_id}")
    # Rev.2's paragraph added at its end (after OP3) is new since Rev.1: it is "3 bis"
    bis = cofac.get(f"/n/world/r/{w.rev2.seq}/edit?go=3 bis")
    assert bis.location.endswith(f"#p{w.secret_paragraph_id}")


def test_a_whole_sentence_in_the_box_is_refused_in_plain_words(app, w):
    typed = "Decides to convene a high-level meeting in 2029 on the subject"
    response = client_as(app, w, "cofacilitator").get(f"/n/world/r/{w.rev1.seq}/", query_string={"go": typed})
    assert response.status_code == 400
    assert "That is not a reference: give one such as OP12, PP3, OP5 (a) or 12 bis." in response.get_data(as_text=True)


def test_what_is_typed_in_the_box_is_printed_escaped(app, w):
    html = client_as(app, w, "cofacilitator").get(f"/n/world/r/{w.rev1.seq}/?go=<b>x</b>").get_data(as_text=True)
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html


def shown_refs(html: str) -> list[str]:
    return re.findall(r'<span class="ref">([^<]+)</span>', html)


def test_words_searched_in_the_compilation_keep_the_paragraphs_that_hold_them(app, w, session):
    vs = load_versions(session, w.rev1)
    proposals.submit(
        session, None, w.rev1, w.mexico, kind=ProposalKind.AMEND, target=vs[1], text=vs[1].text + " and solidarity,"
    )
    session.commit()
    delegate = client_as(app, w, "cofacilitator")
    url = f"/n/world/r/{w.rev1.seq}/compilation"
    assert len(shown_refs(delegate.get(url).get_data(as_text=True))) == len(vs)
    # in a proposal's text only
    page = delegate.get(url, query_string={"q": "Solidarity"}).get_data(as_text=True)
    assert shown_refs(page) == ["PP2"] and 'data-highlight="solidarity"' in page
    # in the paragraph's text, every word: "meeting" and "2029" are both in OP1
    assert shown_refs(delegate.get(url, query_string={"q": "meeting 2029"}).get_data(as_text=True)) == ["OP1"]
    # a delegation's name finds the paragraphs it proposed on
    assert shown_refs(delegate.get(url, query_string={"q": "g77"}).get_data(as_text=True)) == ["PP1"]
    none = delegate.get(url, query_string={"q": "zebra"}).get_data(as_text=True)
    assert shown_refs(none) == [] and "No proposal matches." in none and 'value="zebra"' in none


def test_words_searched_are_handed_to_the_page_escaped(app, w):
    url = f"/n/world/r/{w.rev1.seq}/compilation"
    html = (
        client_as(app, w, "cofacilitator").get(url, query_string={"q": '"><script>x</script>'}).get_data(as_text=True)
    )
    assert "<script>x</script>" not in html
    assert 'data-highlight="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in html


def test_in_the_compilation_the_box_finds_a_proposed_new_paragraph_by_its_bis(app, w, session):
    op1 = load_versions(session, w.rev1)[3]
    made = proposals.submit(
        session, None, w.rev1, w.g77, kind=ProposalKind.INSERT, target=op1, text="Welcomes the offer of Fiji;"
    )
    session.commit()
    url = f"/n/world/r/{w.rev1.seq}/compilation"
    found = client_as(app, w, "cofacilitator").get(url, query_string={"go": "1 bis"})
    assert found.status_code == 302 and found.location.endswith(f"#proposal-{made.id}")
    # until the compilation is released Mexico's delegate does not see G77's proposals: no 1 bis for them
    w.negotiation.proposal_visibility = ProposalVisibility.ON_RELEASE
    session.commit()
    hidden = client_as(app, w, "delegate").get(url, query_string={"go": "1 bis"})
    assert hidden.status_code == 400 and "There is no paragraph 1 bis in Rev.1" in hidden.get_data(as_text=True)
