"""The revision's document details: shown as a masthead, corrected on their own page."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from drafter.drafting.models import Revision
from drafter.lifecycle import services as lifecycle
from drafter.text.masthead import Masthead
from tests import factories as f
from tests.conftest import login

IDENTITY = Masthead(
    symbol="A/C.2/81/L.7",
    issued_on=dt.date(2026, 10, 3),
    distribution="Limited",
    original_language="English",
    session_name="Eighty-first session",
    committee="Second Committee",
    agenda_item="19 (c)",
    agenda_title="Sustainable development",
    sponsor_line="Andorra:* draft resolution",
    title="Sustainable mountain development",
    chapeau="The General Assembly,",
    footnotes=("* On behalf of the Mountain Partnership.",),
)


@pytest.fixture
def world(session):
    n = f.negotiation(session)
    people = f.team(session, n)
    rev = f.revision(session, n, circulate=False)
    from drafter.drafting import services as drafting

    drafting.set_masthead(session, None, rev, IDENTITY)
    session.commit()
    return n, rev, people


def form_data(**changes) -> dict[str, str]:
    m = IDENTITY.merged(**{k: v for k, v in changes.items() if k != "issued_on"})
    data = {
        name: str(getattr(m, name) or "")
        for name in (
            "symbol",
            "distribution",
            "original_language",
            "session_name",
            "committee",
            "agenda_item",
            "agenda_title",
            "sponsor_line",
            "title",
            "chapeau",
        )
    }
    data["issued_on"] = changes.get("issued_on", "3 October 2026")
    data["footnotes"] = "\n".join(m.footnotes)
    return data


def test_the_revision_page_prints_its_masthead_and_escapes_it(client, session, world):
    n, rev, people = world
    from drafter.drafting import services as drafting

    drafting.set_masthead(
        session, None, rev, IDENTITY.merged(sponsor_line="<script>alert(1)</script>: draft resolution")
    )
    session.commit()
    login(client, people["delegate"])
    lifecycle.circulate(session, None, rev, deadline=None)
    session.commit()
    html = client.get(f"/n/{n.slug}/r/{rev.seq}/").get_data(as_text=True)
    for text in (
        "A/C.2/81/L.7",
        "General Assembly",
        "Distr.: Limited",
        "3 October 2026",
        "Original: English",
        "Eighty-first session",
        "Second Committee",
        "Agenda item 19 (c)",
        "Sustainable mountain development",
        "The General Assembly,",
        "On behalf of the Mountain Partnership.",
    ):
        assert text in html, text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "Edit the document details" not in html  # a delegate reads, the secretariat corrects


def test_the_secretariat_corrects_the_details_and_a_cofacilitator_sees_them(client, session, world):
    n, rev, people = world
    login(client, people["secretariat"])
    page = client.get(f"/n/{n.slug}/r/{rev.seq}/masthead").get_data(as_text=True)
    assert 'value="A/C.2/81/L.7"' in page and 'value="3 October 2026"' in page
    answer = client.post(
        f"/n/{n.slug}/r/{rev.seq}/masthead", data=form_data(symbol="A/C.2/81/L.7/Rev.1", issued_on="2026-10-05")
    )
    assert answer.status_code == 302
    session.expire_all()
    saved = session.get(Revision, rev.id)
    assert saved.symbol == "A/C.2/81/L.7/Rev.1" and saved.issued_on == dt.date(2026, 10, 5)
    assert saved.title_footnotes == ["* On behalf of the Mountain Partnership."]


@pytest.mark.parametrize(
    ("changes", "status", "message", "typed"),
    [
        ({"symbol": "A/" * 40}, 400, "The symbol may have at most 60 characters.", "A/A/A/"),
        ({"issued_on": "someday soon"}, 400, "Write the date of issue as 18 November 2025", 'value="someday soon"'),
        ({"sponsor_line": "x" * 2001}, 400, "The sponsor line may have at most 2,000 characters.", "xxxxxxxx"),
    ],
)
def test_a_refused_correction_keeps_what_was_typed(client, session, world, changes, status, message, typed):
    n, rev, people = world
    login(client, people["cofacilitator"])
    answer = client.post(f"/n/{n.slug}/r/{rev.seq}/masthead", data=form_data(**changes))
    html = answer.get_data(as_text=True)
    assert answer.status_code == status and message in html and typed in html
    session.expire_all()
    assert session.get(Revision, rev.id).masthead == IDENTITY


def test_the_frame_of_a_circulated_revision_stays_as_circulated(client, session, world):
    n, rev, people = world
    lifecycle.circulate(session, None, rev, deadline=None)
    session.commit()
    login(client, people["cofacilitator"])
    answer = client.post(
        f"/n/{n.slug}/r/{rev.seq}/masthead", data=form_data(title="Another title", symbol="A/C.2/81/L.7/Corr.1")
    )
    html = answer.get_data(as_text=True)
    assert answer.status_code == 409 and "its title and chapeau can change only in a new revision" in html
    assert 'value="A/C.2/81/L.7/Corr.1"' in html  # what was typed stays
    session.expire_all()
    assert session.get(Revision, rev.id).masthead == IDENTITY


PASTED = """United Nations A/C.2/81/L.31
General Assembly Distr.: Limited
20 November 2026
Original: English
Eighty-first session
Second Committee
Agenda item 19 (c)
Sustainable development

