"""Search across a negotiation: the engine's matches, languages, visibility, grouping by paragraph."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.auth.permissions import own_delegation
from drafter.drafting import editing
from drafter.drafting import services as drafting
from drafter.drafting.models import Negotiation, ProposalVisibility
from drafter.drafting.queries import load_versions
from drafter.errors import InvalidInput
from drafter.lifecycle import services as lifecycle
from drafter.proposals import decisions
from drafter.proposals import services as proposals
from drafter.proposals.models import ProposalKind, ProposalState
from drafter.search import index
from drafter.search.models import SearchEntry
from drafter.search.services import Filters, search
from drafter.text import footnotes
from drafter.text.structure import Kind
from tests import factories as f

NOW = dt.datetime(2026, 11, 2, 12, 0, tzinfo=dt.UTC)

TEXT = [
    (Kind.PREAMBULAR, "Recalling its resolution 70/1 on the 2030 Agenda,"),
    (Kind.PREAMBULAR, "Noting the report of the Secretary-General on ocean acidification,"),
    (Kind.OPERATIVE, "Decides to convene a high-level meeting on coastal resilience in 2028;"),
    (Kind.OPERATIVE, "强调 可持续发展 的重要性;"),
    (Kind.OPERATIVE, "يُؤكِّد على أهمية التعاون الدولي;"),
    (Kind.OPERATIVE, "Принимает решение продолжить рассмотрение вопроса;"),
]


def world(session, visibility=ProposalVisibility.IMMEDIATE):
    n = f.negotiation(session, visibility=visibility)
    t = f.team(session, n)
    zero = f.revision(session, n, TEXT, now=NOW, deadline=NOW + dt.timedelta(days=7))
    return n, t, zero, load_versions(session, zero)


def found(session, who, n, q, **kw) -> list[str]:
    """Return "ref@revision" of every place found, and "proposal:<id>:<field>" of every proposal text."""
    out = []
    for hit in search(session, who, n, q, Filters(**kw)).hits:
        for s in hit.snippets:
            out.append(f"{s.revision.label}:{s.field}" if s.proposal is None else f"p{s.proposal.id}:{s.field}")
    return out


def test_words_are_found_in_the_revisions_text(session):
    n, t, zero, v = world(session)
    assert found(session, t["delegate"], n, "coastal resilience") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "glaciers") == []
    # every word must be there; a phrase must be there as typed
    assert found(session, t["delegate"], n, "coastal glaciers") == []
    assert found(session, t["delegate"], n, '"resilience coastal"') == []


def test_case_accents_and_english_endings_do_not_matter(session):
    n, t, zero, v = world(session)
    assert found(session, t["delegate"], n, "DECIDED") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "résilience") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "acidif*") == ["Zero draft:text"]


def test_a_chinese_phrase_is_found_without_spaces_between_its_words(session):
    n, t, zero, v = world(session)
    assert found(session, t["delegate"], n, "可持续发展") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "持续发") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "发续持") == []
    hit = search(session, t["delegate"], n, "可持续发展").hits[0]
    assert "<mark>可</mark><mark>持</mark>" in str(hit.snippets[0].html) or "<mark>可持续发展</mark>" in str(
        hit.snippets[0].html
    )


def test_an_arabic_word_is_found_whatever_its_diacritics_and_alef(session):
    n, t, zero, v = world(session)
    assert found(session, t["delegate"], n, "يؤكد") == ["Zero draft:text"]
    assert found(session, t["delegate"], n, "اهمية") == ["Zero draft:text"]  # bare alef for أ
    assert found(session, t["delegate"], n, "التعاون") == ["Zero draft:text"]


def test_russian_words_are_found(session):
    n, t, zero, v = world(session)
    assert found(session, t["delegate"], n, "решение") == ["Zero draft:text"]


def test_a_footnote_marker_does_not_split_a_word_and_notes_are_searched(session):
    n, t, zero, v = world(session)
    drafting.start_revision(session, t["cofacilitator"], n, now=NOW)
    working = load_versions(session, n.revisions[-1])
    text = "Decides to convene a high-level meeting on coastal resil" + footnotes.marker(1) + "ience in 2028;"
    editing.edit_text(
        session, t["cofacilitator"], working[2], text, expected_version=working[2].version, notes={1: "See A/80/12."}
    )
    session.flush()
    who = t["cofacilitator"]
    assert found(session, who, n, "resilience", revision=n.revisions[-1]) == ["Rev.1:text"]
    assert found(session, who, n, "A/80/12") == ["Rev.1:footnotes"]


def test_a_delegate_never_finds_the_working_revisions_text(session):
    n, t, zero, v = world(session)
    drafting.start_revision(session, t["cofacilitator"], n, now=NOW)
    working = load_versions(session, n.revisions[-1])
    editing.edit_text(
        session, t["cofacilitator"], working[2], "Decides to convene a summit on glaciers;",
        expected_version=working[2].version,
    )  # fmt: skip
    session.flush()
    for role in ("delegate", "observer", "admin"):
        assert found(session, t[role], n, "glaciers") == [], role
    assert found(session, t["outsider"], n, "coastal") == []
    assert found(session, t["cofacilitator"], n, "glaciers") == ["Rev.1:text"]
    assert found(session, t["secretariat"], n, "glaciers") == ["Rev.1:text"]


def _submit(session, t, role, rev, target, text, justification=""):
    who = t[role]
    return proposals.submit(
        session, who, rev, own_delegation(who, rev.negotiation), kind=ProposalKind.AMEND, target=target,
        text=text, justification=justification, now=NOW,
    )  # fmt: skip


def test_private_proposals_are_found_only_by_their_delegation_until_released(session):
    n, t, zero, v = world(session, ProposalVisibility.ON_RELEASE)
    p = _submit(session, t, "delegate", zero, v[2], "Decides to convene a summit on mangroves in 2028;",
                "Mangroves protect coasts.")  # fmt: skip
    session.flush()
    assert found(session, t["delegate"], n, "mangroves") == [f"p{p.id}:proposal", f"p{p.id}:justification"]
    assert found(session, t["delegate2"], n, "mangroves") == []
    assert found(session, t["observer"], n, "mangroves") == []
    assert found(session, t["cofacilitator"], n, "mangroves") == [f"p{p.id}:proposal", f"p{p.id}:justification"]
    lifecycle.release_compilation(session, t["cofacilitator"], zero, now=NOW)
    session.flush()
    assert found(session, t["delegate2"], n, "mangroves") == [f"p{p.id}:proposal", f"p{p.id}:justification"]


def test_a_paragraph_and_its_proposals_are_one_hit_with_its_history(session):
    n, t, zero, v = world(session)
    p = _submit(session, t, "delegate", zero, v[2], "Decides to convene a high-level meeting on coastal resilience;")
    session.flush()
    decisions.decide(session, t["cofacilitator"], p, ProposalState.NOT_RETAINED, note="Coastal text kept as is.")
    drafting.start_revision(session, t["cofacilitator"], n, now=NOW)
    session.flush()
    results = search(session, t["cofacilitator"], n, "coastal")
    assert len(results.hits) == 1
    hit = results.hits[0]
    assert hit.paragraph_id == v[2].paragraph_id
    assert [(pl.revision.label, pl.ref, pl.matched) for pl in hit.history] == [
        ("Zero draft", "OP1", True),
        ("Rev.1", "OP1", True),
    ]
    # the text, the same in both revisions, once; then the proposal's text and its decision
    assert [(s.revision.label, s.field, [r.label for r in s.also]) for s in hit.snippets] == [
        ("Rev.1", "text", ["Zero draft"]),
        ("Zero draft", "proposal", []),
        ("Zero draft", "decision", []),
    ]
    assert "<mark>coastal</mark>" in str(hit.snippets[0].html)


def test_filters_narrow_to_a_revision_a_delegation_a_kind_a_state(session):
    n, t, zero, v = world(session)
    p = _submit(session, t, "delegate", zero, v[2], "Decides to convene a meeting on coastal resilience;")
    q = _submit(session, t, "delegate2", zero, v[2], "Decides to convene a coastal summit;")
    session.flush()
    mexico = own_delegation(t["delegate"], n)
    assert found(session, t["delegate"], n, "coastal", delegation=mexico) == [f"p{p.id}:proposal"]
    assert found(session, t["delegate"], n, "coastal", kind=ProposalKind.DELETE) == []
    assert sorted(found(session, t["delegate"], n, "coastal", state=ProposalState.SUBMITTED)) == sorted(
        [f"p{p.id}:proposal", f"p{q.id}:proposal"]
    )
    assert len(found(session, t["delegate"], n, "coastal", revision=zero)) == 3


@pytest.mark.parametrize("typed", ['"', '""', "* - + ( ) : ^", "AND OR NOT", "NEAR(", "'", "“”", "«»", "\\"])
def test_a_query_of_operators_or_quotes_is_answered(session, typed):
    n, t, zero, v = world(session)
    results = search(session, t["delegate"], n, typed)
    assert results.hits == [] or all(h.snippets for h in results.hits)


def test_an_empty_query_says_what_to_do_and_a_long_one_is_refused(session):
    n, t, zero, v = world(session)
    assert search(session, t["delegate"], n, " * ").message == "Type one or more words to search for."
    with pytest.raises(InvalidInput, match="at most 300 characters"):
        search(session, t["delegate"], n, "coastal " * 40)
    with pytest.raises(InvalidInput, match="at most 20 words"):
        search(session, t["delegate"], n, " ".join(f"w{i}" for i in range(21)))


def test_matches_are_marked_in_escaped_html(session):
    n, t, zero, v = world(session)
    p = _submit(session, t, "delegate", zero, v[2], "Decides <script>alert(1)</script> on coastal & marine areas;")
    session.flush()
    html = next(s.html for h in search(session, t["delegate"], n, "coastal").hits for s in h.snippets if s.proposal)
    assert "&lt;script&gt;" in str(html) and "<script>" not in str(html)
    assert "<mark>coastal</mark> &amp; marine" in str(html)
    assert p.id


def test_the_index_follows_edits_and_a_rebuild_gives_the_same_rows(session):
    n, t, zero, v = world(session)
    p = _submit(session, t, "delegate", zero, v[2], "Decides to convene a meeting on wetlands;")
    session.flush()
    proposals.edit(session, t["delegate"], p, text="Decides to convene a meeting on peatlands;",
                   justification="", expected_version=p.version, now=NOW)  # fmt: skip
    session.flush()
    assert found(session, t["delegate"], n, "wetlands") == []
    assert found(session, t["delegate"], n, "peatlands") == [f"p{p.id}:proposal"]

    def rows():
        q = sa.select(SearchEntry.field, SearchEntry.body, SearchEntry.version_id, SearchEntry.proposal_id)
        return sorted(session.execute(q.where(SearchEntry.negotiation_id == n.id)).all())

    before = rows()
    assert index.rebuild(session, n.id) == len(before)
    assert rows() == before
    assert found(session, t["delegate"], n, "peatlands") == [f"p{p.id}:proposal"]


def test_a_restored_negotiation_is_searchable(app, session, tmp_path):
    from drafter.backup.service import create_backup, restore_backup

    n, t, zero, v = world(session)
    p = _submit(session, t, "delegate", zero, v[2], "Decides to convene a meeting on peatlands;")
    session.flush()
    data = create_backup(session, n, export_dir=tmp_path).data
    copy = restore_backup(session, None, data, export_dir=tmp_path, slug="restored-copy").negotiation
    session.flush()
    assert found(session, t["admin"], copy, "coastal") == ["Zero draft:text"]
    hits = search(session, t["admin"], copy, "peatlands").hits
    assert [s.proposal.id for h in hits for s in h.snippets] != [p.id]  # the copy's own proposal
    assert len(hits) == 1


def test_russian_and_french_forms_are_found_where_the_engine_stems_them(session):
    n, t, zero, v = world(session)
    # "решения" (of the decision) and "решение" share a stem in PostgreSQL's Russian configuration;
    # SQLite's FTS5 stems English only, so there the word must be typed as it stands
    stems = session.get_bind().dialect.name == "postgresql"
    assert found(session, t["delegate"], n, "решения") == (["Zero draft:text"] if stems else [])


def test_a_discarded_working_revision_leaves_nothing_to_find(session):
    n, t, zero, v = world(session)
    rev1 = drafting.start_revision(session, t["cofacilitator"], n, now=NOW)
    working = load_versions(session, rev1)
    editing.edit_text(session, t["cofacilitator"], working[2], "Decides to convene a summit on glaciers;",
                      expected_version=working[2].version)  # fmt: skip
    session.flush()
    assert found(session, t["cofacilitator"], n, "glaciers") == ["Rev.1:text"]
    drafting.discard_revision(session, t["cofacilitator"], rev1)
    session.flush()
    session.expire_all()
    assert found(session, t["cofacilitator"], n, "glaciers") == []
    left = session.scalar(sa.select(sa.func.count()).select_from(SearchEntry).where(SearchEntry.revision_id == rev1.id))
    assert left == 0
    if session.get_bind().dialect.name == "sqlite":  # the FTS5 table agrees with its content table
        session.execute(sa.text("INSERT INTO search_fts(search_fts) VALUES ('integrity-check')"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    typed=st.text(max_size=60)
    | st.lists(st.sampled_from(['"', "*", "NEAR(", "AND", "-", "^", ":", "“", "»", "可", "أ"]), max_size=40).map(
        " ".join
    )
)
def test_any_query_is_answered_never_a_crash(session, typed):
    n = session.scalar(sa.select(Negotiation).where(Negotiation.slug == "fuzzed"))
    if n is None:
        n = f.negotiation(session, slug="fuzzed")
        f.revision(session, n, TEXT, now=NOW)
    results = search(session, None, n, typed, everything=True)
    assert all(h.snippets for h in results.hits)
