"""Sessions that end on the server, passwords, resets, deactivation, role changes and throttled sign-in."""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from drafter.audit import AuditEvent
from drafter.auth import passwords
from drafter.auth import services as accounts
from drafter.auth.models import Role, User, UserSession
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput, NotAllowed, StateError
from drafter.extensions import db
from drafter.proposals.models import Proposal
from tests import factories as f
from tests.conftest import PG_URL, TEST_PASSWORD, login, serve_app
from tests.support.pages import without_csrf

GENERIC = "The e-mail address or password is not right."


def _copy_cookies(source: FlaskClient, target: FlaskClient) -> None:
    """Give ``target`` the cookies of ``source``: an attacker who copied the session cookie."""
    for cookie in source._cookies.values():
        target.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)


def _signed_in(client: FlaskClient) -> bool:
    return client.get("/").status_code == 200


# -- Sessions end on the server ------------------------------------------------------------------


def test_a_cookie_copied_before_sign_out_no_longer_works(app: Flask, session):
    n = f.negotiation(session)
    mexico = f.delegation(session, "Mexico")
    delegate = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=mexico)
    rev = f.revision(session, n, deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    session.commit()
    victim, thief = app.test_client(), app.test_client()
    login(victim, delegate)
    _copy_cookies(victim, thief)
    assert _signed_in(thief)  # the copy works while the session is open

    victim.post("/logout")
    assert not _signed_in(thief)
    paragraph = load_versions(session, rev)[0].paragraph_id
    refused = thief.post(
        f"/n/{n.slug}/r/{rev.seq}/propose", data={"paragraph": paragraph, "kind": "retain", "delegation": mexico.id}
    )
    assert refused.status_code == 302 and "/login" in refused.location
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0
    assert session.scalar(sa.select(sa.func.count()).select_from(UserSession)) == 0


def test_signing_out_ends_every_session_of_the_account(app: Flask, session):
    u = f.user(session)
    session.commit()
    laptop, phone = app.test_client(), app.test_client()
    login(laptop, u)
    login(phone, u)
    laptop.post("/logout")
    assert not _signed_in(laptop) and not _signed_in(phone)


def test_an_idle_session_ends_after_the_configured_lifetime(tmp_path: Path):
    for app in serve_app(tmp_path, SESSION_IDLE_MINUTES=30):
        u = f.user(db.session)
        db.session.commit()
        client = app.test_client()
        login(client, u)
        assert _signed_in(client)
        row = db.session.scalar(sa.select(UserSession))
        row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=29)
        db.session.commit()
        assert _signed_in(client)  # 29 minutes idle: still open, and now used again
        row = db.session.scalar(sa.select(UserSession))
        assert dt.datetime.now(dt.UTC) - row.last_seen_at < dt.timedelta(minutes=1)
        row.last_seen_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31)
        db.session.commit()
        response = client.get("/")
        assert response.status_code == 302 and "/login" in response.location


def test_the_session_cookie_lives_no_longer_than_the_idle_lifetime(client, session):
    u = f.user(session)
    session.commit()
    response = client.post("/login", data={"email": u.email, "password": TEST_PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = re.search(r"Expires=([^;]+)", cookie).group(1)
    left = dt.datetime.strptime(expires, "%a, %d %b %Y %H:%M:%S GMT").replace(tzinfo=dt.UTC) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=9) < left <= dt.timedelta(hours=10, minutes=1)  # the default: a long working day


def test_sign_in_rotates_the_csrf_token(tmp_path: Path):
    for app in serve_app(tmp_path, WTF_CSRF_ENABLED=True):
        u = f.user(db.session)
        db.session.commit()
        client = app.test_client()
        token = _token(client, "/login")
        assert (
            client.post("/login", data={"email": u.email, "password": TEST_PASSWORD, "csrf_token": token}).status_code
            == 302
        )
        after = _token(client, "/account")
        assert after != token
        # the token from before sign-in no longer passes
        refused = client.post(
            "/account", data={"current": TEST_PASSWORD, "new": "x", "confirm": "x", "csrf_token": token}
        )
        assert refused.status_code == 400


def _token(client: FlaskClient, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)


# -- Password rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short pass", "at least 12 characters"),
        (" " * 14, "only spaces"),
        ("user1@example.org", "e-mail address"),
        ("USER1@EXAMPLE.ORG", "e-mail address"),
        ("qwerty123456", "common passwords"),
        ("LeaveMeAlone", "common passwords"),
        ("qwertyuiop12", "common passwords"),
        ("Password2026", "too easy to guess"),
        ("abcdabcdabcd", "too easy to guess"),
        ("aaaaaaaaaaaaaaaa", "too easy to guess"),
        ("x" * 201, "at most 200"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str):
    problem = passwords.problem(password, email="user1@example.org")
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "password", [TEST_PASSWORD, "drafter-demo", "Quiet harbour at dawn 2026", "ليس كلمة مرور سهلة"]
)
def test_good_passwords_pass(password: str):
    assert passwords.problem(password, email="user1@example.org") is None


