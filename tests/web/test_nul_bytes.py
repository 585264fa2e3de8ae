"""NUL characters anywhere in a request: a plain 400 that says what is wrong, never a server error."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.extensions import db
from tests.web.test_permissions import CASES, ROLES, Case, World, build_world, case_url, client_as

POSTS = [c for c in CASES if c.method == "POST" and "O" in c.expect]


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def _allowed_role(case: Case) -> str:
    """Return the role that may use the route (the most privileged one when several may)."""
    return ROLES[max(i for i, letter in enumerate(case.expect) if letter == "O")]


def _stored_nul() -> bool:
    """Return True when any text column of any table holds a NUL character (SQLite stores them;
    PostgreSQL refuses them, and refuses a query that mentions one)."""
    if db.engine.dialect.name == "postgresql":
        return False
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String):
                # in Python: SQLite cuts a bound parameter at its NUL, so LIKE cannot look for one
                if any(isinstance(v, str) and "\x00" in v for v in db.session.scalars(sa.select(column))):
                    return True
    return False


@pytest.mark.parametrize("case", POSTS, ids=[c.name for c in POSTS])
def test_a_nul_in_any_form_field_is_refused_plainly(app: Flask, w: World, case: Case):
    client = client_as(app, w, _allowed_role(case))
    url = case_url(case, w)
    if case.json is not None:
        response = client.post(url, json={k: f"{v}\x00" for k, v in case.json(w).items()})
        # the live diff answers {"error"}; the versioned API {"code", "message"}
        message = response.json.get("error") or response.json["message"]
        assert response.status_code == 400 and "NUL character" in message
        return
    fields = dict(case.data(w)) if case.data else {"text": "Decides to act;"}
    for name in fields:
        sent = {**fields, name: f"{fields[name]}\x00tail"}
        response = client.post(url, data=sent)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, f"{name}: {response.status_code}"
        assert "contains a NUL character" in body and "Traceback" not in body
    db.session.expire_all()
    assert not _stored_nul()


def test_the_message_names_the_field(app: Flask, w: World):
    client = client_as(app, w, "delegate")
    response = client.post(
        f"/n/{w.negotiation.slug}/proposals/{w.own_proposal.id}/edit",
        data={"text": "Decides\x00 to meet;", "justification": "Timing."},
    )
    assert response.status_code == 400
    assert "The text contains a NUL character" in response.get_data(as_text=True)


def test_a_nul_in_the_address_or_a_file_name_is_refused(app: Flask, w: World):
    client = client_as(app, w, "cofacilitator")
    slug = w.negotiation.slug
    for url in (f"/n/{slug}/r/{w.rev1.seq}/compilation?delegation=%00", "/n/wor%00ld/", f"/n/{slug}/compare?from=1%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "The address of the page contains a NUL character" in response.get_data(as_text=True)
    import io

    response = client.post(
        f"/n/{slug}/import",
        data={"file": (io.BytesIO(b"Decides to act;"), "draft\x00.txt")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "The name of the file contains a NUL" in response.get_data(as_text=True)


def test_a_nul_deep_in_json_is_refused(app: Flask, w: World):
    client = client_as(app, w, "observer")
    response = client.post("/api/diff", json={"base": "a", "text": "b", "extra": [{"x": "y\x00"}]})
    assert response.status_code == 400 and "NUL character" in response.json["error"]
