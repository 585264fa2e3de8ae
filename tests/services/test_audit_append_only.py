"""The record is append-only in the database itself, and deleting what it mentions never erases it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from drafter import create_app
from drafter.audit import APPEND_ONLY, AuditEvent
from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind
from tests import factories as f
from tests.conftest import PG_URL, empty_database
from tests.services.test_migrations import database_url  # noqa: F401  (fixture)


def _events(session) -> list[tuple]:
    session.expire_all()
    return [tuple(r) for r in session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id))]


@pytest.fixture
def recorded(session):
    """A negotiation with a few events, committed."""
    n = f.negotiation(session)
    cofac = f.user(session, role=f.Role.COFACILITATOR, negotiation=n)
    rev = f.revision(session, n, label="Zero draft")
    lifecycle.set_deadline(session, cofac, rev, deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=2))
    session.commit()
    return n, cofac, rev


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_events SET summary = 'rewritten'",
        "UPDATE audit_events SET actor_id = NULL",
        "DELETE FROM audit_events",
    ],
)
def test_the_database_refuses_to_change_or_delete_events(session, recorded, statement):
    before = _events(session)
    assert before
    with pytest.raises(sa.exc.DatabaseError, match=APPEND_ONLY):
        session.execute(sa.text(statement))
        session.flush()
    session.rollback()
    assert _events(session) == before


def test_bulk_orm_statements_bypass_the_session_guard_but_not_the_database(session, recorded):
    before = _events(session)
    with pytest.raises(sa.exc.DatabaseError, match=APPEND_ONLY):
        session.execute(sa.update(AuditEvent).values(summary="rewritten"))
    session.rollback()
    with pytest.raises(sa.exc.DatabaseError, match=APPEND_ONLY):
        session.execute(sa.delete(AuditEvent))
    session.rollback()
    assert _events(session) == before


def test_the_session_refuses_a_changed_event_before_the_database_sees_it(session, recorded):
    event = session.scalars(sa.select(AuditEvent)).first()
    event.summary = "rewritten"
    with pytest.raises(RuntimeError, match=APPEND_ONLY):
        session.flush()
    session.rollback()


def test_new_events_are_still_appended(session, recorded):
    n, cofac, rev = recorded
    before = _events(session)
    lifecycle.release_compilation(session, cofac, rev)
    session.commit()
    after = _events(session)
    assert after[: len(before)] == before and len(after) == len(before) + 1


def test_deleting_a_user_in_the_record_is_refused(session, recorded):
    n, cofac, rev = recorded
    before = _events(session)
    for m in list(cofac.memberships):
        session.delete(m)
    session.delete(cofac)
    with pytest.raises(sa.exc.IntegrityError):
        session.flush()
    session.rollback()
    assert _events(session) == before
    assert any(e.actor_id == cofac.id for e in session.scalars(sa.select(AuditEvent)))


def test_deleting_a_negotiation_in_the_record_is_refused(session, recorded):
    n, cofac, rev = recorded
    before = _events(session)
    with pytest.raises(sa.exc.IntegrityError):
        session.execute(sa.text("DELETE FROM negotiations WHERE id = :id"), {"id": n.id})
        session.flush()
    session.rollback()
    assert _events(session) == before


def test_each_event_names_the_revision_of_its_object_and_keeps_it_when_the_revision_goes(session, recorded):
    n, cofac, rev = recorded
    delegate = f.user(session, role=f.Role.DELEGATE, negotiation=n, delegation=f.delegation(session, "Chile"))
    target = load_versions(session, rev)[0]
    proposal = proposals.submit(
        session, delegate, rev, delegate.memberships[0].delegation, kind=ProposalKind.RETAIN, target=target
    )
    rev1 = drafting.start_revision(session, cofac, n, label="Rev.1")
    session.flush()
    rev1_id = rev1.id
    drafting.discard_revision(session, cofac, rev1)
    session.commit()
    by_action = {e.action: e for e in session.scalars(sa.select(AuditEvent))}
    assert by_action["proposal.submitted"].revision_id == rev.id == proposal.revision_id
    assert by_action["revision.deadline_set"].revision_id == rev.id
    assert by_action["revision.started"].revision_id == rev1_id
    assert by_action["revision.discarded"].revision_id == rev1_id
    assert by_action["negotiation.created"].revision_id is None


@pytest.mark.skipif(not PG_URL, reason="TRUNCATE empties the PostgreSQL test database only")
def test_emptying_the_test_database_still_works(app, session, recorded):
    empty_database(app)
    assert _events(session) == []


def test_the_migration_backfills_revisions_and_installs_the_guard(database_url: str, tmp_path: Path) -> None:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url, "EXPORT_DIR": str(tmp_path)})
    with app.app_context():
        upgrade(revision="5e55a0c1d2b3")
        now = dt.datetime(2026, 11, 30, 12, 0)
        with db.engine.begin() as conn:
            conn.execute(
                sa.text(
                    "INSERT INTO negotiations (id, slug, title, symbol, proposal_visibility, is_demo, "
                    "created_at) VALUES (1, 'n', 'N', '', 'immediate', false, :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO revisions (id, negotiation_id, seq, label, symbol, state, created_at) "
                    "VALUES (7, 1, 1, 'Zero draft', '', 'working', :now)"
                ),
                {"now": now},
            )
            conn.execute(
                sa.text(
                    "INSERT INTO audit_events (created_at, negotiation_id, action, object_type, object_id, "
                    "summary, data) VALUES (:now, 1, 'revision.imported', 'Revision', 7, 'Imported', '{}')"
                ),
                {"now": now},
            )
        upgrade()
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT revision_id FROM audit_events")).scalar_one() == 7
            with pytest.raises(sa.exc.DatabaseError, match=APPEND_ONLY):
                conn.execute(sa.text("UPDATE audit_events SET summary = 'rewritten'"))
            conn.rollback()
            with pytest.raises(sa.exc.DatabaseError, match=APPEND_ONLY):
                conn.execute(sa.text("DELETE FROM audit_events"))
            conn.rollback()
        downgrade(revision="5e55a0c1d2b3")
        with db.engine.begin() as conn:  # the guard goes with the migration
            conn.execute(sa.text("DELETE FROM audit_events"))
        downgrade(revision="base")
        db.engine.dispose()
