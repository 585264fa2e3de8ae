"""Signing in and out: one generic message, session cookie flags, no open redirect."""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
import sqlalchemy as sa

from drafter.auth.models import UserSession
from tests import factories as f
from tests.conftest import TEST_PASSWORD, login, make_app
from tests.support.pages import without_csrf

GENERIC = "The e-mail address or password is not right."


def _cookie_attributes(response, name: str) -> dict[str, str]:
    """Return the attributes of a cookie set by the response (lower-case names)."""
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(name + "="):
            cookie = SimpleCookie()
            cookie.load(header)
            morsel = cookie[name]
            attrs = {k.lower(): str(v) for k, v in morsel.items() if v}
            for flag in ("httponly", "secure"):  # SimpleCookie keeps bare flags as True
                if f"; {flag}" in header.lower():
                    attrs[flag] = "true"
            return attrs
    raise AssertionError(f"no {name} cookie set")


def test_login_with_the_right_password_signs_in(client, session):
    u = f.user(session, name="Ana Costa")
    session.commit()
    response = client.post("/login", data={"email": u.email.upper(), "password": TEST_PASSWORD})
    assert response.status_code == 302 and response.location == "/"
    assert "Ana Costa" in client.get("/").get_data(as_text=True)
    opened = session.scalars(sa.select(UserSession).where(UserSession.user_id == u.id)).all()
    assert len(opened) == 1, "signing in opens one session, recorded in the database"


def test_bad_password_and_unknown_email_give_the_same_generic_answer(client, session):
    u = f.user(session)
    session.commit()
    wrong_password = client.post("/login", data={"email": u.email, "password": "not the password"})
    unknown_email = client.post("/login", data={"email": "nobody@example.org", "password": "not the password"})
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert GENERIC in wrong_password.get_data(as_text=True)

    # Nothing on the page tells an existing address from an unknown one (the CSRF token
    # carries a timestamp, so it may differ by a second between the two answers).
    def page(response):
        return without_csrf(response.get_data())

    assert page(wrong_password) == page(unknown_email).replace(b"nobody@example.org", u.email.encode())
    assert client.get("/").status_code == 302  # still signed out


def test_an_inactive_account_cannot_sign_in_and_gets_the_same_message(client, session):
    u = f.user(session)
    u.active = False
    session.commit()
    response = client.post("/login", data={"email": u.email, "password": TEST_PASSWORD})
    assert response.status_code == 200 and GENERIC in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_a_deactivated_user_is_signed_out_on_the_next_request(client, session):
    u = f.user(session)
    session.commit()
    login(client, u)
    u.active = False
    session.commit()
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_over_long_login_fields_are_refused_with_a_message(client):
    response = client.post("/login", data={"email": "a" * 300 + "@example.org", "password": "x" * 300})
    assert response.status_code == 200
    assert "Field cannot be longer than" in response.get_data(as_text=True)


def test_logout_signs_out_and_only_by_post(client, session):
    u = f.user(session)
    session.commit()
    login(client, u)
    assert client.get("/").status_code == 200
    refused = client.get("/logout")  # a link or an <img> elsewhere must not sign people out
    assert refused.status_code == 405 and "Traceback" not in refused.get_data(as_text=True)
    assert client.get("/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302 and response.location.startswith("/login")
    assert "You have signed out." in client.get("/login").get_data(as_text=True)
    after = client.get("/")
    assert after.status_code == 302 and after.location.startswith("/login")


def test_pages_redirect_anonymous_users_to_login_with_next(client):
    response = client.get("/n/some-negotiation/")
    assert response.status_code == 302
    assert response.location == "/login?next=%2Fn%2Fsome-negotiation%2F"


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_flags(tmp_path, secure):
    app = make_app(tmp_path, SECURE_COOKIES=secure)
    with app.app_context():
        from drafter.extensions import db

        u = f.user(db.session)
        db.session.commit()
        client = app.test_client()
        response = client.post("/login", data={"email": u.email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        attrs = _cookie_attributes(response, app.config["SESSION_COOKIE_NAME"])
        assert attrs.get("httponly") == "true"
        assert attrs.get("samesite", "").lower() == "lax"
        assert ("secure" in attrs) is secure
        db.session.remove()


def test_secure_cookies_are_the_default_and_the_environment_can_turn_them_off(tmp_path, monkeypatch):
    from drafter import create_app

    base = {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://", "EXPORT_DIR": str(tmp_path)}
    assert create_app(base).config["SESSION_COOKIE_SECURE"] is True
    monkeypatch.setenv("DRAFTER_SECURE_COOKIES", "false")
    app = create_app(base)
    assert app.config["SESSION_COOKIE_SECURE"] is False and app.config["REMEMBER_COOKIE_SECURE"] is False


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "javascript:alert(1)",
        "http:/evil.example",
        "evil.example",
        "///evil.example",
    ],
)
def test_login_refuses_to_redirect_off_site(client, session, target):
    u = f.user(session)
    session.commit()
    response = client.post("/login", query_string={"next": target}, data={"email": u.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"


def test_login_follows_next_within_the_site(client, session):
    u = f.user(session)
    session.commit()
    response = client.post(
        "/login?next=%2Fn%2Fworld%2Fr%2F2%2F%3Fstatus%3Dagreed", data={"email": u.email, "password": TEST_PASSWORD}
    )
    assert response.location == "/n/world/r/2/?status=agreed"


def test_position_form_refuses_to_redirect_off_site(app, session):
    from pathlib import Path

    from tests.web.test_permissions import build_world, client_as

    w = build_world(session, Path(app.config["EXPORT_DIR"]))
    client = client_as(app, w, "delegate")
    url = f"/n/{w.negotiation.slug}/proposals/{w.other_proposal.id}/position"
    response = client.post(url, data={"stance": "support", "next": "/\\evil.example"})
    assert (
        response.status_code == 302 and response.location == f"/n/{w.negotiation.slug}/proposals/{w.other_proposal.id}"
    )
    response = client.post(
        url, data={"stance": "oppose", "next": f"/n/{w.negotiation.slug}/r/2/compilation#proposal-1"}
    )
    assert response.location == f"/n/{w.negotiation.slug}/r/2/compilation#proposal-1"


def test_demo_logins_are_shown_only_when_configured(tmp_path):
    from drafter.demo import PASSWORD, load_demo
    from drafter.extensions import db

    for show in (True, False):
        app = make_app(tmp_path / str(show), SHOW_DEMO_LOGINS=show)
        with app.app_context():
            load_demo(db.session)
            db.session.commit()
            page = app.test_client().get("/login").get_data(as_text=True)
            assert (PASSWORD in page) is show
            db.session.remove()
