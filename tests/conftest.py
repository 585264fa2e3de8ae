"""Fixtures shared by the whole suite.

Each test gets a fresh database: an in-memory SQLite database created for it, or, when
DRAFTER_TEST_DATABASE_URL names a PostgreSQL database, the schema created once per run and
every table emptied after each test. (Emptying rather than rolling back lets tests commit from
several connections, as concurrent users and the browser tests' server do.)
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy.pool import StaticPool

from drafter import create_app
from drafter.extensions import db

PG_URL = os.environ.get("DRAFTER_TEST_DATABASE_URL", "")
REPO = Path(__file__).resolve().parent.parent
#: the real UN texts beside the checkout, absent from a fresh clone
CORPUS = REPO.parent / "shared" / "corpus" / "un"
TEST_PASSWORD = "correct horse battery"


def base_config(tmp_path: Path, **extra: Any) -> dict[str, Any]:
    """Return the configuration of a test app."""
    config: dict[str, Any] = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing: tests log in a lot
        "EXPORT_DIR": str(tmp_path / "exports"),
        "SECURE_COOKIES": False,
        "SHOW_DEMO_LOGINS": True,
    }
    if PG_URL:
        config["DATABASE_URL"] = PG_URL
    else:
        config["DATABASE_URL"] = "sqlite://"
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    config.update(extra)
    return config


_pg_schema_ready = False


def prepare_database(app: Flask) -> None:
    """Create the schema: per app on SQLite, once per run on PostgreSQL."""
    global _pg_schema_ready
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            if not _pg_schema_ready:
                db.drop_all()
                with db.engine.begin() as conn:  # tables Alembic may have left behind
                    conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
                db.create_all()
                _pg_schema_ready = True
            else:
                empty_database(app)
        else:
            db.create_all()


def empty_database(app: Flask) -> None:
    """Delete every row of every table (PostgreSQL) so the next test starts empty."""
    with app.app_context():
        db.session.remove()
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


def isolate_requests(app: Flask) -> None:
    """Start each request with an empty ``g``, as a real server does.

    The test fixtures keep one app context open for the whole test, and Flask reuses it for
    the test client's requests, so ``g`` would carry the signed-in user (Flask-Login caches it
    there) and the CSRF token from one client's request into another client's.
    """

    def reset_globals() -> None:
        for name in list(vars(g)):
            delattr(g, name)

    hooks = app.before_request_funcs.setdefault(None, [])
    if reset_globals.__qualname__ not in {getattr(h, "__qualname__", "") for h in hooks}:
        hooks.insert(0, reset_globals)


def make_app(tmp_path: Path, **extra: Any) -> Flask:
    """Return a test app on a fresh database."""
    app = create_app(base_config(tmp_path, **extra))
    isolate_requests(app)
    prepare_database(app)
    _made.append(app)
    return app


_made: list[Flask] = []


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    """Close every database connection the test's apps opened (a connection left for the
    garbage collector is a ResourceWarning, which fails whichever test happens to run then)."""
    yield
    while _made:
        app = _made.pop()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def serve_app(tmp_path: Path, **extra: Any) -> Iterator[Flask]:
    """Yield a test app inside its app context; afterwards empty its database (PostgreSQL)."""
    app = make_app(tmp_path, **extra)
    with app.app_context():
        yield app
        db.session.remove()
    empty_database(app)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    yield from serve_app(tmp_path)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask):
    """The app's database session (inside the test's app context)."""
    return db.session


def login(client: FlaskClient, user: Any, password: str = TEST_PASSWORD) -> None:
    """Sign the test client in as ``user``."""
    response = client.post("/login", data={"email": user.email, "password": password})
    assert response.status_code == 302, "login failed"


@pytest.fixture
def corpus() -> Path:
    """The folder of real UN texts; the test is skipped when it is absent (a fresh clone)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/un is not present")
    return CORPUS
