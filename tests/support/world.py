"""A negotiation in mid-course that many web tests run against, and a cheap way to get it back.

``build_world`` makes one negotiation with a user of each kind, a superseded, a circulated and a
working revision, proposals from two delegations and archived Word files. ``DatabaseCopy`` keeps
what the database held once the world was built and puts it back in a few milliseconds, so a
module can build the world once and start each request from it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from drafter.auth.models import User
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, Revision
from drafter.drafting.queries import load_versions
from drafter.exporting import services as exports
from drafter.exporting.models import ExportRecord
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind
from drafter.text.structure import Kind
from tests import factories as f
from tests.conftest import login

#: text that exists only in the working revision; no one without READ_WORKING may ever see it
SECRET = "Secretly decides to relocate the meeting to the Moon"
SECRET_NEW = "Confidentially welcomes a working-draft-only paragraph"

ROLES = ("anonymous", "outsider", "observer", "delegate", "secretariat", "cofacilitator", "admin")


@dataclass
class World:
    """A negotiation in mid-course, with one user of each kind and one object of each sort."""

    negotiation: Negotiation
    users: dict[str, User]
    zero: Revision  #: seq 1, superseded
    rev1: Revision  #: seq 2, circulated, open for proposals
    rev2: Revision  #: seq 3, working, with SECRET text
    own_proposal: Proposal  #: by the delegate's delegation (Mexico)
    other_proposal: Proposal  #: by another delegation (G77 and China)
    paragraph_id: int  #: a paragraph in every revision
    secret_paragraph_id: int  #: a paragraph that exists only in the working revision
    records: dict[str, ExportRecord] = field(default_factory=dict)
    other_negotiation: Negotiation | None = None
    observer_membership_id: int = 0
    #: what a request's preparation made for it (the id of a pending import...); emptied with the database
    scratch: dict[str, Any] = field(default_factory=dict)

    @property
    def mexico(self):
        return self.own_proposal.delegation

    @property
    def g77(self):
        return self.other_proposal.delegation


def build_world(session, export_dir: Path) -> World:
    """Build the negotiation every permission test runs against, and commit it."""
    n = f.negotiation(session, slug="world", title="World negotiation")
    users = f.team(session, n)
    now = dt.datetime.now(dt.UTC)
    zero = f.revision(session, n, label="Zero draft", now=now - dt.timedelta(days=10))
    rev1 = drafting.start_revision(session, None, n, label="Rev.1", now=now - dt.timedelta(days=5))
    v1 = load_versions(session, rev1)
    editing.edit_text(
        session, None, v1[3], "Decides to convene a high-level meeting in 2029;", expected_version=v1[3].version
    )
    lifecycle.circulate(session, None, rev1, deadline=now + dt.timedelta(days=7), now=now - dt.timedelta(days=4))
    session.flush()
    versions = load_versions(session, rev1)
    mexico = users["delegate"].memberships[0].delegation
    g77 = users["delegate2"].memberships[0].delegation
    own = proposals.submit(
        session,
        None,
        rev1,
        mexico,
        kind=ProposalKind.AMEND,
        target=versions[3],
        text="Decides to convene a high-level meeting in 2030;",
        justification="Timing.",
    )
    other = proposals.submit(
        session,
        None,
        rev1,
        g77,
        kind=ProposalKind.AMEND,
        target=versions[0],
        text="Recalling all its earlier resolutions on the subject,",
    )
    rev2 = drafting.start_revision(session, None, n, label="Rev.2", now=now)
    v2 = load_versions(session, rev2)
    editing.edit_text(session, None, v2[4], SECRET, expected_version=v2[4].version)
    secret_new = editing.insert_paragraph(session, None, rev2, anchor=v2[-1], kind=Kind.OPERATIVE, text=SECRET_NEW)
    session.flush()
    world = World(n, users, zero, rev1, rev2, own, other, versions[3].paragraph_id, secret_new.paragraph_id)
    admin = users["admin"]
    world.records = {
        "clean_public": _archive(session, exports.clean_export(session, rev1), export_dir, rev1, admin),
        "tracked_public": _archive(session, exports.tracked_export(session, zero, rev1), export_dir, rev1, admin, zero),
        "compilation": _archive(session, exports.compilation_export(session, rev1), export_dir, rev1, admin),
        "clean_working": _archive(session, exports.clean_export(session, rev2), export_dir, rev2, admin),
        "tracked_working": _archive(
            session, exports.tracked_export(session, rev1, rev2), export_dir, rev2, admin, rev1
        ),
        "tracked_against_working": _archive(
            session, exports.tracked_export(session, rev2, rev1), export_dir, rev1, admin, rev2
        ),
    }
    world.other_negotiation = f.negotiation(session, slug="elsewhere", title="Another negotiation")
    f.revision(session, world.other_negotiation, label="Zero draft")
    session.commit()
    world.observer_membership_id = users["observer"].memberships[0].id
    return world


def _archive(session, export, export_dir, revision, actor, from_revision=None) -> ExportRecord:
    return exports.archive(
        session, actor, export, export_dir=export_dir, revision=revision, from_revision=from_revision
    )


@pytest.fixture
def world(app: Flask, session) -> World:
    """A fresh world for one test (on the test's own database)."""
    return build_world(session, Path(app.config["EXPORT_DIR"]))


def client_as(app: Flask, world: World, role: str) -> FlaskClient:
    """Return a test client signed in as the world's user of ``role`` (anonymous: not signed in)."""
    client = app.test_client()
    if role != "anonymous":
        login(client, world.users[role])
    return client


class DatabaseCopy:
    """What the app's database holds now, to be put back later in one step.

    SQLite (one in-memory connection): the whole database file, serialized and deserialized, which
    also restores the rows the append-only triggers forbid deleting. PostgreSQL: every row of every
    table, put back after a TRUNCATE (which those row triggers allow), with each id sequence set
    past the highest id. Call inside the app context; the session's objects are expired, so the
    world's objects read their restored rows on next use.
    """

    def __init__(self) -> None:
        db.session.commit()
        self.postgresql = db.engine.dialect.name == "postgresql"
        if self.postgresql:
            with db.engine.connect() as conn:
                self.rows = {
                    t.name: [dict(r) for r in conn.execute(sa.select(t)).mappings()] for t in db.metadata.sorted_tables
                }
        else:
            self.image = self._sqlite().serialize()

    @staticmethod
    def _sqlite():
        """Return the sqlite3 connection under the app's single (StaticPool) connection."""
        raw = db.engine.raw_connection()
        try:
            return raw.driver_connection
        finally:
            raw.close()  # back to the pool; the static pool keeps the same connection open

    def restore(self) -> None:
        """Put the database back as it was when the copy was taken."""
        db.session.rollback()  # ends the session's transaction; its objects stay, expired
        if self.postgresql:
            self._restore_postgresql()
        else:
            self._sqlite().deserialize(self.image)
        db.session.expire_all()

    def _restore_postgresql(self) -> None:
        tables = db.metadata.sorted_tables
        with db.engine.begin() as conn:
            conn.execute(sa.text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables) + " RESTART IDENTITY CASCADE"))
            for table in tables:
                if self.rows[table.name]:
                    conn.execute(table.insert(), self.rows[table.name])
                if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                    conn.execute(
                        sa.text(
                            f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                            f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table.name}"'
                        )
                    )
