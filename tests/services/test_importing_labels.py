"""A delegation's tracked file whose numbers are typed by hand, as Word files from capitals often are."""

from __future__ import annotations

from tests.services.test_importing_proposals import plan_of, setup, summary  # noqa: F401  (setup is a fixture)
from tests.unit.word.docx_factory import abstract_num, ins, make_docx, num, p, r


def test_numbers_typed_with_a_tab_and_a_bis_paragraph_become_proposals(session, setup):
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


NUMBERED_HEADINGS = abstract_num(0, ("decimal", "%1.")) + num(1, 0) + abstract_num(2, ("upperRoman", "%1.")) + num(3, 2)


def _numbered_file(addition: str = "", heading: str = "Follow-up") -> bytes:
    return make_docx(
        p(r("Recalling its earlier resolutions on the subject,"))
        + p(r("Introduction", bold=True), num=(3, 0))
        + p(r("Decides to convene a meeting;"), num=(1, 0))
        + p(r(heading, bold=True), num=(3, 0))
        + p(r("Requests a report"), ins(addition) if addition else "", r(";"), num=(1, 0)),
        numbering=NUMBERED_HEADINGS,
    )


def test_headings_numbered_by_word_match_the_same_way_in_drafts_and_in_delegations_files(session):
    from drafter.drafting import services as drafting
    from drafter.importing.proposals import plan_upload
    from drafter.importing.services import read_draft
    from drafter.lifecycle import services as lifecycle
    from tests import factories as f

    draft = read_draft("draft.docx", _numbered_file())
    assert [p.text for p in draft.paragraphs if p.kind.value == "heading"] == ["I. Introduction", "II. Follow-up"]
    n = f.negotiation(session)
    rev = drafting.import_revision(session, None, n, label="Zero draft", paragraphs=draft.paragraphs)
    lifecycle.circulate(session, None, rev, deadline=None)
    plan = plan_upload(session, rev, f.delegation(session, "Chile"), "chile.docx", _numbered_file(" by 2027"))
    assert not plan.mismatches and plan.complete
    assert summary(plan) == [("amend", "OP2", "Requests a report by 2027;")]


def test_an_amendment_throughout_the_text_and_words_found_elsewhere_become_proposals_with_notes(session, setup):
    from drafter.importing.proposals import plan_amendments

    n, rev, mexico = setup
    rev.title = "Towards early warning for all"  # as if imported so (a circulated revision's title no longer changes)
    text = (
        'Replace "early warning" with "multi-hazard early warning" throughout the text, including the title.\n'
        'In the first preambular paragraph, replace "international cooperation" with "international solidarity".'
    )
    plan = plan_amendments(session, rev, mexico, text, filename="mexico.txt")
    # "including the title": one proposal on the title besides the paragraphs'
    assert summary(plan) == [
        ("amend", "OP2 (a)", "Strengthening multi-hazard early warning systems;"),
        ("title", "the title", "Towards multi-hazard early warning for all"),
        ("amend", "PP2", "Recognizing the importance of international solidarity,"),
    ]
    assert "found in the second preambular paragraph" in plan.proposals[2].note
    assert plan.complete, plan.problems
