"""The import preview refuses a pairing that continues one earlier paragraph twice, in plain words."""

from __future__ import annotations

import sqlalchemy as sa

from drafter.drafting.models import Revision
from tests import factories as f
from tests.conftest import login


def test_pairing_two_new_paragraphs_with_one_earlier_paragraph_is_refused_and_saves_nothing(client, session):
    n = f.negotiation(session, slug="pairs")
    f.revision(session, n)
    people = f.team(session, n)
    session.commit()
    login(client, people["cofacilitator"])
    started = client.post("/n/pairs/import", data={"text": "1. Decides to meet;\n\n2. Decides to meet again;"})
    assert started.status_code == 302
    refused = client.post(
        started.headers["Location"], data={"pair-0": "1", "pair-1": "1", "action": "save", "label": "Rev.1"}
    )
    assert refused.status_code == 400
    assert "can continue in only one place" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count(Revision.id)).where(Revision.negotiation_id == n.id)) == 1
