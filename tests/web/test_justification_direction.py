"""A justification in Arabic (or any right-to-left script) is laid out right to left wherever it is shown or typed."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from drafter.drafting.queries import load_versions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from tests import factories as f
from tests.conftest import login

ARABIC = "هذه الفقرة تعكس توافق الآراء الذي تم التوصل إليه في نيروبي"


@pytest.fixture
def w(app, session):
    n = f.negotiation(session)
    team = f.team(session, n)
    rev = f.revision(session, n, deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=3))
    mexico = team["delegate"].memberships[0].delegation
    p = proposals.submit(
        session,
        None,
        rev,
        mexico,
        kind=ProposalKind.RETAIN,
        target=load_versions(session, rev)[3],
        justification=ARABIC,
    )
    session.commit()
    return n, team, rev, p


def _shown_rtl_aware(page: str) -> bool:
    """Return True when the justification sits in an element that takes its direction from its text."""
    return re.search(r'dir="auto"[^>]*>\s*' + re.escape(ARABIC), page) is not None


@pytest.mark.parametrize("page", ["compilation", "detail", "decide"])
def test_a_justification_takes_the_direction_of_its_script(client, w, page):
    n, team, rev, p = w
    login(client, team["cofacilitator"])
    path = {
        "compilation": f"/n/{n.slug}/r/{rev.seq}/compilation",
        "detail": f"/n/{n.slug}/proposals/{p.id}",
        "decide": f"/n/{n.slug}/proposals/{p.id}/decide",
    }[page]
    response = client.get(path)
    assert response.status_code == 200
    assert _shown_rtl_aware(response.get_data(as_text=True))


@pytest.mark.parametrize("page", ["propose", "edit"])
def test_the_justification_box_takes_the_direction_of_what_is_typed(client, w, page):
    n, team, rev, p = w
    login(client, team["delegate"])
    path = (
        f"/n/{n.slug}/r/{rev.seq}/propose?paragraph={p.target_version_id}&kind=amend"
        if page == "propose"
        else f"/n/{n.slug}/proposals/{p.id}/edit"
    )
    html = client.get(path).get_data(as_text=True)
    assert re.search(
        r'<textarea[^>]*dir="auto"[^>]*name="justification"|<textarea[^>]*name="justification"[^>]*dir="auto"', html
    ) or re.search(r'<textarea(?=[^>]*dir="auto")(?=[^>]*id="justification")', html)
