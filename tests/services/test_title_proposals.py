"""Proposals on the document's title: submitted, compiled, decided and followed like a paragraph's."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa

from drafter.audit import AuditEvent
from drafter.auth.permissions import ProposalScope
from drafter.drafting.queries import working_revision
from drafter.errors import InvalidInput
from drafter.exporting.services import compilation_export
from drafter.importing.proposals import plan_amendments, submit_plan
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals.models import ProposalKind, ProposalState
from drafter.proposals.queries import compile_revision, outcome
from tests.services.test_decisions import LATER, SOON, propose, start_rev1, w  # noqa: F401  (the fixture)

TITLE = "Political declaration on resilient coastal communities"


@pytest.fixture
def titled(session, w):
    w.zero.title = TITLE
    session.flush()
    return w


def test_a_delegation_proposes_a_new_title_and_the_compilation_shows_it_above_the_text(session, titled):
    p = propose(session, titled, ProposalKind.TITLE, None, "Political declaration on resilient coasts and islands")
    assert (p.kind, p.target_version_id) == (ProposalKind.TITLE, None)
    comp = compile_revision(session, titled.zero, scope=ProposalScope.ALL, own=None)
    first = comp.blocks[0]
    assert first.is_title and first.title == TITLE and [pv.proposal.id for pv in first.proposals] == [p.id]
    assert "coasts and islands" in "".join(o.text for o in first.proposals[0].diff.ops if o.op.is_insert)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The proposed title is empty."),
        (TITLE, "is the same as the title"),
        ("Political declaration[new footnote: a note]", "cannot carry a footnote"),
        ("x" * 501, "at most 500 characters"),
    ],
)
def test_a_title_proposal_that_cannot_be_taken_is_refused(session, titled, text, message):
    with pytest.raises(InvalidInput, match=message):
        propose(session, titled, ProposalKind.TITLE, None, text)


def test_a_title_proposal_names_no_paragraph(session, titled):
    with pytest.raises(InvalidInput, match="about no paragraph"):
        propose(session, titled, ProposalKind.TITLE, 3, "A new title")


def test_incorporating_sets_the_working_revisions_title_merged_with_its_later_changes(session, titled):
    p = propose(
        session, titled, ProposalKind.TITLE, None, "Political declaration on resilient coastal and island communities"
    )
    rev1 = start_rev1(session, titled)
    rev1.title = "Draft political declaration on resilient coastal communities"  # changed meanwhile
    session.flush()
    plan = decisions.plan_application(session, p)
    assert plan.merged and plan.text == "Draft political declaration on resilient coastal and island communities"
    decisions.decide(session, titled.cf, p, ProposalState.INCORPORATED, now=LATER)
    assert working_revision(session, titled.n).title == plan.text
    event = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "revision.masthead_changed")).one()
    assert event.data["after"]["title"] == plan.text
    lifecycle.circulate(session, titled.cf, rev1, deadline=None, now=LATER)
    assert outcome(session, p).verdict == "partly taken up"  # merged with the working revision's own change


def test_incorporated_with_changes_takes_the_co_facilitators_title(session, titled):
    p = propose(session, titled, ProposalKind.TITLE, None, "Declaration on coasts")
    start_rev1(session, titled)
    decisions.decide(
        session, titled.cf, p, ProposalState.INCORPORATED_WITH_CHANGES, text="Declaration on coasts and islands"
    )
    assert working_revision(session, titled.n).title == "Declaration on coasts and islands"


def test_an_amendment_document_including_the_title_proposes_the_title_too(session, titled):
    text = 'Replace "coastal" with "coastal and island" wherever it appears, including in the title.'
    plan = plan_amendments(session, titled.zero, titled.t["delegate"].memberships[0].delegation, text, now=SOON)
    kinds = [q.kind for q in plan.proposals]
    assert ProposalKind.TITLE in kinds, plan.problems
    title = next(q for q in plan.proposals if q.kind is ProposalKind.TITLE)
    assert (title.where, title.text) == (
        "the title",
        "Political declaration on resilient coastal and island communities",
    )
    submitted = submit_plan(session, None, titled.zero, titled.t["delegate"].memberships[0].delegation, plan, now=SOON)
    assert any(s.kind is ProposalKind.TITLE and s.target_version_id is None for s in submitted)


def test_the_word_compilation_prints_the_title_proposals_first(session, titled):
    propose(session, titled, ProposalKind.TITLE, None, "Declaration on coasts")
    data = compilation_export(session, titled.zero).data
    body = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert body.index("Declaration on coasts") < body.index("Recalling its earlier resolutions")