def test_the_same_rules_hold_for_new_accounts_in_the_service_and_the_cli(app: Flask, session, runner):
    with pytest.raises(InvalidInput, match="common passwords"):
        accounts.create_user(session, None, email="jo@example.org", name="Jo", password="qwerty123456")
    result = runner.invoke(
        args=["users", "create", "jo@example.org", "--name", "Jo", "--role", "admin"], input="Password2026\n"
    )
    assert result.exit_code != 0 and "too easy to guess" in result.output
    assert session.scalar(sa.select(User).where(User.email == "jo@example.org")) is None


def test_a_user_changes_their_own_password_and_other_browsers_are_signed_out(app: Flask, session):
    u = f.user(session)
    session.commit()
    here, elsewhere = app.test_client(), app.test_client()
    login(here, u)
    login(elsewhere, u)

    wrong = here.post(
        "/account",
        data={"current": "not it at all", "new": "Quiet harbour at dawn 2026", "confirm": "Quiet harbour at dawn 2026"},
    )
    assert wrong.status_code == 400 and "The current password is not right." in wrong.get_data(as_text=True)
    weak = here.post("/account", data={"current": TEST_PASSWORD, "new": "qwerty123456", "confirm": "qwerty123456"})
    assert "common passwords" in weak.get_data(as_text=True)

    done = here.post(
        "/account",
        data={"current": TEST_PASSWORD, "new": "Quiet harbour at dawn 2026", "confirm": "Quiet harbour at dawn 2026"},
    )
    assert done.status_code == 302
    assert _signed_in(here) and not _signed_in(elsewhere)
    assert accounts.authenticate(session, u.email, "Quiet harbour at dawn 2026") is not None
    assert accounts.authenticate(session, u.email, TEST_PASSWORD) is None


def test_an_administrator_resets_a_password_shown_once_that_must_be_changed(app: Flask, session):
    admin = f.user(session, is_admin=True)
    u = f.user(session, name="Kofi Mensah")
    session.commit()
    victim_browser = app.test_client()
    login(victim_browser, u)
    admin_client = app.test_client()
    login(admin_client, admin)

    page = admin_client.post(f"/admin/users/{u.id}/reset-password").get_data(as_text=True)
    temporary = re.search(r'class="temporary-password"><code>([^<]+)</code>', page).group(1)
    assert passwords.problem(temporary) is None and temporary not in admin_client.get("/admin/users").get_data(
        as_text=True
    )
    assert not _signed_in(victim_browser)  # the reset ended the user's sessions

    client = app.test_client()
    response = client.post("/login", data={"email": u.email, "password": temporary})
    assert response.status_code == 302 and response.location.endswith("/account")
    blocked = client.get("/")
    assert blocked.status_code == 302 and blocked.location.endswith("/account")
    assert (
        client.post(
            "/account",
            data={"current": temporary, "new": "Quiet harbour at dawn 2026", "confirm": "Quiet harbour at dawn 2026"},
        ).status_code
        == 302
    )
    assert _signed_in(client)
    events = [
        e.action
        for e in session.scalars(
            sa.select(AuditEvent).where(AuditEvent.object_id == u.id, AuditEvent.object_type == "User")
        )
    ]
    assert "user.password_reset" in events and "user.password_changed" in events


def test_an_administrator_changes_their_own_password_on_the_account_page_not_by_reset(app: Flask, session):
    admin = f.user(session, is_admin=True)
    session.commit()
    client = app.test_client()
    login(client, admin)
    page = client.post(f"/admin/users/{admin.id}/reset-password", follow_redirects=True).get_data(as_text=True)
    assert "use your account page" in page and _signed_in(client)
    session.expire_all()
    assert not admin.must_change_password


def test_the_cli_resets_a_password(app: Flask, session, runner):
    u = f.user(session)
    session.commit()
    result = runner.invoke(args=["users", "reset-password", u.email])
    assert result.exit_code == 0, result.output
    temporary = result.output.strip().splitlines()[-1]
    session.expire_all()
    assert accounts.authenticate(session, u.email, temporary) is not None and u.must_change_password


