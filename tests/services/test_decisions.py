"""Co-facilitators' decisions, folding proposals into the working revision, and what became of them."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.auth.models import Role
from drafter.auth.permissions import own_delegation
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, InvalidInput, StateError
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions, services
from drafter.proposals.models import Proposal, ProposalKind, ProposalState
from drafter.proposals.queries import outcome
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)
SOON = NOW + dt.timedelta(hours=1)
LATER = DEADLINE + dt.timedelta(hours=1)

OP1 = "Decides to convene a high-level meeting in 2028;"


@pytest.fixture
def w(session):
    """A circulated zero draft, its delegates, and the co-facilitator ("cf")."""
    n = f.negotiation(session)
    t = f.team(session, n)
    norway = f.delegation(session, "Norway")
    t["delegate3"] = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=norway)
    zero = f.revision(session, n, now=NOW, deadline=DEADLINE)
    return SimpleNamespace(n=n, t=t, cf=t["cofacilitator"], zero=zero, v=load_versions(session, zero))


def propose(session, w, kind=ProposalKind.AMEND, target=3, text="", who="delegate", **kw) -> Proposal:
    user = w.t[who]
    p = services.submit(
        session,
        user,
        w.zero,
        own_delegation(user, w.n),
        kind=kind,
        target=None if target is None else w.v[target],
        text=text,
        now=SOON,
        **kw,
    )
    session.flush()
    return p


def start_rev1(session, w):
    rev1 = drafting.start_revision(session, w.cf, w.n, now=LATER)
    session.flush()
    return rev1


def working_texts(session, rev) -> list[str]:
    return [v.text for v in load_versions(session, rev)]


def in_working(session, rev, paragraph_id):
    return next(v for v in load_versions(session, rev) if v.paragraph_id == paragraph_id)


def decided_events(session, p) -> list[AuditEvent]:
    """Return the audit events of the decisions on ``p``, oldest first."""
    return session.scalars(
        sa.select(AuditEvent)
        .where(AuditEvent.action == "proposal.decided", AuditEvent.object_id == p.id)
        .order_by(AuditEvent.id)
    ).all()


def assert_decided(session, w, p, state, *, note="", at=LATER, before="submitted") -> None:
    """Assert that the co-facilitator's decision on ``p`` is recorded: on the proposal and in the audit log."""
    assert p.state is state and p.decision_note == note
    assert (p.decided_by_id, p.decided_at, p.updated_at) == (w.cf.id, at, at)
    ev = decided_events(session, p)[-1]
    assert (ev.actor_id, ev.negotiation_id, ev.object_type) == (w.cf.id, w.n.id, "Proposal")
    assert (ev.data["before"], ev.data["after"], ev.data["note"]) == (before, state.value, note)


def assert_undecided(session, p, state=ProposalState.SUBMITTED) -> None:
    """Assert that a refused decision left ``p`` as it was and recorded nothing."""
    assert p.state is state and p.decided_by_id is None and p.decided_at is None and p.decision_note == ""
    assert decided_events(session, p) == []


def assert_edited_by(session, w, paragraph_id, before, after) -> None:
    """Assert that the working revision's paragraph edit is recorded as the co-facilitator's."""
    ev = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "paragraph.edited").order_by(AuditEvent.id.desc())
    ).first()
    assert ev is not None, "no paragraph edit recorded"
    assert (ev.actor_id, ev.data["before"], ev.data["after"]) == (w.cf.id, before, after)


# --- the decisions ------------------------------------------------------------------------


def test_not_retained_with_a_note_changes_nothing_in_the_text(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    decisions.decide(
        session, w.cf, p, ProposalState.NOT_RETAINED, note="  No support in the room. ", expected_version=1, now=LATER
    )
    assert_decided(session, w, p, ProposalState.NOT_RETAINED, note="No support in the room.")
    assert p.state.is_decided and len(decided_events(session, p)) == 1
    assert working_texts(session, rev1) == working_texts(session, w.zero)
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "paragraph.edited")) == 0


def test_not_retained_needs_no_working_revision_but_incorporating_does(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    with pytest.raises(StateError, match="Start the next revision"):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=SOON)
    assert_undecided(session, p)
    decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, now=SOON)
    assert_decided(session, w, p, ProposalState.NOT_RETAINED, at=SOON)


@pytest.mark.parametrize("outcome_state", [ProposalState.SUBMITTED, ProposalState.WITHDRAWN, ProposalState.SUPERSEDED])
def test_only_the_four_decisions_can_be_recorded(session, w, outcome_state):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    with pytest.raises(InvalidInput, match="Choose incorporated"):
        decisions.decide(session, w.cf, p, outcome_state, now=SOON)
    assert_undecided(session, p)


