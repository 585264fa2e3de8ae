"""One commit per request, after the view: what a failing view or a failing commit leaves behind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.audit import AuditEvent
from drafter.auth.models import Delegation, DelegationKind
from drafter.drafting import editing
from drafter.drafting.models import ParagraphVersion
from drafter.extensions import db
from drafter.throttle import ThrottleHit
from tests.web.test_permissions import World, build_world, client_as

ROOT = Path(__file__).resolve().parents[2]
NEW_TEXT = "Decides to convene the meeting in 2030;"


@pytest.fixture
def w(app: Flask, session) -> World:
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def _text(w: World) -> str:
    db.session.expire_all()
    return db.session.scalar(
        sa.select(ParagraphVersion.text).where(
            ParagraphVersion.revision_id == w.rev2.id, ParagraphVersion.paragraph_id == w.paragraph_id
        )
    )


def _audit_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))


def _post_edit(app: Flask, w: World):
    client = client_as(app, w, "cofacilitator")
    url = f"/n/{w.negotiation.slug}/r/{w.rev2.seq}/p/{w.paragraph_id}/edit"
    version = int(re.search(r'name="version" value="(\d+)"', client.get(url).get_data(as_text=True)).group(1))
    return client.post(url, data={"text": NEW_TEXT, "version": version})


def test_no_view_module_commits():
    views = sorted((ROOT / "drafter").rglob("*views*.py"))
    assert views
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in views
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if "commit(" in line
    ]
    assert offenders == []


def test_a_view_failing_after_its_service_flushed_saves_nothing(app, w, monkeypatch):
    before, events = _text(w), _audit_count()

    def broken_flash(*args, **kwargs):
        raise RuntimeError("the reply could not be built")

    monkeypatch.setattr("drafter.drafting.editor_page.flash", broken_flash)
    response = _post_edit(app, w)
    assert response.status_code == 500
    assert "Nothing was saved from this request." in response.get_data(as_text=True)
    assert _text(w) == before != NEW_TEXT
    assert _audit_count() == events


def test_a_commit_failing_at_the_end_of_the_request_is_a_conflict_and_saves_nothing(app, w, monkeypatch):
    before, events = _text(w), _audit_count()
    taken = db.session.scalar(sa.select(Delegation.name).limit(1))
    real_edit = editing.edit_text

    def edit_while_another_request_creates_the_same_delegation(session, *args, **kwargs):
        version = real_edit(session, *args, **kwargs)
        # written at the same moment by someone else: the unique name fails only when the request commits
        session.add(Delegation(name=taken, kind=DelegationKind.MEMBER_STATE))
        return version

    monkeypatch.setattr(editing, "edit_text", edit_while_another_request_creates_the_same_delegation)
    response = _post_edit(app, w)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved the same thing at the same moment." in page
    assert "OP1 saved." not in page and " saved." not in page
    assert _text(w) == before != NEW_TEXT
    assert _audit_count() == events


def test_a_refused_sign_in_is_still_counted(app, w):
    client = app.test_client()
    hits = db.session.scalar(sa.select(sa.func.count()).select_from(ThrottleHit))
    response = client.post("/login", data={"email": w.users["delegate"].email, "password": "not the password"})
    assert response.status_code == 200 and "error" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThrottleHit)) > hits  # per account and per address