def test_deactivation_ends_sessions_and_sign_in(app: Flask, session, runner):
    admin = f.user(session, is_admin=True)
    u = f.user(session)
    session.commit()
    browser = app.test_client()
    login(browser, u)
    admin_client = app.test_client()
    login(admin_client, admin)
    assert admin_client.post(f"/admin/users/{u.id}/active", data={"active": "0"}).status_code == 302
    assert not _signed_in(browser)
    again = app.test_client().post("/login", data={"email": u.email, "password": TEST_PASSWORD})
    assert GENERIC in again.get_data(as_text=True)
    # an administrator cannot lock themselves out
    refused = admin_client.post(f"/admin/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "cannot deactivate your own account" in refused.get_data(as_text=True)
    assert runner.invoke(args=["users", "activate", u.email]).exit_code == 0
    login(app.test_client(), u)


# -- Roles: no escalation --------------------------------------------------------------------------


@pytest.fixture
def team(session):
    n = f.negotiation(session)
    people = f.team(session, n)
    session.commit()
    return n, people


def test_the_secretariat_manages_delegates_and_observers_only(app: Flask, session, team):
    n, people = team
    secretariat = people["secretariat"]
    client = app.test_client()
    login(client, secretariat)
    form = client.get(f"/n/{n.slug}/members").get_data(as_text=True).split("Add a member")[1]
    assert 'value="cofacilitator"' not in form and 'value="secretariat"' not in form and 'value="observer"' in form
    for email, role in [
        (secretariat.email, "cofacilitator"),
        (people["delegate"].email, "cofacilitator"),
        (people["delegate"].email, "secretariat"),
        (people["observer"].email, "secretariat"),
    ]:
        page = client.post(f"/n/{n.slug}/members", data={"email": email, "role": role, "delegation": "0"})
        assert page.status_code in (400, 302)
    session.expire_all()
    assert people["secretariat"].membership_in(n.id).role is Role.SECRETARIAT
    assert people["delegate"].membership_in(n.id).role is Role.DELEGATE
    assert people["observer"].membership_in(n.id).role is Role.OBSERVER
    cofac = people["cofacilitator"].membership_in(n.id)
    client.post(f"/n/{n.slug}/members/{cofac.id}/remove")
    session.expire_all()
    assert people["cofacilitator"].membership_in(n.id) is not None
    # what the secretariat may do still works
    outsider = people["outsider"]
    assert (
        client.post(
            f"/n/{n.slug}/members", data={"email": outsider.email, "role": "observer", "delegation": "0"}
        ).status_code
        == 302
    )
    session.expire_all()
    assert outsider.membership_in(n.id).role is Role.OBSERVER


def test_only_administrators_give_the_cofacilitator_role_and_the_record_says_who(session, team):
    n, people = team
    admin, delegate = people["admin"], people["delegate"]
    with pytest.raises(NotAllowed):
        accounts.grant_role(session, people["secretariat"], user=delegate, negotiation=n, role=Role.COFACILITATOR)
    with pytest.raises(NotAllowed):
        accounts.grant_role(session, people["cofacilitator"], user=delegate, negotiation=n, role=Role.COFACILITATOR)
    accounts.grant_role(session, admin, user=admin, negotiation=n, role=Role.COFACILITATOR)
    event = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "membership.granted").order_by(AuditEvent.id.desc())
    ).first()
    assert event.actor_id == admin.id and event.data["member"] == admin.email
    assert event.data["after"]["role"] == "cofacilitator" and admin.email in event.summary


def test_a_negotiation_keeps_at_least_one_cofacilitator(session, team):
    n, people = team
    admin, cofac = people["admin"], people["cofacilitator"]
    with pytest.raises(StateError, match="only co-facilitator"):
        accounts.revoke_role(session, admin, cofac.membership_in(n.id))
    with pytest.raises(StateError, match="only co-facilitator"):
        accounts.grant_role(session, admin, user=cofac, negotiation=n, role=Role.OBSERVER)
    with pytest.raises(StateError, match="only co-facilitator"):
        accounts.set_active(session, admin, cofac, False)
    accounts.grant_role(session, admin, user=people["observer"], negotiation=n, role=Role.COFACILITATOR)
    accounts.revoke_role(session, admin, cofac.membership_in(n.id))  # now there is another


# -- Sign-in throttle ------------------------------------------------------------------------------


