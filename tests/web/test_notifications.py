"""The notifications page, the count in the top bar, each user's choices, and pages that never wait for mail."""

from __future__ import annotations

import datetime as dt
import re
import statistics
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.notifications.models import Delivery, MailState, Notification, NotificationKind, NotificationPreference
from tests import factories as f
from tests.conftest import PG_URL, empty_database, login, make_app
from tests.support.smtp import Handler, running
from tests.support.timing import bound

NOW = dt.datetime.now(dt.UTC)


@pytest.fixture
def w(app, session):
    n = f.negotiation(session, title="Coasts")
    team = f.team(session, n)
    rev = f.revision(session, n, label="Rev.1", deadline=NOW + dt.timedelta(days=2), now=NOW)
    session.commit()
    return n, team, rev


def _text(response) -> str:
    return response.get_data(as_text=True)


def test_the_list_shows_what_happened_and_the_top_bar_counts_what_is_unread(client, w):
    n, team, rev = w
    login(client, team["delegate"])
    page = _text(client.get(f"/n/{n.slug}/"))
    assert re.search(r'href="/notifications/">Notifications <span class="count"[^>]*>1</span>', page)
    listing = _text(client.get("/notifications/"))
    assert f'<a href="/n/{n.slug}/r/{rev.seq}/">Coasts: Rev.1 circulated</a>' in listing
    assert "Proposals are due by" in listing
    assert "This Drafter sends no e-mail" in listing  # no mail server in the tests' settings
    (note,) = db.session.scalars(sa.select(Notification).where(Notification.user_id == team["delegate"].id))
    assert client.post(f"/notifications/{note.id}/read").status_code == 302
    page = _text(client.get(f"/n/{n.slug}/"))
    assert 'href="/notifications/">Notifications</a>' in page


def test_a_notification_of_someone_else_is_not_there(client, w):
    n, team, rev = w
    (theirs,) = db.session.scalars(sa.select(Notification).where(Notification.user_id == team["delegate2"].id))
    login(client, team["delegate"])
    assert client.post(f"/notifications/{theirs.id}/read").status_code == 404
    assert db.session.get(Notification, theirs.id).read_at is None


def test_mark_all_read(client, w):
    n, team, rev = w
    lifecycle.set_deadline(db.session, None, rev, NOW + dt.timedelta(days=3))
    db.session.commit()
    login(client, team["delegate"])
    assert ">2</span>" in _text(client.get("/notifications/"))
    client.post("/notifications/read")
    assert 'class="count"' not in _text(client.get("/notifications/"))


def _choices(**chosen: str) -> dict[str, str]:
    return {k.value: chosen.get(k.value, "email") for k in NotificationKind}


def test_choices_are_saved_and_shown_again(client, w):
    n, team, rev = w
    login(client, team["delegate"])
    done = client.post("/notifications/preferences", data=_choices(decided="in_app", proposals="none"))
    assert done.status_code == 302
    rows = {p.kind: p.delivery for p in db.session.scalars(sa.select(NotificationPreference))}
    assert rows[NotificationKind.DECIDED] is Delivery.IN_APP and rows[NotificationKind.PROPOSALS] is Delivery.NONE
    page = _text(client.get("/notifications/"))
    assert re.search(r'<select id="decided" name="decided">.*?<option selected value="in_app">', page, re.S)


def test_a_refused_choice_comes_back_beside_its_field_with_the_others_kept(client, w):
    n, team, rev = w
    login(client, team["delegate"])
    refused = client.post("/notifications/preferences", data=_choices(decided="pigeon", circulated="none"))
    page = _text(refused)
    assert refused.status_code == 400
    assert re.search(r'<td>.*?name="decided".*?<p class="field-error" id="decided-error">Choose e-mail too', page, re.S)
    assert re.search(r'<select id="circulated" name="circulated">.*?<option selected value="none">', page, re.S)
    assert db.session.scalars(sa.select(NotificationPreference)).all() == []


def _timed(client, path: str, data: dict) -> float:
    start = time.perf_counter()
    response = client.post(path, data=data)
    elapsed = time.perf_counter() - start
    assert response.status_code == 302, _text(response)
    return elapsed