def test_a_note_too_long_is_refused_before_the_proposal_is_locked_or_compared(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    with pytest.raises(InvalidInput, match="at most 5,000 characters"):
        decisions.decide(
            session,
            w.cf,
            p,
            ProposalState.NOT_RETAINED,
            note="x" * (decisions.MAX_NOTE_CHARS + 1),
            expected_version=p.version + 1,
            now=SOON,
        )
    assert_undecided(session, p)


def test_a_decision_can_be_revised_until_something_is_applied(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, now=LATER)
    assert_decided(session, w, p, ProposalState.NOT_RETAINED)
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, note="On reflection.", now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED, note="On reflection.", before="not_retained")
    assert in_working(session, rev1, w.v[3].paragraph_id).text == p.proposed_text
    assert_edited_by(session, w, w.v[3].paragraph_id, OP1, p.proposed_text)
    with pytest.raises(StateError, match="incorporated; its decision cannot be changed"):
        decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, now=LATER)
    actions = session.scalars(sa.select(AuditEvent.data).where(AuditEvent.action == "proposal.decided")).all()
    assert [(a["before"], a["after"]) for a in actions] == [
        ("submitted", "not_retained"),
        ("not_retained", "incorporated"),
    ]


def test_a_decision_on_a_proposal_changed_since_it_was_opened_is_a_conflict(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    opened_at = p.version
    services.edit(session, w.t["delegate"], p, text="Decides to convene a summit in 2029;", justification="", now=SOON)
    session.flush()
    with pytest.raises(EditConflict, match="changed by its delegation") as e:
        decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, expected_version=opened_at, now=SOON)
    assert e.value.details["current_text"] == "Decides to convene a summit in 2029;"
    assert_undecided(session, p)


def test_a_decision_racing_an_edit_from_another_request_is_a_conflict(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    session.execute(sa.text("UPDATE proposals SET version = version + 1 WHERE id = :id"), {"id": p.id})
    with pytest.raises(EditConflict, match="changed by its delegation"):
        decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, expected_version=1, now=SOON)
    session.refresh(p)
    assert_undecided(session, p)


def test_merged_with_another_proposal_on_the_same_revision(session, w):
    a = propose(session, w, text="Decides to convene a summit in 2028;")
    b = propose(session, w, text="Decides to convene a summit in 2029;", who="delegate2")
    decisions.decide(session, w.cf, a, ProposalState.MERGED, merged_into=b, note="See the G77 proposal.", now=SOON)
    assert_decided(session, w, a, ProposalState.MERGED, note="See the G77 proposal.", at=SOON)
    assert a.merged_into is b and a.merged_into_id == b.id
    assert_undecided(session, b)  # the proposal merged into is not decided by the merge
    # Changing the decision clears the link.
    decisions.decide(session, w.cf, a, ProposalState.NOT_RETAINED, now=SOON)
    assert_decided(session, w, a, ProposalState.NOT_RETAINED, at=SOON, before="merged")
    assert a.merged_into is None


def test_a_merge_needs_another_live_proposal_of_the_same_revision(session, w):
    a = propose(session, w, text="Decides to convene a summit in 2028;")
    b = propose(session, w, text="Decides to convene a summit in 2029;", who="delegate2")
    c = propose(session, w, text="Decides to convene a summit in 2030;", who="delegate3")
    for other in (None, a):
        with pytest.raises(InvalidInput, match="same revision"):
            decisions.decide(session, w.cf, a, ProposalState.MERGED, merged_into=other, now=SOON)
    services.withdraw(session, w.t["delegate3"], c, now=SOON)
    with pytest.raises(InvalidInput, match="withdrawn"):
        decisions.decide(session, w.cf, a, ProposalState.MERGED, merged_into=c, now=SOON)
    assert_undecided(session, a)
    decisions.decide(session, w.cf, a, ProposalState.MERGED, merged_into=b, now=SOON)
    assert_decided(session, w, a, ProposalState.MERGED, at=SOON)
    with pytest.raises(InvalidInput, match="merged"):
        decisions.decide(session, w.cf, b, ProposalState.MERGED, merged_into=a, now=SOON)
    assert_undecided(session, b)
    rev1 = start_rev1(session, w)
    lifecycle.circulate(session, w.cf, rev1, deadline=LATER + dt.timedelta(days=7), now=LATER, confirm_identical=True)
    elsewhere = services.submit(
        session,
        w.t["delegate"],
        rev1,
        own_delegation(w.t["delegate"], w.n),
        kind=ProposalKind.RETAIN,
        target=load_versions(session, rev1)[0],
        now=LATER,
    )
    d = services.submit(
        session,
        None,
        rev1,
        own_delegation(w.t["delegate2"], w.n),
        kind=ProposalKind.RETAIN,
        target=load_versions(session, rev1)[1],
        now=LATER,
    )
    with pytest.raises(InvalidInput, match="same revision"):
        decisions.decide(session, w.cf, d, ProposalState.MERGED, merged_into=b, now=LATER)
    decisions.decide(session, w.cf, d, ProposalState.MERGED, merged_into=elsewhere, now=LATER)
    assert_decided(session, w, d, ProposalState.MERGED)
    assert d.merged_into is elsewhere


