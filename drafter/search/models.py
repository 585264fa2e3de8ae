"""The search index: one row per searchable text, its words normalised, read by the database's engine.

On SQLite an FTS5 table (``search_fts``) indexes ``body`` through triggers on this table; on
PostgreSQL ``tsv`` holds the words as a ``tsvector`` under a GIN index. Rows are derived from
paragraph versions and proposals (``drafter.search.index``), so a backup does not carry them:
they are built again from what it restores.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Mapped, mapped_column

from drafter.extensions import db

#: the FTS5 table and its triggers on SQLite (the same statements as in the migration)
FTS_TABLE = "search_fts"
SQLITE_DDL = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(body, content='search_entries', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
    f"CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); END",
    f"CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, body) VALUES ('delete', old.id, old.body); "
    f"INSERT INTO {FTS_TABLE}(rowid, body) VALUES (new.id, new.body); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_entries_ai",
    "DROP TRIGGER IF EXISTS search_entries_ad",
    "DROP TRIGGER IF EXISTS search_entries_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)


def is_engine_table(name: str | None) -> bool:
    """Return True for the FTS5 table and its shadow tables, which no model describes."""
    return name is not None and (name == FTS_TABLE or name.startswith(FTS_TABLE + "_"))


class SearchEntry(db.Model):
    """One searchable text: a paragraph version's words or footnotes, a proposal's text, justification or decision."""

    __tablename__ = "search_entries"
    __table_args__ = (
        sa.Index("ix_search_entries_tsv", "tsv", postgresql_using="gin"),
        {"info": {"backup": "skip"}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    negotiation_id: Mapped[int] = mapped_column(sa.ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    revision_id: Mapped[int] = mapped_column(sa.ForeignKey("revisions.id", ondelete="CASCADE"))
    #: the paragraph's identity the text belongs to (None: a new paragraph not yet taken in, the title)
    paragraph_id: Mapped[int | None] = mapped_column(sa.ForeignKey("paragraphs.id", ondelete="CASCADE"))
    version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("paragraph_versions.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(sa.ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    #: which text: "text", "footnotes" (of a version), "proposal", "proposal_footnotes", "justification", "decision"
    field: Mapped[str] = mapped_column(sa.String(20))
    #: the proposal's delegation, kind and state, for the filters (None for a version's text)
    delegation_id: Mapped[int | None] = mapped_column()
    proposal_kind: Mapped[str | None] = mapped_column(sa.String(20))
    proposal_state: Mapped[str | None] = mapped_column(sa.String(30))
    #: the words as indexed: normalised, separated by single spaces (``index.words``)
    body: Mapped[str] = mapped_column(sa.Text)
    tsv: Mapped[str | None] = mapped_column(sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"))


for _statement in SQLITE_DDL:
    sa.event.listen(SearchEntry.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP:
    sa.event.listen(SearchEntry.__table__, "before_drop", sa.DDL(_statement).execute_if(dialect="sqlite"))
