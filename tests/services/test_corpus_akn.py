"""The real series in Akoma Ntoso: every revision validates against the official AKN 3.0 schema, its
symbol and date name the FRBR work, its words and notes are all there, and a paragraph whose number
did not change keeps its eId from one revision to the next."""

from __future__ import annotations

from pathlib import Path

import pytest

from drafter.drafting import services as drafting
from drafter.drafting.queries import load_versions
from drafter.exporting.services import akn_export
from drafter.importing.services import masthead_for, read_draft
from drafter.lifecycle import services as lifecycle
from drafter.text import footnotes
from tests import factories as f
from tests.services.test_corpus_series_exports import SERIES
from tests.support.akn import NS, assert_valid, text_of

pytestmark = pytest.mark.corpus

AKN = "{http://docs.oasis-open.org/legaldocml/ns/akn/3.0}"


def _words(root) -> str:
    """Return the words of the preamble and body, notes left out, as one space-separated string."""
    blocks = root.xpath(".//a:preamble//a:p | .//a:mainBody//a:p | .//a:mainBody//a:heading", namespaces=NS)
    return " ".join(" ".join(text_of(b).split()) for b in blocks if b.getparent().tag != AKN + "authorialNote")


@pytest.mark.parametrize("series", sorted(SERIES))
def test_every_revision_of_the_series_validates(session, corpus: Path, series: str):
    n = f.negotiation(session, slug=series)
    earlier: dict[int, tuple[str, str]] = {}  # lineage → (number label, eId) in the revision before
    for k, name in enumerate(SERIES[series]):
        draft = read_draft(name, (corpus / name).read_bytes())
        masthead, _ = masthead_for(session, n, draft)
        rev = drafting.import_revision(session, None, n, label=f"R{k}", paragraphs=draft.paragraphs, masthead=masthead)
        lifecycle.circulate(session, None, rev, deadline=None)
        session.flush()

        root = assert_valid(akn_export(session, rev).data)
        statement = root.find("a:statement", NS)
        assert statement.get("name") == ("resolution" if "/RES/" in masthead.symbol else "resolutionDraft")
        assert root.find(".//a:FRBRWork/a:FRBRnumber", NS).get("value") == masthead.symbol
        assert root.find(".//a:FRBRWork/a:FRBRdate", NS).get("date") == rev.date_of_issue.isoformat()
        assert root.findtext(".//a:preface//a:docNumber", namespaces=NS) == masthead.symbol

        versions = load_versions(session, rev)
        words = _words(root)
        for v in versions:  # every paragraph's words, in the order they are printed
            assert " ".join(footnotes.strip(v.text).split()) in words, v.text[:80]
        notes = root.xpath(".//a:mainBody//a:authorialNote | .//a:preamble//a:authorialNote", namespaces=NS)
        assert len(notes) == sum(len(set(footnotes.ids_in(v.text)) & set(v.notes)) for v in versions)

        mapping = {int(e.get("lineage")): e for e in root.iterfind(".//d:eIds/d:paragraph", NS)}
        assert len(mapping) == len(versions)
        for v in versions:
            here = mapping[v.paragraph_id].get("href")[1:]
            before = earlier.get(v.paragraph_id)
            if before is not None and before[0] == v.number_label and v.kind.value == "operative":
                assert before[1] == here, (v.number_label, before, here)  # same number, same eId
            if before is not None and before[1] != here:
                assert mapping[v.paragraph_id].get("previousHref") == f"#{before[1]}"
        earlier = {v.paragraph_id: (v.number_label, mapping[v.paragraph_id].get("href")[1:]) for v in versions}


def test_every_draft_and_resolution_of_the_corpus_validates(session, corpus: Path):
    names = sorted(p.name for p in corpus.glob("*.txt") if "amendment" not in p.name)
    assert len(names) >= 10
    for k, name in enumerate(names):
        n = f.negotiation(session, slug=f"corpus-{k}")
        draft = read_draft(name, (corpus / name).read_bytes())
        masthead, _ = masthead_for(session, n, draft)
        rev = drafting.import_revision(session, None, n, label="R0", paragraphs=draft.paragraphs, masthead=masthead)
        session.flush()
        try:
            assert_valid(akn_export(session, rev).data)
        except AssertionError as e:
            raise AssertionError(f"{name}: {e}") from None
