"""The permission matrix: every route of the app, by every role, through the test client.

The table (``tests.support.matrix.CASES``) names, for each endpoint (and method), the outcome each
kind of user gets. A route added to the app without a row there fails
``test_every_route_is_in_the_matrix``: decide who may use it before shipping it.

An allowed request must succeed: the expected answer or redirect, and the change it stands for
(the object created, the state moved on), which the case's ``effect`` checks. Refused requests
change nothing. Working (unpublished) revisions are for the co-facilitators and the secretariat
only: everyone else, instance administrators included, gets 404 for them and never sees their text
in any answer. A delegate acts for their own delegation only.

The world is built once for the module; each request that may have changed it starts from a copy
of it put back (``DatabaseCopy``), which is much cheaper than building it again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from drafter import create_app
from drafter.extensions import db
from tests.conftest import base_config, empty_database, isolate_requests, prepare_database
from tests.support.matrix import CASES, Case, P, case_url, classify, send, snapshot
from tests.support.world import ROLES, SECRET, SECRET_NEW, DatabaseCopy, World, build_world, client_as, world

# The names other test modules take from here.
__all__ = [
    "CASES",
    "ROLES",
    "SECRET",
    "SECRET_NEW",
    "Case",
    "World",
    "build_world",
    "case_url",
    "classify",
    "client_as",
    "send",
    "snapshot",
    "world",
]

READERS_OF_WORKING = ("secretariat", "cofacilitator")


@dataclass
class Shared:
    """The module's app and world, and the copy of the database that puts the world back."""

    app: Flask
    world: World
    copy: DatabaseCopy
    observer_membership_id: int
    dirty: bool = False  #: something may have changed since the world was put back

    def fresh(self) -> None:
        """Put the world back as it was built, if anything may have changed it."""
        if self.dirty:
            self.copy.restore()
            self.world.scratch.clear()
            self.world.observer_membership_id = self.observer_membership_id
            self.dirty = False


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shared]:
    # Not conftest.make_app: its apps are closed after each test, and this one serves the whole module.
    app = create_app(base_config(tmp_path_factory.mktemp("matrix")))
    isolate_requests(app)
    prepare_database(app)
    with app.app_context():
        w = build_world(db.session, Path(app.config["EXPORT_DIR"]))
        yield Shared(app, w, DatabaseCopy(), w.observer_membership_id)
        db.session.remove()
    empty_database(app)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def m(shared: Shared) -> Shared:
    shared.fresh()
    return shared


def test_every_route_is_in_the_matrix(m: Shared):
    routes = {
        (rule.endpoint, meth) for rule in m.app.url_map.iter_rules() for meth in rule.methods - {"HEAD", "OPTIONS"}
    }
    covered = {(c.endpoint, c.method) for c in CASES}
    assert routes - covered == set(), "routes without a row in the permission matrix"
    assert covered - routes == set(), "rows of the matrix for routes that no longer exist"


def test_the_table_is_well_formed():
    assert all(len(c.expect) == len(ROLES) and set(c.expect) <= set("LODH") for c in CASES)
    assert len({c.name for c in CASES}) == len(CASES)
    silent = [c.name for c in CASES if c.method == P and "O" in c.expect and not (c.effect or c.refused)]
    assert silent == [], "allowed POST requests that do not say what they change"


def _check(case: Case, w: World, role: str, response) -> list[str]:
    """Return what is wrong with an allowed request's outcome beyond its status."""
    if case.effect is None or response.status_code == case.refused:
        return []
    db.session.expire_all()
    try:
        case.effect(w, role, response)
    except AssertionError as e:
        return [f"{role}: allowed, but the action did not happen: {e}"]
    return []


#: cases where the app answers otherwise than the table says, and why the table is right
KNOWN_WRONG: dict[str, str] = {}


def _params() -> list:
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=KNOWN_WRONG[c.name])] if c.name in KNOWN_WRONG else [],
        )
        for c in CASES
    ]


@pytest.mark.parametrize("case", _params())
def test_permission_matrix(m: Shared, case: Case):
    """Every role gets the expected outcome; allowed requests do what they say; refusals change nothing
    and show nothing of the working text."""
    w = m.world
    # Refused roles go first, from the world as built, so that nothing an allowed request did can hide a refusal.
    order = sorted(range(len(ROLES)), key=lambda i: case.expect[i] == "O")
    problems = []
    for i in order:
        role, expected = ROLES[i], case.expect[i]
        allowed = expected == "O"
        m.fresh()
        client = client_as(m.app, w, role)
        if case.before is not None:
            m.dirty = True
            case.before(w)
        if allowed and case.setup is not None:
            m.dirty = True
            case.setup(w, client)
        before = snapshot() if not allowed or case.refused else None
        response = send(client, case, w)
        body = response.get_data()
        response.close()  # file downloads keep the file open until closed
        if allowed and case.method == P:
            m.dirty = True
        got = classify(response, case)
        if got != expected:
            problems.append(
                f"{role}: expected {expected}, got {got} ({response.status_code} {response.location or ''})"
            )
        elif allowed:
            problems += _check(case, w, role, response)
        if before is not None and snapshot() != before:
            m.dirty = True
            problems.append(f"{role}: a refused request changed something")
        if role not in READERS_OF_WORKING and (SECRET.encode() in body or SECRET_NEW.encode() in body):
            problems.append(f"{role}: the response shows working-revision text")
        if got == "5":
            problems.append(f"{role}: server error")
        db.session.expire_all()
    assert not problems, f"{case.name} ({case.method} {case.endpoint}):\n" + "\n".join(problems)
