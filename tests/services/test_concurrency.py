"""Services under concurrent use: row locks and compare-and-set keep every confirmed change.

The interleaving tests hold one transaction open in a second session (PostgreSQL only: an
in-memory SQLite database has a single connection), start the other request in a thread so it
waits on the lock, then commit the first and check what the second one did.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from drafter.auth.models import Delegation, User
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import ParagraphVersion, Revision, RevisionState
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, StateError
from drafter.extensions import db
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals import services as proposals
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from tests import factories as f
from tests.conftest import PG_URL

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
pg_only = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (DRAFTER_TEST_DATABASE_URL)")


@pytest.fixture
def round_(session):
    """A circulated zero draft with one open proposal, and Rev.1 started from it (committed)."""
    n = f.negotiation(session)
    team = f.team(session, n)
    zero = f.revision(session, n, now=NOW)
    mexico = team["delegate"].memberships[0].delegation
    proposal = proposals.submit(
        session,
        None,
        zero,
        mexico,
        kind=ProposalKind.AMEND,
        target=load_versions(session, zero)[3],
        text="Decides to convene a summit in 2029;",
        now=NOW,
    )
    rev1 = drafting.start_revision(session, team["cofacilitator"], n, now=NOW)
    session.commit()
    return n, team, zero, rev1, proposal


# -- Circulating an identical text ---------------------------------------------------------------


def test_circulating_a_revision_identical_to_the_previous_one_needs_confirmation(session, round_):
    n, team, zero, rev1, proposal = round_
    with pytest.raises(lifecycle.IdenticalRevision) as refused:
        lifecycle.circulate(session, team["cofacilitator"], rev1, deadline=None, now=NOW)
    assert refused.value.message == (
        "Rev.1 has exactly the same text as Zero draft. Circulating it closes the 1 open "
        "proposal on Zero draft as superseded, without a decision."
    )
    assert (refused.value.previous, refused.value.open_proposals) == ("Zero draft", 1)
    session.rollback()
    assert session.get(Revision, rev1.id).state is RevisionState.WORKING
    assert session.get(Proposal, proposal.id).state is ProposalState.SUBMITTED

    lifecycle.circulate(session, team["cofacilitator"], rev1, deadline=None, now=NOW, confirm_identical=True)
    session.flush()
    session.expire_all()
    assert session.get(Proposal, proposal.id).state is ProposalState.SUPERSEDED


def test_a_revision_with_any_change_is_circulated_without_a_warning(session, round_):
    n, team, zero, rev1, proposal = round_
    v = load_versions(session, rev1)[0]
    editing.set_status(session, None, v, editing.Status.AGREED, expected_version=v.version)  # not a change of the text
    with pytest.raises(lifecycle.IdenticalRevision):
        lifecycle.circulate(session, None, rev1, deadline=None, now=NOW)
    session.rollback()
    v = load_versions(session, rev1)[6]
    editing.change_kind(session, None, v, editing.Kind.OPERATIVE, expected_version=v.version)
    lifecycle.circulate(session, None, rev1, deadline=None, now=NOW)
    assert rev1.state is RevisionState.CIRCULATED


# -- Interleavings on PostgreSQL -----------------------------------------------------------------


@pytest.fixture
def other(app) -> Iterator[Session]:
    """A second database session, as another app process has."""
    with Session(db.engine) as s:
        yield s
        s.rollback()


def in_thread(work: Callable[[Session], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    """Start ``work`` in a thread with its own session; its result or error lands in the dict."""
    out: dict[str, Any] = {}
    engine = db.engine  # the thread has no app context

    def run() -> None:
        with Session(engine) as s:
            try:
                out["result"] = work(s)
                s.commit()
            except Exception as e:  # noqa: BLE001 - handed to the test
                s.rollback()
                out["error"] = e

    thread = threading.Thread(target=run)
    thread.start()
    time.sleep(0.5)  # long enough to reach the lock the other session holds
    return thread, out


def version_in(s: Session, rev: Revision, index: int) -> ParagraphVersion:
    return load_versions(s, s.get(Revision, rev.id))[index]


@pg_only
def test_a_delete_waits_for_an_edit_being_saved_and_then_is_a_conflict(session, round_, other):
    n, team, zero, rev1, proposal = round_
    seen = version_in(session, rev1, 3).version
    editing.edit_text(other, None, version_in(other, rev1, 3), "Decides to meet in 2031;", expected_version=seen)
    deleted, out = in_thread(lambda s: editing.delete_paragraph(s, None, version_in(s, rev1, 3), expected_version=seen))
    assert deleted.is_alive(), "the deletion should wait for the edit's row lock"
    other.commit()  # the edit is confirmed to its author here
    deleted.join(10)
    assert isinstance(out.get("error"), EditConflict) and "changed this paragraph" in out["error"].message
    session.expire_all()
    assert version_in(session, rev1, 3).text == "Decides to meet in 2031;"


@pg_only
def test_an_edit_waiting_on_a_deletion_is_a_conflict_naming_who_deleted(session, round_, other):
    n, team, zero, rev1, proposal = round_
    me = other.get(User, team["cofacilitator"].id)
    seen = version_in(session, rev1, 3)
    seen_id, seen_version = seen.id, seen.version
    editing.delete_paragraph(other, me, version_in(other, rev1, 3), expected_version=seen_version)
    edited, out = in_thread(
        lambda s: editing.edit_text(
            s, None, s.get(ParagraphVersion, seen_id), "Decides to meet in 2031;", expected_version=seen_version
        )
    )
    other.commit()
    edited.join(10)
    assert isinstance(out.get("error"), EditConflict)
    assert out["error"].message == "Co Facilitator deleted this paragraph from Rev.1 after you opened it."
    session.expire_all()
    assert session.get(ParagraphVersion, seen_id) is None


@pg_only
def test_a_second_decision_waits_for_the_first_and_is_refused(session, round_, other):
    n, team, zero, rev1, proposal = round_
    cofac = team["cofacilitator"]
    decisions.decide(
        other, other.get(User, cofac.id), other.get(Proposal, proposal.id), ProposalState.INCORPORATED, now=NOW
    )
    second, out = in_thread(
        lambda s: decisions.decide(
            s,
            s.get(User, cofac.id),
            s.get(Proposal, proposal.id),
            ProposalState.NOT_RETAINED,
            expected_version=proposal.version,
            now=NOW,
        )
    )
    other.commit()
    second.join(10)
    assert isinstance(out.get("error"), StateError)
    assert out["error"].message == "This proposal is incorporated; its decision cannot be changed."
    session.expire_all()
    assert session.get(Proposal, proposal.id).state is ProposalState.INCORPORATED
    assert version_in(session, rev1, 3).text == "Decides to convene a summit in 2029;"


@pg_only
def test_an_edit_waiting_on_a_decision_is_refused_with_a_message(session, round_, other):
    n, team, zero, rev1, proposal = round_
    decisions.decide(
        other,
        other.get(User, team["cofacilitator"].id),
        other.get(Proposal, proposal.id),
        ProposalState.NOT_RETAINED,
        now=NOW,
    )
    edit, out = in_thread(
        lambda s: proposals.edit(
            s,
            None,
            s.get(Proposal, proposal.id),
            text="Decides to meet in 2032;",
            justification="",
            expected_version=proposal.version,
            now=NOW,
        )
    )
    other.commit()
    edit.join(10)
    assert isinstance(out.get("error"), StateError)
    assert out["error"].message == "This proposal is not retained and can no longer be changed."


@pg_only
def test_two_co_facilitators_starting_the_next_revision_at_once_make_one(session, other):
    n = f.negotiation(session)
    f.revision(session, n, now=NOW)
    session.commit()
    drafting.start_revision(other, None, other.get(type(n), n.id), label="Rev.1", now=NOW)
    second, out = in_thread(
        lambda s: drafting.start_revision(s, None, s.get(type(n), n.id), label="Rev.1 bis", now=NOW)
    )
    other.commit()
    second.join(10)
    assert isinstance(out.get("error"), StateError) and "already exists" in out["error"].message
    count = session.scalar(sa.select(sa.func.count()).select_from(Revision).where(Revision.negotiation_id == n.id))
    assert count == 2


def test_the_command_line_circulates_an_identical_import_only_when_told_to(runner, session, tmp_path):
    f.negotiation(session, slug="same-again")
    session.commit()
    draft = tmp_path / "draft.txt"
    draft.write_text("Recalling its resolutions,\n\nDecides to meet in 2028;\n", encoding="utf-8")
    args = ["revisions", "import", "same-again", str(draft), "--circulate"]
    assert runner.invoke(args=[*args, "--label", "Zero draft"]).exit_code == 0
    refused = runner.invoke(args=[*args, "--label", "Rev.1"])
    assert refused.exit_code != 0 and "Rev.1 has exactly the same text as Zero draft." in refused.output
    assert "Traceback" not in refused.output
    session.expire_all()
    assert session.scalar(sa.select(sa.func.count()).select_from(Revision)) == 1
    assert runner.invoke(args=[*args, "--label", "Rev.1", "--identical-ok"]).exit_code == 0


@pg_only
def test_a_submission_waiting_on_a_deadline_brought_forward_is_refused(session, round_, other):
    n, team, zero, rev1, proposal = round_
    mexico_id = proposal.delegation_id
    closing = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=0.3)
    lifecycle.set_deadline(other, None, other.get(Revision, zero.id), closing)
    submit, out = in_thread(
        lambda s: proposals.submit(
            s,
            None,
            s.get(Revision, zero.id),
            s.get(Delegation, mexico_id),
            kind=ProposalKind.RETAIN,
            target=version_in(s, zero, 0),
        )
    )
    assert submit.is_alive(), "the submission should wait for the new deadline"
    other.commit()
    submit.join(10)
    assert isinstance(out.get("error"), StateError) and "has passed" in out["error"].message


@pg_only
def test_an_edit_or_proposal_waiting_on_circulation_is_refused_not_lost(session, round_, other):
    n, team, zero, rev1, proposal = round_
    v = version_in(session, rev1, 3)
    editing.edit_text(session, None, v, "Decides to meet in 2031;", expected_version=v.version)
    zero_id, rev1_id, delegation_id, seen = zero.id, rev1.id, proposal.delegation_id, v.version
    session.commit()
    lifecycle.circulate(other, None, other.get(Revision, rev1_id), deadline=None)

    def edit(s: Session) -> None:
        v = load_versions(s, s.get(Revision, rev1_id))[3]
        editing.edit_text(s, None, v, "Decides to meet in 2032;", expected_version=seen)

    def submit(s: Session) -> None:
        zero = s.get(Revision, zero_id)
        proposals.submit(
            s, None, zero, s.get(Delegation, delegation_id), kind=ProposalKind.RETAIN, target=load_versions(s, zero)[0]
        )

    edited, edit_out = in_thread(edit)
    submitted, submit_out = in_thread(submit)
    assert edited.is_alive() and submitted.is_alive(), "both should wait for the circulation"
    other.commit()
    edited.join(10)
    submitted.join(10)
    assert isinstance(edit_out.get("error"), StateError) and "has been circulated" in edit_out["error"].message
    assert isinstance(submit_out.get("error"), StateError) and "superseded" in submit_out["error"].message
    session.expire_all()
    assert version_in(session, rev1, 3).text == "Decides to meet in 2031;"
    states = session.scalars(sa.select(Proposal.state).where(Proposal.revision_id == zero_id)).all()
    assert states == [ProposalState.SUPERSEDED]
