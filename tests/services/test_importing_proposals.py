"""A delegation's tracked .docx and amendment documents turned into proposals, through the services."""

from __future__ import annotations

import datetime as dt
import io
import random

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.drafting import services as drafting
from drafter.drafting.labels import revision_refs
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput, StateError
from drafter.extensions import db
from drafter.importing.proposals import ProposalPlan, plan_amendments, plan_upload, submit_plan, target_paragraphs
from drafter.lifecycle import services as lifecycle
from drafter.proposals.models import Proposal, ProposalKind, ProposalSource
from drafter.text import footnotes
from drafter.text.diff import word_diff
from drafter.text.structure import Kind, ParsedParagraph
from drafter.word.model import DocHeader, DocParagraph, TrackedRow
from drafter.word.tracked import write_tracked
from tests import factories as f
from tests.unit.word.docx_factory import dele, ins, make_docx, mark_del, mark_ins, p, r

DATE = dt.datetime(2025, 11, 7, 12, 0, tzinfo=dt.UTC)
HEADER = DocHeader(title="Test negotiation", label="Zero draft", date=dt.date(2025, 11, 1), symbol="A/80/L.99")


def doc_paragraph(v) -> DocParagraph:
    return DocParagraph(
        kind=v.kind, text=v.text, number_label=v.number_label, level=v.level, italic_chars=v.italic_chars
    )


def tracked_file(
    revision,
    edits: dict[int, str | None] | None = None,
    inserts: dict[int, list[DocParagraph]] | None = None,
    *,
    author: str = "Mexico",
    base: list[DocParagraph] | None = None,
) -> bytes:
    """Return the revision as a tracked .docx: ``edits`` index → new text (None deletes), ``inserts`` after index (-1: start)."""
    edits, inserts = edits or {}, inserts or {}
    old = base if base is not None else [doc_paragraph(v) for v in load_versions(db.session, revision)]
    rows = [TrackedRow(None, q, ()) for q in inserts.get(-1, [])]
    for i, o in enumerate(old):
        if i in edits and edits[i] is None:
            rows.append(TrackedRow(o, None, ()))
        else:
            text = edits.get(i) or o.text
            n = DocParagraph(o.kind, text, o.number_label, o.level, o.italic_chars)
            rows.append(TrackedRow(o, n, word_diff(o.text, text).ops))
        rows.extend(TrackedRow(None, q, ()) for q in inserts.get(i, []))
    buffer = io.BytesIO()
    write_tracked(HEADER, rows, author=author, date=DATE).save(buffer)
    return buffer.getvalue()


@pytest.fixture
def setup(session):
    n = f.negotiation(session)
    rev = f.revision(session, n)
    mexico = f.delegation(session, "Mexico")
    return n, rev, mexico


def plan_of(session, rev, delegation, data: bytes, filename: str = "mexico.docx") -> ProposalPlan:
    return plan_upload(session, rev, delegation, filename, data)


def summary(plan: ProposalPlan) -> list[tuple[str, str, str]]:
    return [(q.kind.value, q.where, q.text) for q in plan.proposals]


# -- Tracked Word files ---------------------------------------------------------------------------


def test_round_trip_amend_insert_delete(session, setup):
    n, rev, mexico = setup
    data = tracked_file(
        rev,
        edits={0: "Recalling its earlier resolutions and decisions on the subject,", 7: None},
        inserts={3: [DocParagraph(Kind.OPERATIVE, "Welcomes the offer of a host country;")]},
    )
    plan = plan_of(session, rev, mexico, data)
    assert plan.complete, (plan.mismatches, plan.problems)
    assert summary(plan) == [
        ("amend", "PP1", "Recalling its earlier resolutions and decisions on the subject,"),
        ("insert", "after OP1", "Welcomes the offer of a host country;"),
        ("delete", "OP3", ""),
    ]
    assert plan.proposals[1].new_kind is Kind.OPERATIVE
    assert plan.proposals[0].meta["authors"] == ["Mexico"]
    assert plan.proposals[0].meta["last_date"] == DATE.isoformat()
    submitted = submit_plan(session, None, rev, mexico, plan)
    session.flush()
    assert [(x.kind, x.proposed_text) for x in submitted] == [
        (ProposalKind.AMEND, "Recalling its earlier resolutions and decisions on the subject,"),
        (ProposalKind.INSERT, "Welcomes the offer of a host country;"),
        (ProposalKind.DELETE, ""),
    ]
    assert all(x.source is ProposalSource.WORD and x.delegation_id == mexico.id for x in submitted)
    assert submitted[0].source_meta["authors"] == ["Mexico"] and submitted[0].source_meta["filename"] == "mexico.docx"
    versions = load_versions(session, rev)
    assert submitted[1].target_version_id == versions[3].id and submitted[2].target_version_id == versions[7].id
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "proposals.imported"))
    assert event is not None and event.data["proposals"] == [x.id for x in submitted]


