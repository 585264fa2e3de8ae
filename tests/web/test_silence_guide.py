"""The silence and adoption guide: what a delegate reads on the overview, the break form, when adoption is
offered, a short silence that needs a reason, and a deadline moved into the past that needs a confirmation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting.models import Revision, RevisionState
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from tests import factories as f
from tests.conftest import login

NOW = dt.datetime.now(dt.UTC)
UNTIL = (NOW + dt.timedelta(days=4)).replace(hour=18, minute=0, second=0, microsecond=0)
LONG = [(k, t) for k, t in f.SAMPLE] + [
    (f.Kind.OPERATIVE, f"Invites the regional commissions to contribute, as item {i}, to the review of progress;")
    for i in range(40)
]


@pytest.fixture
def w(app, session):
    n = f.negotiation(session, title="Coasts")
    team = f.team(session, n)
    rev = f.revision(session, n, LONG, label="Rev.1", deadline=NOW + dt.timedelta(days=2), now=NOW)
    session.commit()
    return n, team, rev


def _fmt(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M")


def _page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _silence(rev: Revision, until: dt.datetime = UNTIL) -> None:
    lifecycle.put_under_silence(db.session, None, rev, until=until)
    db.session.commit()


def test_a_delegate_reads_until_when_the_silence_runs_and_how_to_break_it(client, w):
    n, team, rev = w
    _silence(rev)
    login(client, team["delegate"])
    page = _page(client, f"/n/{n.slug}/")
    day = f"{UNTIL.day} {UNTIL:%B %Y}"
    assert f"Rev.1 is under silence until {day}, 18:00 UTC." in page
    link = f'href="/n/{n.slug}/r/{rev.seq}/lifecycle#break">Break the silence for Mexico</a>'
    assert link in page
    # once broken, the overview says so, and offers no second break
    lifecycle.record_silence_break(
        db.session, None, rev, delegation=team["delegate2"].memberships[0].delegation, statement="No."
    )
    db.session.commit()
    page = _page(client, f"/n/{n.slug}/")
    assert "The silence on Rev.1 was broken by G77 and China." in page and "Break the silence for" not in page


def test_the_break_form_lists_paragraphs_by_reference_and_opening_words_with_a_filter(client, w):
    n, team, rev = w
    _silence(rev)
    login(client, team["delegate"])
    page = _page(client, f"/n/{n.slug}/r/{rev.seq}/lifecycle")
    assert 'id="break"' in page
    assert "OP1 — Decides to convene a high-level meeting in 2028;" in page
    assert "OP4 — Invites the regional commissions to contribute, as item 0, to the review …" in page
    # the filter box is there for the script, hidden without it: the whole list shows
    assert re.search(r'<p class="filter-box" hidden>.*?data-filter-list="break-paragraphs"', page, re.S)
    assert page.count('name="paragraphs"') == len(LONG)


def test_mark_adopted_is_not_offered_while_the_silence_runs_nor_once_it_is_broken(client, w):
    n, team, rev = w
    login(client, team["cofacilitator"])
    assert "Mark Rev.1 adopted" in _page(
        client, f"/n/{n.slug}/r/{rev.seq}/lifecycle"
    )  # circulated: a meeting may adopt
    _silence(rev)
    page = _page(client, f"/n/{n.slug}/r/{rev.seq}/lifecycle")
    assert "Mark Rev.1 adopted" not in page
    assert "can be marked adopted once it has ended unbroken" in page
    refused = client.post(f"/n/{n.slug}/r/{rev.seq}/adopt")  # and the service refuses it too
    assert refused.status_code == 409 and "The silence procedure runs until" in refused.get_data(as_text=True)
    lifecycle.record_silence_break(
        db.session, None, rev, delegation=team["delegate"].memberships[0].delegation, statement="No."
    )
    db.session.commit()
    page = _page(client, f"/n/{n.slug}/r/{rev.seq}/lifecycle")
    assert "Mark Rev.1 adopted" not in page and "The silence was broken by Mexico." in page
    assert db.session.get(Revision, rev.id).state is RevisionState.UNDER_SILENCE


def test_mark_adopted_is_offered_once_the_silence_ended_unbroken(client, w):
    n, team, rev = w
    _silence(rev)
    db.session.get(Revision, rev.id).silence_until = NOW - dt.timedelta(minutes=1)  # time has passed
    db.session.commit()
    login(client, team["cofacilitator"])
    assert "Mark Rev.1 adopted" in _page(client, f"/n/{n.slug}/r/{rev.seq}/lifecycle")
    assert client.post(f"/n/{n.slug}/r/{rev.seq}/adopt").status_code == 302


def test_a_silence_shorter_than_the_minimum_asks_for_a_reason_that_is_recorded(client, w):
    n, team, rev = w
    login(client, team["cofacilitator"])
    short = _fmt(NOW + dt.timedelta(hours=24))
    refused = client.post(f"/n/{n.slug}/r/{rev.seq}/silence", data={"until": short})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert re.search(r'name="until"[^>]*value="' + short, page)  # what was typed is kept
    message = re.search(r'<p class="field-error" id="until-error">([^<]*)</p>', page)
    assert message and "less than the minimum of 72 hours" in message.group(1)
    assert 'name="override_reason"' in page and "Reason for a shorter silence" in page
    assert db.session.get(Revision, rev.id).state is RevisionState.CIRCULATED
    reason = "Agreed in the informal consultations of 1 December"
    done = client.post(f"/n/{n.slug}/r/{rev.seq}/silence", data={"until": short, "override_reason": reason})
    assert done.status_code == 302
    assert db.session.get(Revision, rev.id).state is RevisionState.UNDER_SILENCE
    event = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "revision.silence_started")).one()
    assert event.data["override_reason"] == reason and event.data["minimum_hours"] == 72
    assert reason in event.summary


def test_the_silence_offered_meets_the_minimum_and_is_taken_without_a_reason(client, w, app):
    n, team, rev = w
    app.config["MIN_SILENCE_HOURS"] = 24.0  # a negotiation of a body with a shorter rule
    login(client, team["cofacilitator"])
    page = _page(client, f"/n/{n.slug}/r/{rev.seq}/lifecycle")
    assert "at least 24 hours in this negotiation" in page and 'name="override_reason"' not in page
    offered = re.search(r'name="until"[^>]*value="([^"]+)"', page).group(1)
    assert client.post(f"/n/{n.slug}/r/{rev.seq}/silence", data={"until": offered}).status_code == 302


def test_moving_the_deadline_into_the_past_asks_for_confirmation(client, w):
    n, team, rev = w
    login(client, team["cofacilitator"])
    past = _fmt(NOW - dt.timedelta(hours=1))
    refused = client.post(f"/n/{n.slug}/r/{rev.seq}/deadline", data={"deadline": past})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert re.search(r'name="deadline"[^>]*value="' + past, page)
    assert "has already passed: this deadline closes proposals on Rev.1 now" in page
    assert "Yes, close proposals now" in page
    assert db.session.get(Revision, rev.id).proposal_deadline > NOW
    done = client.post(f"/n/{n.slug}/r/{rev.seq}/deadline", data={"deadline": past, "confirm_past": "y"})
    assert done.status_code == 302
    assert db.session.get(Revision, rev.id).proposal_deadline < NOW


def test_the_break_form_names_paragraphs_that_are_recorded(client, w):
    n, team, rev = w
    _silence(rev)
    login(client, team["delegate"])
    op1 = load_versions(db.session, rev)[3]
    done = client.post(
        f"/n/{n.slug}/r/{rev.seq}/silence-break",
        data={
            "delegation": team["delegate"].memberships[0].delegation_id,
            "paragraphs": [op1.paragraph_id],
            "statement": "We cannot.",
        },
    )
    assert done.status_code == 302
    assert db.session.get(Revision, rev.id).silence_breaks[0].paragraph_ids == [op1.paragraph_id]
