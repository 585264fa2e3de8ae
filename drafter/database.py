"""Engine settings that depend on the database in use."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine


def configure_engine(engine: Engine) -> None:
    """Turn on SQLite's foreign keys and write-ahead log on every new connection."""
    if engine.dialect.name != "sqlite" or getattr(engine, "_drafter_configured", False):
        return
    memory = engine.url.database in (None, "", ":memory:")

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_conn: Any, record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cur.execute("PRAGMA journal_mode=WAL")
            # several app processes may share the file: wait for a lock instead of failing
            cur.execute("PRAGMA busy_timeout=10000")
        cur.close()

    engine._drafter_configured = True  # type: ignore[attr-defined]
