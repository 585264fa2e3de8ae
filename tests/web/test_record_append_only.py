"""No route changes or deletes an audit event: every allowed request of the permission matrix
leaves the earlier record exactly as it was, and at most appends to it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import Flask

from drafter.audit import AuditEvent
from drafter.extensions import db
from tests.web.test_permissions import CASES, ROLES, World, client_as, send, world  # noqa: F401  (fixture)


def record_rows() -> list[tuple]:
    """Return every audit event as a plain row, oldest first."""
    db.session.expire_all()
    return [tuple(r) for r in db.session.execute(sa.select(AuditEvent.__table__).order_by(AuditEvent.id))]


ALLOWED = [c for c in CASES if "O" in c.expect]


@pytest.mark.parametrize("case", ALLOWED, ids=[c.name for c in ALLOWED])
def test_allowed_requests_only_append_to_the_record(app: Flask, world: World, case):
    for i, role in enumerate(ROLES):
        if case.expect[i] != "O":
            continue
        if case.before is not None:
            case.before(world)
        before = record_rows()
        response = send(client_as(app, world, role), case, world)
        response.close()
        after = record_rows()
        assert response.status_code < 500, f"{role}: server error"
        assert after[: len(before)] == before, f"{role}: {case.name} changed or deleted an earlier audit event"
        db.session.expire_all()


def test_the_world_has_a_record_to_protect(world: World):
    assert len(record_rows()) > 20
