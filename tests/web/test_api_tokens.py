"""Personal API tokens: made and revoked on the account page and the command line, shown once, stored
hashed, last use kept; a token is its user, no more, and stops with revocation or deactivation."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.audit import AuditEvent
from drafter.auth import services as accounts
from drafter.auth import tokens
from drafter.auth.tokens import ApiToken
from drafter.extensions import db
from tests.support.world import World, build_world, client_as


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def make_on_the_page(app: Flask, w: World, role: str, name: str = "Briefing notes") -> str:
    """Make a token on the account page as ``role`` and return it as the page shows it."""
    client = client_as(app, w, role)
    response = client.post("/account/tokens", data={"name": name})
    assert response.status_code == 200
    match = re.search(r'<code id="new-token">([^<]+)</code>', response.get_data(as_text=True))
    assert match, "the new token is not shown"
    return match.group(1)


def test_a_token_is_made_on_the_account_page_shown_once_and_stored_as_its_hash(app, w):
    token = make_on_the_page(app, w, "delegate")
    assert token.startswith(tokens.TOKEN_PREFIX) and len(token) > 40
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == w.users["delegate"].id))
    assert row.name == "Briefing notes" and row.revoked_at is None and row.last_used_at is None
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token.startswith(row.prefix) and len(row.prefix) < 16
    # the token itself is in no column of any table
    for table in db.metadata.sorted_tables:
        for r in db.session.execute(sa.select(table)):
            assert token not in repr(tuple(r)), f"the token is stored in {table.name}"
    # the account page lists it by name and first characters, never in full
    page = client_as(app, w, "delegate").get("/account").get_data(as_text=True)
    assert "Briefing notes" in page and f"{row.prefix}…" in page and token not in page and "Never" in page
    made = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "token.created"))
    assert made.actor_id == w.users["delegate"].id and token not in repr(made.data) + made.summary


def test_a_token_without_a_name_is_refused_beside_the_field(app, w):
    client = client_as(app, w, "delegate")
    response = client.post("/account/tokens", data={"name": "   "})
    body = response.get_data(as_text=True)
    assert response.status_code == 400 and "Give the token a name" in body and 'id="new-token"' not in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0
    long = "x" * 81
    response = client.post("/account/tokens", data={"name": long})
    assert response.status_code == 400 and f'value="{long}"' in response.get_data(as_text=True)


def test_the_token_calls_the_api_as_its_user_and_its_last_use_is_kept(app, w):
    token = make_on_the_page(app, w, "delegate")
    anonymous = app.test_client()
    response = anonymous.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 200
    assert response.json["email"] == w.users["delegate"].email and response.json["authenticated_by"] == "token"
    assert response.json["token"]["name"] == "Briefing notes"
    db.session.expire_all()
    row = db.session.scalar(sa.select(ApiToken))
    assert row.last_used_at is not None and dt.datetime.now(dt.UTC) - row.last_used_at < dt.timedelta(minutes=1)
    page = client_as(app, w, "delegate").get("/account").get_data(as_text=True)
    assert "Never" not in page


def test_a_token_never_sees_more_than_its_user(app, w):
    token = make_on_the_page(app, w, "delegate")
    client = app.test_client()
    slug = w.negotiation.slug
    assert client.get(f"/api/v1/negotiations/{slug}/revisions/{w.rev2.seq}", headers=bearer(token)).status_code == 404
    assert client.get(f"/api/v1/negotiations/{slug}/audit", headers=bearer(token)).status_code == 403
    assert client.get("/api/v1/negotiations/elsewhere", headers=bearer(token)).status_code == 404
    listed = client.get("/api/v1/negotiations", headers=bearer(token)).json["items"]
    assert [n["slug"] for n in listed] == [slug]
    # signed in as the co-facilitator in the same browser: the token still speaks for the delegate only
    cofacilitator = client_as(app, w, "cofacilitator")
    response = cofacilitator.get(f"/api/v1/negotiations/{slug}/revisions/{w.rev2.seq}", headers=bearer(token))
    assert response.status_code == 404
    assert cofacilitator.get("/api/v1/me", headers=bearer(token)).json["email"] == w.users["delegate"].email


def test_a_revoked_token_is_refused(app, w):
    token = make_on_the_page(app, w, "delegate")
    row = db.session.scalar(sa.select(ApiToken))
    client = client_as(app, w, "delegate")
    response = client.post(f"/account/tokens/{row.id}/revoke")
    assert response.status_code == 302 and response.location.endswith("/account#tokens")
    refused = app.test_client().get("/api/v1/me", headers=bearer(token))
    assert refused.status_code == 401 and refused.json["code"] == "unauthenticated"
    assert "revoked" in refused.json["message"] and refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Revoked" in client.get("/account").get_data(as_text=True)
    # nobody revokes another user's token, not even knowing its id
    other = make_on_the_page(app, w, "secretariat")
    theirs = db.session.scalar(sa.select(ApiToken).where(ApiToken.user_id == w.users["secretariat"].id))
    assert client.post(f"/account/tokens/{theirs.id}/revoke").status_code == 404
    assert app.test_client().get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_a_deactivated_users_tokens_stop_working_and_work_again_when_reactivated(app, w):
    token = make_on_the_page(app, w, "delegate")
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200
    accounts.set_active(db.session, None, db.session.get(type(w.users["delegate"]), w.users["delegate"].id), False)
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    accounts.set_active(db.session, None, db.session.get(type(w.users["delegate"]), w.users["delegate"].id), True)
    db.session.commit()
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer drafter_not-a-real-token", "Bearer " + "x" * 5000, "Token abc"],
)
def test_bad_authorization_headers_get_a_json_401(app, w, header):
    response = app.test_client().get("/api/v1/me", headers={"Authorization": header})
    assert response.status_code == 401 and response.is_json and response.json["code"] == "unauthenticated"
    assert response.json["field"] == "Authorization"


def test_no_credentials_get_a_json_401_and_the_description_is_public(app, w):
    response = app.test_client().get(f"/api/v1/negotiations/{w.negotiation.slug}")
    assert response.status_code == 401 and response.json["code"] == "unauthenticated"
    assert app.test_client().get("/api/v1/openapi.json").status_code == 200


def test_the_command_line_makes_lists_and_revokes_tokens(app, w):
    runner = app.test_cli_runner()
    email = w.users["observer"].email
    made = runner.invoke(args=["tokens", "create", email, "--name", "Mission tracker"])
    assert made.exit_code == 0, made.output
    token = made.output.strip().splitlines()[-1]
    assert token.startswith(tokens.TOKEN_PREFIX)
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).json["email"] == email
    listed = runner.invoke(args=["tokens", "list", email])
    assert "Mission tracker" in listed.output and token not in listed.output and "live" in listed.output
    prefix = token[: tokens.SHOWN_CHARS]
    assert runner.invoke(args=["tokens", "revoke", email]).exit_code != 0  # which one?
    revoked = runner.invoke(args=["tokens", "revoke", email, "--prefix", prefix])
    assert revoked.exit_code == 0 and "Revoked" in revoked.output, revoked.output
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 401
    again = runner.invoke(args=["tokens", "revoke", email, "--all"])
    assert again.exit_code != 0 and "no live token" in again.output
    nobody = runner.invoke(args=["tokens", "create", "nobody@example.org", "--name", "x"])
    assert nobody.exit_code != 0 and "no account" in nobody.output.lower()


def test_calls_per_token_are_limited(tmp_path):
    from tests.conftest import serve_app

    for app in serve_app(tmp_path, API_REQUESTS_PER_MINUTE=3):
        w = build_world(db.session, Path(app.config["EXPORT_DIR"]))
        token = tokens.create(db.session, None, w.users["delegate"], "Busy script")
        other = tokens.create(db.session, None, w.users["delegate"], "Quiet script")
        db.session.commit()
        client = app.test_client()
        assert [client.get("/api/v1/me", headers=bearer(token)).status_code for _ in range(3)] == [200] * 3
        limited = client.get("/api/v1/me", headers=bearer(token))
        assert limited.status_code == 429 and limited.json["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 60
        # the limit is the token's: another token of the same user is not held back by it
        assert client.get("/api/v1/me", headers=bearer(other)).status_code == 200


def test_a_session_that_must_choose_a_password_is_refused_in_json_and_its_tokens_still_work(app, w):
    token = make_on_the_page(app, w, "delegate")
    client = client_as(app, w, "delegate")
    db.session.get(type(w.users["delegate"]), w.users["delegate"].id).must_change_password = True
    db.session.commit()
    refused = client.get("/api/v1/me")
    assert refused.status_code == 403 and refused.json["code"] == "forbidden" and "password" in refused.json["message"]
    assert client.get("/").status_code == 302  # the pages send it to the account page
    assert app.test_client().get("/api/v1/me", headers=bearer(token)).status_code == 200


def test_the_rules_of_making_a_token(app, w):
    from drafter.errors import InvalidInput, NotAllowed, StateError

    delegate, observer = w.users["delegate"], w.users["observer"]
    with pytest.raises(InvalidInput, match="at most 80"):
        tokens.create(db.session, delegate, delegate, "x" * 81)
    with pytest.raises(NotAllowed):
        tokens.create(db.session, delegate, observer, "For someone else")
    accounts.set_active(db.session, None, observer, False)
    with pytest.raises(StateError, match="deactivated"):
        tokens.create(db.session, None, observer, "Too late")
    token = tokens.create(db.session, delegate, delegate, "Mine")
    row = tokens.find(db.session, token)
    with pytest.raises(NotAllowed):
        tokens.revoke(db.session, observer, row)
    tokens.revoke(db.session, None, row)
    tokens.revoke(db.session, None, row)  # again: nothing more happens
    assert len([e for e in db.session.scalars(sa.select(AuditEvent)) if e.action == "token.revoked"]) == 1


def test_the_account_pages_token_forms_carry_their_csrf_token(tmp_path):
    from tests.conftest import serve_app
    from tests.web.test_security import csrf_token, login_with_token

    for app in serve_app(tmp_path, WTF_CSRF_ENABLED=True):
        w = build_world(db.session, Path(app.config["EXPORT_DIR"]))
        browser = app.test_client()
        login_with_token(browser, w.users["delegate"])
        made = browser.post("/account/tokens", data={"name": "Notes", "csrf_token": csrf_token(browser, "/account")})
        assert made.status_code == 200 and 'id="new-token"' in made.get_data(as_text=True)
        page = browser.get("/account").get_data(as_text=True)
        action = re.search(r'action="(/account/tokens/\d+/revoke)"', page).group(1)
        assert browser.post(action).status_code == 400  # without the token: refused
        revoked = browser.post(action, data={"csrf_token": csrf_token(browser, "/account")})
        assert revoked.status_code == 302
        assert db.session.scalar(sa.select(ApiToken)).revoked_at is not None