def test_withdrawn_and_superseded_proposals_cannot_be_decided(session, w):
    withdrawn = propose(session, w, text="Decides to convene a summit in 2028;")
    services.withdraw(session, w.t["delegate"], withdrawn, now=SOON)
    left_open = propose(session, w, text="Decides to convene a summit in 2029;", who="delegate2")
    not_retained = propose(session, w, text="Decides to convene a summit in 2030;", who="delegate3")
    decisions.decide(session, w.cf, not_retained, ProposalState.NOT_RETAINED, now=SOON)
    rev1 = start_rev1(session, w)
    lifecycle.circulate(session, w.cf, rev1, deadline=None, now=LATER, confirm_identical=True)
    session.expire_all()
    with pytest.raises(StateError, match="withdrawn"):
        decisions.decide(session, w.cf, withdrawn, ProposalState.NOT_RETAINED, now=LATER)
    with pytest.raises(StateError, match="superseded"):
        decisions.decide(session, w.cf, left_open, ProposalState.NOT_RETAINED, now=LATER)
    # Once the next revision is out, the record of the last round is closed.
    with pytest.raises(StateError, match="decisions on its proposals are closed"):
        decisions.decide(session, w.cf, not_retained, ProposalState.INCORPORATED, now=LATER)
    assert_undecided(session, withdrawn, ProposalState.WITHDRAWN)
    assert_undecided(session, left_open, ProposalState.SUPERSEDED)
    assert_decided(session, w, not_retained, ProposalState.NOT_RETAINED, at=SOON)
    assert len(decided_events(session, not_retained)) == 1


def test_incorporated_with_changes_needs_the_text_as_incorporated(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    with pytest.raises(InvalidInput, match="Give the text"):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED_WITH_CHANGES, text="  ", now=LATER)
    assert_undecided(session, p)
    assert in_working(session, rev1, w.v[3].paragraph_id).text == OP1
    decisions.decide(
        session,
        w.cf,
        p,
        ProposalState.INCORPORATED_WITH_CHANGES,
        text=" Decides to convene a summit in 2028 in Suva; ",
        note="Venue added.",
        now=LATER,
    )
    assert_decided(session, w, p, ProposalState.INCORPORATED_WITH_CHANGES, note="Venue added.")
    assert in_working(session, rev1, w.v[3].paragraph_id).text == "Decides to convene a summit in 2028 in Suva;"
    assert p.proposed_text == "Decides to convene a summit in 2028;"  # the delegation's text stays as proposed
    assert_edited_by(session, w, w.v[3].paragraph_id, OP1, "Decides to convene a summit in 2028 in Suva;")


# --- incorporating into the working revision ------------------------------------------------


def test_incorporate_applies_the_text_directly_when_the_paragraph_is_unchanged(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.set_status(
        session, w.cf, target, target.status, "read once", expected_version=target.version
    )  # not a text change
    plan = decisions.plan_application(session, p)
    assert (plan.working, plan.version, plan.text, plan.merged) == (rev1, target, p.proposed_text, False)
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert target.text == "Decides to convene a summit in 2028;" and target.updated_by_id == w.cf.id
    assert target.number_label == "1" and target.paragraph_id == w.v[3].paragraph_id
    assert w.v[3].text == OP1  # the circulated revision is untouched
    edited = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "paragraph.edited"))
    assert (edited.data["before"], edited.data["after"], edited.actor_id) == (OP1, p.proposed_text, w.cf.id)