def test_subparagraph_inserted_and_paragraph_at_the_start(session, setup):
    n, rev, mexico = setup
    data = tracked_file(
        rev,
        inserts={
            -1: [DocParagraph(Kind.PREAMBULAR, "Guided by the Charter of the United Nations,", italic_chars=10)],
            6: [DocParagraph(Kind.SUBPARAGRAPH, "Restoring mangrove forests;", number_label="(c)", level=1)],
        },
    )
    plan = plan_of(session, rev, mexico, data)
    assert summary(plan) == [
        ("insert", "at the start of the text", "Guided by the Charter of the United Nations,"),
        ("insert", "after OP2 (b)", "Restoring mangrove forests;"),
    ]
    assert [(q.new_kind, q.new_level) for q in plan.proposals] == [(Kind.PREAMBULAR, 0), (Kind.SUBPARAGRAPH, 1)]
    submitted = submit_plan(session, None, rev, mexico, plan)
    assert submitted[0].target_version_id is None and submitted[1].new_kind is Kind.SUBPARAGRAPH


def test_several_authors_and_dates_are_kept(session, setup):
    n, rev, mexico = setup
    body = (
        p(r("Recalling its earlier resolutions on the subject,"))
        + p(
            r("Recognizing the importance of "),
            ins("close ", author="Ana", date="2025-11-05T09:00:00Z"),
            r("international cooperation,"),
            ins(" including South-South cooperation", author="Ben", date="2025-11-06T10:30:00Z"),
        )
        + p(r("Commitments"))
        + p(r("Decides to convene a high-level meeting in 2028;"))
        + p(r("Calls upon Member States to act, including by:"))
        + p(r("Strengthening early warning systems;"))
        + p(r("Protecting coastal ecosystems;"))
        + p(r("Requests the Secretary-General to report on progress;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    assert plan.complete
    assert summary(plan) == [
        (
            "amend",
            "PP2",
            "Recognizing the importance of close international cooperation, including South-South cooperation",
        )
    ]
    meta = plan.proposals[0].meta
    assert meta["authors"] == ["Ana", "Ben"] and meta["changes"] == 2
    assert (meta["first_date"], meta["last_date"]) == ("2025-11-05T09:00:00+00:00", "2025-11-06T10:30:00+00:00")


def test_merged_paragraphs_amend_one_and_delete_the_other(session, setup):
    n, rev, mexico = setup
    body = (
        p(r("Recalling its earlier resolutions on the subject"), dele(","), mark=mark_del())
        + p(ins(" and "), r("Recognizing the importance of international cooperation,"))
        + p(r("Commitments"))
        + p(r("Decides to convene a high-level meeting in 2028;"))
        + p(r("Calls upon Member States to act, including by:"))
        + p(r("Strengthening early warning systems;"))
        + p(r("Protecting coastal ecosystems;"))
        + p(r("Requests the Secretary-General to report on progress;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    kinds = sorted((q.kind.value, q.where) for q in plan.proposals)
    assert kinds in ([("amend", "PP1"), ("delete", "PP2")], [("amend", "PP2"), ("delete", "PP1")])
    amended = next(q for q in plan.proposals if q.kind is ProposalKind.AMEND)
    assert amended.text == (
        "Recalling its earlier resolutions on the subject and Recognizing the importance of international cooperation,"
    )


def test_split_paragraph_amends_it_and_inserts_the_rest(session, setup):
    n, rev, mexico = setup
    body = (
        p(r("Recalling its earlier resolutions on the subject,"))
        + p(r("Recognizing the importance"), ins(","), mark=mark_ins())
        + p(ins("Also recognizing the value"), r(" of international cooperation,"))
        + p(r("Commitments"))
        + p(r("Decides to convene a high-level meeting in 2028;"))
        + p(r("Calls upon Member States to act, including by:"))
        + p(r("Strengthening early warning systems;"))
        + p(r("Protecting coastal ecosystems;"))
        + p(r("Requests the Secretary-General to report on progress;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    assert plan.complete
    assert sorted(summary(plan)) == sorted(
        [
            ("amend", "PP2", "Recognizing the importance,"),
            ("insert", "after PP2", "Also recognizing the value of international cooperation,"),
        ]
    ) or sorted(summary(plan)) == sorted(
        [
            ("insert", "after PP1", "Recognizing the importance,"),
            ("amend", "PP2", "Also recognizing the value of international cooperation,"),
        ]
    )


def test_file_made_from_another_version_reports_mismatches(session, setup):
    n, rev, mexico = setup
    versions = load_versions(session, rev)
    base = [doc_paragraph(v) for v in versions]
    base[3] = DocParagraph(Kind.OPERATIVE, "Decides to convene a high-level meeting in 2027;", "1")  # an older text
    base[7] = DocParagraph(Kind.OPERATIVE, "Requests the Secretary-General to report every year;", "3")
    data = tracked_file(
        rev,
        edits={
            3: "Decides to convene a high-level summit in 2027;",
            1: "Recognizing the vital importance of international cooperation,",
        },
        base=base,
    )
    plan = plan_of(session, rev, mexico, data)
    assert summary(plan) == [("amend", "PP2", "Recognizing the vital importance of international cooperation,")]
    assert not plan.complete
    where = {m.where: m for m in plan.mismatches}
    assert set(where) == {"OP1", "OP3"}
    assert where["OP1"].found == "Decides to convene a high-level meeting in 2027;"
    assert where["OP1"].expected == versions[3].text
    assert where["OP1"].proposed == "Decides to convene a high-level summit in 2027;"
    assert "cannot be turned into a proposal" in where["OP1"].message
    assert where["OP3"].proposed == ""  # not changed in the file: only reported


def test_untracked_insertions_and_deletions_are_reported(session, setup):
    n, rev, mexico = setup
    versions = load_versions(session, rev)
    base = [doc_paragraph(v) for v in versions]
    del base[6]
    base.insert(
        4, DocParagraph(Kind.OPERATIVE, "Encourages the private sector to invest in resilient infrastructure;", "2")
    )
    plan = plan_of(
        session,
        rev,
        mexico,
        tracked_file(rev, edits={0: "Recalling all its earlier resolutions on the subject,"}, base=base),
    )
    assert summary(plan) == [("amend", "PP1", "Recalling all its earlier resolutions on the subject,")]
    messages = {m.where: m.message for m in plan.mismatches}
    assert any("not in Zero draft" in m for m in messages.values())
    assert "is not in the file" in messages["OP2 (b)"]


def test_unchanged_file_gives_no_proposal(session, setup):
    n, rev, mexico = setup
    with pytest.raises(InvalidInput, match="no tracked changes"):
        plan_of(session, rev, mexico, tracked_file(rev))
    plan = plan_of(
        session,
        rev,
        mexico,
        make_docx(p(r("Recalling "), ins("x"), dele("x"), r("its earlier resolutions on the subject,"))),
    )
    assert plan.proposals == []
    with pytest.raises(InvalidInput, match="no proposal"):
        submit_plan(session, None, rev, mexico, plan)


def test_number_labels_typed_by_hand_are_not_part_of_the_text(session, setup):
    n, rev, mexico = setup
    body = (
        p(r("Recalling its earlier resolutions on the subject,"))
        + p(r("Recognizing the importance of international cooperation,"))
        + p(r("Commitments"))
        + p(r("1.\tDecides to convene a high-level meeting in 2028"), ins(" in Nairobi"), r(";"))
        + p(r("2.\tCalls upon Member States to act, including by:"))
        + p(r("(a)\tStrengthening early warning systems;"))
        + p(r("(b)\tProtecting coastal ecosystems;"))
        + p(r("3.\tRequests the Secretary-General to report on progress;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    assert plan.complete and summary(plan) == [
        ("amend", "OP1", "Decides to convene a high-level meeting in 2028 in Nairobi;")
    ]


def test_duplicates_of_submitted_proposals_are_not_submitted_again(session, setup):
    n, rev, mexico = setup
    data = tracked_file(rev, edits={0: "Recalling its earlier resolutions and decisions on the subject,"})
    submit_plan(session, None, rev, mexico, plan_of(session, rev, mexico, data))
    again = plan_of(session, rev, mexico, data)
    assert again.proposals == [] and "already submitted" in again.problems[0]
    other = f.delegation(session, "Norway")
    assert len(plan_of(session, rev, other, data).proposals) == 1


def test_submit_is_all_or_nothing(session, setup):
    n, rev, mexico = setup
    data = tracked_file(rev, edits={0: "Recalling its earlier resolutions and decisions on the subject,", 1: None})
    plan = plan_of(session, rev, mexico, data)
    broken = ProposalPlan.from_json(
        {
            **plan.to_json(),
            "proposals": [
                *plan.to_json()["proposals"][:1],
                {**plan.to_json()["proposals"][1], "target_version_id": 999_999},
            ],
        }
    )
    with pytest.raises(InvalidInput, match="no longer exists"):
        submit_plan(session, None, rev, mexico, broken)
    session.rollback()
    assert session.scalar(sa.select(sa.func.count(Proposal.id))) == 0


def test_plan_survives_json(session, setup):
    n, rev, mexico = setup
    data = tracked_file(
        rev,
        edits={0: "Recalling its earlier resolutions and decisions on the subject,"},
        inserts={3: [DocParagraph(Kind.OPERATIVE, "Welcomes the offer of a host country;")]},
    )
    plan = plan_of(session, rev, mexico, data)
    assert ProposalPlan.from_json(plan.to_json()) == plan


def test_plan_refused_when_the_revision_is_closed(session):
    n = f.negotiation(session)
    now = dt.datetime.now(dt.UTC)
    rev = f.revision(session, n, now=now - dt.timedelta(days=10), deadline=now - dt.timedelta(days=1))
    mexico = f.delegation(session, "Mexico")
    with pytest.raises(StateError, match=r"deadline for proposals on .* has passed"):
        plan_amendments(session, rev, mexico, "Delete operative paragraph 2.")
    working = f.revision(session, f.negotiation(session), circulate=False)
    with pytest.raises(StateError):
        plan_upload(session, working, mexico, "x.docx", tracked_file(working))


def test_other_file_kinds_are_refused(session, setup):
    n, rev, mexico = setup
    with pytest.raises(InvalidInput, match="tracked Word file"):
        plan_upload(session, rev, mexico, "proposals.pdf", b"%PDF-1.7")
    with pytest.raises(InvalidInput, match="PDF"):
        plan_upload(session, rev, mexico, "proposals.txt", b"%PDF-1.7")


# -- Amendment documents --------------------------------------------------------------------------

AMENDMENTS = """Mexico: amendment to the zero draft

1. In the second preambular paragraph, replace “international cooperation” with “international solidarity”.
2. After operative paragraph 1, insert a new paragraph reading:
“Welcomes the offer of a host country;”
3. Delete operative paragraph 3.
4. In operative paragraph 2 (a), delete “early”.
"""


def test_amendment_document_becomes_proposals(session, setup):
    n, rev, mexico = setup
    plan = plan_amendments(session, rev, mexico, AMENDMENTS, filename="mexico.txt")
    assert plan.complete, plan.problems
    assert summary(plan) == [
        ("amend", "PP2", "Recognizing the importance of international solidarity,"),
        ("insert", "after OP1", "Welcomes the offer of a host country;"),
        ("delete", "OP3", ""),
        ("amend", "OP2 (a)", "Strengthening warning systems;"),
    ]
    assert plan.source is ProposalSource.AMENDMENT_DOCUMENT
    assert "international solidarity" in plan.proposals[0].meta["instructions"][0]
    submitted = submit_plan(session, None, rev, mexico, plan)
    assert [x.source for x in submitted] == [ProposalSource.AMENDMENT_DOCUMENT] * 4


def test_unapplicable_and_unparsed_instructions_are_reported_not_guessed(session, setup):
    n, rev, mexico = setup
    text = (
        "In operative paragraph 1, replace “2027” with “2029”.\n\n"
        "In operative paragraph 9, delete “progress”.\n\n"
        "In operative paragraph 2, strengthen the language on cooperation.\n\n"
        "Delete operative paragraph 3."
    )
    plan = plan_amendments(session, rev, mexico, text)
    assert summary(plan) == [("delete", "OP3", "")]
    assert len(plan.problems) == 3
    assert any("2027" in x and "not applied" in x for x in plan.problems)
    assert any("operative paragraph 9" in x for x in plan.problems)
    assert any(x.startswith("Not understood") for x in plan.problems)


def test_text_without_instructions_is_refused(session, setup):
    n, rev, mexico = setup
    with pytest.raises(InvalidInput, match="No amendment instructions"):
        plan_amendments(session, rev, mexico, "Recalling its resolution 70/1,\n\nDecides to act.")


def test_word_amendment_document_without_tracked_changes(session, setup):
    n, rev, mexico = setup
    data = make_docx(p(r("Mexico: amendment")) + p(r("Delete operative paragraph 3.")))
    plan = plan_upload(session, rev, mexico, "mexico.docx", data)
    assert summary(plan) == [("delete", "OP3", "")] and plan.source is ProposalSource.AMENDMENT_DOCUMENT
    with pytest.raises(InvalidInput, match="no tracked changes"):
        plan_upload(session, rev, mexico, "plain.docx", make_docx(p(r("Recalling its resolution,"))))


def test_target_paragraphs_follow_the_printed_numbers(session, setup):
    n, rev, mexico = setup
    targets = target_paragraphs(load_versions(session, rev))
    assert [(t.kind, t.number, t.subparagraph) for t in targets] == [
        (Kind.PREAMBULAR, 0, ""),
        (Kind.PREAMBULAR, 0, ""),
        (Kind.HEADING, 0, ""),
        (Kind.OPERATIVE, 1, ""),
        (Kind.OPERATIVE, 2, ""),
        (Kind.SUBPARAGRAPH, 0, "(a)"),
        (Kind.SUBPARAGRAPH, 0, "(b)"),
        (Kind.OPERATIVE, 3, ""),
    ]


def test_changes_to_the_title_block_are_ignored_with_a_warning(session, setup):
    n, rev, mexico = setup
    body = (
        p(r("A/80/L.99"))
        + p(r("Zero draft"), ins(" (Mexico)"))
        + p(r("Recalling its earlier resolutions on the subject,"))
        + p(r("Recognizing the importance of international cooperation,"))
        + p(r("Commitments"))
        + p(r("Decides to convene a high-level meeting in 2028"), dele(";"), ins("."))
        + p(r("Calls upon Member States to act, including by:"))
        + p(r("Strengthening early warning systems;"))
        + p(r("Protecting coastal ecosystems;"))
        + p(r("Requests the Secretary-General to report on progress;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    assert plan.complete, (plan.mismatches, plan.problems)
    assert summary(plan) == [("amend", "OP1", "Decides to convene a high-level meeting in 2028.")]
    assert plan.warnings == [
        "A change before the text of Zero draft (in the title block?) was ignored: “Zero draft” → “Zero draft (Mexico)”."
    ]


def _random_edits(seed: int, versions) -> tuple[dict[int, str | None], dict[int, list[DocParagraph]]]:
    rnd = random.Random(seed)
    edits: dict[int, str | None] = {}
    inserts: dict[int, list[DocParagraph]] = {}
    for i, v in enumerate(versions):
        roll = rnd.random()
        if roll < 0.25:
            words = v.text.split()
            at = rnd.randrange(len(words) + 1)
            edits[i] = " ".join([*words[:at], rnd.choice(["firmly", "also", "all", "urgently"]), *words[at:]])
        elif roll < 0.35:
            words = v.text.split()
            edits[i] = " ".join(words[:-2] + [f"and more {seed};"]) if len(words) > 3 else None
        elif roll < 0.45:
            edits[i] = None
    for anchor in rnd.sample(range(-1, len(versions)), rnd.randrange(3)):
        inserts[anchor] = [DocParagraph(Kind.OPERATIVE, f"Invites proposal number {seed}-{anchor} on the matter;", "9")]
    return edits, inserts


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_of_random_edits(session, setup, seed):
    """Our tracked export of random edits reads back as exactly those edits."""
    n, rev, mexico = setup
    versions = load_versions(session, rev)
    refs = dict(enumerate(revision_refs(versions)[v.id] for v in versions))
    edits, inserts = _random_edits(seed, versions)
    plan = plan_of(session, rev, mexico, tracked_file(rev, edits, inserts))
    assert plan.complete, (plan.mismatches, plan.problems)
    expected = []
    kept = -1  # a new paragraph after a deleted one follows the nearest kept paragraph before it
    for anchor in [-1, *range(len(versions))]:
        if anchor >= 0 and anchor in edits:
            text = edits[anchor]
            expected.append(("delete", refs[anchor], "") if text is None else ("amend", refs[anchor], text))
        if anchor >= 0 and not (anchor in edits and edits[anchor] is None):
            kept = anchor
        for q in inserts.get(anchor, []):
            expected.append(("insert", f"after {refs[kept]}" if kept >= 0 else "at the start of the text", q.text))
    assert summary(plan) == expected
    submitted = submit_plan(session, None, rev, mexico, plan)
    assert [x.proposed_text for x in submitted] == [t for _, _, t in expected]


# -- Footnotes ------------------------------------------------------------------------------------


def test_an_amendment_document_adds_a_footnote_where_it_says(session, setup):
    n, rev, mexico = setup
    text = "In operative paragraph 1, after “meeting” insert “[new footnote: To be held in New York.]”."
    plan = plan_amendments(session, rev, mexico, text)
    assert plan.complete, plan.problems
    (planned,) = plan.proposals
    assert planned.text == f"Decides to convene a high-level meeting{footnotes.marker(1)} in 2028;"
    assert planned.notes == {1: "To be held in New York."}
    (proposal,) = submit_plan(session, None, rev, mexico, ProposalPlan.from_json(plan.to_json()))
    assert proposal.notes == {1: "To be held in New York."}


def test_a_tracked_file_keeps_the_revisions_footnotes_and_brings_its_own(session):
    n = f.negotiation(session)
    m = footnotes.marker
    rev = drafting.import_revision(
        session,
        None,
        n,
        label="Zero draft",
        paragraphs=[
            ParsedParagraph(
                Kind.PREAMBULAR, f"Recalling A,{m(2)} and B,{m(5)}", footnotes={2: "Res. 1.", 5: "Res. 2."}
            ),
        ],
    )
    (v,) = load_versions(session, rev)
    # ids out of order, as after a proposal's footnote was folded in before an older one
    v.text, v.footnotes = f"Recalling A,{m(3)} and B,{m(1)}", {"3": "Res. 1.", "1": "Res. 2."}
    lifecycle.circulate(session, None, rev, deadline=None)
    mexico = f.delegation(session, "Mexico")
    old = DocParagraph(v.kind, v.text, footnotes=v.notes)
    # the delegation adds a note after C and removes B's
    new = DocParagraph(v.kind, f"Recalling A,{m(3)} C,{m(7)} and B,", footnotes={3: "Res. 1.", 7: "Res. 3."})
    buffer = io.BytesIO()
    rows = [TrackedRow(old, new, word_diff(old.text, new.text).ops)]
    write_tracked(HEADER, rows, author="Mexico", date=DATE).save(buffer)
    plan = plan_of(session, rev, mexico, buffer.getvalue())
    assert plan.complete, plan.mismatches
    (planned,) = plan.proposals
    # the revision's ids for what it had, a fresh one for the file's new note; the removed one is gone
    assert footnotes.inline(planned.text, planned.notes) == "Recalling A,[^Res. 1.] C,[^Res. 3.] and B,"
    assert set(planned.notes) == {3, 4}
