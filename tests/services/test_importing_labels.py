"""A delegation's tracked file whose numbers are typed by hand, as Word files from capitals often are."""

from __future__ import annotations

from tests.services.test_importing_proposals import plan_of, setup, summary  # noqa: F401  (setup is a fixture)
from tests.unit.word.docx_factory import ins, make_docx, p, r


def test_numbers_typed_with_a_tab_and_a_bis_paragraph_become_proposals(session, setup):  # noqa: F811
    n, rev, mexico = setup
    body = (
        p(r("Recalling its earlier resolutions on the subject,"))
        + p(r("Recognizing the importance of international cooperation,"))
        + p(r("Commitments"))
        + p(r("1\tDecides to convene a high-level meeting in 2028"), ins(" in Nairobi"), r(";"))
        + p(r("2\tCalls upon Member States to act, including by:"))
        + p(r("(a)\tStrengthening early warning systems;"))
        + p(r("(b)\tProtecting coastal ecosystems;"))
        + p(r("3\tRequests the Secretary-General to report on progress;"))
        + p(ins("3 bis.\tUnderlines the role of science;"))
    )
    plan = plan_of(session, rev, mexico, make_docx(body))
    assert plan.complete and not plan.mismatches
    assert summary(plan) == [
        ("amend", "OP1", "Decides to convene a high-level meeting in 2028 in Nairobi;"),
        # the typed "3 bis." is the new paragraph's label, not the start of its text
        ("insert", "after OP3", "Underlines the role of science;"),
    ]
    assert plan.proposals[1].new_kind.value == "operative"
