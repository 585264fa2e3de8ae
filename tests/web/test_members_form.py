"""A refused member form shows the new account's fields open when the message concerns them."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.conftest import login


@pytest.fixture
def w(app, session):
    n = f.negotiation(session)
    team = f.team(session, n)
    session.commit()
    return n, team


def _details(page: str) -> str:
    return re.search(r"<details[^>]*>.*?</details>", page, re.S).group(0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "There is no account for new@example.org: give a name and an initial password"),
        ({"name": "Nadia Karim", "password": "short"}, "Field must be between"),
    ],
)
def test_a_message_about_the_new_account_is_shown_with_its_fields_open(client, w, data, message):
    n, team = w
    login(client, team["secretariat"])
    sent = {"email": "new@example.org", "role": "observer", "delegation": "0", **data}
    response = client.post(f"/n/{n.slug}/members", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    details = _details(page)
    assert details.startswith("<details open>")
    assert message in details
    if data.get("name"):
        assert 'value="Nadia Karim"' in details


def test_the_new_account_fields_stay_folded_until_needed(client, w):
    n, team = w
    login(client, team["secretariat"])
    page = client.get(f"/n/{n.slug}/members").get_data(as_text=True)
    assert _details(page).startswith("<details>")
