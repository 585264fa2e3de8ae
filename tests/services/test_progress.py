"""Progress at a glance: the counts per revision and per reading, and the bars drawn from them.

On SQLite, and on PostgreSQL when DRAFTER_TEST_DATABASE_URL names it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Status
from drafter.drafting.progress import READING_KEYS, STATUS_KEYS, chart, progress_of
from drafter.drafting.queries import load_versions
from drafter.extensions import db
from drafter.room import services as room
from drafter.room.models import Mark
from drafter.text.structure import Kind
from tests import factories as f


@pytest.fixture
def negotiation(session):
    """Zero draft circulated (7 paragraphs and a heading), Rev.1 being drafted with statuses set, two readings."""
    n = f.negotiation(session)
    chair = f.team(session, n)["cofacilitator"]
    zero = f.revision(session, n, label="Zero draft")
    working = drafting.start_revision(session, None, n, label="Rev.1")
    session.flush()
    v = {version.text: version for version in load_versions(session, working)}
    for text, status in [
        ("Recalling its earlier resolutions on the subject,", Status.PENDING),
        ("Recognizing the importance of international cooperation,", Status.BRACKETED),
        ("Decides to convene a high-level meeting in 2028;", Status.AGREED_AD_REF),
        ("Protecting coastal ecosystems;", Status.AGREED),
        ("Commitments", Status.AGREED),  # a heading: not counted
    ]:
        editing.set_status(session, chair, v[text], status, expected_version=v[text].version)
    first = room.open_reading(session, chair, zero, "First reading")  # PP1 taken up: read
    ids = {version.text: version.paragraph_id for version in load_versions(session, zero)}
    room.mark(session, chair, first, ids["Recognizing the importance of international cooperation,"], Mark.PENDING)
    room.jump(session, chair, first, "OP1")  # taken up, not marked: read
    room.mark(session, chair, first, ids["Calls upon Member States to act, including by:"], Mark.PARKED)
    room.mark(session, chair, first, ids["Protecting coastal ecosystems;"], Mark.READ)
    informal = room.open_reading(session, chair, working, "Informal consultations")
    room.mark(
        session, chair, informal, ids["Requests the Secretary-General to report on progress;"], Mark.AGREED_AD_REF
    )
    session.flush()
    return n, zero, working


def _counts(bar):
    return {key: count for key, count in bar.counts if count}


def test_each_revision_counts_its_paragraphs_by_status_without_headings(session, negotiation):
    n, zero, working = negotiation
    progress = progress_of(session, [zero, working])
    assert [b.label for b in progress.revisions.bars] == ["Zero draft", "Rev.1"]
    zero_bar, rev1 = progress.revisions.bars
    assert _counts(zero_bar) == {"none": 7} and zero_bar.total == 7
    # the reading's agreed ad ref on OP3 of the working revision is the paragraph's status too
    assert _counts(rev1) == {"agreed": 1, "agreed_ad_ref": 2, "pending": 1, "bracketed": 1, "none": 2}
    assert rev1.figures == "7 paragraphs: 1 agreed, 2 agreed ad ref, 1 pending, 1 bracketed, 2 no status"
    assert [k for k, _ in rev1.counts] == [k for k, _ in STATUS_KEYS]


def test_each_reading_counts_its_paragraphs_by_mark_and_what_was_read(session, negotiation):
    n, zero, working = negotiation
    first, informal = progress_of(session, [zero, working]).readings.bars
    assert first.label == "First reading (Zero draft)"
    assert _counts(first) == {"pending": 1, "parked": 1, "read": 3, "not_read": 2} and first.total == 7
    assert informal.label == "Informal consultations (Rev.1)"
    # opened on PP1, which counts as read
    assert _counts(informal) == {"agreed_ad_ref": 1, "read": 1, "not_read": 5}
    assert [k for k, _ in first.counts] == [k for k, _ in READING_KEYS]
    assert {m.value for m in Mark} <= {k for k, _ in READING_KEYS}


def test_only_the_revisions_given_and_their_readings_are_counted(session, negotiation):
    n, zero, working = negotiation
    progress = progress_of(session, [zero])
    assert [b.label for b in progress.revisions.bars] == ["Zero draft"]
    assert [b.label for b in progress.readings.bars] == ["First reading (Zero draft)"]
    assert progress_of(session, []).is_empty and not progress_of(session, [zero]).is_empty


def test_a_text_of_headings_only_has_no_paragraphs_to_count(session):
    n = f.negotiation(session)
    headings = f.revision(session, n, [(Kind.HEADING, "Commitments")])
    assert not progress_of(session, [headings]).readings.bars
    room.open_reading(session, None, headings, "First reading")
    progress = progress_of(session, [headings])
    (revision,), (reading,) = progress.revisions.bars, progress.readings.bars
    assert revision.total == reading.total == 0 and reading.segments == ()
    assert reading.figures == "no paragraphs"


def test_two_queries_count_everything_however_long_the_text(session, negotiation):
    n, zero, working = negotiation
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        progress_of(session, [zero, working])
        short = len(statements)
        editing.insert_paragraph(
            session, None, working, anchor=load_versions(session, working)[-1], kind=Kind.OPERATIVE, text="Decides."
        )
        session.flush()
        statements.clear()
        progress = progress_of(session, [zero, working])
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert short == len(statements) == 2
    assert progress.revisions.bars[1].total == 8


def test_bars_are_scaled_to_the_widest_and_leave_out_empty_segments():
    keys = (("a", "alpha"), ("b", "beta"), ("c", "gamma"))
    drawn = chart("Title", keys, [("Long", {"a": 2, "b": 0, "c": 6}), ("Short", {"b": 4}), ("Empty", {})])
    long, short, empty = drawn.bars
    assert [(s.key, s.x, s.width) for s in long.segments] == [("a", 0.0, 25.0), ("c", 25.0, 75.0)]
    assert [(s.key, s.x, s.width) for s in short.segments] == [("b", 0.0, 50.0)]
    assert empty.segments == () and empty.total == 0 and empty.figures == "no paragraphs"
    assert short.figures == "4 paragraphs: 4 beta" and [b.y for b in drawn.bars] == [0, 46, 92]
    assert drawn.height == 138
    one = chart("Title", keys, [("One", {"c": 1})]).bars[0]
    assert one.figures == "1 paragraph: 1 gamma" and one.segments[0].width == 100.0
    assert chart("Title", keys, []).bars == ()