def test_incorporate_patches_a_paragraph_changed_elsewhere(session, w):
    p = propose(session, w, text="Decides to convene a high-level summit in 2028;")
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.edit_text(
        session, w.cf, target, "Decides to convene a high-level meeting in 2029;", expected_version=target.version
    )
    plan = decisions.plan_application(session, p)
    assert plan.merged and plan.text == "Decides to convene a high-level summit in 2029;"
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert target.text == "Decides to convene a high-level summit in 2029;"
    assert_edited_by(
        session,
        w,
        w.v[3].paragraph_id,
        "Decides to convene a high-level meeting in 2029;",
        "Decides to convene a high-level summit in 2029;",
    )


def test_incorporate_refuses_overlapping_changes_and_shows_both_texts(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.edit_text(
        session, w.cf, target, "Decides to convene a ministerial meeting in 2028;", expected_version=target.version
    )
    seen = target.version
    with pytest.raises(decisions.MergeNeeded) as e:
        decisions.plan_application(session, p)
    assert e.value.details == {
        "base_text": OP1,
        "current_text": "Decides to convene a ministerial meeting in 2028;",
        "proposed_text": "Decides to convene a summit in 2028;",
        "current_version": seen,
    }
    with pytest.raises(decisions.MergeNeeded):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert target.text == "Decides to convene a ministerial meeting in 2028;" and target.version == seen
    assert_undecided(session, p)
    # Resolved by hand: the co-facilitator's text is used.
    decisions.decide(
        session,
        w.cf,
        p,
        ProposalState.INCORPORATED_WITH_CHANGES,
        text="Decides to convene a ministerial summit in 2028;",
        now=LATER,
    )
    assert_decided(session, w, p, ProposalState.INCORPORATED_WITH_CHANGES)
    assert target.text == "Decides to convene a ministerial summit in 2028;" and target.version == seen + 1


def test_incorporate_when_the_working_text_already_says_it(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.edit_text(session, w.cf, target, p.proposed_text, expected_version=target.version)
    version = target.version
    edits = session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "paragraph.edited"))
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert target.text == p.proposed_text and target.version == version
    assert (
        session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "paragraph.edited")) == edits
    )  # no empty edit


def test_incorporate_is_refused_when_the_paragraph_was_deleted_from_the_working_revision(session, w):
    p = propose(session, w, text="Decides to convene a summit in 2028;")
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.delete_paragraph(session, w.cf, target, expected_version=target.version)
    with pytest.raises(StateError, match="deleted from the working revision"):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_undecided(session, p)
    decisions.decide(session, w.cf, p, ProposalState.NOT_RETAINED, now=LATER)
    assert_decided(session, w, p, ProposalState.NOT_RETAINED)


def test_accepting_a_new_paragraph_inserts_it_after_its_anchor(session, w):
    p = propose(session, w, ProposalKind.INSERT, target=3, text="Welcomes the offer of Fiji to host the meeting;")
    rev1 = start_rev1(session, w)
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    versions = load_versions(session, rev1)
    assert [v.text for v in versions][3:5] == [OP1, "Welcomes the offer of Fiji to host the meeting;"]
    new = versions[4]
    assert (new.kind, new.number_label, new.paragraph_id) == (Kind.OPERATIVE, "2", p.result_paragraph_id)
    assert [v.number_label for v in versions if v.kind is Kind.OPERATIVE] == ["1", "2", "3", "4"]
    assert new.italic_chars == len("Welcomes")


def test_new_paragraphs_on_one_anchor_keep_their_compilation_order_whatever_the_order_of_decisions(session, w):
    bis = propose(session, w, ProposalKind.INSERT, target=3, text="Welcomes the offer of Fiji;")
    ter = propose(
        session, w, ProposalKind.INSERT, target=3, text="Invites the President to convene it;", who="delegate2"
    )
    quater = propose(session, w, ProposalKind.INSERT, target=3, text="Decides on the modalities;", who="delegate3")
    rev1 = start_rev1(session, w)
    for p in (ter, bis, quater):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
        assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert working_texts(session, rev1)[3:7] == [
        OP1,
        "Welcomes the offer of Fiji;",
        "Invites the President to convene it;",
        "Decides on the modalities;",
    ]


