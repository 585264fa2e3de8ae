"""Drafting services against a real database: import, lineage, editing, lifecycle."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.labels import revision_refs
from drafter.drafting.models import Paragraph, RevisionState, Status
from drafter.drafting.queries import compare_revisions, load_versions, paragraph_history
from drafter.errors import EditConflict, InvalidInput, NotAllowed, StateError
from drafter.lifecycle import services as lifecycle
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)


def texts(revision):
    return [v.text for v in sorted(revision.versions, key=lambda v: v.position)]


def test_import_numbers_operative_paragraphs_and_lettered_subparagraphs(session):
    n = f.negotiation(session)
    rev = f.revision(session, n, circulate=False)
    versions = load_versions(session, rev)
    assert [v.number_label for v in versions] == ["", "", "", "1", "2", "(a)", "(b)", "3"]
    assert list(revision_refs(versions).values()) == [
        "PP1",
        "PP2",
        "Commitments",
        "OP1",
        "OP2",
        "OP2 (a)",
        "OP2 (b)",
        "OP3",
    ]
    assert rev.state is RevisionState.WORKING


def test_import_refuses_empty_text_and_duplicate_label(session):
    n = f.negotiation(session)
    with pytest.raises(InvalidInput, match="No paragraphs"):
        drafting.import_revision(session, None, n, label="Zero draft", paragraphs=[])
    f.revision(session, n, label="Zero draft")
    with pytest.raises(InvalidInput, match="already a revision"):
        drafting.import_revision(session, None, n, label="zero draft", paragraphs=f.paragraphs())


def test_second_import_keeps_lineage_through_renumbering(session):
    n = f.negotiation(session)
    zero = f.revision(session, n, now=NOW)
    new_items = list(f.SAMPLE)
    new_items.insert(3, (Kind.OPERATIVE, "Welcomes the offer of a host country for the meeting;"))
    new_items[4] = (Kind.OPERATIVE, "Decides to convene a high-level meeting in 2029;")
    rev1 = drafting.import_revision(session, None, n, label="Rev.1", paragraphs=f.paragraphs(new_items), now=NOW)
    old = {v.paragraph_id: v for v in zero.versions}
    by_text = {v.text: v for v in rev1.versions}
    convene = by_text["Decides to convene a high-level meeting in 2029;"]
    assert convene.paragraph_id in old and old[convene.paragraph_id].number_label == "1"
    assert convene.number_label == "2"  # renumbered, same paragraph
    welcome = by_text["Welcomes the offer of a host country for the meeting;"]
    assert welcome.paragraph_id not in old
    assert len({v.paragraph_id for v in rev1.versions}) == len(rev1.versions)


def test_import_honours_the_users_pairing(session):
    n = f.negotiation(session)
    zero = f.revision(session, n, now=NOW)
    old_versions = load_versions(session, zero)
    # The user says the first new paragraph is new, not the old PP1.
    rev1 = drafting.import_revision(
        session, None, n, label="Rev.1", paragraphs=f.paragraphs(), pairing={0: None}, now=NOW
    )
    new_versions = load_versions(session, rev1)
    assert new_versions[0].paragraph_id != old_versions[0].paragraph_id
    assert new_versions[1].paragraph_id == old_versions[1].paragraph_id


def test_start_revision_copies_forward_and_only_once(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    zero = f.revision(session, n)
    rev1 = drafting.start_revision(session, t["cofacilitator"], n)
    assert rev1.label == "Rev.1" and rev1.base_revision is zero
    assert texts(rev1) == texts(zero)
    assert [v.paragraph_id for v in load_versions(session, rev1)] == [
        v.paragraph_id for v in load_versions(session, zero)
    ]
    with pytest.raises(StateError, match="already exists"):
        drafting.start_revision(session, t["cofacilitator"], n)


def test_editing_a_circulated_revision_is_refused(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    zero = f.revision(session, n)
    v = load_versions(session, zero)[0]
    with pytest.raises(StateError, match="circulated"):
        editing.edit_text(session, t["cofacilitator"], v, "New text", expected_version=v.version)


@pytest.fixture
def working(session):
    return f.working_revision(session)


def test_edit_insert_move_delete_renumber_and_audit(session, working):
    n, t, rev = working
    me = t["cofacilitator"]
    versions = load_versions(session, rev)
    op1 = versions[3]
    editing.edit_text(session, me, op1, "Decides to convene a summit in 2028;", expected_version=op1.version)
    assert op1.text == "Decides to convene a summit in 2028;" and op1.version == 2
    new = editing.insert_paragraph(
        session, me, rev, anchor=op1, after=False, kind=Kind.OPERATIVE, text="Notes the report;"
    )
    assert [v.number_label for v in load_versions(session, rev) if v.kind is Kind.OPERATIVE] == ["1", "2", "3", "4"]
    assert new.number_label == "1" and op1.number_label == "2"
    editing.move_paragraph(session, me, new, up=False, expected_version=new.version)
    assert [v.text for v in load_versions(session, rev)][3:5] == [
        "Decides to convene a summit in 2028;",
        "Notes the report;",
    ]
    editing.delete_paragraph(session, me, new, expected_version=new.version)
    assert "Notes the report;" not in texts(rev)
    assert (
        session.scalar(sa.select(sa.func.count()).select_from(Paragraph).where(Paragraph.id == new.paragraph_id)) == 0
    )
    actions = session.scalars(sa.select(AuditEvent.action).where(AuditEvent.negotiation_id == n.id)).all()
    for a in ("paragraph.edited", "paragraph.inserted", "paragraph.moved", "paragraph.deleted"):
        assert a in actions


def test_stale_edit_is_a_conflict_and_loses_nothing(session, working):
    n, t, rev = working
    v = load_versions(session, rev)[0]
    seen = v.version
    editing.edit_text(session, t["cofacilitator"], v, "Recalling all its earlier resolutions,", expected_version=seen)
    with pytest.raises(EditConflict) as e:
        editing.edit_text(session, t["cofacilitator"], v, "Recalling its resolutions,", expected_version=seen)
    assert e.value.details["current_text"] == "Recalling all its earlier resolutions,"
    assert v.text == "Recalling all its earlier resolutions,"


def test_edits_elsewhere_do_not_make_a_conflict(session, working):
    n, t, rev = working
    versions = load_versions(session, rev)
    last = versions[-1]
    seen = last.version
    editing.insert_paragraph(
        session, t["cofacilitator"], rev, anchor=versions[0], kind=Kind.PREAMBULAR, text="Noting the report,"
    )
    editing.edit_text(session, t["cofacilitator"], last, "Requests a report;", expected_version=seen)
    assert last.text == "Requests a report;"


def test_status_and_kind_changes(session, working):
    n, t, rev = working
    v = load_versions(session, rev)[4]
    editing.set_status(
        session, t["cofacilitator"], v, Status.AGREED_AD_REF, "pending capitals", expected_version=v.version
    )
    assert v.status is Status.AGREED_AD_REF and v.status_note == "pending capitals"
    editing.change_kind(session, t["cofacilitator"], v, Kind.PREAMBULAR, expected_version=v.version)
    assert v.number_label == ""
    with pytest.raises(InvalidInput):
        editing.change_kind(session, t["cofacilitator"], v, Kind.SUBPARAGRAPH, 7, expected_version=v.version)


def test_lifecycle_circulate_silence_break_adopt(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    me = t["cofacilitator"]
    zero = f.revision(session, n, now=NOW)
    rev1 = drafting.start_revision(session, me, n, now=NOW)
    with pytest.raises(InvalidInput, match="future"):
        lifecycle.circulate(session, me, rev1, deadline=NOW - dt.timedelta(hours=1), now=NOW)
    lifecycle.circulate(session, me, rev1, deadline=NOW + dt.timedelta(days=3), now=NOW, confirm_identical=True)
    assert rev1.state is RevisionState.CIRCULATED and zero.state is RevisionState.SUPERSEDED
    with pytest.raises(StateError):
        lifecycle.circulate(session, me, rev1, deadline=None, now=NOW)
    lifecycle.put_under_silence(session, me, rev1, until=NOW + dt.timedelta(hours=72), now=NOW)
    assert rev1.state is RevisionState.UNDER_SILENCE
    with pytest.raises(StateError, match="runs until"):
        lifecycle.adopt(session, me, rev1, now=NOW + dt.timedelta(hours=1))
    delegation = t["delegate"].memberships[0].delegation
    para = load_versions(session, rev1)[3].paragraph_id
    lifecycle.record_silence_break(
        session,
        me,
        rev1,
        delegation=delegation,
        statement="We cannot join OP1.",
        paragraph_ids=[para],
        now=NOW + dt.timedelta(hours=2),
    )
    with pytest.raises(StateError, match="broken by Mexico"):
        lifecycle.adopt(session, me, rev1, now=NOW + dt.timedelta(hours=80))
    rev2 = drafting.start_revision(session, me, n, now=NOW + dt.timedelta(hours=80))
    lifecycle.circulate(session, me, rev2, deadline=None, now=NOW + dt.timedelta(hours=81), confirm_identical=True)
    assert rev1.state is RevisionState.SUPERSEDED
    lifecycle.put_under_silence(
        session, me, rev2, until=NOW + dt.timedelta(hours=160), now=NOW + dt.timedelta(hours=82)
    )
    lifecycle.adopt(session, me, rev2, now=NOW + dt.timedelta(hours=161))
    assert rev2.state is RevisionState.ADOPTED
    with pytest.raises(StateError, match="adopted"):
        drafting.start_revision(session, me, n)


def test_silence_break_after_the_deadline_is_refused(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    rev = f.revision(session, n, now=NOW)
    lifecycle.put_under_silence(session, None, rev, until=NOW + dt.timedelta(hours=72), now=NOW)
    with pytest.raises(StateError, match="ended"):
        lifecycle.record_silence_break(
            session,
            None,
            rev,
            delegation=t["delegate"].memberships[0].delegation,
            statement="Too late.",
            now=NOW + dt.timedelta(hours=73),
        )


def test_a_delegate_records_a_silence_break_only_for_their_own_delegation(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    rev = f.revision(session, n, now=NOW)
    lifecycle.put_under_silence(session, None, rev, until=NOW + dt.timedelta(hours=72), now=NOW)
    mexico = t["delegate"].memberships[0].delegation
    group = t["delegate2"].memberships[0].delegation
    for who, delegation in (("delegate", group), ("observer", mexico), ("admin", mexico)):
        with pytest.raises(NotAllowed, match="your own delegation"):
            lifecycle.record_silence_break(
                session, t[who], rev, delegation=delegation, statement="We object.", now=NOW + dt.timedelta(hours=1)
            )
    lifecycle.record_silence_break(
        session, t["delegate"], rev, delegation=mexico, statement="We object.", now=NOW + dt.timedelta(hours=1)
    )
    lifecycle.record_silence_break(
        session, t["secretariat"], rev, delegation=group, statement="So do we.", now=NOW + dt.timedelta(hours=2)
    )
    assert sorted(b.delegation.name for b in rev.silence_breaks) == ["G77 and China", "Mexico"]


def test_an_import_pairing_one_earlier_paragraph_twice_is_refused(session):
    n = f.negotiation(session)
    f.revision(session, n, now=NOW)
    with pytest.raises(InvalidInput, match="continue in only one place"):
        drafting.import_revision(
            session,
            None,
            n,
            label="Rev.1",
            paragraphs=f.paragraphs(),
            pairing={0: 1, 1: 1},
            now=NOW + dt.timedelta(hours=2),
        )


def test_the_default_deadline_is_a_week_away_at_six_and_the_default_silence_three_days_on_the_hour():
    now = dt.datetime(2025, 3, 4, 9, 41, 7, tzinfo=dt.UTC)
    assert lifecycle.default_deadline(now) == dt.datetime(2025, 3, 11, 18, 0, tzinfo=dt.UTC)
    # on the next hour, so that the silence offered is never shorter than the 72-hour minimum
    assert lifecycle.default_silence_until(now) == dt.datetime(2025, 3, 7, 10, 0, tzinfo=dt.UTC)
    assert lifecycle.default_silence_until(now.replace(minute=0, second=0)) == dt.datetime(
        2025, 3, 7, 9, 0, tzinfo=dt.UTC
    )


def test_discard_working_revision_removes_its_new_paragraphs(session, working):
    n, t, rev = working
    new = editing.insert_paragraph(
        session, t["cofacilitator"], rev, anchor=None, kind=Kind.OPERATIVE, text="Decides to stay seized;"
    )
    pid = new.paragraph_id
    drafting.discard_revision(session, t["cofacilitator"], rev)
    session.flush()
    assert session.get(Paragraph, pid) is None
    assert [r.label for r in n.revisions] == ["Zero draft"]


def test_compare_pairs_by_lineage_and_counts(session, working):
    n, t, rev = working
    me = t["cofacilitator"]
    versions = load_versions(session, rev)
    editing.edit_text(
        session, me, versions[3], "Decides to convene a summit in 2029;", expected_version=versions[3].version
    )
    editing.insert_paragraph(
        session, me, rev, anchor=versions[0], after=False, kind=Kind.PREAMBULAR, text="Guided by the Charter,"
    )
    editing.delete_paragraph(session, me, versions[-1], expected_version=versions[-1].version)
    editing.move_paragraph(session, me, versions[1], up=True, expected_version=versions[1].version)
    comparison = compare_revisions(session, rev.base_revision, rev)
    c = comparison.counts
    assert (c.changed, c.new, c.deleted) == (1, 1, 1)
    assert c.moved >= 1
    assert ("PP1", "PP3") in comparison.concordance or ("PP1", "PP2") in comparison.concordance
    changed = next(r for r in comparison.rows if r.change.value == "changed")
    assert changed.diff.old_text == "Decides to convene a high-level meeting in 2028;"
    assert changed.diff.new_text == "Decides to convene a summit in 2029;"


def test_history_lists_versions_across_revisions(session, working):
    n, t, rev = working
    v = load_versions(session, rev)[3]
    editing.edit_text(session, t["cofacilitator"], v, "Decides to convene a summit;", expected_version=v.version)
    entries = paragraph_history(session, n, v.paragraph_id, include_working=True)
    assert [e.revision.label for e in entries] == ["Zero draft", "Rev.1"]
    assert entries[1].diff is not None and entries[1].diff.changed
    assert [e.revision.label for e in paragraph_history(session, n, v.paragraph_id, include_working=False)] == [
        "Zero draft"
    ]


def test_an_over_long_symbol_is_refused_not_cut(session):
    from drafter.errors import InvalidInput

    n = f.negotiation(session)
    with pytest.raises(InvalidInput, match="60 characters"):
        drafting.update_settings(
            session, None, n, title=n.title, symbol="A/81/L." + "9" * 60, visibility=n.proposal_visibility
        )
    assert n.symbol == ""