Draft resolution submitted by the Vice-Chair of the Committee

Sustainable mountain development

The General Assembly,

Recalling its resolution 80/1 on mountains,

1. Decides to keep the matter under close review.
"""


def test_the_import_preview_reads_the_details_and_saves_them_as_corrected(client, session):
    n = f.negotiation(session, slug="mountains")
    people = f.team(session, n)
    session.commit()
    login(client, people["cofacilitator"])
    response = client.post("/n/mountains/import", data={"text": PASTED})
    assert response.status_code == 302
    preview = client.get(response.location).get_data(as_text=True)
    for value in (
        'value="A/C.2/81/L.31"',
        'value="20 November 2026"',
        'value="Second Committee"',
        "Draft resolution submitted by the Vice-Chair of the Committee",
        "Sustainable mountain development",
    ):
        assert value in preview, value
    refused = client.post(
        response.location,
        data={
            "action": "save",
            "label": "L.31",
            "symbol": "A/C.2/81/L.31",
            "issued_on": "the twentieth",
            "title": "Mountains",
        },
    )
    assert refused.status_code == 400 and "Write the date of issue" in refused.get_data(as_text=True)
    assert 'value="the twentieth"' in refused.get_data(as_text=True)
    saved = client.post(
        response.location,
        data={
            "action": "save",
            "label": "L.31",
            "symbol": "A/C.2/81/L.31/Rev.1",
            "issued_on": "2026-11-21",
            "title": "Mountains",
            "chapeau": "The General Assembly,",
            "committee": "Second Committee",
        },
    )
    assert saved.status_code == 302
    rev = session.scalar(sa.select(Revision).where(Revision.negotiation_id == n.id))
    assert (rev.symbol, rev.issued_on, rev.title, rev.committee) == (
        "A/C.2/81/L.31/Rev.1",
        dt.date(2026, 11, 21),
        "Mountains",
        "Second Committee",
    )
    assert [v.text for v in rev.versions][0].startswith("Recalling")


def test_a_changed_title_shows_in_the_comparison_like_a_paragraph(client, session, world):
    n, rev, people = world
    from drafter.drafting import services as drafting

    lifecycle.circulate(session, None, rev, deadline=None)
    nxt = drafting.start_revision(session, None, n)
    drafting.set_masthead(session, None, nxt, nxt.masthead.merged(title="Sustainable development of mountain regions"))
    session.commit()
    login(client, people["cofacilitator"])
    html = client.get(f"/n/{n.slug}/compare?from={rev.seq}&to={nxt.seq}&changes=1").get_data(as_text=True)
    assert "Title changed." in html
    assert "<del>mountain development</del>" in html or "<del>" in html.split("frame-title")[1].split("</section>")[0]
    assert "<ins>" in html.split("frame-title")[1].split("</section>")[0]
    assert "frame-chapeau" not in html  # unchanged, and only changes are asked for