def test_new_paragraphs_at_the_start_and_after_a_subparagraph(session, w):
    first = propose(
        session, w, ProposalKind.INSERT, target=None, text="Guided by the Charter,", new_kind=Kind.PREAMBULAR
    )
    sub = propose(session, w, ProposalKind.INSERT, target=6, text="Restoring mangroves;")
    rev1 = start_rev1(session, w)
    decisions.decide(session, w.cf, first, ProposalState.INCORPORATED, now=LATER)
    decisions.decide(
        session, w.cf, sub, ProposalState.INCORPORATED_WITH_CHANGES, text="Restoring mangrove forests;", now=LATER
    )
    versions = load_versions(session, rev1)
    assert (versions[0].text, versions[0].kind) == ("Guided by the Charter,", Kind.PREAMBULAR)
    new_sub = next(v for v in versions if v.paragraph_id == sub.result_paragraph_id)
    assert (new_sub.text, new_sub.kind, new_sub.level, new_sub.number_label) == (
        "Restoring mangrove forests;",
        Kind.SUBPARAGRAPH,
        1,
        "(c)",
    )
    assert versions[new_sub.position - 1].text == "Protecting coastal ecosystems;"


def test_a_new_paragraph_whose_anchor_was_deleted_is_not_inserted_blindly(session, w):
    p = propose(session, w, ProposalKind.INSERT, target=3, text="Welcomes the offer of Fiji;")
    rev1 = start_rev1(session, w)
    anchor = in_working(session, rev1, w.v[3].paragraph_id)
    editing.delete_paragraph(session, w.cf, anchor, expected_version=anchor.version)
    with pytest.raises(StateError, match="should follow has been deleted"):
        decisions.plan_application(session, p)
    with pytest.raises(StateError, match="should follow has been deleted"):
        decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert "Welcomes the offer of Fiji;" not in working_texts(session, rev1)
    assert_undecided(session, p)
    assert p.result_paragraph_id is None


def test_accepting_a_deletion_deletes_the_paragraph(session, w):
    p = propose(session, w, ProposalKind.DELETE, target=7)
    rev1 = start_rev1(session, w)
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert "Requests the Secretary-General to report on progress;" not in working_texts(session, rev1)
    assert len(load_versions(session, rev1)) == len(w.v) - 1
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "paragraph.deleted")) == 1


