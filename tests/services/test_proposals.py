"""Proposal services: who may propose on what and when, editing, withdrawing, positions, visibility."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.auth.models import DelegationKind, Role
from drafter.auth.permissions import own_delegation, proposal_scope
from drafter.drafting import services as drafting
from drafter.drafting.models import ProposalVisibility, RevisionState
from drafter.drafting.queries import load_versions
from drafter.errors import EditConflict, InvalidInput, NotAllowed, StateError
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions, services
from drafter.proposals.models import Proposal, ProposalKind, ProposalPosition, ProposalSource, ProposalState, Stance
from drafter.proposals.queries import (
    compile_revision,
    delegation_outcomes,
    delegation_proposals,
    diff_of,
    visible_to,
)
from drafter.text.diff import Op
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
DEADLINE = NOW + dt.timedelta(days=7)
SOON = NOW + dt.timedelta(hours=1)


def make_world(session, visibility: ProposalVisibility = ProposalVisibility.IMMEDIATE) -> SimpleNamespace:
    """A negotiation with a circulated zero draft (proposals due in 7 days) and one user per role."""
    n = f.negotiation(session, visibility=visibility)
    t = f.team(session, n)
    norway = f.delegation(session, "Norway")
    t["delegate3"] = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=norway)
    zero = f.revision(session, n, now=NOW, deadline=DEADLINE)
    versions = load_versions(session, zero)
    return SimpleNamespace(
        n=n,
        t=t,
        zero=zero,
        v=versions,
        mexico=own_delegation(t["delegate"], n),
        g77=own_delegation(t["delegate2"], n),
        norway=norway,
    )


@pytest.fixture
def w(session):
    return make_world(session)


def amend(
    session, w, text="Decides to convene a summit in 2028;", *, who="delegate", target=3, now=SOON, **kw
) -> Proposal:
    user = w.t[who]
    return services.submit(
        session,
        user,
        w.zero,
        own_delegation(user, w.n),
        kind=ProposalKind.AMEND,
        target=w.v[target],
        text=text,
        now=now,
        **kw,
    )


def events(session, proposal: Proposal) -> list[str]:
    return list(
        session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.object_type == "Proposal", AuditEvent.object_id == proposal.id)
            .order_by(AuditEvent.id)
        )
    )


# --- submitting -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "target", "text", "stored"),
    [
        (ProposalKind.AMEND, 3, "  Decides to convene a summit in 2028;\r\n", "Decides to convene a summit in 2028;"),
        (
            ProposalKind.INSERT,
            3,
            "Welcomes the offer of Fiji to host the meeting;",
            "Welcomes the offer of Fiji to host the meeting;",
        ),
        (
            ProposalKind.INSERT,
            None,
            "Guided by the Charter of the United Nations,",
            "Guided by the Charter of the United Nations,",
        ),
        (ProposalKind.DELETE, 7, "ignored", ""),
        (ProposalKind.RETAIN, 0, "", ""),
    ],
)
def test_a_delegate_submits_each_kind_of_proposal(session, w, kind, target, text, stored):
    me = w.t["delegate"]
    p = services.submit(
        session,
        me,
        w.zero,
        w.mexico,
        kind=kind,
        target=None if target is None else w.v[target],
        text=text,
        justification="  Clearer.  ",
        now=SOON,
    )
    session.flush()
    assert (p.state, p.kind, p.proposed_text, p.justification) == (ProposalState.SUBMITTED, kind, stored, "Clearer.")
    assert p.delegation is w.mexico and p.revision is w.zero and p.created_by_id == me.id
    assert p.version == 1 and p.created_at == SOON and p.source is ProposalSource.WEB
    assert p.new_kind is (
        Kind.OPERATIVE
        if kind is ProposalKind.INSERT and target
        else Kind.OPERATIVE
        if kind is ProposalKind.INSERT
        else None
    )
    ev = session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "proposal.submitted", AuditEvent.object_id == p.id)
    )
    assert ev is not None and ev.actor_id == me.id and ev.negotiation_id == w.n.id
    assert ev.data["kind"] == kind.value and ev.data["text"] == stored
    assert "Mexico" in ev.summary


def test_a_new_paragraph_takes_the_kind_and_depth_of_the_paragraph_it_follows(session, w):
    me, d = w.t["delegate"], w.mexico
    after_pp = services.submit(
        session, me, w.zero, d, kind=ProposalKind.INSERT, target=w.v[1], text="Noting the report,", now=SOON
    )
    after_sub = services.submit(
        session, me, w.zero, d, kind=ProposalKind.INSERT, target=w.v[5], text="Restoring mangroves;", now=SOON
    )
    after_heading = services.submit(
        session, me, w.zero, d, kind=ProposalKind.INSERT, target=w.v[2], text="Decides to act;", now=SOON
    )
    chosen = services.submit(
        session,
        me,
        w.zero,
        d,
        kind=ProposalKind.INSERT,
        target=w.v[3],
        text="Funding adaptation;",
        new_kind=Kind.SUBPARAGRAPH,
        new_level=9,
        now=SOON,
    )
    assert (after_pp.new_kind, after_pp.new_level) == (Kind.PREAMBULAR, 0)
    assert (after_sub.new_kind, after_sub.new_level) == (Kind.SUBPARAGRAPH, 1)
    assert (after_heading.new_kind, after_heading.new_level) == (Kind.OPERATIVE, 0)
    assert (chosen.new_kind, chosen.new_level) == (Kind.SUBPARAGRAPH, 3)  # clamped to the deepest level


def test_a_group_proposes_as_itself(session, w):
    p = amend(session, w, who="delegate2")
    assert p.delegation.name == "G77 and China" and p.delegation.kind is DelegationKind.GROUP
    assert "G77 and China proposed" in session.scalar(
        sa.select(AuditEvent.summary).where(AuditEvent.object_id == p.id, AuditEvent.object_type == "Proposal")
    )


@pytest.mark.parametrize("who", ["delegate", "observer", "cofacilitator", "admin", "outsider"])
def test_nobody_but_its_own_delegates_and_the_secretariat_proposes_for_a_delegation(session, w, who):
    with pytest.raises(NotAllowed) as e:
        services.submit(
            session, w.t[who], w.zero, w.g77, kind=ProposalKind.AMEND, target=w.v[3], text="Decides to act;", now=SOON
        )
    if who == "delegate":
        assert e.value.message == "You speak for Mexico in this negotiation, not for G77 and China."
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_the_secretariat_and_scripts_enter_proposals_on_behalf_of_any_delegation(session, w):
    by_secretariat = services.submit(
        session, w.t["secretariat"], w.zero, w.g77, kind=ProposalKind.RETAIN, target=w.v[0], now=SOON
    )
    by_script = services.submit(
        session,
        None,
        w.zero,
        w.norway,
        kind=ProposalKind.DELETE,
        target=w.v[7],
        now=SOON,
        source=ProposalSource.WORD,
        source_meta={"author": "Norway", "date": "2026-11-02"},
    )
    assert by_secretariat.delegation is w.g77 and by_secretariat.created_by_id == w.t["secretariat"].id
    assert by_script.created_by_id is None and by_script.source_meta == {"author": "Norway", "date": "2026-11-02"}


def test_a_delegate_of_another_negotiation_cannot_propose_here(session, w):
    other = f.negotiation(session)
    stranger = f.user(session, role=Role.DELEGATE, negotiation=other, delegation=w.mexico)
    with pytest.raises(NotAllowed):
        services.submit(session, stranger, w.zero, w.mexico, kind=ProposalKind.RETAIN, target=w.v[0], now=SOON)


def test_no_proposals_on_a_working_revision(session, w):
    rev1 = drafting.start_revision(session, w.t["cofacilitator"], w.n, now=SOON)
    target = load_versions(session, rev1)[3]
    with pytest.raises(StateError, match="not on a working draft"):
        services.submit(
            session,
            w.t["delegate"],
            rev1,
            w.mexico,
            kind=ProposalKind.AMEND,
            target=target,
            text="Decides to act;",
            now=SOON,
        )


@pytest.mark.parametrize(
    ("when", "ok"),
    [(DEADLINE - dt.timedelta(seconds=1), True), (DEADLINE, False), (DEADLINE + dt.timedelta(days=1), False)],
)
def test_proposals_close_at_the_deadline(session, w, when, ok):
    if ok:
        assert amend(session, w, now=when).state is ProposalState.SUBMITTED
    else:
        with pytest.raises(StateError, match="deadline for proposals on Zero draft has passed"):
            amend(session, w, now=when)


def test_no_proposals_on_a_superseded_revision_or_one_under_silence(session, w):
    me = w.t["cofacilitator"]
    rev1 = drafting.start_revision(session, me, w.n, now=SOON)
    lifecycle.circulate(session, me, rev1, deadline=DEADLINE, now=SOON, confirm_identical=True)
    assert w.zero.state is RevisionState.SUPERSEDED
    with pytest.raises(StateError, match="superseded"):
        amend(session, w)
    lifecycle.put_under_silence(session, me, rev1, until=DEADLINE, now=SOON)
    with pytest.raises(StateError):
        services.submit(
            session,
            w.t["delegate"],
            rev1,
            w.mexico,
            kind=ProposalKind.RETAIN,
            target=load_versions(session, rev1)[0],
            now=SOON,
        )


def test_the_paragraph_must_belong_to_the_revision(session, w):
    other = f.negotiation(session)
    foreign = load_versions(session, f.revision(session, other, now=NOW))[3]
    with pytest.raises(InvalidInput, match="not part of this revision"):
        services.submit(
            session,
            w.t["delegate"],
            w.zero,
            w.mexico,
            kind=ProposalKind.AMEND,
            target=foreign,
            text="Decides to act;",
            now=SOON,
        )
    rev1 = drafting.start_revision(session, w.t["cofacilitator"], w.n, now=SOON)
    same_lineage_other_revision = load_versions(session, rev1)[3]
    with pytest.raises(InvalidInput, match="not part of this revision"):
        services.submit(
            session,
            w.t["delegate"],
            w.zero,
            w.mexico,
            kind=ProposalKind.DELETE,
            target=same_lineage_other_revision,
            now=SOON,
        )


@pytest.mark.parametrize(
    ("kind", "target", "text", "message"),
    [
        (ProposalKind.AMEND, 3, "", "The proposed text is empty. To remove the paragraph, propose its deletion."),
        (ProposalKind.AMEND, 3, " \n\t ", "The proposed text is empty."),
        (ProposalKind.INSERT, 3, "   ", "The proposed text is empty."),
        (ProposalKind.AMEND, 3, "Decides to convene a high-level meeting in 2028;", "nothing would change"),
        (ProposalKind.AMEND, 3, "  Decides to convene a\nhigh-level  meeting in 2028; ", "nothing would change"),
        (ProposalKind.AMEND, None, "Decides to act;", "Choose the paragraph to amend."),
        (ProposalKind.DELETE, None, "", "Choose the paragraph the proposal is about."),
        (ProposalKind.RETAIN, None, "", "Choose the paragraph the proposal is about."),
        (ProposalKind.AMEND, 3, "x" * (services.MAX_PROPOSAL_CHARS + 1), "at most 20,000 characters"),
    ],
)
def test_empty_unchanged_or_incomplete_proposals_are_refused_with_a_message(session, w, kind, target, text, message):
    with pytest.raises(InvalidInput) as e:
        services.submit(
            session,
            w.t["delegate"],
            w.zero,
            w.mexico,
            kind=kind,
            target=None if target is None else w.v[target],
            text=text,
            now=SOON,
        )
    assert message in e.value.message
    assert session.scalar(sa.select(sa.func.count()).select_from(Proposal)) == 0


def test_a_too_long_justification_is_refused(session, w):
    with pytest.raises(InvalidInput, match="justification"):
        amend(session, w, justification="j" * (services.MAX_JUSTIFICATION_CHARS + 1))


def test_spaces_typed_between_chinese_characters_change_nothing(session):
    n = f.negotiation(session)
    t = f.team(session, n)
    zero = f.revision(session, n, [(Kind.OPERATIVE, "呼吁会员国采取行动；")], now=NOW, deadline=DEADLINE)
    v = load_versions(session, zero)[0]
    with pytest.raises(InvalidInput, match="nothing would change"):
        services.submit(
            session,
            t["delegate"],
            zero,
            own_delegation(t["delegate"], n),
            kind=ProposalKind.AMEND,
            target=v,
            text="呼吁 会员国 采取 行动；",
            now=SOON,
        )


# --- the six UN languages -----------------------------------------------------------------

LANGUAGES = [
    # (language, base, proposed, inserted words, deleted words)
    ("Arabic", "يدعو الدول الأعضاء إلى العمل؛", "يدعو جميع الدول الأعضاء إلى العمل فورا؛", ["جميع ", " فورا"], []),
    ("Chinese", "呼吁会员国采取行动；", "呼吁所有会员国立即采取行动；", ["所有", "立即"], []),
    ("English", "Calls upon Member States to act;", "Calls upon all Member States to act;", ["all "], []),
    (
        "French",
        "Demande aux États Membres d’agir ;",
        "Demande à tous les États Membres d’agir ;",
        ["à tous les"],
        ["aux"],
    ),
    (
        "Russian",
        "Призывает государства-члены действовать;",
        "Настоятельно призывает государства-члены действовать;",
        ["Настоятельно призывает"],
        ["Призывает"],
    ),
    (
        "Spanish",
        "Exhorta a los Estados Miembros a actuar;",
        "Exhorta a todos los Estados Miembros a actuar sin demora;",
        ["todos ", " sin demora"],
        [],
    ),
]


@pytest.mark.parametrize(
    ("language", "base", "proposed", "inserted", "deleted"), LANGUAGES, ids=[x[0] for x in LANGUAGES]
)
def test_each_un_language_is_accepted_and_diffed_by_word(session, language, base, proposed, inserted, deleted):
    n = f.negotiation(session)
    t = f.team(session, n)
    zero = f.revision(session, n, [(Kind.OPERATIVE, base)], now=NOW, deadline=DEADLINE)
    p = services.submit(
        session,
        t["delegate"],
        zero,
        own_delegation(t["delegate"], n),
        kind=ProposalKind.AMEND,
        target=load_versions(session, zero)[0],
        text=proposed,
        now=SOON,
    )
    session.flush()
    session.expire_all()
    assert p.proposed_text == proposed  # stored exactly
    d = diff_of(p)
    assert (d.old_text, d.new_text) == (base, proposed)
    assert [o.text.strip() for o in d.ops if o.op is Op.INSERT] == [x.strip() for x in inserted]
    assert [o.text.strip() for o in d.ops if o.op is Op.DELETE] == [x.strip() for x in deleted]
    assert d.similarity > 0.5


# --- editing and withdrawing --------------------------------------------------------------


def test_a_delegate_edits_their_proposal_before_the_deadline(session, w):
    p = amend(session, w, justification="First thoughts.")
    session.flush()
    services.edit(
        session,
        w.t["delegate"],
        p,
        text="Decides to convene a summit in 2029;",
        justification="Second thoughts.",
        expected_version=1,
        now=SOON + dt.timedelta(hours=1),
    )
    assert (p.proposed_text, p.justification, p.version) == (
        "Decides to convene a summit in 2029;",
        "Second thoughts.",
        2,
    )
    assert p.updated_at == SOON + dt.timedelta(hours=1) and p.created_at == SOON
    ev = session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "proposal.edited", AuditEvent.object_id == p.id)
    )
    assert ev.data["before"] == {"text": "Decides to convene a summit in 2028;", "justification": "First thoughts."}
    assert ev.data["after"] == {"text": "Decides to convene a summit in 2029;", "justification": "Second thoughts."}


def test_an_edit_that_changes_nothing_leaves_no_trace(session, w):
    p = amend(session, w)
    session.flush()
    services.edit(session, w.t["delegate"], p, text=p.proposed_text, justification="", expected_version=1, now=SOON)
    session.flush()
    assert p.version == 1 and events(session, p) == ["proposal.submitted"]


def test_an_edit_is_checked_like_a_submission(session, w):
    p = amend(session, w)
    with pytest.raises(InvalidInput, match="empty"):
        services.edit(session, w.t["delegate"], p, text=" ", justification="", now=SOON)
    with pytest.raises(InvalidInput, match="nothing would change"):
        services.edit(session, w.t["delegate"], p, text=w.v[3].text, justification="", now=SOON)


def test_a_stale_edit_is_a_conflict(session, w):
    p = amend(session, w)
    session.flush()
    services.edit(
        session, w.t["delegate"], p, text="Decides to convene a summit;", justification="", expected_version=1, now=SOON
    )
    with pytest.raises(EditConflict) as e:
        services.edit(
            session, w.t["delegate"], p, text="Decides to meet;", justification="", expected_version=1, now=SOON
        )
    assert e.value.details == {"current_text": "Decides to convene a summit;", "current_version": 2}
    assert p.proposed_text == "Decides to convene a summit;"
    with pytest.raises(EditConflict):
        services.withdraw(session, w.t["delegate"], p, expected_version=1, now=SOON)
    assert p.state is ProposalState.SUBMITTED


def test_a_change_made_by_another_request_meanwhile_is_a_conflict_not_an_overwrite(session, w):
    p = amend(session, w)
    session.flush()
    # Another process changes the row after this one loaded it (the in-memory copy is still at version 1).
    session.execute(
        sa.text("UPDATE proposals SET proposed_text = 'Decides to act;', version = version + 1 WHERE id = :id"),
        {"id": p.id},
    )
    with pytest.raises(EditConflict, match="was changed after you opened it"):
        services.edit(
            session, w.t["delegate"], p, text="Decides to meet;", justification="", expected_version=1, now=SOON
        )


def test_edit_and_withdraw_are_locked_after_the_deadline(session, w):
    p = amend(session, w)
    late = DEADLINE + dt.timedelta(minutes=1)
    with pytest.raises(StateError, match="deadline"):
        services.edit(session, w.t["delegate"], p, text="Decides to meet;", justification="", now=late)
    with pytest.raises(StateError, match="deadline"):
        services.withdraw(session, w.t["delegate"], p, now=late)
    assert p.state is ProposalState.SUBMITTED and p.proposed_text == "Decides to convene a summit in 2028;"


def test_a_delegate_withdraws_their_proposal_and_then_it_is_closed(session, w):
    p = amend(session, w)
    session.flush()
    services.withdraw(session, w.t["delegate"], p, expected_version=1, now=SOON)
    assert p.state is ProposalState.WITHDRAWN and p.version == 2
    assert events(session, p) == ["proposal.submitted", "proposal.withdrawn"]
    with pytest.raises(StateError, match="withdrawn and can no longer be changed"):
        services.edit(session, w.t["delegate"], p, text="Decides to meet;", justification="", now=SOON)
    with pytest.raises(StateError, match="withdrawn"):
        services.withdraw(session, w.t["delegate"], p, now=SOON)
    with pytest.raises(StateError, match="positions on it are closed"):
        services.set_position(session, w.t["delegate2"], p, w.g77, Stance.SUPPORT, now=SOON)
    with pytest.raises(StateError, match="withdrawn"):
        decisions.decide(session, w.t["cofacilitator"], p, ProposalState.NOT_RETAINED, now=SOON)


@pytest.mark.parametrize("who", ["delegate2", "observer", "cofacilitator"])
def test_only_the_proposing_delegation_edits_or_withdraws(session, w, who):
    p = amend(session, w)
    with pytest.raises(NotAllowed):
        services.edit(session, w.t[who], p, text="Decides to meet;", justification="", now=SOON)
    with pytest.raises(NotAllowed):
        services.withdraw(session, w.t[who], p, now=SOON)
    services.withdraw(session, w.t["secretariat"], p, now=SOON)  # on the delegation's behalf
    assert p.state is ProposalState.WITHDRAWN


def test_a_decided_proposal_is_locked_for_its_delegation(session, w):
    p = amend(session, w)
    decisions.decide(session, w.t["cofacilitator"], p, ProposalState.NOT_RETAINED, note="No consensus.", now=SOON)
    with pytest.raises(StateError, match="not retained and can no longer be changed"):
        services.edit(session, w.t["delegate"], p, text="Decides to meet;", justification="", now=SOON)
    with pytest.raises(StateError):
        services.withdraw(session, w.t["delegate"], p, now=SOON)


def test_circulating_the_next_revision_supersedes_open_proposals(session, w):
    open_one = amend(session, w)
    decided = amend(session, w, "Decides to convene a summit in 2030;", who="delegate2")
    withdrawn = amend(session, w, "Decides to meet in 2030;", who="delegate3")
    session.flush()
    decisions.decide(session, w.t["cofacilitator"], decided, ProposalState.NOT_RETAINED, now=SOON)
    services.withdraw(session, w.t["delegate3"], withdrawn, now=SOON)
    rev1 = drafting.start_revision(session, w.t["cofacilitator"], w.n, now=SOON)
    lifecycle.circulate(session, w.t["cofacilitator"], rev1, deadline=DEADLINE, now=SOON, confirm_identical=True)
    session.flush()
    session.expire_all()
    assert (open_one.state, decided.state, withdrawn.state) == (
        ProposalState.SUPERSEDED,
        ProposalState.NOT_RETAINED,
        ProposalState.WITHDRAWN,
    )
    with pytest.raises(StateError, match="superseded"):
        services.edit(session, w.t["delegate"], open_one, text="Decides to meet;", justification="", now=SOON)


# --- co-sponsors, support and opposition --------------------------------------------------


def test_delegations_cosponsor_support_and_oppose_for_themselves(session, w):
    p = amend(session, w, who="delegate2")  # G77 and China
    services.set_position(session, w.t["delegate"], p, w.mexico, Stance.COSPONSOR, now=SOON)
    services.set_position(session, w.t["delegate3"], p, w.norway, Stance.OPPOSE, now=SOON)
    session.flush()
    assert {(x.delegation.name, x.stance) for x in p.positions} == {
        ("Mexico", Stance.COSPONSOR),
        ("Norway", Stance.OPPOSE),
    }
    # Changing one's mind replaces the position; removing it deletes it.
    services.set_position(session, w.t["delegate3"], p, w.norway, Stance.SUPPORT, now=SOON)
    services.set_position(session, w.t["delegate"], p, w.mexico, None, now=SOON)
    session.flush()
    rows = session.execute(sa.select(ProposalPosition.delegation_id, ProposalPosition.stance)).all()
    assert rows == [(w.norway.id, Stance.SUPPORT)]
    positions = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "proposal.position_set").order_by(AuditEvent.id)
    ).all()
    assert [(e.data["delegation"], e.data["before"], e.data["after"]) for e in positions] == [
        ("Mexico", None, "cosponsor"),
        ("Norway", None, "oppose"),
        ("Norway", "oppose", "support"),
        ("Mexico", "cosponsor", None),
    ]
    assert p.version == 1  # positions do not make the delegation's own edit stale


def test_setting_the_same_position_twice_or_removing_none_is_a_no_op(session, w):
    p = amend(session, w, who="delegate2")
    services.set_position(session, w.t["delegate"], p, w.mexico, Stance.SUPPORT, now=SOON)
    services.set_position(session, w.t["delegate"], p, w.mexico, Stance.SUPPORT, now=SOON)
    services.set_position(session, w.t["delegate3"], p, w.norway, None, now=SOON)
    session.flush()
    assert len(p.positions) == 1
    assert session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "proposal.position_set")) == 1


def test_positions_only_for_ones_own_delegation_and_not_on_ones_own_proposal(session, w):
    p = amend(session, w, who="delegate2")
    with pytest.raises(NotAllowed, match="not for Norway"):
        services.set_position(session, w.t["delegate"], p, w.norway, Stance.COSPONSOR, now=SOON)
    with pytest.raises(NotAllowed):
        services.set_position(session, w.t["observer"], p, w.norway, Stance.SUPPORT, now=SOON)
    with pytest.raises(InvalidInput, match="own proposal"):
        services.set_position(session, w.t["delegate2"], p, w.g77, Stance.SUPPORT, now=SOON)
    assert p.positions == []


def test_positions_close_at_the_deadline_and_with_the_decision(session, w):
    p = amend(session, w, who="delegate2")
    with pytest.raises(StateError, match="deadline"):
        services.set_position(session, w.t["delegate"], p, w.mexico, Stance.SUPPORT, now=DEADLINE)
    decisions.decide(session, w.t["cofacilitator"], p, ProposalState.NOT_RETAINED, now=SOON)
    with pytest.raises(StateError, match="positions on it are closed"):
        services.set_position(session, w.t["delegate"], p, w.mexico, Stance.SUPPORT, now=SOON)


# --- visibility ---------------------------------------------------------------------------

ALL, OWN, NONE = "all", "own", "none"
#: role → what it sees: (immediate, not released), (on release, not released), (either, released)
VISIBILITY = {
    "cofacilitator": (ALL, ALL, ALL),
    "secretariat": (ALL, ALL, ALL),
    "admin": (ALL, ALL, ALL),
    "delegate": (ALL, OWN, ALL),
    "observer": (NONE, NONE, ALL),
    "outsider": (NONE, NONE, NONE),
}


@pytest.mark.parametrize("visibility", list(ProposalVisibility))
@pytest.mark.parametrize("released", [False, True])
@pytest.mark.parametrize("who", list(VISIBILITY))
def test_who_sees_which_proposals(session, visibility, released, who):
    w = make_world(session, visibility)
    mexico = amend(session, w, "Decides to convene a summit in 2028;")
    g77 = amend(session, w, "Decides to convene a summit in 2029;", who="delegate2")
    norway = amend(session, w, "Decides to convene a summit in 2030;", who="delegate3")
    services.set_position(session, w.t["delegate"], norway, w.mexico, Stance.SUPPORT, now=SOON)  # Mexico has seen it
    if released:
        lifecycle.release_compilation(session, w.t["cofacilitator"], w.zero, now=SOON)
    session.flush()
    column = 2 if released else (0 if visibility is ProposalVisibility.IMMEDIATE else 1)
    expected = {ALL: {mexico.id, g77.id, norway.id}, OWN: {mexico.id, norway.id}, NONE: set()}[VISIBILITY[who][column]]
    user = w.t[who]
    assert {p.id for p in visible_to(user, [mexico, g77, norway])} == expected
    comp = compile_revision(session, w.zero, scope=proposal_scope(user, w.zero), own=own_delegation(user, w.n))
    assert {pv.proposal.id for b in comp.blocks for pv in b.proposals} == expected
    assert comp.total == len(expected)


# --- per delegation -----------------------------------------------------------------------


def test_a_delegations_proposals_include_those_it_cosponsors_across_revisions(session, w):
    own = amend(session, w)
    cosponsored = amend(session, w, "Decides to convene a summit in 2029;", who="delegate2")
    supported = amend(session, w, "Decides to convene a summit in 2030;", who="delegate3")
    services.set_position(session, w.t["delegate"], cosponsored, w.mexico, Stance.COSPONSOR, now=SOON)
    services.set_position(session, w.t["delegate"], supported, w.mexico, Stance.SUPPORT, now=SOON)
    decisions.decide(session, w.t["cofacilitator"], own, ProposalState.NOT_RETAINED, now=SOON)
    rev1 = drafting.start_revision(session, w.t["cofacilitator"], w.n, now=SOON)
    lifecycle.circulate(session, w.t["cofacilitator"], rev1, deadline=DEADLINE, now=SOON, confirm_identical=True)
    later = services.submit(
        session,
        w.t["delegate"],
        rev1,
        w.mexico,
        kind=ProposalKind.RETAIN,
        target=load_versions(session, rev1)[0],
        now=SOON,
    )
    session.flush()
    listed = delegation_proposals(session, w.n.id, w.mexico.id)
    assert [p.id for p in listed] == [later.id, own.id, cosponsored.id]  # newest revision first
    assert [p.id for p in delegation_proposals(session, w.n.id, w.mexico.id, cosponsored=False)] == [later.id, own.id]
    assert [p.id for p in delegation_proposals(session, w.n.id, w.mexico.id, revision_id=w.zero.id)] == [
        own.id,
        cosponsored.id,
    ]
    rows = delegation_outcomes(session, listed)
    assert [(view.label, out.verdict) for view, out in rows] == [
        ("PP1", "pending"),
        ("OP1", "not taken up"),
        ("OP1", "not taken up"),
    ]
    assert rows[2][0].attribution == "G77 and China, co-sponsored by Mexico"
