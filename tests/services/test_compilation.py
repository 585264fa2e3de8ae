"""The compilation of a revision: paragraphs with their proposals, attribution, bis/ter labels, filters."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from drafter.auth.models import DelegationKind, Role
from drafter.auth.permissions import ProposalScope, own_delegation
from drafter.drafting.queries import load_versions
from drafter.proposals import decisions, diffs, services
from drafter.proposals.models import Proposal, ProposalKind, ProposalState, Stance
from drafter.proposals.queries import Filters, compile_revision, proposal_records, proposals_on_paragraph
from drafter.text import footnotes
from drafter.text.diff import DiffOp, Op, WordDiff, word_diff
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)
SOON = NOW + dt.timedelta(hours=1)


@pytest.fixture
def w(session):
    """A circulated zero draft with proposals from four delegations, in a known order."""
    n = f.negotiation(session)
    t = f.team(session, n)
    d = {
        name: f.delegation(session, name, kind)
        for name, kind in [
            ("Fiji", DelegationKind.MEMBER_STATE),
            ("Norway", DelegationKind.MEMBER_STATE),
            ("European Union", DelegationKind.GROUP),
        ]
    }
    d["Mexico"], d["G77 and China"] = own_delegation(t["delegate"], n), own_delegation(t["delegate2"], n)
    t["eu"] = f.user(session, role=Role.DELEGATE, negotiation=n, delegation=d["European Union"])
    zero = f.revision(session, n, now=NOW)
    v = load_versions(session, zero)

    def sub(name, kind, target, text=""):
        return services.submit(
            session, None, zero, d[name], kind=kind, target=None if target is None else v[target], text=text, now=SOON
        )

    p = SimpleNamespace(
        g77_op1=sub(
            "G77 and China", ProposalKind.AMEND, 3, "Decides to convene a high-level meeting in 2028 in New York;"
        ),
        mex_op1_bis=sub("Mexico", ProposalKind.INSERT, 3, "Welcomes the offer of Fiji to host the meeting;"),
        eu_op1_ter=sub("European Union", ProposalKind.INSERT, 3, "Decides on the modalities of the meeting;"),
        norway_new=sub("Norway", ProposalKind.INSERT, None, "Guided by the Charter of the United Nations,"),
        fiji_after_heading=sub("Fiji", ProposalKind.INSERT, 2, "Noting the report of the Secretary-General,"),
        eu_pp2_bis=sub("European Union", ProposalKind.INSERT, 1, "Reaffirming the 2030 Agenda,"),
        mex_sub_bis=sub("Mexico", ProposalKind.INSERT, 5, "Restoring mangroves;"),
        eu_delete=sub("European Union", ProposalKind.DELETE, 7),
        g77_retain=sub("G77 and China", ProposalKind.RETAIN, 7),
    )
    services.set_position(session, None, p.g77_op1, d["Fiji"], Stance.COSPONSOR, now=SOON)
    services.set_position(session, None, p.g77_op1, d["Mexico"], Stance.SUPPORT, now=SOON)
    services.set_position(session, None, p.g77_op1, d["Norway"], Stance.SUPPORT, now=SOON)
    services.set_position(session, None, p.g77_op1, d["European Union"], Stance.OPPOSE, now=SOON)
    session.flush()
    return SimpleNamespace(n=n, t=t, d=d, zero=zero, v=v, p=p)


def layout(comp) -> list[tuple[str, bool, list[str]]]:
    """Each block as (reference, is new, [delegation of each proposal])."""
    return [(b.ref, b.is_new, [pv.proposal.delegation.name for pv in b.proposals]) for b in comp.blocks]


def test_the_compilation_lists_each_paragraph_then_its_proposals_and_new_paragraphs_in_place(session, w):
    comp = compile_revision(session, w.zero, scope=ProposalScope.ALL, own=None)
    assert layout(comp) == [
        ("New", True, ["Norway"]),
        ("PP1", False, []),
        ("PP2", False, []),
        ("PP2 bis", True, ["European Union"]),
        ("Commitments", False, []),
        ("PP2 ter", True, ["Fiji"]),  # after a heading: counted from the paragraph before it
        ("OP1", False, ["G77 and China"]),
        ("1 bis", True, ["Mexico"]),
        ("1 ter", True, ["European Union"]),
        ("OP2", False, []),
        ("OP2 (a)", False, []),
        ("2 (a) bis", True, ["Mexico"]),
        ("OP2 (b)", False, []),
        ("OP3", False, ["European Union", "G77 and China"]),
    ]
    assert (comp.total, comp.shown) == (9, 9)
    assert [d.name for d in comp.delegations] == ["European Union", "Fiji", "G77 and China", "Mexico", "Norway"]
    new = next(b for b in comp.blocks if b.ref == "2 (a) bis")
    assert new.row is None and new.new_kind is Kind.SUBPARAGRAPH and new.proposals[0].label == "2 (a) bis"
    op1 = next(b for b in comp.blocks if b.ref == "OP1")
    assert op1.row.version.id == w.v[3].id and op1.proposals[0].label == "OP1"


def test_each_proposal_is_attributed_with_its_cosponsors_supporters_and_opponents(session, w):
    comp = compile_revision(session, w.zero, scope=ProposalScope.ALL, own=None)
    view = next(pv for b in comp.blocks for pv in b.proposals if pv.proposal.id == w.p.g77_op1.id)
    assert (
        view.attribution
        == "G77 and China, co-sponsored by Fiji; supported by Mexico, Norway; opposed by European Union"
    )
    assert view.by_stance == {
        Stance.COSPONSOR: ["Fiji"],
        Stance.SUPPORT: ["Mexico", "Norway"],
        Stance.OPPOSE: ["European Union"],
    }
    plain = next(pv for b in comp.blocks for pv in b.proposals if pv.proposal.id == w.p.eu_delete.id)
    assert plain.attribution == "European Union"


def test_each_proposal_carries_the_word_diff_of_its_kind(session, w):
    comp = compile_revision(session, w.zero, scope=ProposalScope.ALL, own=None)
    diffs = {pv.proposal.id: pv.diff for b in comp.blocks for pv in b.proposals}
    amend = diffs[w.p.g77_op1.id]
    assert [o for o in amend.ops if o.op is not Op.EQUAL] == [DiffOp(Op.INSERT, " in New York")]
    assert diffs[w.p.mex_op1_bis.id].ops == (DiffOp(Op.INSERT, "Welcomes the offer of Fiji to host the meeting;"),)
    assert diffs[w.p.eu_delete.id].ops == (DiffOp(Op.DELETE, "Requests the Secretary-General to report on progress;"),)
    assert diffs[w.p.g77_retain.id].ops == (DiffOp(Op.EQUAL, "Requests the Secretary-General to report on progress;"),)


def test_filters_keep_labels_and_count_what_is_shown(session, w):
    eu = w.d["European Union"]
    by_eu = compile_revision(session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(delegation_id=eu.id))
    # The EU's own proposals, and the one it took a position on; its new paragraph keeps its label.
    assert layout(by_eu) == [
        ("PP2 bis", True, ["European Union"]),
        ("OP1", False, ["G77 and China"]),
        ("1 ter", True, ["European Union"]),
        ("OP3", False, ["European Union"]),
    ]
    assert (by_eu.total, by_eu.shown) == (9, 4)
    inserts = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(kind=ProposalKind.INSERT)
    )
    assert [b.ref for b in inserts.blocks] == ["New", "PP2 bis", "PP2 ter", "1 bis", "1 ter", "2 (a) bis"]
    op1 = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(paragraph_id=w.v[3].paragraph_id)
    )
    assert layout(op1) == [
        ("OP1", False, ["G77 and China"]),
        ("1 bis", True, ["Mexico"]),
        ("1 ter", True, ["European Union"]),
    ]
    only = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(with_proposals_only=True)
    )
    assert "PP1" not in [b.ref for b in only.blocks] and only.shown == 9
    assert {b.ref: len(b.proposals) for b in only.blocks}["OP3"] == 2  # counts per paragraph


def test_the_state_filter_follows_decisions_and_withdrawals(session, w):
    services.withdraw(session, None, w.p.mex_sub_bis, now=SOON)
    decisions.decide(session, w.t["cofacilitator"], w.p.eu_delete, ProposalState.NOT_RETAINED, now=SOON)
    withdrawn = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(state=ProposalState.WITHDRAWN)
    )
    assert layout(withdrawn) == [("2 (a) bis", True, ["Mexico"])]
    refused = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(state=ProposalState.NOT_RETAINED)
    )
    assert layout(refused) == [("OP3", False, ["European Union"])]
    still_open = compile_revision(
        session, w.zero, scope=ProposalScope.ALL, own=None, filters=Filters(state=ProposalState.SUBMITTED)
    )
    assert still_open.shown == 7


def test_own_scope_shows_own_proposals_and_those_taken_a_position_on(session, w):
    mexico = w.d["Mexico"]
    comp = compile_revision(session, w.zero, scope=ProposalScope.OWN, own=mexico)
    assert [(b.ref, [pv.proposal.delegation.name for pv in b.proposals]) for b in comp.blocks if b.proposals] == [
        ("OP1", ["G77 and China"]),
        ("1 bis", ["Mexico"]),
        ("2 (a) bis", ["Mexico"]),
    ]
    assert comp.total == 3
    assert compile_revision(session, w.zero, scope=ProposalScope.NONE, own=mexico).total == 0
    assert compile_revision(session, w.zero, scope=ProposalScope.OWN, own=None).total == 0


def test_proposals_on_a_paragraph_include_the_one_that_created_it(session, w):
    from drafter.drafting import services as drafting

    later = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    rev1 = drafting.start_revision(session, w.t["cofacilitator"], w.n, now=later)
    decisions.decide(session, w.t["cofacilitator"], w.p.mex_op1_bis, ProposalState.INCORPORATED, now=later)
    on_op1 = proposals_on_paragraph(session, w.v[3].paragraph_id)
    assert [p.id for p in on_op1] == [w.p.g77_op1.id]  # new paragraphs after OP1 are not proposals on it
    assert [p.id for p in proposals_on_paragraph(session, w.p.mex_op1_bis.result_paragraph_id)] == [w.p.mex_op1_bis.id]
    assert rev1 is not None


def test_proposal_records_are_in_compilation_order_with_lineage_and_labels(session, w):
    records = proposal_records(session, [w.zero])
    assert [(r.ref, r.delegation, r.kind) for r in records] == [
        ("New", "Norway", "insert"),
        ("PP2 bis", "European Union", "insert"),
        ("PP2 ter", "Fiji", "insert"),
        ("OP1", "G77 and China", "amend"),
        ("1 bis", "Mexico", "insert"),
        ("1 ter", "European Union", "insert"),
        ("2 (a) bis", "Mexico", "insert"),
        ("OP3", "European Union", "delete"),
        ("OP3", "G77 and China", "retain"),
    ]
    g77 = records[3]
    assert (g77.paragraph_id, g77.number_label, g77.base_text) == (w.v[3].paragraph_id, "1", w.v[3].text)
    assert (g77.cosponsors, g77.supporters, g77.opponents) == (["Fiji"], ["Mexico", "Norway"], ["European Union"])
    assert (records[0].paragraph_id, records[0].base_text) == (None, "")
    fiji = proposal_records(session, [w.zero], delegation_id=w.d["Fiji"].id)
    assert [(r.ref, r.delegation) for r in fiji] == [
        ("PP2 ter", "Fiji"),
        ("OP1", "G77 and China"),
    ]  # co-sponsored counts


# -- The word diff kept with each proposal -------------------------------------------------------


def shown_diffs(session, revision, **kw) -> dict[int, object]:
    comp = compile_revision(session, revision, scope=ProposalScope.ALL, own=None, **kw)
    return {pv.proposal.id: pv.diff for b in comp.blocks for pv in b.proposals}


def test_a_proposal_keeps_the_word_diff_it_makes_and_the_compilation_shows_that_diff(session, w):
    p = w.p.g77_op1
    assert p.stored_diff is not None and p.stored_diff["runs"]
    fresh = word_diff(p.target_version.text, p.proposed_text)
    assert diffs.decode(p.stored_diff, p.target_version.text, p.proposed_text) == fresh
    assert shown_diffs(session, w.zero)[p.id] == fresh
    # kinds that need no word diff keep none
    assert w.p.mex_op1_bis.stored_diff is None and w.p.eu_delete.stored_diff is None


def test_a_title_proposal_keeps_the_diff_of_the_title(session, w):
    p = services.submit(
        session, None, w.zero, w.d["Fiji"], kind=ProposalKind.TITLE, target=None, text="Resilient coasts", now=SOON
    )
    assert diffs.decode(p.stored_diff, w.zero.title, "Resilient coasts") == word_diff(w.zero.title, "Resilient coasts")


def test_an_edited_proposal_gets_the_diff_of_its_new_text(session, w):
    p = w.p.g77_op1
    before = dict(p.stored_diff)
    new_text = "Decides to convene a summit in 2028 in Suva;"
    services.edit(session, None, p, text=new_text, justification="", now=SOON)
    assert p.stored_diff != before
    fresh = word_diff(p.target_version.text, new_text)
    assert diffs.decode(p.stored_diff, p.target_version.text, new_text) == fresh
    assert shown_diffs(session, w.zero)[p.id] == fresh
    assert [o.text for o in fresh.ops if o.op is Op.INSERT] == ["summit", " in Suva"]


def test_a_stale_or_missing_copy_is_not_used_but_made_again_without_a_new_version(session, w):
    p, other = w.p.g77_op1, w.p.eu_delete
    base = p.target_version.text
    # a copy made from other texts, and an old row without a copy (made before copies were kept)
    whole = WordDiff((DiffOp(Op.DELETE, base), DiffOp(Op.INSERT, p.proposed_text)), 0.0)
    wrong = diffs.encode(whole, base, p.proposed_text + "!")
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == p.id).values(stored_diff=wrong))
    title = services.submit(
        session, None, w.zero, w.d["Fiji"], kind=ProposalKind.TITLE, target=None, text="Resilient coasts", now=SOON
    )
    session.flush()
    session.execute(sa.update(Proposal.__table__).where(Proposal.id == title.id).values(stored_diff=None))
    session.expire_all()
    versions = {x.id: x.version for x in (p, other, title)}
    shown = shown_diffs(session, w.zero)
    assert shown[p.id] == word_diff(base, p.proposed_text)
    assert shown[title.id] == word_diff(w.zero.title, "Resilient coasts")
    session.flush()
    session.expire_all()
    assert diffs.decode(session.get(Proposal, p.id).stored_diff, base, p.proposed_text) == shown[p.id]
    assert session.get(Proposal, title.id).stored_diff == diffs.encode(
        shown[title.id], w.zero.title, "Resilient coasts"
    )
    # a copy of a diff is no change of the proposal: an edit form opened before stays current
    assert {x.id: x.version for x in (p, other, title)} == versions


def test_the_text_under_a_kept_diff_changing_makes_the_copy_stale(session, w):
    p = w.p.g77_op1
    copy = dict(p.stored_diff)
    p.target_version.text = "Decides to convene a meeting;"
    assert diffs.decode(copy, p.target_version.text, p.proposed_text) is None
    assert diffs.diff_of(p) == word_diff("Decides to convene a meeting;", p.proposed_text)


@pytest.mark.parametrize(
    "damage",
    [
        lambda c: None,
        lambda c: "=3",
        lambda c: {**c, "runs": "=x"},
        lambda c: {**c, "runs": "?4"},
        lambda c: {**c, "runs": "=0"},
        lambda c: {k: v for k, v in c.items() if k != "similarity"},
        lambda c: {**c, "runs": c["runs"] + " +1"},
        lambda c: {**c, "runs": "=" + str(sum(int(r[1:]) for r in c["runs"].split() if r[0] != "+"))},
        lambda c: {**c, "runs": " ".join(("-" if r[0] == "=" else r[0]) + r[1:] for r in c["runs"].split())},
    ],
)
def test_a_damaged_copy_is_not_used(damage):
    old, new = "Decides to convene a meeting in 2028;", "Decides to convene a summit in 2028 in Suva;"
    copy = diffs.encode(word_diff(old, new), old, new)
    assert diffs.decode(copy, old, new) == word_diff(old, new)
    assert diffs.decode(damage(copy), old, new) is None


def test_a_copy_keeps_footnote_markers_in_place():
    mark = footnotes.marker(1)
    old, new = f"Recalls its resolution 70/1{mark} on the 2030 Agenda;", f"Recalls its resolution 70/1{mark};"
    copy = diffs.encode(word_diff(old, new), old, new)
    assert diffs.decode(copy, old, new) == word_diff(old, new)
    assert diffs.decode(copy, old, new).new_text == new


def test_the_positions_are_read_once_whatever_the_number_of_proposals(app, session, w):
    from sqlalchemy import event

    def queries() -> int:
        session.expire_all()
        seen: list[str] = []
        listen = lambda *a: seen.append(a[2])  # noqa: E731
        event.listen(session.get_bind(), "before_cursor_execute", listen)
        try:
            comp = compile_revision(session, w.zero, scope=ProposalScope.ALL, own=None)
            texts = [pv.attribution for b in comp.blocks for pv in b.proposals]
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", listen)
        assert texts
        return len(seen)

    few = queries()
    for name in ("Fiji", "Norway"):
        for target in (0, 4, 6):
            p = services.submit(
                session,
                None,
                w.zero,
                w.d[name],
                kind=ProposalKind.AMEND,
                target=w.v[target],
                text=f"{name} {target}.",
                now=SOON,
            )
            services.set_position(session, None, p, w.d["Mexico"], Stance.SUPPORT, now=SOON)
    session.flush()
    assert queries() == few
