"""A delegation's Word file written by other programs and habits, through the proposal import."""

from __future__ import annotations

import pytest

from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput
from drafter.importing.proposals import ONLY_FORMAT, plan_upload
from drafter.proposals.models import ProposalSource
from tests import factories as f
from tests.unit.word.docx_factory import DATE, make_docx, p, r, table

PPR_CHANGE = f'<w:pPrChange w:id="91" w:author="Mexico" w:date="{DATE}"><w:pPr/></w:pPrChange>'
FIELD_INSERTED = (
    f'<w:ins w:id="92" w:author="Mexico" w:date="{DATE}"><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> SEQ para </w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:ins>'
)


@pytest.fixture
def setup(session):
    n = f.negotiation(session)
    return n, f.revision(session, n), f.delegation(session, "Mexico")


@pytest.mark.parametrize("change", ["properties", "field"])
def test_a_file_whose_only_tracked_changes_are_formatting_says_so(session, setup, change: str) -> None:
    n, rev, mexico = setup
    versions = load_versions(session, rev)
    body = "".join(
        p(
            r(v.text),
            FIELD_INSERTED if change == "field" and i == 2 else "",
            ppr=PPR_CHANGE if change == "properties" and i == 2 else "",
        )
        for i, v in enumerate(versions)
    )
    plan = plan_upload(session, rev, mexico, "mexico.docx", make_docx(body))
    assert plan.source is ProposalSource.WORD
    assert plan.proposals == [] and plan.mismatches == []
    assert plan.warnings[0] == ONLY_FORMAT
    assert (
        ONLY_FORMAT == "The file's only tracked changes are to numbering or formatting; it proposes no change of text."
    )


def test_an_amendment_document_with_tracked_formatting_is_still_read_as_instructions(session, setup) -> None:
    n, rev, mexico = setup
    data = make_docx(p(r("Mexico: amendment"), ppr=PPR_CHANGE) + p(r("Delete operative paragraph 3.")))
    plan = plan_upload(session, rev, mexico, "mexico.docx", data)
    assert plan.source is ProposalSource.AMENDMENT_DOCUMENT
    assert [(q.kind.value, q.where) for q in plan.proposals] == [("delete", "OP3")]


def test_text_changes_give_no_formatting_warning(session, setup) -> None:
    n, rev, mexico = setup
    versions = load_versions(session, rev)
    change = (
        f'<w:ins w:id="93" w:author="Mexico" w:date="{DATE}"><w:r><w:t xml:space="preserve"> all</w:t></w:r></w:ins>'
    )
    body = "".join(p(r(v.text.rstrip(",;.")), change if i == 0 else "", r(v.text[len(v.text.rstrip(",;.")):]), ppr=PPR_CHANGE)
                   for i, v in enumerate(versions))  # fmt: skip
    plan = plan_upload(session, rev, mexico, "mexico.docx", make_docx(body))
    assert ONLY_FORMAT not in plan.warnings and len(plan.proposals) == 1


def test_an_amendment_table_of_several_columns_is_named(session, setup) -> None:
    n, rev, mexico = setup
    data = make_docx(table((p(r("OP3")), p(r("Delete the paragraph.")))))
    with pytest.raises(InvalidInput, match="The text of this file is in a table;"):
        plan_upload(session, rev, mexico, "mexico.docx", data)
