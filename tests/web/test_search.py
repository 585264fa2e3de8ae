"""The search page: the box, the filters, what each role finds, refusals kept beside the box."""

from __future__ import annotations

import datetime as dt

import pytest

from drafter.auth.permissions import own_delegation
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import TEST_PASSWORD

NOW = dt.datetime.now(dt.UTC)
TEXT = [
    (Kind.PREAMBULAR, "Recalling its resolution on coastal resilience,"),
    (Kind.OPERATIVE, "Decides to convene a high-level meeting on coastal resilience in 2028;"),
    (Kind.OPERATIVE, "Requests the Secretary-General to report on <progress> & next steps;"),
]


def login(client, u):
    r = client.post("/login", data={"email": u.email, "password": TEST_PASSWORD})
    assert r.status_code == 302


@pytest.fixture
def w(session):
    n = f.negotiation(session, slug="coast")
    t = f.team(session, n)
    zero = f.revision(session, n, TEXT, now=NOW)
    v = load_versions(session, zero)
    d = own_delegation(t["delegate"], n)
    p = proposals.submit(session, t["delegate"], zero, d, kind=ProposalKind.AMEND, target=v[1],
                         text="Decides to convene a summit on coastal resilience in 2027;",
                         justification="Mangroves cannot wait.", now=NOW)  # fmt: skip
    drafting.start_revision(session, t["cofacilitator"], n, now=NOW)
    working = load_versions(session, n.revisions[-1])
    editing.edit_text(session, t["cofacilitator"], working[2], "Requests a report on glaciers;",
                      expected_version=working[2].version)  # fmt: skip
    editing.insert_paragraph(session, t["cofacilitator"], n.revisions[-1], anchor=working[0], after=False,
                             kind=Kind.PREAMBULAR, text="Welcoming the report on the oceans,")  # fmt: skip
    session.commit()
    return n, t, zero, p


def test_a_delegate_finds_one_hit_per_paragraph_with_its_history_and_links(client, w):
    n, t, zero, p = w
    login(client, t["delegate"])
    page = client.get("/n/coast/search?q=coastal+resilience").get_data(as_text=True)
    assert page.count('class="card search-hit"') == 2  # PP1, and OP1 with the proposal on it
    assert "<mark>coastal</mark> <mark>resilience</mark>" in page
    assert f'href="/n/coast/proposals/{p.id}"' in page
    assert 'href="/n/coast/r/1/#p' in page and "Rev.1" not in page
    assert 'aria-current="page">Search</a>' in page
    client.post("/logout")
    login(client, t["cofacilitator"])
    page = client.get("/n/coast/search?q=coastal+resilience").get_data(as_text=True)
    assert page.count('class="card search-hit"') == 2  # each paragraph once, with its two revisions
    # PP1 of the zero draft became PP2 of Rev.1; OP1 kept its number
    assert (
        '#p1" class="matched">PP1 of Zero draft</a>, <a href="/n/coast/r/2/#p1" class="matched">PP2 of Rev.1</a>'
        in page
    )
    assert '#p2" class="matched">OP1 of Zero draft to Rev.1</a>' in page


def test_a_delegate_never_finds_the_working_revision_but_the_cofacilitator_does(client, w):
    n, t, zero, p = w
    login(client, t["delegate"])
    page = client.get("/n/coast/search?q=glaciers").get_data(as_text=True)
    assert "Nothing you may read holds these words." in page and "glaciers;" not in page
    client.post("/logout")
    login(client, t["cofacilitator"])
    page = client.get("/n/coast/search?q=glaciers").get_data(as_text=True)
    assert "Requests a report on <mark>glaciers</mark>;" in page


def test_filters_narrow_the_results(client, w):
    n, t, zero, p = w
    login(client, t["delegate"])
    mexico = own_delegation(t["delegate"], n)
    page = client.get(f"/n/coast/search?q=mangroves&delegation={mexico.id}&kind=amend&state=submitted&revision=1")
    assert "Mangroves cannot wait." in page.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")
    page = client.get("/n/coast/search?q=coastal&kind=delete").get_data(as_text=True)
    assert "Nothing you may read holds these words." in page
    client.post("/logout")
    login(client, t["cofacilitator"])
    everywhere = client.get("/n/coast/search?q=coastal").get_data(as_text=True)
    assert ">Rev.1</a> · text" in everywhere
    only_zero = client.get("/n/coast/search?q=coastal&revision=1").get_data(as_text=True)
    assert ">Rev.1</a> · text" not in only_zero and ">Zero draft</a> · text" in only_zero
    # a filter that names nothing known filters nothing
    page = client.get("/n/coast/search?q=coastal&kind=bogus&revision=x&delegation=99999999999999999999")
    assert page.status_code == 200 and page.get_data(as_text=True).count('class="card search-hit"') == 2


def test_html_in_the_text_is_escaped(client, w):
    n, t, zero, p = w
    login(client, t["delegate"])
    page = client.get("/n/coast/search?q=progress").get_data(as_text=True)
    assert "&lt;<mark>progress</mark>&gt; &amp; next steps" in page


@pytest.mark.parametrize("typed", ['"', '""', "*", "AND OR", "( ) - : ^", "“”"])
def test_a_query_of_operators_or_quotes_is_answered(client, w, typed):
    n, t, zero, p = w
    login(client, t["delegate"])
    r = client.get("/n/coast/search", query_string={"q": typed})
    assert r.status_code == 200


def test_a_query_too_long_comes_back_with_its_words_and_the_message(client, w):
    n, t, zero, p = w
    login(client, t["delegate"])
    typed = "coastal " * 50
    r = client.get("/n/coast/search", query_string={"q": typed})
    page = r.get_data(as_text=True)
    assert r.status_code == 400
    assert "A search may have at most 300 characters." in page
    assert f'value="{typed.strip()}"' in page


def test_the_overview_links_to_the_search(client, w):
    n, t, zero, p = w
    login(client, t["observer"])
    page = client.get("/n/coast/").get_data(as_text=True)
    assert 'action="/n/coast/search"' in page and 'name="q"' in page
