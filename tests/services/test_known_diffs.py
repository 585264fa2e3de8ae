"""Comparisons keep the word diffs of their paragraph pairs in the database, by the hash of the two
texts, so a process that has not shown a pair reads its diff instead of diffing again."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from drafter.drafting import editing, known_diffs
from drafter.drafting.models import KnownDiff
from drafter.drafting.queries import compare_revisions, load_versions
from drafter.text import runs
from drafter.text.diff import word_diff
from tests import factories as f

EDITS = {3: "Decides to convene a summit in 2029 in Nairobi;", 4: "Requests the Secretary-General to report back;"}


@pytest.fixture
def pair(session):
    _, t, rev = f.working_revision(session)
    versions = load_versions(session, rev)
    for i, text in EDITS.items():
        editing.edit_text(session, t["cofacilitator"], versions[i], text, expected_version=versions[i].version)
    session.flush()
    return rev.base_revision, rev


@pytest.fixture
def counted(monkeypatch):
    """Count the pairs of different texts diffed while comparing (not those read)."""
    made: list[tuple[str, str]] = []

    def counting(old: str, new: str):
        if old != new:
            made.append((old, new))
        return word_diff(old, new)

    monkeypatch.setattr(known_diffs, "word_diff", counting)
    return made


def _shown(comparison) -> list[tuple[str, tuple]]:
    return [(r.change.value, r.diff.ops) for r in comparison.rows]


def test_a_first_comparison_keeps_each_changed_pair_and_the_next_reads_them(session, pair, counted):
    old, new = pair
    first = compare_revisions(session, old, new)
    assert len(counted) == len(EDITS)
    assert session.scalar(sa.select(sa.func.count()).select_from(KnownDiff)) == len(EDITS)
    word_diff.cache_clear()  # a process that has not shown the pair
    counted.clear()
    again = compare_revisions(session, old, new)
    assert counted == []
    assert _shown(again) == _shown(first)
    changed = [r for r in again.rows if r.change.value == "changed"]
    assert {r.new.text for r in changed} == set(EDITS.values())
    assert all(r.diff == word_diff(r.old.text, r.new.text) for r in again.rows if r.old and r.new)


def test_a_kept_copy_that_does_not_fit_its_texts_is_made_again_and_replaced(session, pair, counted):
    old, new = pair
    compare_revisions(session, old, new)
    for row in session.scalars(sa.select(KnownDiff)):
        row.data = {**row.data, "runs": "=1 +1"}  # damaged: no longer spans the texts
    session.flush()
    counted.clear()
    shown = compare_revisions(session, old, new)
    assert len(counted) == len(EDITS)
    assert all(r.diff == word_diff(r.old.text, r.new.text) for r in shown.rows if r.old and r.new)
    session.expire_all()
    for row in session.scalars(sa.select(KnownDiff)):
        assert row.data["runs"] != "=1 +1"


def test_pairs_beyond_one_query_are_read_in_batches(session, monkeypatch):
    monkeypatch.setattr(known_diffs, "BATCH", 2)
    pairs = [(f"Decides to meet in {y};", f"Decides to meet in {y + 1};") for y in range(2030, 2035)]
    known_diffs.paired_diffs(session, pairs)
    assert session.scalar(sa.select(sa.func.count()).select_from(KnownDiff)) == 5
    keys = set(session.scalars(sa.select(KnownDiff.key)))
    assert keys == {runs.texts_key(a, b) for a, b in pairs}
    diff = known_diffs.paired_diffs(session, pairs)
    assert [diff(a, b) for a, b in pairs] == [word_diff(a, b) for a, b in pairs]