@pytest.mark.parametrize("mode", ["slow", "refuse"])
def test_a_slow_or_refusing_mail_server_changes_neither_a_page_nor_its_time(tmp_path: Path, mode: str):
    """The app's own sender runs in its thread while delegates are being told; the pages answer as fast as
    without a mail server, and the mails are retried, then marked failed."""
    database = (
        {} if PG_URL else {"DATABASE_URL": f"sqlite:///{tmp_path / 'mail.sqlite'}", "SQLALCHEMY_ENGINE_OPTIONS": {}}
    )
    with running(Handler(mode=mode, delay=1.5)) as server:
        timings: dict[str, list[float]] = {}
        for label, settings in (("without mail", {}), ("with mail", server.config())):
            (tmp_path / label).mkdir()
            # the sender thread has a connection of its own: a database file, not the tests' shared in-memory one
            database = (
                {}
                if PG_URL
                else {"DATABASE_URL": f"sqlite:///{tmp_path / label / 'db.sqlite'}", "SQLALCHEMY_ENGINE_OPTIONS": {}}
            )
            app = make_app(
                tmp_path / label,
                **database,
                **settings,
                SMTP_TIMEOUT=0.5,
                SMTP_MAX_ATTEMPTS=2,
                SMTP_RETRY_SECONDS=0,
                NOTIFY_THREAD=True,
                NOTIFY_INTERVAL_SECONDS=0.05,
            )
            with app.app_context():
                n = f.negotiation(db.session, slug="coasts")
                team = f.team(db.session, n)
                rev = f.revision(db.session, n, label="Rev.1", deadline=NOW + dt.timedelta(days=2), now=NOW)
                db.session.commit()
                client = app.test_client()
                login(client, team["cofacilitator"])
                timings[label] = [
                    _timed(
                        client,
                        f"/n/coasts/r/{rev.seq}/deadline",
                        {"deadline": (NOW + dt.timedelta(days=3, hours=h)).strftime("%Y-%m-%dT%H:%M")},
                    )
                    for h in range(3)
                ]
                if settings:
                    deadline = time.monotonic() + 30
                    while time.monotonic() < deadline:
                        db.session.expire_all()
                        states = set(db.session.scalars(sa.select(Notification.mail_state)))
                        if states == {MailState.FAILED}:
                            break
                        time.sleep(0.1)
                    rows = db.session.scalars(sa.select(Notification)).all()
                    assert {r.mail_state for r in rows} == {MailState.FAILED}
                    assert {r.attempts for r in rows} == {2}
                    assert all(("timed out" if mode == "slow" else "554") in r.last_error for r in rows)
                    assert server.received == []
                app.extensions["drafter.sender"].stop()
                app.extensions["drafter.sender"].join(5)
                db.session.remove()
            empty_database(app)
    print({k: [round(t * 1000, 1) for t in v] for k, v in timings.items()}, "ms")
    without, with_mail = statistics.median(timings["without mail"]), statistics.median(timings["with mail"])
    assert max(timings["with mail"]) < bound(0.5), timings  # one slow mail alone takes 0.5 s to time out
    assert with_mail < without + bound(0.15), timings


def test_the_send_command_sends_what_is_due_for_cron(tmp_path: Path):
    with running(Handler()) as server:
        app = make_app(tmp_path, **server.config())
        with app.app_context():
            n = f.negotiation(db.session)
            team = f.team(db.session, n)
            f.revision(db.session, n, label="Rev.1", deadline=NOW + dt.timedelta(days=2), now=NOW)
            db.session.commit()
            result = app.test_cli_runner().invoke(args=["notifications", "send"])
            assert result.exit_code == 0, result.output
            assert "2 sent, 0 to retry, 0 failed." in result.output
            assert sorted(r for m in server.received for r in m.recipients) == sorted(
                [team["delegate"].email, team["delegate2"].email]
            )
            again = app.test_cli_runner().invoke(args=["notifications", "send"])
            assert "0 sent" in again.output  # nothing is sent twice
            db.session.remove()
        empty_database(app)