def test_repeated_failures_lock_the_account_with_a_clear_message_and_no_enumeration(tmp_path: Path):
    for app in serve_app(tmp_path, LOGIN_FAILURES_PER_ACCOUNT=5):
        u = f.user(db.session)
        db.session.commit()
        client = app.test_client()
        for _ in range(5):
            assert GENERIC in client.post("/login", data={"email": u.email, "password": "wrong guess"}).get_data(
                as_text=True
            )
        locked = client.post("/login", data={"email": u.email, "password": TEST_PASSWORD})
        unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong guess"})
        for _ in range(5):
            unknown = client.post("/login", data={"email": "nobody@example.org", "password": "wrong guess"})
        assert locked.status_code == unknown.status_code == 429
        assert "Too many failed sign-ins. Try again in 15 minutes." in locked.get_data(as_text=True)
        # nothing tells the locked account from an unknown address (the CSRF tokens carry a timestamp)
        assert without_csrf(locked.get_data()) == without_csrf(unknown.get_data()).replace(
            b"nobody@example.org", u.email.encode()
        )
        assert not _signed_in(client)
        # the window passes: the right password works again, and success clears the account's count
        db.session.execute(sa.text("UPDATE throttle_hits SET at = :t"), {"t": dt.datetime(2000, 1, 1)})
        db.session.commit()
        login(client, u)


def test_failures_from_one_address_are_limited_across_accounts(tmp_path: Path):
    for app in serve_app(tmp_path, LOGIN_FAILURES_PER_ADDRESS=8):
        users = [f.user(db.session) for _ in range(3)]
        db.session.commit()
        client = app.test_client()
        for i in range(8):
            client.post("/login", data={"email": users[i % 2].email, "password": "wrong guess"})
        refused = client.post("/login", data={"email": users[2].email, "password": TEST_PASSWORD})
        assert refused.status_code == 429
        other_address = app.test_client()
        response = other_address.post(
            "/login",
            data={"email": users[2].email, "password": TEST_PASSWORD},
            environ_base={"REMOTE_ADDR": "10.1.2.3"},
        )
        assert response.status_code == 302


@pytest.mark.skipif(not PG_URL, reason="several app processes share a PostgreSQL database")
def test_the_throttle_holds_across_app_processes(tmp_path: Path):
    """Two apps with their own engines on one PostgreSQL database stand for two gunicorn workers."""
    for first in serve_app(tmp_path, LOGIN_FAILURES_PER_ACCOUNT=6):
        u = f.user(db.session)
        db.session.commit()
        from drafter import create_app
        from tests.conftest import base_config

        second = create_app(base_config(tmp_path / "second", LOGIN_FAILURES_PER_ACCOUNT=6))
        clients = [first.test_client(), second.test_client()]
        for i in range(6):
            app = (first, second)[i % 2]
            with app.app_context():
                clients[i % 2].post("/login", data={"email": u.email, "password": "wrong guess"})
        with second.app_context():
            assert clients[1].post("/login", data={"email": u.email, "password": TEST_PASSWORD}).status_code == 429
            db.session.remove()
            db.engine.dispose()
        assert clients[0].post("/login", data={"email": u.email, "password": TEST_PASSWORD}).status_code == 429


# -- Headers and a database that is down --------------------------------------------------------------


def test_signed_in_pages_and_downloads_are_not_stored_static_files_may_be(app: Flask, session):
    u = f.user(session)
    session.commit()
    client = app.test_client()
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    login(client, u)
    assert client.get("/").headers["Cache-Control"] == "no-store"
    static = client.get("/static/drafter.css")
    static.close()
    assert "no-store" not in static.headers.get("Cache-Control", "")
    assert "Strict-Transport-Security" not in client.get("/").headers  # plain http in tests


def test_strict_transport_security_when_cookies_are_secure(tmp_path: Path):
    for app in serve_app(tmp_path, SECURE_COOKIES=True):
        response = app.test_client().get("/login", base_url="https://drafter.example")
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_with_the_database_down_users_get_the_unavailable_page(tmp_path: Path, caplog):
    url = (
        "postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=2"
        if PG_URL
        else f"sqlite:///{tmp_path / 'missing' / 'folder' / 'drafter.sqlite'}"
    )
    from drafter import create_app
    from tests.conftest import base_config

    config = base_config(tmp_path, DATABASE_URL=url)
    config.pop("SQLALCHEMY_ENGINE_OPTIONS", None)
    app = create_app(config)
    client = app.test_client()
    from flask_login.utils import _create_identifier

    with app.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as cookie:  # a signed-in browser: its user must be looked up
        cookie["_user_id"], cookie["sid"], cookie["_id"] = "1", "token", identifier
    with caplog.at_level(logging.ERROR, logger="drafter.web"):
        for path in ("/login", "/", "/n/any/r/1"):
            response = (
                client.get(path) if path != "/login" else client.post(path, data={"email": "a@b.org", "password": "x"})
            )
            body = response.get_data(as_text=True)
            assert response.status_code == 503, (path, response.status_code)
            assert "briefly unavailable" in body and "Nothing you submitted was half-saved" in body
            assert "Traceback" not in body and "psycopg" not in body and "sqlite3" not in body
    assert any("database unavailable" in r.getMessage() for r in caplog.records)
    with app.app_context():
        db.engine.dispose()
