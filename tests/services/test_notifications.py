"""Who is told what, and the outbox: mails read back from a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.auth.models import Role
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.notifications import sender
from drafter.notifications import services as notify
from drafter.notifications.models import Delivery, MailState, Notification, NotificationKind
from drafter.proposals import decisions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind, ProposalState
from tests import factories as f
from tests.conftest import PG_URL, make_app, serve_app
from tests.support.smtp import Handler, MailServer, running, smtp  # noqa: F401  (the fixture)

NOW = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.UTC)
DEADLINE = dt.datetime(2026, 12, 4, 18, 0, tzinfo=dt.UTC)
pg_only = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (DRAFTER_TEST_DATABASE_URL)")


@pytest.fixture
def app(tmp_path: Path, smtp: MailServer) -> Iterator[Flask]:
    yield from serve_app(tmp_path, **smtp.config(BASE_URL="https://drafter.example.org"))


@pytest.fixture
def world(session):
    n = f.negotiation(session, title="Resilient coasts")
    team = f.team(session, n)
    rev = f.revision(session, n, label="Zero draft", circulate=False, now=NOW - dt.timedelta(days=1))
    session.commit()
    return n, team, rev


def _inbox(session, user) -> list[Notification]:
    return list(session.scalars(sa.select(Notification).where(Notification.user_id == user.id)))


def _send(session, now=None) -> sender.Outcome:
    return sender.run_once(session, now=now)


def test_circulating_mails_every_delegate_the_deadline_in_utc_words_with_the_link(session, world, smtp):
    n, team, rev = world
    lifecycle.circulate(session, team["cofacilitator"], rev, deadline=DEADLINE, now=NOW)
    session.commit()
    assert smtp.received == []  # nothing leaves during the action itself
    outcome = _send(session, NOW)
    assert outcome.sent == 2
    for who in ("delegate", "delegate2"):
        (mail,) = smtp.to(team[who].email)
        assert mail.recipients == [team[who].email]
        assert mail.subject == "Resilient coasts: Zero draft circulated"
        assert "Proposals are due by 4 December 2026, 18:00 UTC." in mail.body
        assert f"https://drafter.example.org/n/{n.slug}/r/{rev.seq}/" in mail.body
    for who in ("cofacilitator", "secretariat", "observer", "outsider"):
        assert smtp.to(team[who].email) == []
    assert [x.mail_state for x in _inbox(session, team["delegate"])] == [MailState.SENT]


def test_each_user_chooses_per_kind(session, world, smtp):
    n, team, rev = world
    notify.set_deliveries(session, team["delegate"], {NotificationKind.CIRCULATED: Delivery.IN_APP})
    notify.set_deliveries(session, team["delegate2"], {NotificationKind.CIRCULATED: Delivery.NONE})
    lifecycle.circulate(session, None, rev, deadline=DEADLINE, now=NOW)
    lifecycle.set_deadline(session, None, rev, DEADLINE + dt.timedelta(days=1), now=NOW)
    session.commit()
    _send(session, NOW)
    # the first delegate sees the circulation in the list only; the second not at all; both get the new deadline by mail
    assert [x.kind for x in _inbox(session, team["delegate"])] == [
        NotificationKind.CIRCULATED,
        NotificationKind.DEADLINE_MOVED,
    ]
    assert [x.kind for x in _inbox(session, team["delegate2"])] == [NotificationKind.DEADLINE_MOVED]
    subjects = sorted(m.subject for m in smtp.received)
    assert subjects == ["Resilient coasts: the deadline for proposals on Zero draft moved"] * 2
    assert "now due by 5 December 2026, 18:00 UTC" in smtp.received[0].body
    assert "The deadline was 4 December 2026, 18:00 UTC." in smtp.received[0].body
    assert notify.deliveries(session, team["delegate"])[NotificationKind.DEADLINE_MOVED] is Delivery.EMAIL


def test_silence_its_break_and_its_end_are_told(session, world, smtp):
    n, team, rev = world
    lifecycle.circulate(session, None, rev, deadline=DEADLINE, now=NOW)
    until = NOW + dt.timedelta(hours=72)
    lifecycle.put_under_silence(session, None, rev, until=until, now=NOW)
    session.commit()
    _send(session, NOW)
    started = [m for m in smtp.to(team["delegate"].email) if "under silence" in m.subject]
    assert [m.subject for m in started] == [
        "Resilient coasts: Zero draft is under silence until 30 November 2026, 09:30 UTC"
    ]
    assert f"/n/{n.slug}/r/{rev.seq}/lifecycle#break" in started[0].body
    op1 = load_versions(session, rev)[3]
    mexico = team["delegate"].memberships[0].delegation
    lifecycle.record_silence_break(
        session, None, rev, delegation=mexico, statement="We cannot join.", paragraph_ids=[op1.paragraph_id], now=NOW
    )
    session.commit()
    _send(session, NOW)
    for who in ("delegate", "delegate2", "cofacilitator"):
        (broken,) = [m for m in smtp.to(team[who].email) if "broke the silence" in m.subject]
        assert "Mexico broke the silence on Zero draft, on OP1." in broken.body
        assert "We cannot join." in broken.body
    # a broken silence does not "end unbroken"
    assert _send(session, until + dt.timedelta(minutes=1)).told == 0


def test_a_silence_that_passes_unbroken_is_told_once(session, world, smtp):
    n, team, rev = world
    lifecycle.circulate(session, None, rev, deadline=DEADLINE, now=NOW)
    until = NOW + dt.timedelta(hours=72)
    lifecycle.put_under_silence(session, None, rev, until=until, now=NOW)
    session.commit()
    assert _send(session, until - dt.timedelta(minutes=1)).told == 0
    assert _send(session, until + dt.timedelta(minutes=1)).told == 1
    assert _send(session, until + dt.timedelta(minutes=2)).told == 0
    ended = [m for m in smtp.to(team["cofacilitator"].email) if "ended unbroken" in m.subject]
    assert len(ended) == 1 and "can now mark the text adopted" in ended[0].body
    lifecycle.adopt(session, None, rev, now=until + dt.timedelta(minutes=3))
    session.commit()
    _send(session, until + dt.timedelta(minutes=3))
    assert [m.subject for m in smtp.to(team["delegate"].email)][-1] == "Resilient coasts: Zero draft adopted"


def _circulated(session, world):
    n, team, rev = world
    lifecycle.circulate(session, None, rev, deadline=DEADLINE, now=NOW)
    session.commit()
    return n, team, rev, load_versions(session, rev)


def test_proposals_reach_the_cofacilitators_as_one_summary_after_a_quiet_period(session, world, smtp):
    n, team, rev, versions = _circulated(session, world)
    mexico = team["delegate"].memberships[0].delegation
    g77 = team["delegate2"].memberships[0].delegation
    at = NOW + dt.timedelta(hours=1)
    proposals.submit(session, None, rev, mexico, kind=ProposalKind.DELETE, target=versions[3], now=at)
    proposals.submit(
        session, None, rev, g77, kind=ProposalKind.INSERT, target=versions[0], text="Noting the report,", now=at
    )
    proposals.submit(session, None, rev, g77, kind=ProposalKind.RETAIN, target=versions[7], now=at)
    session.commit()
    assert _send(session, at + dt.timedelta(minutes=14)).told == 0  # still arriving: nothing yet
    assert _send(session, at + dt.timedelta(minutes=16)).told == 1
    (summary,) = smtp.to(team["cofacilitator"].email)[1:] or smtp.to(team["cofacilitator"].email)
    assert summary.subject == "Resilient coasts: 3 new proposals"
    assert "- Mexico: the deletion of OP1" in summary.body
    assert "- G77 and China: a new paragraph after PP1" in summary.body
    assert "- G77 and China: the retention of OP3" in summary.body
    assert f"/n/{n.slug}/r/{rev.seq}/compilation" in summary.body
    assert _send(session, at + dt.timedelta(minutes=40)).told == 0  # told once
    assert [m for m in smtp.received if "new proposal" in m.subject and team["delegate"].email in m.recipients] == []


def test_a_delegation_is_told_of_the_decision_on_its_proposal(session, world, smtp):
    n, team, rev, versions = _circulated(session, world)
    mexico = team["delegate"].memberships[0].delegation
    p = proposals.submit(
        session, None, rev, mexico, kind=ProposalKind.AMEND, target=versions[3], text="Decides to meet in 2030;"
    )
    from drafter.drafting import services as drafting

    drafting.start_revision(session, None, n, label="Rev.1")
    decisions.decide(session, team["cofacilitator"], p, ProposalState.NOT_RETAINED, note="No support.")
    session.commit()
    _send(session)
    (told,) = [m for m in smtp.to(team["delegate"].email) if "proposal #" in m.subject]
    assert told.subject == f"Resilient coasts: proposal #{p.id} not retained"
    assert "(an amendment to OP1): not retained." in told.body and "No support." in told.body
    assert [m for m in smtp.to(team["delegate2"].email) if "proposal #" in m.subject] == []


def test_a_refusing_server_is_retried_with_backoff_then_the_mail_is_marked_failed(tmp_path, world):
    n, team, rev = world
    with running(Handler(mode="refuse")) as refusing:
        from flask import current_app

        current_app.config.update(refusing.config(SMTP_MAX_ATTEMPTS=3, SMTP_RETRY_SECONDS=60))
        lifecycle.circulate(db.session, None, rev, deadline=DEADLINE, now=NOW)
        db.session.commit()
        first = _send(db.session, NOW)
        assert (first.sent, first.retried, first.failed) == (0, 2, 0)
        row = _inbox(db.session, team["delegate"])[0]
        assert row.mail_state is MailState.PENDING and row.next_attempt_at == NOW + dt.timedelta(seconds=60)
        assert "554" in row.last_error
        assert _send(db.session, NOW + dt.timedelta(seconds=30)).retried == 0  # not due yet
        second = _send(db.session, NOW + dt.timedelta(seconds=61))
        assert second.retried == 2
        row = db.session.get(Notification, row.id)
        assert row.next_attempt_at == NOW + dt.timedelta(seconds=61 + 240)  # four times longer
        third = _send(db.session, NOW + dt.timedelta(seconds=400))
        assert third.failed == 2
        row = db.session.get(Notification, row.id)
        assert (row.mail_state, row.attempts) == (MailState.FAILED, 3)
        assert refusing.handler.attempts == 6 and refusing.received == []
        assert _send(db.session, NOW + dt.timedelta(days=1)).failed == 0  # given up for good


def test_a_server_that_does_not_answer_in_time_counts_as_a_failed_attempt(world):
    n, team, rev = world
    with running(Handler(mode="slow", delay=3)) as slow:
        from flask import current_app

        current_app.config.update(slow.config(SMTP_TIMEOUT=0.5))
        lifecycle.circulate(db.session, None, rev, deadline=DEADLINE, now=NOW)
        db.session.commit()
        outcome = _send(db.session, NOW)
        assert outcome.retried == 2
        assert "timed out" in _inbox(db.session, team["delegate"])[0].last_error


def test_without_a_mail_server_nothing_is_sent_and_the_list_still_fills(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        n = f.negotiation(db.session)
        team = f.team(db.session, n)
        f.revision(db.session, n, deadline=DEADLINE, now=NOW)
        db.session.commit()
        outcome = sender.run_once(db.session, now=NOW)
        assert (outcome.sent, outcome.retried, outcome.failed) == (0, 0, 0)
        (row,) = _inbox(db.session, team["delegate"])
        assert row.mail_state is MailState.NONE and row.subject.endswith("circulated")
        assert notify.unread_count(db.session, team["delegate"]) == 1
        db.session.remove()


def test_a_claimed_mail_is_not_claimed_again(session, world):
    n, team, rev = world
    lifecycle.circulate(session, None, rev, deadline=DEADLINE, now=NOW)
    session.commit()
    first = sender.claim(session, now=NOW)
    assert len(first) == 2
    assert sender.claim(session, now=NOW) == []
    # a sender that died after claiming: its rows are taken again once the claim is stale
    assert sorted(sender.claim(session, now=NOW + sender.STALE_CLAIM)) == sorted(first)


@pg_only
def test_two_senders_at_once_never_send_a_mail_twice(tmp_path, smtp):
    app = make_app(tmp_path, **smtp.config())
    smtp.handler.mode, smtp.handler.delay = "slow", 0.05
    with app.app_context():
        n = f.negotiation(db.session)
        for i in range(30):
            d = f.delegation(db.session, f"Delegation {i:02d}")
            f.user(db.session, role=Role.DELEGATE, negotiation=n, delegation=d)
        f.revision(db.session, n, deadline=DEADLINE, now=NOW)
        db.session.commit()
        db.session.remove()
    outcomes: list[sender.Outcome] = []

    def run() -> None:
        with app.app_context():
            outcomes.append(sender.send_due(db.session))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    recipients = [r for m in smtp.received for r in m.recipients]
    assert len(recipients) == 30 and len(set(recipients)) == 30
    assert sum(o.sent for o in outcomes) == 30
    assert sum(1 for o in outcomes if o.sent) >= 2, "one sender took everything: the test proved nothing"
    with app.app_context():
        states = db.session.scalars(sa.select(Notification.mail_state)).all()
        assert set(states) == {MailState.SENT}
        db.session.remove()
    from tests.conftest import empty_database

    empty_database(app)


def test_a_backup_carries_no_notification(app):
    """What each user was told is theirs, not the negotiation's record (the audit log is that): a backup
    restored elsewhere would tell people again, or point them at ids that changed."""
    from drafter.backup.schema import plan

    names = plan(db.metadata).names
    assert "notifications" not in names and "notification_digest_entries" not in names
    assert "notification_preferences" not in names
    assert "silence_breaks" in names  # what delegations did is carried