def test_accepting_retain_restores_the_circulated_text(session, w):
    p = propose(session, w, ProposalKind.RETAIN, target=3)
    rev1 = start_rev1(session, w)
    target = in_working(session, rev1, w.v[3].paragraph_id)
    editing.edit_text(session, w.cf, target, "Decides to convene a meeting;", expected_version=target.version)
    plan = decisions.plan_application(session, p)
    assert plan.text == OP1 and plan.merged
    decisions.decide(session, w.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert_decided(session, w, p, ProposalState.INCORPORATED)
    assert target.text == OP1
    assert_edited_by(session, w, w.v[3].paragraph_id, "Decides to convene a meeting;", OP1)


LANGUAGE_MERGES = [
    # base, co-facilitators' edit, proposal, merged
    ("呼吁会员国采取行动；", "呼吁会员国立即采取行动；", "呼吁所有会员国采取行动；", "呼吁所有会员国立即采取行动；"),
    (
        "يدعو الدول الأعضاء إلى العمل؛",
        "يدعو الدول الأعضاء إلى العمل فورا؛",
        "يدعو جميع الدول الأعضاء إلى العمل؛",
        "يدعو جميع الدول الأعضاء إلى العمل فورا؛",
    ),
    (
        "Призывает государства-члены действовать;",
        "Призывает государства-члены действовать незамедлительно;",
        "Настоятельно призывает государства-члены действовать;",
        "Настоятельно призывает государства-члены действовать незамедлительно;",
    ),
]


@pytest.mark.parametrize(
    ("base", "edited", "proposed", "merged"), LANGUAGE_MERGES, ids=["Chinese", "Arabic", "Russian"]
)
def test_incorporate_patches_in_other_scripts(session, base, edited, proposed, merged):
    n = f.negotiation(session)
    t = f.team(session, n)
    zero = f.revision(session, n, [(Kind.OPERATIVE, base)], now=NOW, deadline=DEADLINE)
    p = services.submit(
        session,
        t["delegate2"],
        zero,
        own_delegation(t["delegate2"], n),
        kind=ProposalKind.AMEND,
        target=load_versions(session, zero)[0],
        text=proposed,
        now=SOON,
    )
    rev1 = drafting.start_revision(session, t["cofacilitator"], n, now=LATER)
    target = load_versions(session, rev1)[0]
    editing.edit_text(session, t["cofacilitator"], target, edited, expected_version=target.version)
    decisions.decide(session, t["cofacilitator"], p, ProposalState.INCORPORATED, now=LATER)
    assert target.text == merged


# --- what became of each proposal in the next revision --------------------------------------


def test_outcomes_after_the_next_revision_is_circulated(session, w):
    taken = propose(session, w, text="Decides to convene a summit in 2028;")
    changed = propose(
        session, w, target=7, text="Requests the Secretary-General to report annually on progress;", who="delegate2"
    )
    refused = propose(
        session, w, target=1, text="Recognizing the vital importance of international cooperation,", who="delegate3"
    )
    deleted = propose(session, w, ProposalKind.DELETE, target=6)
    kept = propose(session, w, ProposalKind.RETAIN, target=0, who="delegate2")
    not_kept = propose(session, w, ProposalKind.RETAIN, target=1)
    inserted = propose(
        session, w, ProposalKind.INSERT, target=3, text="Welcomes the offer of Fiji to host the meeting;"
    )
    typed_in = propose(
        session, w, ProposalKind.INSERT, target=4, text="Encourages regional preparatory meetings;", who="delegate3"
    )
    dropped = propose(
        session, w, ProposalKind.INSERT, target=0, text="Noting the report of the Secretary-General,", who="delegate2"
    )
    withdrawn = propose(session, w, target=5, text="Strengthening multi-hazard early warning systems;", who="delegate3")
    services.withdraw(session, w.t["delegate3"], withdrawn, now=SOON)
    assert outcome(session, taken).verdict == "pending"

    rev1 = start_rev1(session, w)
    decisions.decide(session, w.cf, taken, ProposalState.INCORPORATED, now=LATER)
    decisions.decide(
        session,
        w.cf,
        changed,
        ProposalState.INCORPORATED_WITH_CHANGES,
        text="Requests the Secretary-General to report biennially on progress;",
        now=LATER,
    )
    decisions.decide(session, w.cf, refused, ProposalState.NOT_RETAINED, now=LATER)
    decisions.decide(session, w.cf, deleted, ProposalState.INCORPORATED, now=LATER)
    decisions.decide(session, w.cf, inserted, ProposalState.INCORPORATED, now=LATER)
    decisions.decide(session, w.cf, dropped, ProposalState.NOT_RETAINED, now=LATER)
    pp2 = in_working(session, rev1, w.v[1].paragraph_id)
    editing.edit_text(session, w.cf, pp2, "Recognizing the importance of cooperation,", expected_version=pp2.version)
    # A co-facilitator types a new paragraph in by hand, close to the proposal, without deciding it.
    anchor = in_working(session, rev1, w.v[4].paragraph_id)
    editing.insert_paragraph(
        session,
        w.cf,
        rev1,
        anchor=anchor,
        kind=Kind.OPERATIVE,
        text="Encourages regional and subregional preparatory meetings;",
    )
    assert outcome(session, taken).verdict == "pending"  # a working revision is not public yet
    lifecycle.circulate(session, w.cf, rev1, deadline=None, now=LATER)
    session.flush()

    got = {
        name: outcome(session, p)
        for name, p in [
            ("taken", taken),
            ("changed", changed),
            ("refused", refused),
            ("deleted", deleted),
            ("kept", kept),
            ("not_kept", not_kept),
            ("inserted", inserted),
            ("typed_in", typed_in),
            ("dropped", dropped),
            ("withdrawn", withdrawn),
        ]
    }
    assert {k: o.verdict for k, o in got.items()} == {
        "taken": "taken up",
        "changed": "partly taken up",
        "refused": "not taken up",
        "deleted": "taken up",
        "kept": "taken up",
        "not_kept": "not taken up",
        "inserted": "taken up",
        "typed_in": "partly taken up",
        "dropped": "not taken up",
        "withdrawn": "withdrawn",
    }
    assert all(o.next_revision is rev1 for k, o in got.items() if k != "withdrawn")
    assert got["taken"].explanation == "Rev.1 has the text as proposed."
    ch = got["changed"]
    assert ch.next_version is not None and ch.next_version.revision is rev1
    assert ch.diff is not None and ch.diff.old_text == changed.proposed_text
    assert ch.diff.new_text == "Requests the Secretary-General to report biennially on progress;"
    assert got["deleted"].next_version is None and got["deleted"].explanation == "The paragraph was deleted in Rev.1."
    assert got["inserted"].next_version.paragraph_id == inserted.result_paragraph_id
    assert got["typed_in"].next_version.text == "Encourages regional and subregional preparatory meetings;"
    assert got["not_kept"].explanation == "The paragraph was changed in Rev.1."
    assert got["withdrawn"].explanation == "Withdrawn by Norway."
