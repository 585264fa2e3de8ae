"""The migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from drafter import create_app
from drafter.extensions import db
from drafter.search.models import is_engine_table
from drafter.text import footnotes
from tests.conftest import PG_URL


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or a scratch PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    url = sa.make_url(PG_URL)
    scratch = f"{url.database}_migrations"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{scratch}"'))
    try:
        yield url.set(database=scratch).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))
        admin.dispose()


def _differences(url: str, tmp_path: Path) -> list[object]:
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url, "EXPORT_DIR": str(tmp_path)})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            # the FTS5 table and its shadow tables are the search engine's own, described by no model
            opts = {"compare_type": True, "include_name": lambda name, type_, _: not is_engine_table(name)}
            context = MigrationContext.configure(conn, opts=opts)
            diffs = compare_metadata(context, db.metadata)
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(sa.inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert left == set(), f"downgrade left tables behind: {sorted(left)}"
    return diffs


def test_upgrade_from_empty_matches_models_and_downgrades_cleanly(database_url: str, tmp_path: Path) -> None:
    assert _differences(database_url, tmp_path) == []


def test_footnotes_printed_as_digits_become_markers_and_back(database_url: str, tmp_path: Path) -> None:
    """Paragraphs stored before footnotes had markers keep every note, where its number stood."""
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": database_url, "EXPORT_DIR": str(tmp_path)})
    with app.app_context():
        upgrade(revision="b7c3e1d2f4a5")
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO negotiations (id, slug, title, symbol, proposal_visibility, is_demo, "
                                 "created_at) VALUES (1, 'n', 'N', '', 'immediate', false, CURRENT_TIMESTAMP)"))  # fmt: skip
        db.engine.dispose()
        # the rows the older schema held: numbers as printed in the words, or (Word) not at all
        legacy = [
            ("Recalling resolution 70/1,1 and the Pact,2", ["1 Resolution 70/1.", "2 Resolution 79/1."]),
            ("Decides to act;", ["3 See A/80/1."]),
        ]
        with db.engine.begin() as conn:
            conn.execute(sa.text("INSERT INTO revisions (id, negotiation_id, seq, label, symbol, state, created_at) "
                                 "VALUES (1, 1, 1, 'Zero draft', '', 'working', CURRENT_TIMESTAMP)"))  # fmt: skip
            for i, (text, notes) in enumerate(legacy):
                conn.execute(sa.text("INSERT INTO paragraphs (id, negotiation_id, created_at) VALUES (:i, 1, CURRENT_TIMESTAMP)"), {"i": i + 1})  # fmt: skip
                conn.execute(
                    sa.text("INSERT INTO paragraph_versions (revision_id, paragraph_id, position, kind, level, "
                            "number_label, text, italic_chars, footnotes, status, status_note, version, updated_at) "
                            "VALUES (1, :p, :i, 'preambular', 0, '', :t, 0, :f, 'none', '', 1, CURRENT_TIMESTAMP)"),
                    {"p": i + 1, "i": i, "t": text, "f": json.dumps(notes)},
                )  # fmt: skip
        db.engine.dispose()
        upgrade(revision="c4f8a9d2e6b1")
        with db.engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT text, footnotes FROM paragraph_versions ORDER BY position")).all()
        db.engine.dispose()
        got = [(t, f if isinstance(f, dict) else json.loads(f)) for t, f in rows]
        m1, m2 = footnotes.marker(1), footnotes.marker(2)
        assert got == [
            (f"Recalling resolution 70/1,{m1} and the Pact,{m2}", {"1": "Resolution 70/1.", "2": "Resolution 79/1."}),
            (f"Decides to act;{m1}", {"1": "See A/80/1."}),
        ]
        downgrade(revision="b7c3e1d2f4a5")
        with db.engine.connect() as conn:
            back = conn.execute(sa.text("SELECT text FROM paragraph_versions ORDER BY position")).scalars().all()
        db.engine.dispose()
        assert back == ["Recalling resolution 70/1,1 and the Pact,2", "Decides to act;1"]
