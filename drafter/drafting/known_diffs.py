"""Word diffs of paragraph pairs, kept in the database by the hash of their two texts.

A comparison of two revisions diffs every paragraph pair whose words changed; from the zero
draft to a late revision that is most of the text, and diffing is nine tenths of the page. Each
process keeps diffs it made in memory (``word_diff``'s cache), but a worker that has not shown
a pair yet, or one just started, would diff it again: ``paired_diffs`` reads the pairs of a
page in one query instead, and keeps the ones it had to make for every process after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from drafter.drafting.models import KnownDiff
from drafter.text.diff import WordDiff, word_diff
from drafter.text.runs import decode, encode, texts_key

#: keys asked for in one query (SQLite takes some thousands of parameters, PostgreSQL more)
BATCH = 900


def paired_diffs(session: Session, pairs: Iterable[tuple[str, str]]) -> Callable[[str, str], WordDiff]:
    """Return the word diff of two texts, for these pairs read from the kept copies (one query per
    900 pairs) and those not kept yet made and kept; any other pair is diffed as asked."""
    wanted = {texts_key(a, b): (a, b) for a, b in pairs if a and b and a != b}
    found: dict[tuple[str, str], WordDiff] = {}
    keys = sorted(wanted)
    for i in range(0, len(keys), BATCH):
        rows = session.execute(sa.select(KnownDiff.key, KnownDiff.data).where(KnownDiff.key.in_(keys[i : i + BATCH])))
        for key, data in rows:
            a, b = wanted[key]
            if (d := decode(data, a, b)) is not None:
                found[(a, b)] = d
    made = [(key, pair, word_diff(*pair)) for key, pair in sorted(wanted.items()) if pair not in found]
    if made:
        _keep(session, [{"key": key, "data": encode(d, *pair)} for key, pair, d in made])
        found.update((pair, d) for _, pair, d in made)

    def diff(old: str, new: str) -> WordDiff:
        return found.get((old, new)) or word_diff(old, new)

    return diff


def _keep(session: Session, rows: list[dict[str, object]]) -> None:
    """Write the copies (in key order, so concurrent pages wait for each other instead of
    deadlocking); a copy another process wrote meanwhile, or a damaged one, is replaced."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = KnownDiff.__table__
    for i in range(0, len(rows), BATCH):
        stmt = insert(table)
        session.execute(
            stmt.on_conflict_do_update(index_elements=[table.c.key], set_={"data": stmt.excluded.data}),
            rows[i : i + BATCH],
        )
